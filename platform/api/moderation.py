"""Moderation: pending registrations (further moderator tools build on this)."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.params import FromPath, JSONBody

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.models import PendingRegistrationOut, RejectInput
from fachaustausch.dependencies import Actor, AppSettings


class ModerationController(Controller):
    path = "/moderation"
    tags = ["Moderation"]

    @get("/registrations", operation_id="listPendingRegistrations")
    async def registrations(self, actor: Actor) -> list[PendingRegistrationOut]:
        return await accounts.pending_registrations(actor)

    @post(
        "/registrations/{user_id:int}/approve", operation_id="approveRegistration", status_code=204
    )
    async def approve(self, actor: Actor, user_id: FromPath[int], settings: AppSettings) -> None:
        await accounts.approve_registration(actor, user_id, settings)

    @post("/registrations/{user_id:int}/reject", operation_id="rejectRegistration", status_code=204)
    async def reject(
        self,
        actor: Actor,
        user_id: FromPath[int],
        settings: AppSettings,
        data: JSONBody[RejectInput | None] = None,
    ) -> None:
        await accounts.reject_registration(actor, user_id, data.reason if data else "", settings)
