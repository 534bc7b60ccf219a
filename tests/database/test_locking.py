"""The row lock a write's checks take (database.row_lock): SELECT ... FOR UPDATE on
PostgreSQL, nothing on SQLite (whose write transactions already hold the write lock)."""

from __future__ import annotations

import pytest

from fachaustausch import database
from fachaustausch.accounts.tables import User
from fachaustausch.database.row_lock import for_update
from fachaustausch.settings import Settings

pytestmark = pytest.mark.database


async def test_for_update_locks_only_on_postgresql(settings: Settings) -> None:
    query = for_update(User.select(User.id, User.status).where(User.id == 1))
    sql = str(query)
    if database.is_sqlite():
        assert "FOR UPDATE" not in sql
    else:
        assert sql.endswith("FOR UPDATE"), sql
    async with database.transaction():
        assert await query.run() == []
