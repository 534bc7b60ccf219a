"""The audit log: who did what to which target, when and why — written in the same
transaction as the action. No route changes or deletes a row."""

from __future__ import annotations

import json
from typing import Any

from piccolo.columns import JSON, ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

# The acting user, named through the app's table registry: core/ builds on no domain.
_USER = LazyTableReference("User", app_name="fachaustausch")


class AuditLog(Table):
    id: Serial
    # None: the platform itself acted (e.g. the three-flag rule hid a post).
    actor: ForeignKey[Any] = ForeignKey(
        references=_USER, on_delete=OnDelete.restrict, null=True, index=True
    )
    action = Varchar(length=40, index=True)
    target_type = Varchar(length=30, index=True)
    target_id = Integer(index=True)
    reason = Text(default="")
    before = JSON(default="{}")
    after = JSON(default="{}")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)


async def record(
    actor_id: int | None,
    action: str,
    target_type: str,
    target_id: int,
    *,
    reason: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Call inside the action's transaction."""
    await AuditLog.insert(
        AuditLog(
            actor=actor_id,
            action=action,
            target_type=target_type,
            target_id=target_id,
            reason=reason,
            before=json.dumps(before or {}, ensure_ascii=False, default=str),
            after=json.dumps(after or {}, ensure_ascii=False, default=str),
        )
    ).run()
