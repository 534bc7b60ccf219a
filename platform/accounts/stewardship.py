"""The moderation's changes to a person: role, expertise, authority, suspension. One
request is one transaction: the account is locked, the rank rules run on what it is now,
the administration's writes follow, and each change leaves an audit row."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from fachaustausch import database
from fachaustausch.accounts import administration, people
from fachaustausch.accounts.models import Slug
from fachaustausch.accounts.people_models import PersonProfileOut
from fachaustausch.accounts.policy import (
    AccountStatus,
    AuthorityKind,
    PersonAction,
    Principal,
    Role,
    check_action_on_person,
    check_role_for_authority,
    require_moderator,
)
from fachaustausch.accounts.tables import Authority, User
from fachaustausch.core import audit
from fachaustausch.core.errors import Conflict, InvalidInput
from fachaustausch.core.schemas import Strict
from fachaustausch.privacy.refusal import ensure_anonymous

InstrumentSlug = Annotated[str, Field(min_length=1, max_length=120, pattern=r"^[a-z0-9-]+$")]


class PersonChange(Strict):
    """What to change; fields left out stay as they are. A suspension needs a reason."""

    role: Role | None = None
    # The instruments an expert covers (replaces the list); only for experts.
    expertise: Annotated[list[InstrumentSlug], Field(max_length=50)] | None = None
    authority: Slug | None = None
    status: Literal["active", "suspended"] | None = None
    reason: Annotated[str, Field(max_length=1000)] = ""


async def _authority(slug: str) -> dict[str, Any]:
    row = (
        await Authority.select(Authority.id, Authority.kind, Authority.name)
        .where(Authority.slug == slug)
        .first()
        .run()
    )
    if row is None:
        raise InvalidInput.for_field("authority", "Diese Behörde ist nicht bekannt.")
    return row


async def set_authority(user_id: int, authority_id: int) -> None:
    """Moves the account to another authority. Its posts keep the authority they were
    written for."""
    async with database.transaction():
        await User.update({User.authority: authority_id}).where(User.id == user_id).run()


async def change_person(actor: Principal, handle: str, data: PersonChange) -> PersonProfileOut:
    require_moderator(actor)
    reason = data.reason.strip()
    # Kept in the audit log and shown to the person: no case data, as in every reason.
    ensure_anonymous({"reason": reason})
    async with database.transaction():
        row = await people.person_row(handle, actor)
        person = await administration.person_for_update(row["id"])
        if person is None:  # deleted between the two reads
            raise Conflict("Dieses Konto gibt es nicht mehr.")
        target = person.id
        record = _Recorder(actor.id, target, reason)

        if data.authority is not None and data.authority != row["authority_slug"]:
            check_action_on_person(actor, PersonAction.set_role, target, person.role, data.role)
            authority = await _authority(data.authority)
            final_role = data.role or person.role
            problem = check_role_for_authority(final_role, AuthorityKind(authority["kind"]))
            if problem:
                raise InvalidInput.for_field("authority", problem)
            await set_authority(target, authority["id"])
            await record("set_authority", {"authority": row["authority_slug"]},
                         {"authority": data.authority})  # fmt: skip

        if data.role is not None or data.expertise is not None:
            new_role = data.role or person.role
            check_action_on_person(actor, PersonAction.set_role, target, person.role, new_role)
            if data.expertise and new_role is not Role.expert:
                raise InvalidInput.for_field(
                    "expertise", "Instrumente gibt es nur für Expertinnen und Experten."
                )
            expertise = await administration.set_role(target, new_role, data.expertise)
            if new_role != person.role or expertise != person.expertise:
                await record(
                    "set_role",
                    {"role": person.role.value, "expertise": person.expertise},
                    {"role": new_role.value, "expertise": expertise},
                )

        if data.status is not None and data.status != person.status:
            suspend = data.status == AccountStatus.suspended
            action = PersonAction.suspend if suspend else PersonAction.reactivate
            check_action_on_person(actor, action, target, person.role)
            if person.status is AccountStatus.pending:
                raise Conflict("Über eine Registrierung entscheidet die Freischaltung.")
            if suspend and not reason:
                raise InvalidInput.for_field("reason", "Bitte geben Sie eine Begründung an.")
            await administration.set_status(target, AccountStatus(data.status))
            await record(action.value, {"status": person.status.value}, {"status": data.status})
    return await people.get_person(actor, handle)


class _Recorder:
    def __init__(self, actor_id: int, target_id: int, reason: str) -> None:
        self.actor_id, self.target_id, self.reason = actor_id, target_id, reason

    async def __call__(self, action: str, before: dict[str, Any], after: dict[str, Any]) -> None:
        await audit.record(
            self.actor_id, action, "user", self.target_id,
            reason=self.reason, before=before, after=after,
        )  # fmt: skip
