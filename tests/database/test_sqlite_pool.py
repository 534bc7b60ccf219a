"""The pooled SQLite engine: connections are lent and given back, a failed or cancelled
transaction leaves nothing behind, writers queue in order and wait off the event loop,
reads run inline and fall back to the pool when busy, and the app opens and closes it
(every test's app runs on it)."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fachaustausch import database
from fachaustausch.accounts.policy import Role
from fachaustausch.accounts.tables import Authority
from fachaustausch.database import sqlite_pool
from fachaustausch.database.sqlite_pool import PooledSQLiteEngine, _int_out
from tests.conftest import POOL_SIZE, sqlite_only
from tests.factories import ApiClient, make_user

pytestmark = sqlite_only


def _idle(engine: PooledSQLiteEngine) -> int:
    assert engine._idle is not None
    return engine._idle.qsize()


def _wal_size(engine: PooledSQLiteEngine) -> int:
    return Path(f"{engine.path}-wal").stat().st_size


async def _authority_count() -> int:
    return int(await Authority.count().run())


async def _add_authority(slug: str) -> None:
    await Authority.insert(Authority(slug=slug, name=slug, kind="member")).run()


async def test_concurrent_reads_and_writes_share_the_pool(pooled: PooledSQLiteEngine) -> None:
    before = await _authority_count()
    await asyncio.gather(*(_add_authority(f"pool-{n}") for n in range(20)))
    counts = await asyncio.gather(*(_authority_count() for _ in range(20)))
    assert counts == [before + 20] * 20
    assert _idle(pooled) == POOL_SIZE


async def test_failed_transaction_is_rolled_back_and_its_connection_returned(
    pooled: PooledSQLiteEngine,
) -> None:
    before = await _authority_count()

    async def failing_write() -> None:
        async with database.transaction():
            await _add_authority("rolled-back")
            raise RuntimeError("the request fails")

    with pytest.raises(RuntimeError):
        await failing_write()
    assert await _authority_count() == before
    assert _idle(pooled) == POOL_SIZE


async def test_cancelled_transaction_leaves_no_open_transaction(
    pooled: PooledSQLiteEngine,
) -> None:
    before = await _authority_count()
    inside = asyncio.Event()

    async def slow_write() -> None:
        async with database.transaction():
            await _add_authority("cancelled")
            inside.set()
            await asyncio.sleep(10)

    task = asyncio.create_task(slow_write())
    await inside.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert _idle(pooled) == POOL_SIZE
    assert await _authority_count() == before
    # The pool's connections take the write lock again at once: none holds a BEGIN.
    async with database.transaction():
        await _add_authority("after-cancel")
    assert await _authority_count() == before + 1


async def test_write_transactions_run_on_the_inline_writer_in_order(
    pooled: PooledSQLiteEngine,
) -> None:
    assert pooled._writer is not None, "the test database is in WAL mode"
    committed: list[int] = []

    async def write(n: int) -> None:
        async with database.transaction():
            await _add_authority(f"ordered-{n}")
            committed.append(n)

    await asyncio.gather(*(write(n) for n in range(20)))
    assert committed == list(range(20))
    assert not pooled._writer.lent
    assert _idle(pooled) == POOL_SIZE


async def test_the_wal_is_checkpointed_under_the_write_lock_off_the_event_loop(
    pooled: PooledSQLiteEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert pooled._writer is not None
    assert pooled.write_lock is not None
    # The writer on the loop's thread never checkpoints on its own...
    assert pooled._writer.connection.execute("PRAGMA wal_autocheckpoint").fetchone() == {
        "wal_autocheckpoint": 0
    }
    # ...a pooled connection does, on its thread, while the third writer holds the lock.
    monkeypatch.setattr(sqlite_pool, "WRITES_PER_CHECKPOINT", 3)
    pooled._writes_since_checkpoint = 0
    statements: list[str] = []
    lock = pooled.write_lock

    def record(statement: str) -> None:
        statements.append(f"{statement} (write lock held: {lock.locked()})")

    for connection in pooled._connections:
        await connection.set_trace_callback(record)
    for n in range(3):
        async with database.transaction():
            await _add_authority(f"checkpoint-{n}")
    assert statements == ["PRAGMA wal_checkpoint(PASSIVE) (write lock held: True)"]
    assert not lock.locked()
    assert _idle(pooled) == POOL_SIZE


async def test_the_wal_starts_over_under_steady_writes_and_reads(
    pooled: PooledSQLiteEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without a checkpoint that completes, every write appends to the WAL for good."""
    monkeypatch.setattr(sqlite_pool, "WRITES_PER_CHECKPOINT", 5)
    pooled._writes_since_checkpoint = 0

    async def write(n: int) -> None:
        async with database.transaction():
            await _add_authority(f"wal-{n}")

    await asyncio.gather(*(write(n) for n in range(5)))
    one_round = _wal_size(pooled)
    for round_ in range(1, 40):
        # Reads go on while the writes queue, as under load.
        await asyncio.gather(
            *(write(round_ * 5 + n) for n in range(5)),
            *(_authority_count() for _ in range(5)),
        )
    # 40 rounds of writes without a restart would take about 40 times one round's size.
    assert _wal_size(pooled) <= 3 * one_round
    assert await _authority_count() >= 200


