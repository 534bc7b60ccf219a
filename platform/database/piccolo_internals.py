"""Every use of Piccolo beyond its public API, in one place.

What the platform relies on, and why:

- Prepared queries (prepared.py) give Piccolo SQL that is compiled already:
  `QueryString._frozen_compiled_strings` holds it (what `QueryString.freeze()` fills), and
  `Query._process_results` turns the rows into what the query's `run()` returns.
- The engines (sqlite_pool.py, postgres_engine.py) replace how a statement runs outside a
  transaction and inside one: Piccolo's `_run_in_new_connection` and
  `_run_in_existing_connection`, overridden here once and handed on to the public hooks
  `run_in_new_connection` and `run_in_existing_connection`. A PostgreSQL transaction's
  `_parent` tells a nested one from the outermost.
- A table finds its engine through `_meta.db`, which Piccolo stores once per table class;
  `route_tables` makes it ask on every use instead, so each app's requests reach its own
  database (engine.py).

tests/database/test_piccolo_internals.py checks each of these against the installed Piccolo
and fails naming what changed; pyproject.toml pins Piccolo to the minor version checked
(`TESTED_MINOR`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.query.base import Query
from piccolo.querystring import QueryString
from piccolo.table import Table, TableMeta

TESTED_MINOR = "1.38"


# --- prepared queries ------------------------------------------------------------------------


def precompiled(sql: str, args: list[Any], table: type[Table]) -> QueryString:
    """A SELECT whose SQL and arguments are final: Piccolo runs it without compiling."""
    querystring = QueryString(sql, query_type="select", table=table)
    querystring._frozen_compiled_strings = (sql, args)
    return querystring


async def rows_as_run(query: Query[Any, Any], raw: Any) -> list[dict[str, Any]]:
    """The engine's raw rows for `query` as its `run()` returns them (dicts, JSON loaded)."""
    rows: list[dict[str, Any]] = await query._process_results(raw)
    return rows


# --- engines ---------------------------------------------------------------------------------


class SQLiteEngineHooks(SQLiteEngine):
    """Piccolo's SQLite engine with public hooks for running a statement; a subclass
    overrides the hooks and calls them on `super()` for Piccolo's own way."""

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: type[Table] | None = None,
    ) -> Any:
        return await self.run_in_new_connection(query, args, query_type, table)

    async def _run_in_existing_connection(
        self,
        connection: Any,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: type[Table] | None = None,
    ) -> Any:
        return await self.run_in_existing_connection(connection, query, args, query_type, table)

    async def run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: type[Table] | None = None,
    ) -> Any:
        """A statement outside a transaction."""
        return await super()._run_in_new_connection(query, args, query_type, table)

    async def run_in_existing_connection(
        self,
        connection: Any,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: type[Table] | None = None,
    ) -> Any:
        """A statement inside a transaction, on its connection."""
        return await super()._run_in_existing_connection(connection, query, args, query_type, table)


class PostgresEngineHooks(PostgresEngine):
    """Piccolo's PostgreSQL engine with a public hook for a statement outside a
    transaction."""

    async def _run_in_new_connection(self, query: str, args: Any = None) -> Any:
        return await self.run_in_new_connection(query, args)

    async def run_in_new_connection(self, query: str, args: Any = None) -> Any:
        return await super()._run_in_new_connection(query, args)


def is_outermost(transaction: PostgresTransaction) -> bool:
    """Whether `transaction` began the transaction (a nested one only joined it)."""
    return transaction._parent is None


# --- tables ----------------------------------------------------------------------------------


def route_tables(tables: Iterable[type[Table]], engine: Callable[[], Engine[Any]]) -> None:
    """Every use of a table's engine asks `engine()` instead of the one Piccolo stored."""

    class RoutedTableMeta(TableMeta):
        @property
        def db(self) -> Engine[Any]:
            return engine()

        @db.setter
        def db(self, value: Engine[Any]) -> None:
            raise AttributeError(
                "this table's engine is the current database's: make a Database current "
                "(fachaustausch.database.use) instead of setting one"
            )

    for table in tables:
        table._meta.__class__ = RoutedTableMeta


def table_name(table: type[Table]) -> str:
    return table._meta.tablename
