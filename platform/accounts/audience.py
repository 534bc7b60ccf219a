"""The people notifications go to: their address, name and role; read-only."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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
