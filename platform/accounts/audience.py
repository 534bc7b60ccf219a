"""The people notifications go to: their address, name and role; read-only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import WhereRaw

from fachaustausch.accounts.policy import AccountStatus, Role
from fachaustausch.accounts.tables import User


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    email: str
    display_name: str
    role: Role
    active: bool
    authority_name: str

    @property
    def is_moderator(self) -> bool:
        return self.role.rank >= Role.moderator.rank


async def people(user_ids: Iterable[int]) -> dict[int, Person]:
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    rows = await User.select(
        User.id, User.email, User.display_name, User.role, User.status,
        User.authority.name.as_alias("authority_name"),
    ).where(User.id.is_in(ids)).run()  # fmt: skip
    return {
        r["id"]: Person(
            r["id"],
            r["email"],
            r["display_name"],
            Role(r["role"]),
            r["status"] == AccountStatus.active,
            r["authority_name"],
        )
        for r in rows
    }


async def moderators() -> list[int]:
    rows = (
        await User.select(User.id)
        .where(
            User.role.is_in([Role.moderator, Role.admin]) & (User.status == AccountStatus.active)
        )
        .run()
    )
    return [int(r["id"]) for r in rows]


@dataclass(frozen=True, slots=True)
class Handle:
    id: int
    handle: str
    display_name: str
    authority_name: str


def _handle(row: dict[str, Any]) -> Handle:
    return Handle(row["id"], row["handle"], row["display_name"], row["authority_name"])


_HANDLE_COLUMNS = (
    User.id,
    User.handle,
    User.display_name,
    User.authority.name.as_alias("authority_name"),
)


async def by_handles(handles: Iterable[str]) -> dict[str, Handle]:
    """The active accounts with these handles (lowercase), by handle."""
    wanted = sorted(set(handles))
    if not wanted:
        return {}
    rows = (
        await User.select(*_HANDLE_COLUMNS)
        .where(User.handle.is_in(wanted) & (User.status == AccountStatus.active))
        .run()
    )
    return {r["handle"]: _handle(r) for r in rows}


async def suggest(text: str, limit: int) -> list[Handle]:
    """Active accounts whose handle starts with `text` or whose name contains it."""
    escaped = text.replace("\\", "").replace("%", "").replace("_", "")
    if not escaped:
        return []
    rows = (
        await User.select(*_HANDLE_COLUMNS)
        .where(
            (User.status == AccountStatus.active)
            & User.handle.is_not_null()
            & (
                User.handle.like(f"{escaped.lower()}%")
                # LOWER on both engines: SQLite has no ILIKE, PostgreSQL's LIKE is exact.
                | WhereRaw("LOWER(app_user.display_name) LIKE {}", f"%{escaped.lower()}%")
            )
        )
        .order_by(User.handle)
        .limit(limit)
        .run()
    )
    return [_handle(r) for r in rows]
