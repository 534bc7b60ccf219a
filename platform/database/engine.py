"""Database engine set-up, the Database an app owns, and the one-transaction-per-service-call
helper."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import asynccontextmanager
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType

from fachaustausch.database.context import current
from fachaustausch.database.postgres_engine import PostgresEngine
from fachaustausch.database.prepared import PreparedShapes
from fachaustausch.database.read_cache import ReadCaches
from fachaustausch.database.sqlite_pool import PooledSQLiteEngine
from fachaustausch.settings import Settings

# Piccolo's migration commands find the engine through this module; it must be set before
# any migration command runs, and it never shadows a project's own piccolo_conf.
os.environ.setdefault("PICCOLO_CONF", "fachaustausch.piccolo_conf")

SQLITE_BUSY_TIMEOUT_SECONDS = 15.0
ASYNCPG_MIN_SIZE = 10  # asyncpg's default


def create_engine(url: str) -> Engine[Any]:
    """An engine for `sqlite:///path` or `postgresql://user@host:port/db`."""
    if url.startswith("sqlite:///"):
        path = url.removeprefix("sqlite:///")
        if path != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        return PooledSQLiteEngine(path=path, timeout=SQLITE_BUSY_TIMEOUT_SECONDS)
    if url.startswith(("postgresql://", "postgres://")):
        return PostgresEngine(config={"dsn": url})
    raise ValueError(f"unsupported database URL: {url!r} (use sqlite:/// or postgresql://)")


def _no_counter() -> None:
    return None


class Database:
    """One database as a user of it sees it: the engine, its pool, the read caches of what
    was read from it (read_cache.py) and the prepared queries compiled for it
    (prepared.py). An app owns one and makes it current (context.py); nothing of it is
    shared with another app in the same process."""

    def __init__(self, url: str, *, pool_size: int = 0, read_cache_entries: int = 0) -> None:
        self.url = url
        self.engine = create_engine(url)
        self.pool_size = pool_size
        self.read_caches = ReadCaches(read_cache_entries)
        self.prepared = PreparedShapes()
        self.is_sqlite = isinstance(self.engine, SQLiteEngine)
        # Equal between two calls when nothing was committed in between; None where the
        # engine cannot tell cheaply (see read_cache.py). Asked by every cached read.
        self.change_counter: Callable[[], Hashable | None] = (
            self.engine.change_counter
            if isinstance(self.engine, PooledSQLiteEngine)
            else _no_counter
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls(
            settings.resolved_database_url,
            pool_size=settings.database_pool_size,
            read_cache_entries=settings.read_cache_entries,
        )

    async def open(self) -> None:
        """Opens the pool (`pool_size` connections; none at 0: one per query)."""
        db = self.engine
        if self.pool_size <= 0:
            return
        if isinstance(db, PostgresEngine):
            # asyncpg keeps ten connections open at least, unless the pool is smaller.
            minimum = min(self.pool_size, ASYNCPG_MIN_SIZE)
            await db.start_connection_pool(min_size=minimum, max_size=self.pool_size)
        elif isinstance(db, PooledSQLiteEngine):
            await db.open_pool(size=self.pool_size)

    async def close(self) -> None:
        db = self.engine
        if isinstance(db, PostgresEngine) and db.pool is not None:
            await db.close_connection_pool()
        elif isinstance(db, PooledSQLiteEngine):
            await db.close_pool()


def is_sqlite() -> bool:
    return current().is_sqlite


def change_counter() -> Hashable | None:
    return current().change_counter()


@asynccontextmanager
async def transaction() -> AsyncIterator[None]:
    """One write transaction on the current database. SQLite takes the write lock up front
    (IMMEDIATE), so two concurrent requests queue on the busy timeout instead of failing as
    'database is locked'."""
    db = current().engine
    if isinstance(db, SQLiteEngine):
        outermost = db.current_transaction.get() is None
        pooled = db if isinstance(db, PooledSQLiteEngine) and outermost else None
        lock = pooled.write_lock if pooled else None
        async with lock or contextlib.nullcontext():
            async with db.transaction(transaction_type=TransactionType.immediate):
                yield
            if pooled is not None:
                await pooled.checkpoint_if_due()
    else:
        async with db.transaction():
            yield
