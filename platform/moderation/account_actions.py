"""Moderator actions on people: registrations, suspending and reactivating accounts, and
roles with expertise. The rank rule (accounts.policy.check_action_on_person) is checked
against the account as it is, locked inside the action's transaction; the change itself
is the accounts domain's (accounts.administration, accounts.service for registrations)."""

from __future__ import annotations

from fachaustausch.accounts import administration
from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.administration import Person
from fachaustausch.accounts.policy import AccountStatus, PersonAction, check_action_on_person
from fachaustausch.core.errors import Conflict, InvalidInput
from fachaustausch.moderation import policy, queries
from fachaustausch.moderation.context import ActionContext, record
from fachaustausch.moderation.models import TargetType


async def registration(ctx: ActionContext, approve: bool) -> str:
    """Approving or rejecting sends mail; accounts keeps its own transaction and audit row."""
    data = ctx.data
    policy.only(data, TargetType.registration, TargetType.user)
    if approve:
        await accounts.approve_registration(ctx.actor, data.target_id, ctx.settings)
        return "Das Konto ist freigeschaltet."
    await accounts.reject_registration(ctx.actor, data.target_id, data.reason.strip(), ctx.settings)
    return "Die Registrierung ist abgelehnt."


async def _person(ctx: ActionContext) -> Person:
    """The account acted on, locked until the action's transaction ends."""
    person = await administration.person_for_update(ctx.data.target_id)
    if person is None:
        raise queries.not_found(TargetType.user, ctx.data.target_id)
    return person


async def set_status(ctx: ActionContext, suspend: bool) -> str:
    data = ctx.data
    policy.only(data, TargetType.user)
    if suspend:
        policy.require_reason(data)
    person = await _person(ctx)
    action = PersonAction.suspend if suspend else PersonAction.reactivate
    check_action_on_person(ctx.actor, action, data.target_id, person.role)
    wanted = AccountStatus.suspended if suspend else AccountStatus.active
    expected = AccountStatus.active if suspend else AccountStatus.suspended
    if person.status != expected:
        raise Conflict("Das Konto ist nicht aktiv." if suspend else "Das Konto ist nicht gesperrt.")
    await administration.set_status(data.target_id, wanted)
    await record(ctx, {"status": person.status.value}, {"status": wanted.value})
    return (
        "Das Konto ist gesperrt; seine Beiträge bleiben."
        if suspend
        else "Das Konto ist wieder aktiv."
    )


async def set_role(ctx: ActionContext) -> str:
    data = ctx.data
    policy.only(data, TargetType.user)
    if data.role is None:
        raise InvalidInput.for_field("role", "Bitte wählen Sie eine Rolle.")
    person = await _person(ctx)
    check_action_on_person(ctx.actor, PersonAction.set_role, data.target_id, person.role, data.role)
    expertise = await administration.set_role(data.target_id, data.role, data.expertise)
    await record(
        ctx,
        {"role": person.role.value, "expertise": person.expertise},
        {"role": data.role.value, "expertise": expertise},
    )
    return f"Die Rolle ist jetzt „{data.role.label}“."
