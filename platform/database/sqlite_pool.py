"""Piccolo's SQLite engine with a pool of open connections.

Piccolo's `SQLiteEngine` opens a connection (and with aiosqlite a thread) for every query
outside a transaction, and for every transaction, which costs more than the queries
themselves. This engine keeps `size` connections open between `open_pool` and
`close_pool` and hands them out one query or one transaction at a time. Without a started
pool it behaves exactly like Piccolo's engine (the CLI and one-off scripts need nothing
else).

A SELECT outside a transaction runs on the event loop's own thread, on a read-only
connection: answered from an index it takes less time than handing it to a connection
thread and back (and the hand-over contends for the GIL). In WAL mode a reader never
waits for the writer; should it ever be refused as busy, it retries on a pooled
connection.

Write transactions (BEGIN IMMEDIATE) run on the loop's thread too, on one writer
connection, one at a time in the order they asked (`write_lock`): a transaction then
holds SQLite's write lock only while its statements run, not for as many trips through
the event loop as it has statements. Taking the lock must not block the loop, so the
writer never waits for it: when another process holds it, the transaction runs on a
pooled connection's thread instead, which waits there.

The writer never checkpoints on the loop's thread (a checkpoint syncs the database file).
Every so many writes the transaction that completes the count checkpoints the WAL on a
pooled thread before it lets go of `write_lock`: with no write in between, the checkpoint
copies every frame, and the next write starts the WAL from its beginning again. A
checkpoint racing the writes would never catch up, and the WAL would grow without end."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
from collections.abc import Callable, Sequence
from typing import Any, cast

import aiosqlite
from piccolo.engine.sqlite import (
    SQLiteTransaction,
    TransactionType,
    convert_int_out,
    dict_factory,
)
from piccolo.table import Table

from fachaustausch.database.piccolo_internals import SQLiteEngineHooks

# Set once per pooled connection instead of before every query, as Piccolo does.
# synchronous=NORMAL is the setting SQLite recommends with WAL: commits stay atomic and
# consistent, and only the last transactions before a power cut can be lost.
_CONNECTION_PRAGMAS = ("PRAGMA foreign_keys = 1", "PRAGMA synchronous = NORMAL")
# The inline reader must never block the event loop for long, nor write.
_READER_BUSY_TIMEOUT_SECONDS = 0.05
# A write transaction here changes a handful of pages: this is about SQLite's own rhythm
# (its automatic checkpoint counts pages), and keeps each checkpoint short.
WRITES_PER_CHECKPOINT = 100

# Numbers each opened pool: two databases, or one reopened, never share a change counter.
_pool_generations = itertools.count(1)


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


def _busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


class _InlineConnection:
    """The writer connection, driven from the event loop's thread with the subset of
    aiosqlite's API that Piccolo's transactions use. One transaction at a time."""

    def __init__(self, connection: sqlite3.Connection, released: Callable[[], None]) -> None:
        self.connection = connection
        self.lent = False
        self._released = released

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> sqlite3.Cursor:
        return self.connection.execute(sql, parameters)

    async def execute_fetchall(self, sql: str, parameters: Sequence[Any] = ()) -> list[Any]:
        return self.connection.execute(sql, parameters).fetchall()

    @property
    def in_transaction(self) -> bool:
        return self.connection.in_transaction

    async def close(self) -> None:
        if self.connection.in_transaction:
            self.connection.rollback()
        self.lent = False
        self._released()


class _PooledTransaction(SQLiteTransaction):
    """Piccolo's transaction, on the inline writer when it is free and the write lock can
    be had at once, else on a pooled connection."""

    async def get_connection(self) -> Any:
        writer = cast(PooledSQLiteEngine, self.engine)._writer
        if writer is not None and not writer.lent and self.transaction_type is _IMMEDIATE:
            writer.lent = True
            return writer
        return await self.engine.get_connection()

    async def begin(self) -> None:
        if isinstance(self.connection, _InlineConnection):
            try:
                await self.connection.execute(f"BEGIN {self.transaction_type.value}")
                return
            except sqlite3.OperationalError as exc:
                if not _busy(exc):
                    raise
                # Another process writes: wait for it on a thread, not on the event loop.
                await self.connection.close()
                self.connection = await self.engine.get_connection()
        await super().begin()  # type: ignore[no-untyped-call]


_IMMEDIATE = TransactionType.immediate


class PooledSQLiteEngine(SQLiteEngineHooks):
    def __init__(self, path: str, **connection_kwargs: Any) -> None:
        super().__init__(path=path, **connection_kwargs)
        self._idle: asyncio.Queue[aiosqlite.Connection] | None = None
        self._connections: list[aiosqlite.Connection] = []
        self._reader: sqlite3.Connection | None = None
        self._write_lock: asyncio.Lock | None = None
        self._writer: _InlineConnection | None = None
        self._writes_since_checkpoint = 0
        self._generation = 0

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
        # Only in WAL mode is a commit sure not to wait for readers (of other processes).
        (mode,) = reader.execute("PRAGMA journal_mode").fetchone().values()
        if mode == "wal":
            writer = sqlite3.connect(
                **{**self.connection_kwargs, "timeout": 0}, check_same_thread=False
            )
            writer.row_factory = dict_factory
            for pragma in _CONNECTION_PRAGMAS:
                writer.execute(pragma)
            # A checkpoint copies pages back into the database file and syncs it: that
            # must not happen on the event loop (see checkpoint_if_due).
            writer.execute("PRAGMA wal_autocheckpoint = 0")
            self._writer = _InlineConnection(writer, self._count_write)
        self._write_lock = asyncio.Lock()
        self._generation = next(_pool_generations)
        self._idle = idle

    def change_counter(self) -> tuple[int, int] | None:
        """Stays equal while nobody commits (`PRAGMA data_version` of the reader, which
        counts every other connection's commits, this process's writer included), and is
        never equal to one of another pool or database. None without a started pool and
        inside a transaction, whose own writes the counter does not show."""
        reader = self._reader
        if reader is None or self.current_transaction.get() is not None:
            return None
        try:
            # A plain tuple: the reader's dict row factory is wasted on one number.
            cursor = reader.cursor()
            cursor.row_factory = None
            (version,) = cursor.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:
            return None
        return self._generation, int(version)

    def _count_write(self) -> None:
        self._writes_since_checkpoint += 1

    async def checkpoint_if_due(self) -> None:
        """Called by the holder of `write_lock` after its transaction: every
        `WRITES_PER_CHECKPOINT` writes, checkpoint the WAL on a pooled connection's thread
        while no other write can start (see the module's docstring)."""
        if self._writes_since_checkpoint < WRITES_PER_CHECKPOINT or self._idle is None:
            return
        self._writes_since_checkpoint = 0
        connection = await self._acquire()
        try:
            await connection.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            await self._release(connection)

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
        writer, self._writer = self._writer, None
        if writer is not None:
            writer.connection.close()
        for connection in connections:
            await connection.close()

    async def _acquire(self) -> aiosqlite.Connection:
        assert self._idle is not None
        return await self._idle.get()

    async def _release(self, connection: aiosqlite.Connection) -> None:
        if connection not in self._connections:
            return  # opened before the pool was closed: nothing to give back to
        if connection.in_transaction:
            # A request cancelled mid-transaction must not leave its BEGIN to the next one.
            await asyncio.shield(connection.rollback())
        assert self._idle is not None
        self._idle.put_nowait(connection)

    def transaction(
        self,
        transaction_type: TransactionType = TransactionType.deferred,
        allow_nested: bool = True,
    ) -> SQLiteTransaction:
        if self._writer is None:
            return super().transaction(transaction_type, allow_nested)
        return _PooledTransaction(self, transaction_type, allow_nested)

    async def get_connection(self) -> Any:
        if self._idle is None:
            return await super().get_connection()
        return _PooledConnection(self, await self._acquire())

    async def run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: type[Table] | None = None,
    ) -> Any:
        if self._idle is None:
            return await super().run_in_new_connection(query, args, query_type, table)
        if self._reader is not None and query.startswith("SELECT"):
            try:
                return self._reader.execute(query, args or []).fetchall()
            except sqlite3.OperationalError as exc:
                if not _busy(exc):
                    raise
        connection = await self._acquire()
        try:
            # One hop to the connection's thread: execute and fetch together. SQLite is
            # in autocommit mode here (isolation_level=None), so no COMMIT is needed.
            return list(await connection.execute_fetchall(query, args or []))
        finally:
            await self._release(connection)

    async def run_in_existing_connection(
        self,
        connection: Any,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: type[Table] | None = None,
    ) -> Any:
        if not isinstance(connection, _PooledConnection | _InlineConnection):
            return await super().run_in_existing_connection(
                connection, query, args, query_type, table
            )
        # The pooled connection has its pragmas already; Piccolo would set them again.
        return list(await connection.execute_fetchall(query, args or []))
