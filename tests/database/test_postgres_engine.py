"""The PostgreSQL engine closes every connection it opened outside a pool, however the
query or transaction ended (Piccolo's own left cancelled ones to the garbage collector)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import asyncpg
import pytest
from asyncpg import Connection
from piccolo.querystring import QueryString

from fachaustausch.database.postgres_engine import PostgresEngine, PostgresTransaction
from tests.conftest import POSTGRES_URL

pytestmark = [
    pytest.mark.database,
    pytest.mark.skipif(
        not POSTGRES_URL, reason="PostgreSQL engine; runs when TEST_DATABASE_URL names a database"
    ),
]


class RecordingEngine(PostgresEngine):
    """Keeps every connection it opens, so a test can ask whether it was closed."""

    def __init__(self) -> None:
        self.opened: list[Connection] = []
        self.connected = asyncio.Event()
        base = POSTGRES_URL.rpartition("/")[0]
        super().__init__(config={"dsn": f"{base}/postgres"})
        # Forget the version check's connection (closed by now).
        self.opened.clear()
        self.connected = asyncio.Event()

    async def get_new_connection(self) -> Connection:
        connection = await super().get_new_connection()
        self.opened.append(connection)
        self.connected.set()
        return connection


@pytest.fixture
async def engine() -> AsyncIterator[RecordingEngine]:
    engine = RecordingEngine()
    yield engine
    for connection in engine.opened:  # so a failing test does not leak into the next one
        connection.terminate()


async def _cancel_when_running(task: asyncio.Task[object], engine: RecordingEngine) -> None:
    await engine.connected.wait()
    await asyncio.sleep(0.2)  # well inside the sleep on the server
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_a_cancelled_query_closes_its_connection(engine: RecordingEngine) -> None:
    task = asyncio.create_task(engine.run_querystring(QueryString("SELECT pg_sleep(5)")))
    await _cancel_when_running(task, engine)
    [connection] = engine.opened
    assert connection.is_closed()


async def test_a_failing_query_closes_its_connection(engine: RecordingEngine) -> None:
    with pytest.raises(asyncpg.UndefinedTableError):
        await engine.run_querystring(QueryString("SELECT * FROM no_such_table"))
    [connection] = engine.opened
    assert connection.is_closed()


async def test_a_query_closes_its_connection(engine: RecordingEngine) -> None:
    rows = await engine.run_querystring(QueryString("SELECT 1 AS one"))
    assert [dict(row) for row in rows] == [{"one": 1}]
    [connection] = engine.opened
    assert connection.is_closed()


async def test_a_transaction_cancelled_in_a_query_closes_its_connection(
    engine: RecordingEngine,
) -> None:
    async def work() -> None:
        async with engine.transaction():
            await engine.run_querystring(QueryString("SELECT pg_sleep(5)"))

    await _cancel_when_running(asyncio.create_task(work()), engine)
    [connection] = engine.opened
    assert connection.is_closed()


def _stall(monkeypatch: pytest.MonkeyPatch, step: str) -> None:
    async def slow(self: PostgresTransaction) -> None:
        await asyncio.sleep(5)

    monkeypatch.setattr(PostgresTransaction, step, slow)


async def _failing_transaction(engine: PostgresEngine) -> None:
    async with engine.transaction():
        # Reached only past a quick BEGIN; the failure makes the transaction roll back.
        raise LookupError("the work failed")


@pytest.mark.parametrize("step", ["begin", "rollback"])
async def test_a_transaction_cancelled_in_begin_or_rollback_closes_its_connection(
    engine: RecordingEngine, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    _stall(monkeypatch, step)
    await _cancel_when_running(asyncio.create_task(_failing_transaction(engine)), engine)
    [connection] = engine.opened
    assert connection.is_closed()


@pytest.mark.parametrize("step", ["begin", "rollback"])
async def test_a_pool_gets_its_connection_back_after_a_cancelled_begin_or_rollback(
    engine: RecordingEngine, monkeypatch: pytest.MonkeyPatch, step: str
) -> None:
    await engine.start_connection_pool(min_size=1, max_size=1)
    try:
        _stall(monkeypatch, step)
        task = asyncio.create_task(_failing_transaction(engine))
        await asyncio.sleep(0.3)  # the one pooled connection is taken, the step stalls
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        # With the connection still checked out, a pool of one would wait here for ever.
        rows = await asyncio.wait_for(engine.run_querystring(QueryString("SELECT 1 AS one")), 5)
        assert [dict(row) for row in rows] == [{"one": 1}]
    finally:
        # Not close(): it would wait for a connection that was never given back.
        assert engine.pool is not None
        engine.pool.terminate()
