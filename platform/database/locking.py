"""Row locks for the checks a write depends on.

A write that reads a row, checks it and changes it must not let a second request pass
the same check in between. SQLite has no row locks, but every write transaction there
takes the database's write lock up front (engine.transaction, BEGIN IMMEDIATE), so its
reads already see no concurrent writer. On PostgreSQL the read locks the row
(SELECT ... FOR UPDATE) until the transaction ends; a second transaction waits there
and then reads the row as the first one left it."""

from __future__ import annotations

from typing import Any, TypeVar

from piccolo.query.methods.select import Select
from piccolo.query.mixins import LockStrength

from fachaustausch.database.engine import is_sqlite

SelectT = TypeVar("SelectT", bound=Select[Any])


def for_update(query: SelectT) -> SelectT:
    """`query` locking the rows it reads of its own table until the transaction ends.
    Only rows of the queried table are locked (a join's rows are read, not locked), so
    joins through nullable foreign keys stay allowed. Use inside `transaction()`."""
    if is_sqlite():
        return query
    return query.lock_rows(LockStrength.update, of=(query.table,))
