"""Moderation: registrations, flags, the review queue, actions, the audit log, and
toolbox upkeep."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch, post
from litestar.params import FromPath, JSONBody, PathParameter, QueryParameter

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.models import PendingRegistrationOut, RejectInput
from fachaustausch.api.directory import SLUG_PATTERN
from fachaustausch.api.openapi import errors
from fachaustausch.api.parameters import DateTimeParameter, date_time
from fachaustausch.core.ids import MAX_ID
from fachaustausch.http.dependencies import Actor, AppSettings
from fachaustausch.moderation import actions as moderation_actions
from fachaustausch.moderation import flags as moderation_flags
from fachaustausch.moderation import queries as moderation_queries
from fachaustausch.moderation.models import (
    ActionInput,
    ActionResultOut,
    AuditPageOut,
    FlagInput,
    FlagOut,
    QueueOut,
)
from fachaustausch.toolbox import queries as toolbox
from fachaustausch.toolbox import upkeep
from fachaustausch.toolbox.models import InstrumentOut
from fachaustausch.toolbox.upkeep import (
    CornerstoneEdit,
    InstrumentCreate,
    InstrumentEdit,
    InstrumentMerge,
)

# Ids are 32-bit in PostgreSQL: a larger number names no row and must not reach the driver.
Id = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]
# Names of actions and target types: checked before they reach the database (no NUL).
Name = Annotated[str | None, QueryParameter(pattern=r"^[a-z_]+$", max_length=40)]
# A path slug; PostgreSQL refuses NUL characters, and no slug is longer than 120.
SlugPath = Annotated[str, PathParameter(pattern=SLUG_PATTERN, max_length=120)]
# Part of a name or title to look for; no control characters (PostgreSQL refuses NUL).
Words = Annotated[str | None, QueryParameter(pattern=r"^[^\x00-\x1f]*$", max_length=200)]


class ModerationController(Controller):
    path = "/moderation"
    tags = ["Moderation"]

    @get("/registrations", operation_id="listPendingRegistrations", responses=errors(403))
    async def registrations(self, actor: Actor) -> list[PendingRegistrationOut]:
        return await accounts.pending_registrations(actor)

    @post(
        "/registrations/{user_id:int}/approve",
        operation_id="approveRegistration",
        status_code=204,
        responses=errors(409, 422),
    )
    async def approve(self, actor: Actor, user_id: FromPath[int], settings: AppSettings) -> None:
        await accounts.approve_registration(actor, user_id, settings)

    @post(
        "/registrations/{user_id:int}/reject",
        operation_id="rejectRegistration",
        status_code=204,
        responses=errors(409),
    )
    async def reject(
        self,
        actor: Actor,
        user_id: FromPath[int],
        settings: AppSettings,
        data: JSONBody[RejectInput | None] = None,
    ) -> None:
        await accounts.reject_registration(actor, user_id, data.reason if data else "", settings)

    @get("/queue", operation_id="moderationQueue", responses=errors(403))
    async def queue(self, actor: Actor) -> QueueOut:
        """Open flags grouped by target with reasons and counts, pending registrations,
        content the three-flag rule hid, and the latest actions."""
        return await moderation_flags.queue(actor)

    @post("/actions", operation_id="moderationAction", status_code=200, responses=errors(404, 409))
    async def act(
        self, actor: Actor, settings: AppSettings, data: JSONBody[ActionInput]
    ) -> ActionResultOut:
        """One moderator action; it writes exactly one audit-log row and resolves the
        target's open flags."""
        return await moderation_actions.act(actor, data, settings)

    @get("/audit", operation_id="auditLog", responses=errors(403))
    async def audit(
        self,
        actor: Actor,
        actor_id: Id = None,
        actor_name: Words = None,
        action: Name = None,
        target_type: Name = None,
        target_id: Id = None,
        target_title: Words = None,
        since: DateTimeParameter = None,
        until: DateTimeParameter = None,
        page: Annotated[int, QueryParameter(ge=1, le=10_000)] = 1,
        limit: Annotated[int, QueryParameter(ge=1, le=200)] = 50,
    ) -> AuditPageOut:
        """The audit log, newest first. It can be read, never changed: there is no route
        that edits or deletes an entry. `actor_name` finds who acted by part of their name;
        `target_title` finds targets by part of a title or name (a question's answers and
        comments count as the question's)."""
        return await moderation_queries.audit_log(
            actor,
            actor_id=actor_id,
            actor_name=actor_name,
            action=action,
            target_type=target_type,
            target_id=target_id,
            target_title=target_title,
            since=date_time("since", since),
            until=date_time("until", until),
            page=page,
            limit=limit,
        )


class FlagController(Controller):
    path = "/flags"
    tags = ["Moderation"]

    @post("/", operation_id="flagContent", status_code=201, responses=errors(404, 409))
    async def flag(self, actor: Actor, data: JSONBody[FlagInput]) -> FlagOut:
        """Reports a post or a user to the moderation (one open report per target)."""
        return await moderation_flags.flag(actor, data)


class ToolboxUpkeepController(Controller):
    tags = ["Verzeichnis"]

    @post("/instruments", operation_id="createInstrument", status_code=201, responses=errors(409))
    async def create_instrument(
        self, actor: Actor, data: JSONBody[InstrumentCreate]
    ) -> InstrumentOut:
        slug = await upkeep.create_instrument(actor, data)
        return await toolbox.get_instrument(slug)

    @patch("/instruments/{slug:str}", operation_id="editInstrument")
    async def edit_instrument(
        self, actor: Actor, slug: SlugPath, data: JSONBody[InstrumentEdit]
    ) -> InstrumentOut:
        await upkeep.edit_instrument(actor, slug, data)
        return await toolbox.get_instrument(slug)

    @post(
        "/instruments/{slug:str}/merge",
        operation_id="mergeInstrument",
        status_code=200,
        responses=errors(409),
    )
    async def merge_instrument(
        self, actor: Actor, slug: SlugPath, data: JSONBody[InstrumentMerge]
    ) -> InstrumentOut:
        """Retags every question and consultation to `into`, in one transaction; the old
        slug redirects to the target from now on."""
        await upkeep.merge_instrument(actor, slug, data)
        return await toolbox.get_instrument(data.into)

    @patch("/cornerstones/{slug:str}", operation_id="editCornerstone", status_code=204)
    async def edit_cornerstone(
        self, actor: Actor, slug: SlugPath, data: JSONBody[CornerstoneEdit]
    ) -> None:
        await upkeep.edit_cornerstone(actor, slug, data)
