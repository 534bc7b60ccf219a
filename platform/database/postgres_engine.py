"""Piccolo's PostgreSQL engine, giving back every connection whatever ended its work.

Piccolo gives a connection back (closes it, or returns it to the pool) only when the work
on it ends normally or with a database error. A query without a pool cancelled half-way
(a request whose client went away, a lifespan task stopped at shutdown), or a BEGIN,
COMMIT or ROLLBACK that failed or was cancelled, left it behind: without a pool for the
garbage collector to find (a server backend held for nothing and a `ResourceWarning`),
from a pool checked out for good, so the pool ran dry one such failure at a time. Here any
such ending terminates the connection at once, and a pool opens a fresh one in its place.
`terminate()` is synchronous, so a second cancellation cannot interrupt it."""

from __future__ import annotations

from collections.abc import Sequence
from types import TracebackType
from typing import Any

from asyncpg import Connection, PostgresError
from piccolo.engine.postgres import PostgresTransaction as PiccoloPostgresTransaction

from fachaustausch.database.piccolo_internals import PostgresEngineHooks, is_outermost


def _terminate(connection: Connection | None) -> None:
    if connection is not None and not connection.is_closed():
        connection.terminate()


class PostgresTransaction(PiccoloPostgresTransaction):
    async def __aenter__(self) -> PiccoloPostgresTransaction:
        try:
            return await super().__aenter__()
        except BaseException:
            # Failed or cancelled between taking the connection and BEGIN.
            if is_outermost(self):
                _terminate(getattr(self, "connection", None))
            raise

    async def __aexit__(
        self,
        exception_type: type[BaseException] | None,
        exception: BaseException | None,
        traceback: TracebackType | None,
    ) -> bool:
        try:
            return await super().__aexit__(exception_type, exception, traceback)
        except BaseException:
            # COMMIT or ROLLBACK failed or was cancelled: the connection was never given back.
            if is_outermost(self):
                _terminate(self.connection)
            raise


class PostgresEngine(PostgresEngineHooks):
    def transaction(self, allow_nested: bool = True) -> PostgresTransaction:
        return PostgresTransaction(engine=self, allow_nested=allow_nested)

    async def run_in_new_connection(self, query: str, args: Sequence[Any] | None = None) -> Any:
        connection = await self.get_new_connection()
        try:
            rows: list[Any] = await connection.fetch(query, *(args or ()))
        except PostgresError:
            await connection.close()  # the connection itself is fine
            raise
        except BaseException:
            _terminate(connection)
            raise
        await connection.close()
        return rows
