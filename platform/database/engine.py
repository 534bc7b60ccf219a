"""Database engine set-up and the one-transaction-per-service-call helper."""

from __future__ import annotations

import contextlib
import os
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from typing import Any

from piccolo.engine.base import Engine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

from fachaustausch.database.postgres_engine import PostgresEngine
from fachaustausch.database.sqlite_pool import PooledSQLiteEngine
from fachaustausch.settings import Settings

# Piccolo's migration commands find the engine through this module; it must be set before
# any migration command runs, and it never shadows a project's own piccolo_conf.
os.environ.setdefault("PICCOLO_CONF", "fachaustausch.piccolo_conf")

SQLITE_BUSY_TIMEOUT_SECONDS = 15.0


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


def _all_tables() -> list[type[Table]]:
    # Importing the app registry imports every table module, and Piccolo's Migration table.
    from piccolo.apps.migrations.tables import Migration

    from fachaustausch.piccolo_app import APP_CONFIG

    return [*APP_CONFIG.table_classes, Migration]


_engine: Engine[Any] | None = None


def bind(engine: Engine[Any]) -> None:
    """Points every table, and Piccolo's migration machinery, at `engine`."""
    global _engine
    from fachaustausch import piccolo_conf

    piccolo_conf.DB = engine
    for table in _all_tables():
        table._meta.db = engine
    _engine = engine


def configure(settings: Settings) -> Engine[Any]:
    engine = create_engine(settings.resolved_database_url)
    bind(engine)
    return engine


def engine() -> Engine[Any]:
    if _engine is None:
        raise RuntimeError(
            "database not configured: call fachaustausch.database.engine.configure() first"
        )
    return _engine


def is_sqlite() -> bool:
    return isinstance(engine(), SQLiteEngine)


def change_counter() -> Hashable | None:
    """Equal between two calls when nothing was committed in between; None where the engine
    cannot tell cheaply (see fachaustausch.database.read_cache)."""
    db = _engine
    return db.change_counter() if isinstance(db, PooledSQLiteEngine) else None


@asynccontextmanager
async def transaction() -> AsyncIterator[None]:
    """One write transaction. SQLite takes the write lock up front (IMMEDIATE), so two
    concurrent requests queue on the busy timeout instead of failing as 'database is locked'."""
    db = engine()
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


async def start_pool(settings: Settings) -> None:
    db = engine()
    if settings.database_pool_size <= 0:
        return
    if isinstance(db, PostgresEngine):
        await db.start_connection_pool(max_size=settings.database_pool_size)
    elif isinstance(db, PooledSQLiteEngine):
        await db.open_pool(size=settings.database_pool_size)


async def close_pool() -> None:
    db = engine()
    if isinstance(db, PostgresEngine) and db.pool is not None:
        await db.close_connection_pool()
    elif isinstance(db, PooledSQLiteEngine):
        await db.close_pool()
