"""The row lock a write's checks take: SELECT ... FOR UPDATE of the queried table on
PostgreSQL, nothing on SQLite (whose write transactions already hold the write lock)."""

from __future__ import annotations

import pytest

from fachaustausch import database
from fachaustausch.accounts.tables import User
from fachaustausch.database.locking import for_update
from fachaustausch.settings import Settings

pytestmark = pytest.mark.database


async def test_for_update_locks_the_queried_table_only_on_postgresql(settings: Settings) -> None:
    query = for_update(
        User.select(User.id, User.authority.kind.as_alias("kind")).where(User.id == 1)
    )
    sql = str(query)
    if database.is_sqlite():
        assert "FOR UPDATE" not in sql
    else:
        # Only the user row: a join through a nullable foreign key cannot be locked.
        assert sql.endswith('FOR UPDATE OF "app_user"'), sql
    async with database.transaction():
        assert await query.run() == []
