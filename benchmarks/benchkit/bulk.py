"""Multi-row INSERTs through the project's Piccolo tables, and SQLite's fast-load mode.

Piccolo's `Table.insert(*instances)` builds and validates an object per row: too slow
for the millions of rows a full data set has. So the statements are built from each
table's column metadata (columns the generator does not set get the column's Piccolo
default) and run in Piccolo transactions of a few thousand rows."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from piccolo.columns.defaults.base import Default
from piccolo.engine.base import Engine
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table
from tqdm import tqdm

# Rows per statement (bounded by the bind-parameter limit of both engines, 32,766 in
# SQLite ≥ 3.32 and 32,767 in PostgreSQL) and rows per transaction.
MAX_PARAMETERS = 30_000
ROWS_PER_STATEMENT = 1_000
ROWS_PER_TRANSACTION = 5_000


@dataclass
class TableTiming:
    table: str
    rows: int
    seconds: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


class BulkWriter:
    """Multi-row INSERTs built from a Piccolo table's columns, in Piccolo transactions."""

    def __init__(self, engine: Engine[Any], progress: bool = True) -> None:
        self.engine = engine
        self.sqlite = isinstance(engine, SQLiteEngine)
        self.progress = progress
        self.timings: list[TableTiming] = []
        self.next_ids: dict[str, int] = {}

    def use(self, engine: Engine[Any]) -> None:
        self.engine = engine

    async def next_id(self, table: type[Table]) -> int:
        rows = await table.raw(f"SELECT MAX(id) AS m FROM {table._meta.tablename}").run()  # noqa: S608
        return int(rows[0]["m"] or 0) + 1

    @staticmethod
    def _defaults(table: type[Table]) -> dict[str, Any]:
        defaults: dict[str, Any] = {}
        for column in table._meta.columns:
            if column._meta.primary_key:
                continue
            value = column.get_default_value()
            if isinstance(value, Default):
                value = value.python()
            defaults[column._meta.db_column_name] = value
        return defaults

    def _statement(self, table: type[Table], names: list[str], rows: int) -> str:
        columns = ", ".join(f'"{n}"' for n in names)
        width = len(names)
        if self.sqlite:
            one = "(" + ", ".join("?" * width) + ")"
            values = ", ".join([one] * rows)
        else:
            values = ", ".join(
                "(" + ", ".join(f"${r * width + c + 1}" for c in range(width)) + ")"
                for r in range(rows)
            )
        return f'INSERT INTO "{table._meta.tablename}" ({columns}) VALUES {values}'  # noqa: S608

    async def _execute(self, connection: Any, sql: str, params: list[Any]) -> None:
        if self.sqlite:
            async with connection.execute(sql, params):
                pass
        else:
            await connection.execute(sql, *params)

    async def insert(
        self, table: type[Table], rows: Iterable[dict[str, Any]], total: int
    ) -> TableTiming:
        """Writes `rows` (dicts by column name; `id` included) and times it."""
        defaults = self._defaults(table)
        names = ["id", *defaults]
        per_statement = max(1, min(ROWS_PER_STATEMENT, MAX_PARAMETERS // len(names)))
        statements: dict[int, str] = {}
        name = table._meta.tablename
        started = time.perf_counter()
        written = 0
        bar = tqdm(total=total, desc=f"{name:<24}", unit=" rows", disable=not self.progress)

        async def flush(batch: list[tuple[Any, ...]]) -> None:
            async with self.engine.transaction() as transaction:
                connection = transaction.connection
                if not self.sqlite:
                    await connection.execute("SET LOCAL synchronous_commit TO OFF")
                for start in range(0, len(batch), per_statement):
                    chunk = batch[start : start + per_statement]
                    sql = statements.get(len(chunk))
                    if sql is None:
                        sql = statements[len(chunk)] = self._statement(table, names, len(chunk))
                    await self._execute(connection, sql, [v for row in chunk for v in row])

        batch: list[tuple[Any, ...]] = []
        for row in rows:
            unknown = row.keys() - set(names)
            if unknown:
                raise KeyError(f"{name}: no such columns {sorted(unknown)}")
            batch.append(tuple(row[n] if n in row else defaults[n] for n in names))
            if len(batch) >= ROWS_PER_TRANSACTION:
                await flush(batch)
                written += len(batch)
                bar.update(len(batch))
                batch = []
        if batch:
            await flush(batch)
            written += len(batch)
            bar.update(len(batch))
        bar.close()
        timing = TableTiming(name, written, time.perf_counter() - started)
        self.timings.append(timing)
        return timing

    async def finish(self, tables: list[type[Table]]) -> None:
        """PostgreSQL: move the id sequences past the explicit ids, refresh the statistics
        (autovacuum would do so soon after a real load)."""
        if self.sqlite:
            return
        for table in tables:
            t = table._meta.tablename
            await table.raw(
                f"SELECT setval(pg_get_serial_sequence('\"{t}\"', 'id'), "  # noqa: S608
                f'COALESCE((SELECT MAX(id) FROM "{t}"), 0) + 1, false)'
            ).run()
        await self.engine.run_ddl("ANALYZE")


class FastLoadEngine(SQLiteEngine):
    """The same database file, with `synchronous=OFF` and a large page cache on every
    connection it opens: used only by the bulk writer, so the app never runs with them."""

    async def get_connection(self) -> Any:
        connection = await super().get_connection()
        await connection.execute("PRAGMA synchronous=OFF")
        # A large page cache (negative: in KiB) keeps the index B-trees in memory while
        # the rows pour in.
        await connection.execute("PRAGMA cache_size=-262144")
        return connection


class SqliteLoadMode:
    """WAL for the load, and the journal mode the database had before afterwards."""

    def __init__(self, engine: SQLiteEngine) -> None:
        self.engine = engine
        self.previous_mode = "delete"

    async def __aenter__(self) -> FastLoadEngine:
        rows = await self.engine.run_ddl("PRAGMA journal_mode")
        self.previous_mode = str(next(iter(rows[0].values())))
        await self.engine.run_ddl("PRAGMA journal_mode=WAL")
        return FastLoadEngine(path=self.engine.path, timeout=60)

    async def __aexit__(self, *exc: object) -> None:
        await self.engine.run_ddl(f"PRAGMA journal_mode={self.previous_mode}")
