"""Helpers shared by the moderation tests: acting as someone, moderator actions, audit rows."""

from __future__ import annotations

import json
from typing import Any

from fachaustausch.core.audit import AuditLog
from tests.factories import ApiClient, UserRecord

ACTIONS = "/api/v1/moderation/actions"
FLAGS = "/api/v1/flags"


async def as_user(client: ApiClient, user: UserRecord) -> None:
    """Signs `client` in as `user`, dropping whoever was signed in before."""
    client.logout_local()
    await client.login(user)


async def act(client: ApiClient, action: str, target_type: str, target_id: int, **body: Any) -> Any:
    return await client.post(
        ACTIONS,
        json={"action": action, "target_type": target_type, "target_id": target_id, **body},
    )


async def flag(
    client: ApiClient, target_type: str, target_id: int, reason: str = "wrong", **body: Any
) -> Any:
    return await client.post(
        FLAGS,
        json={"target_type": target_type, "target_id": target_id, "reason": reason, **body},
    )


def _json(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else json.loads(value or "{}")


async def audit_rows(**match: Any) -> list[dict[str, Any]]:
    """Every audit row (oldest first), with before/after parsed; `match` filters by column."""
    query = AuditLog.select().order_by(AuditLog.id)
    for column, value in match.items():
        query = query.where(getattr(AuditLog, column) == value)
    rows = await query.run()
    for row in rows:
        row["before"], row["after"] = _json(row["before"]), _json(row["after"])
    return rows


async def audit_count() -> int:
    return int(await AuditLog.count().run())
