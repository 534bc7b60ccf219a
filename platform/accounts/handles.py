"""A person's handle: chosen once from the display name, unique among all accounts.

The derivation itself (transliteration, collisions → base2, base3 …) belongs to the
mentions module, which finds handles in text; this module only asks the database which
handles are taken."""

from __future__ import annotations

import sqlite3

import asyncpg

from fachaustausch.accounts.tables import User
from fachaustausch.notifications.mentions import handle_base, handle_for

__all__ = ["HandleTaken", "free_handle", "handle_base", "handle_for", "is_handle_collision"]


class HandleTaken(Exception):
    """Raised to retry an insert whose handle a concurrent insert took first."""


async def free_handle(display_name: str) -> str:
    """The handle a new account with this name gets. Runs inside the inserting
    transaction; a concurrent insert of the same name is caught by the unique index."""
    base = handle_base(display_name)
    taken = set(
        await User.select(User.handle)
        .where(User.handle.like(f"{base}%"))
        .output(as_list=True)
        .run()
    )
    return handle_for(display_name, taken.__contains__)


def is_handle_collision(error: Exception) -> bool:
    """Whether a unique violation came from the handle (not from the e-mail address)."""
    if isinstance(error, asyncpg.UniqueViolationError):
        return "handle" in (error.constraint_name or "")
    if isinstance(error, sqlite3.IntegrityError):
        return "app_user.handle" in str(error)
    return False
