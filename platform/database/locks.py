"""Row locks for writes that read, decide and then write (a capacity, a counter).

On PostgreSQL the row is locked with SELECT ... FOR UPDATE until the transaction ends, so a
second request deciding about the same row waits for the first one's outcome. SQLite has no
row locks; there every write transaction takes the write lock up front (engine.transaction),
which serialises the same decisions."""

from __future__ import annotations

from typing import Any

from piccolo.table import Table

from fachaustausch.database.engine import is_sqlite


async def lock_row_for_update(
    table: type[Table], row_id: int, *columns: Any
) -> dict[str, Any] | None:
    """The row's `columns` (all when none given), locked for the rest of the current
    transaction on PostgreSQL; None when there is no such row. Call inside `transaction()`."""
    query = table.select(*columns).where(table._meta.primary_key == row_id)
    if not is_sqlite():
        query = query.lock_rows("UPDATE")
    return await query.first().run()
