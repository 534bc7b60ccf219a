"""What every moderator action handler gets, and the audit row each one writes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from fachaustausch.accounts.policy import Principal
from fachaustausch.core import audit
from fachaustausch.moderation.models import ActionInput
from fachaustausch.settings import Settings


@dataclass(frozen=True)
class ActionContext:
    actor: Principal
    data: ActionInput
    settings: Settings


# A handler checks the target inside the action's transaction, dispatches the change to
# the domain that owns the target, writes the audit row and returns the German message.
Handler = Callable[[ActionContext], Awaitable[str]]


async def record(ctx: ActionContext, before: dict[str, Any], after: dict[str, Any]) -> None:
    """The action's audit row, with the state before and after; inside its transaction."""
    data = ctx.data
    await audit.record(
        ctx.actor.id,
        data.action,
        data.target_type,
        data.target_id,
        reason=data.reason.strip(),
        before=before,
        after=after,
    )
