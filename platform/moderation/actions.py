"""Moderator actions: validate, dispatch, audit, resolve.

Every action but a registration decision is one transaction: the handler checks the
target with its row locked (database.row_lock), dispatches the change to the domain that
owns the row, writes exactly one audit row with the state before and after, and the
target's open flags are resolved. Two moderators acting on one target at once queue on
the lock: the second sees what the first left and is refused if there is nothing left
to change."""

from __future__ import annotations

from fachaustausch import database
from fachaustausch.accounts.policy import Principal, require_moderator
from fachaustausch.core import clock
from fachaustausch.core.errors import Conflict, NotFound
from fachaustausch.core.ids import possible_id
from fachaustausch.database.row_lock import for_update
from fachaustausch.moderation import account_actions, content_actions, policy
from fachaustausch.moderation.context import ActionContext, Handler, record
from fachaustausch.moderation.models import Action, ActionInput, ActionResultOut, TargetType
from fachaustausch.moderation.tables import Flag
from fachaustausch.privacy.refusal import ensure_anonymous
from fachaustausch.settings import Settings


async def _dismiss(ctx: ActionContext) -> str:
    data = ctx.data
    policy.only(data, TargetType.flag)
    row = None
    if possible_id(data.target_id):
        row = (
            await for_update(Flag.select(Flag.id, Flag.status).where(Flag.id == data.target_id))
            .first()
            .run()
        )
    if not row:
        raise NotFound(f"Meldung Nr. {data.target_id} gibt es nicht.")
    if row["status"] != "open":
        raise Conflict("Diese Meldung ist bereits erledigt.")
    await (
        Flag.update(
            {
                Flag.status: "dismissed",
                Flag.resolved_by: ctx.actor.id,
                Flag.resolved_at: clock.now(),
                Flag.resolution: Action.dismiss.value,
            }
        )
        .where(Flag.id == data.target_id)
        .run()
    )
    await record(ctx, {"status": "open"}, {"status": "dismissed"})
    return "Die Meldung ist verworfen."


_HANDLERS: dict[Action, Handler] = {
    Action.hide: lambda ctx: content_actions.set_hidden(ctx, True),
    Action.restore: lambda ctx: content_actions.set_hidden(ctx, False),
    Action.lock: lambda ctx: content_actions.set_locked(ctx, True),
    Action.unlock: lambda ctx: content_actions.set_locked(ctx, False),
    Action.close: content_actions.close,
    Action.reopen: content_actions.reopen,
    Action.mark_outdated: lambda ctx: content_actions.set_outdated(ctx, True),
    Action.clear_outdated: lambda ctx: content_actions.set_outdated(ctx, False),
    Action.retag: content_actions.retag,
    Action.edit: content_actions.edit,
    Action.approve: lambda ctx: account_actions.registration(ctx, True),
    Action.reject: lambda ctx: account_actions.registration(ctx, False),
    Action.suspend: lambda ctx: account_actions.set_status(ctx, True),
    Action.reactivate: lambda ctx: account_actions.set_status(ctx, False),
    Action.set_role: account_actions.set_role,
    Action.dismiss: _dismiss,
}

# Registration actions send mail and manage their own transaction and audit row.
_OWN_TRANSACTION = frozenset({Action.approve, Action.reject})


async def act(actor: Principal, data: ActionInput, settings: Settings) -> ActionResultOut:
    require_moderator(actor)
    guarded_reason = data.reason if data.target_type in policy.GUARDED_REASONS else None
    ensure_anonymous({"title": data.title, "body": data.body, "reason": guarded_reason})
    ctx = ActionContext(actor, data, settings)
    handler = _HANDLERS[data.action]
    if data.action in _OWN_TRANSACTION:
        detail = await handler(ctx)
    else:
        async with database.transaction():
            detail = await handler(ctx)
            if data.target_type in policy.FLAG_RESOLVING:
                await _resolve_flags(ctx)
    return ActionResultOut(
        action=data.action.value,
        target_type=data.target_type.value,
        target_id=data.target_id,
        detail=detail,
    )


async def _resolve_flags(ctx: ActionContext) -> None:
    data = ctx.data
    await (
        Flag.update(
            {
                Flag.status: "resolved",
                Flag.resolved_by: ctx.actor.id,
                Flag.resolved_at: clock.now(),
                Flag.resolution: data.action.value,
            }
        )
        .where(
            (Flag.target_type == data.target_type)
            & (Flag.target_id == data.target_id)
            & (Flag.status == "open")
        )
        .run()
    )