async def test_a_writer_of_another_process_is_waited_for_off_the_event_loop(
    pooled: PooledSQLiteEngine,
) -> None:
    other = sqlite3.connect(pooled.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO authority (slug, name, kind) VALUES ('other', 'Andere', 'member')")
    before = await _authority_count()  # reads are not blocked by the other writer

    async def write() -> None:
        async with database.transaction():
            await _add_authority("after-the-other")

    task = asyncio.create_task(write())
    await asyncio.sleep(0.3)
    assert not task.done(), "the write waits for the other process"
    assert await _authority_count() == before, "and the event loop keeps answering reads"
    other.execute("COMMIT")
    other.close()
    await asyncio.wait_for(task, 10)
    assert await _authority_count() == before + 2
    assert _idle(pooled) == POOL_SIZE


async def test_a_busy_inline_read_is_answered_by_the_pool(
    pooled: PooledSQLiteEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    class BusyReader:
        def execute(self, *_args: Any) -> Any:
            raise sqlite3.OperationalError("database is locked")

    expected = await _authority_count()
    monkeypatch.setattr(pooled, "_reader", BusyReader())
    assert await _authority_count() == expected


async def test_the_inline_reader_cannot_write(pooled: PooledSQLiteEngine) -> None:
    assert pooled._reader is not None
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        pooled._reader.execute("DELETE FROM authority")


def test_integer_converter_reads_integers_and_integral_decimals() -> None:
    assert _int_out(b"123") == 123
    assert _int_out(b"-7") == -7
    assert _int_out(b"1.0") == 1


async def test_the_app_opens_its_pool_and_answers_reads_and_writes_on_it(app: Litestar) -> None:
    """The API end to end on the app's own pool, opened by its lifespan (the test client
    runs the app on a loop of its own) and closed with it."""
    engine = app.state.database.engine
    assert isinstance(engine, PooledSQLiteEngine)
    author = await make_user(Role.member)
    async with AsyncTestClient(app) as http:
        client = ApiClient(http)
        assert engine.pool_started
        await client.login(author)
        asked = await client.post(
            "/api/v1/questions",
            json={
                "title": "Wie organisieren Sie die Terminvergabe?",
                "body": "Wir suchen ein Verfahren für kurzfristige Termine.",
                "cornerstone": "erscheinungsbild-kommunikation",
                "instruments": ["mehrsprachige-aufrufanlage"],
            },
        )
        assert asked.status_code == 201, asked.text
        question_id = asked.json()["id"]
        answered = await client.post(
            f"/api/v1/questions/{question_id}/answers",
            json={"body": "Mit einem offenen Kontingent am Vormittag."},
        )
        assert answered.status_code == 201, answered.text
        listed = await client.get("/api/v1/questions")
        assert [item["id"] for item in listed.json()["items"]][:1] == [question_id]
        detail = await client.get(f"/api/v1/questions/{question_id}")
        assert detail.status_code == 200
        assert detail.json()["answer_count"] == 1
        assert [a["body"] for a in detail.json()["answers"]] == [
            "Mit einem offenen Kontingent am Vormittag."
        ]
    assert not engine.pool_started
