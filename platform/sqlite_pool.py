"""Piccolo's SQLite engine with a pool of open connections.

Piccolo's `SQLiteEngine` opens a connection (and with aiosqlite a thread) for every query
outside a transaction, and for every transaction: a few milliseconds each, which on a
100,000-question database costs more than the queries themselves. This engine keeps
`size` connections open between `open_pool` and `close_pool` and
hands them out one query or one transaction at a time. Without a started pool it behaves
exactly like Piccolo's engine (the CLI and one-off scripts need nothing else).

A SELECT outside a transaction runs on the event loop's own thread, on a read-only
connection: answered from an index it takes tens of microseconds, less than handing it
to a connection thread and back (and the hand-over contends for the GIL). In WAL mode a
reader never waits for the writer; should it ever be refused as busy, it retries on a
pooled connection.

Writes and transactions run on the pooled connections' threads: they may wait for the
write lock, and a write may wait for the disk, neither of which may stop the event loop.
While the pool is open, write transactions queue in order on `write_lock` before they
ask SQLite for its lock."""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import aiosqlite
from piccolo.engine.sqlite import SQLiteEngine, convert_int_out, dict_factory
from piccolo.table import Table

# Set once per pooled connection instead of before every query, as Piccolo does.
# synchronous=NORMAL is the setting SQLite recommends with WAL: commits stay atomic and
# consistent, and only the last transactions before a power cut can be lost.
_CONNECTION_PRAGMAS = ("PRAGMA foreign_keys = 1", "PRAGMA synchronous = NORMAL")
# The inline reader must never block the event loop for long, nor write.
_READER_BUSY_TIMEOUT_SECONDS = 0.05


def _int_out(value: bytes) -> int:
    """Piccolo's INTEGER converter parses every value as a Decimal (to accept `1.0`); the
    values of this schema are integers, which int() reads from the bytes directly."""
    try:
        return int(value)
    except ValueError:
        return int(convert_int_out(value))


def _boolean_out(value: bytes) -> bool:
    return value == b"1"


# Converters are process-wide in sqlite3; these give the same values as Piccolo's for
# what this schema stores, at a fraction of the cost (most columns read are integers).
sqlite3.register_converter("INTEGER", _int_out)
sqlite3.register_converter("BOOLEAN", _boolean_out)


class _PooledConnection:
    """An aiosqlite connection lent by the pool: `close()` gives it back instead. Piccolo's
    transactions and batches close the connection they got from `get_connection`."""

    def __init__(self, pool: PooledSQLiteEngine, connection: aiosqlite.Connection) -> None:
        self._pool = pool
        self._connection = connection

    def __getattr__(self, name: str) -> Any:
        return getattr(self._connection, name)

    async def close(self) -> None:
        await self._pool._release(self._connection)


class PooledSQLiteEngine(SQLiteEngine):
    def __init__(self, path: str, **connection_kwargs: Any) -> None:
        super().__init__(path=path, **connection_kwargs)
        self._idle: asyncio.Queue[aiosqlite.Connection] | None = None
        self._connections: list[aiosqlite.Connection] = []
        self._reader: sqlite3.Connection | None = None
        self._write_lock: asyncio.Lock | None = None

    @property
    def pool_started(self) -> bool:
        return self._idle is not None

    async def open_pool(self, size: int) -> None:
        if self._idle is not None:
            return
        idle: asyncio.Queue[aiosqlite.Connection] = asyncio.Queue()
        for _ in range(max(size, 1)):
            connection = await aiosqlite.connect(**self.connection_kwargs)
            # aiosqlite types row_factory as a class; any callable works, as in sqlite3.
            connection.row_factory = dict_factory  # type: ignore[assignment]
            for pragma in _CONNECTION_PRAGMAS:
                await connection.execute(pragma)
            self._connections.append(connection)
            idle.put_nowait(connection)
        reader = sqlite3.connect(
            **{**self.connection_kwargs, "timeout": _READER_BUSY_TIMEOUT_SECONDS},
            check_same_thread=False,
        )
        reader.row_factory = dict_factory
        reader.execute("PRAGMA query_only = 1")
        self._reader = reader
        self._write_lock = asyncio.Lock()
        self._idle = idle

    @property
    def write_lock(self) -> asyncio.Lock | None:
        """Held around each write transaction while the pool is open. SQLite lets one writer
        in at a time and makes the others poll with growing sleeps, so under load some wait
        for seconds while later ones get through; this lock queues them in order instead."""
        return self._write_lock

    async def close_pool(self) -> None:
        connections, self._connections, self._idle = self._connections, [], None
        self._write_lock = None
        reader, self._reader = self._reader, None
        if reader is not None:
            reader.close()
        for connection in connections:
            await connection.close()

    async def _acquire(self) -> aiosqlite.Connection:
        assert self._idle is not None
        return await self._idle.get()

    async def _release(self, connection: aiosqlite.Connection) -> None:
        if connection not in self._connections:
            return  # the pool was closed (and this connection with it) while it was lent
        if connection.in_transaction:
            # A request cancelled mid-transaction must not leave its BEGIN to the next one.
            await asyncio.shield(connection.rollback())
        assert self._idle is not None
        self._idle.put_nowait(connection)

    async def get_connection(self) -> Any:
        if self._idle is None:
            return await super().get_connection()
        return _PooledConnection(self, await self._acquire())

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: type[Table] | None = None,
    ) -> Any:
        if self._idle is None:
            return await super()._run_in_new_connection(query, args, query_type, table)
        if self._reader is not None and query.startswith("SELECT"):
            try:
                return self._reader.execute(query, args or []).fetchall()
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
        connection = await self._acquire()
        try:
            # One hop to the connection's thread: execute and fetch together. SQLite is
            # in autocommit mode here (isolation_level=None), so no COMMIT is needed.
            return list(await connection.execute_fetchall(query, args or []))
        finally:
            await self._release(connection)

    async def _run_in_existing_connection(
        self,
        connection: Any,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: type[Table] | None = None,
    ) -> Any:
        if not isinstance(connection, _PooledConnection):
            return await super()._run_in_existing_connection(
                connection, query, args, query_type, table
            )
        # The pooled connection has its pragmas already; Piccolo would set them again.
        return list(await connection.execute_fetchall(query, args or []))
