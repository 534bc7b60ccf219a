"""Locking a row for the rest of a write transaction.

A write that checks a row's state and then changes what depends on it must keep anyone
else from changing that row in between. On PostgreSQL the check's SELECT takes the row
with FOR UPDATE: a second writer of the same row waits at its own SELECT until the first
commits, and then reads what the first wrote. SQLite has no row locks and needs none:
every write transaction there takes the database's write lock when it begins (engine.py,
IMMEDIATE), so the check already runs alone."""

from __future__ import annotations

from typing import Any, TypeVar

from piccolo.query.methods.select import Select

from fachaustausch.database.context import current

S = TypeVar("S", bound="Select[Any]")


def for_update(query: S) -> S:
    """`query` (a SELECT run inside `transaction()`) locking the rows it reads where the
    database has row locks."""
    if current().is_sqlite:
        return query
    return query.lock_rows()
