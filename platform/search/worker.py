"""Turns search outbox rows into index updates, and rebuilds the whole index.

A row is deleted only after the engine confirmed the update; a failure leaves it in place
with a growing delay before the next try, so no update is ever lost and a crash between
applying and deleting merely applies the same (idempotent) update again. Workers lease
the documents they apply (`leases`), so several may run at once."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import operator
from collections import defaultdict
from collections.abc import AsyncIterable, AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import anyio
from piccolo.custom_types import Combinable

from fachaustausch.core import clock
from fachaustausch.core.outbox import EntityType, SearchOutbox
from fachaustausch.search import documents, leases
from fachaustausch.search.backend import SearchBackend, SearchDocument, SearchUnavailable

log = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_BACKOFF_SECONDS = 300
# A batch that takes longer is given up (its rows retried later) well before its leases
# lapse and another worker could apply the same documents.
BATCH_DEADLINE_SECONDS = leases.LEASE.total_seconds() / 2
_DELETE_CHUNK = 500
# How often an idle worker asks the engine whether its index is whole.
INTEGRITY_CHECK_SECONDS = 10.0


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2**attempts, MAX_BACKOFF_SECONDS))


@dataclass
class WorkerStatus:
    """What /health, search results and `search status` report about the sync."""

    last_error: str = ""
    last_error_at: datetime | None = None
    last_success_at: datetime | None = None
    applied: int = 0

    def failed(self, exc: Exception) -> str:
        """Records `exc` as the last error; returns its message as reported."""
        self.last_error = f"{type(exc).__name__}: {exc}"[:500]
        self.last_error_at = clock.now()
        return self.last_error

    def succeeded(self) -> None:
        self.last_success_at = clock.now()

    @property
    def failing(self) -> bool:
        """Whether the last attempt failed: the index may miss recent changes."""
        if self.last_error_at is None:
            return False
        return self.last_success_at is None or self.last_error_at > self.last_success_at


async def backlog() -> int:
    return int(await SearchOutbox.count().run())


async def failed_rows() -> int:
    """Rows that failed at least once and wait for their next try, in any process."""
    return int(await SearchOutbox.count().where(SearchOutbox.attempts > 0).run())


async def _rows_of(entities: Sequence[tuple[EntityType, int]]) -> list[dict[str, object]]:
    """Every row of the leased documents: a document is built from the database as it is
    now, which covers each change recorded before."""
    by_type: dict[EntityType, list[int]] = defaultdict(list)
    for entity_type, entity_id in entities:
        by_type[entity_type].append(entity_id)
    parts = [
        (SearchOutbox.entity_type == entity_type) & SearchOutbox.entity_id.is_in(ids)
        for entity_type, ids in by_type.items()
    ]
    condition: Combinable = functools.reduce(operator.or_, parts)
    return list(
        await SearchOutbox.select(SearchOutbox.id, SearchOutbox.attempts)
        .where(condition)
        .order_by(SearchOutbox.id)
        .run()
    )


async def _apply(backend: SearchBackend, entities: Sequence[tuple[EntityType, int]]) -> None:
    ids_by_type: dict[EntityType, list[int]] = defaultdict(list)
    for entity_type, entity_id in entities:
        ids_by_type[entity_type].append(entity_id)
    for entity_type, ids in ids_by_type.items():
        upserts, deletes = await documents.build(entity_type, sorted(ids))
        if upserts:
            await backend.upsert(upserts)
        if deletes:
            await backend.delete(deletes)


async def process_batch(
    backend: SearchBackend, status: WorkerStatus | None = None, batch_size: int = BATCH_SIZE
) -> int:
    """Applies the rows of up to `batch_size` documents no other worker holds; returns how
    many rows it applied."""
    status = status or WorkerStatus()
    token = leases.new_token()
    entities = await leases.claim_documents(token, batch_size)
    if not entities:
        return 0
    try:
        rows = await _rows_of(entities)
        row_ids = [int(str(r["id"])) for r in rows]
        try:
            async with asyncio.timeout(BATCH_DEADLINE_SECONDS):
                await _apply(backend, entities)
        except Exception as exc:  # whatever the engine raised, the rows stay and are retried
            message = status.failed(exc)
            log.warning("search update failed, %d rows kept for retry: %s", len(rows), message)
            attempts = max((int(str(r["attempts"])) for r in rows), default=0) + 1
            await (
                SearchOutbox.update(
                    {
                        SearchOutbox.attempts: SearchOutbox.attempts + 1,
                        SearchOutbox.available_at: clock.now() + backoff(attempts),
                        SearchOutbox.last_error: message,
                    }
                )
                .where(SearchOutbox.id.is_in(row_ids or [0]))
                .run()
            )
            raise
        await _delete_rows(row_ids)
    finally:
        with anyio.CancelScope(shield=True):
            await leases.release(token)
    status.applied += len(row_ids)
    status.succeeded()
    return len(row_ids)


async def _delete_rows(ids: Sequence[int]) -> None:
    for start in range(0, len(ids), _DELETE_CHUNK):
        chunk = list(ids[start : start + _DELETE_CHUNK])
        await SearchOutbox.delete().where(SearchOutbox.id.is_in(chunk)).run()


async def drain(backend: SearchBackend, status: WorkerStatus | None = None) -> int:
    """Applies every due row no other worker holds (command line, tests)."""
    total = 0
    while applied := await process_batch(backend, status):
        total += applied
    return total


class SearchWorker:
    """The sync loop: the app's lifespan task, or `fachaustausch search work`. Before the
    outbox it rebuilds an index the engine found unusable or damaged (`rebuild_needed`),
    at start-up or at any time later."""

    def __init__(self, backend: SearchBackend, interval_seconds: float) -> None:
        self.backend = backend
        self.interval = interval_seconds
        self.status = WorkerStatus()
        self._task: asyncio.Task[None] | None = None

    async def step(self) -> int:
        """One round: a rebuild if the index needs one, then one batch of the outbox.
        Returns the rows applied; failures are recorded in `status`, not raised."""
        if self.backend.rebuild_needed:
            await self._rebuild()
        try:
            return await process_batch(self.backend, self.status)
        except asyncio.CancelledError:
            raise
        except Exception:  # logged in process_batch
            # A damaged index is found by the engine's health check, which marks it for
            # the rebuild of the next round.
            await self.backend.health()
            return 0

    async def run(self) -> None:
        checked = asyncio.get_running_loop().time()
        while True:
            if await self.step():
                continue
            now = asyncio.get_running_loop().time()
            if now - checked >= INTEGRITY_CHECK_SECONDS:
                # A search keeps reading the files it has open, and a quiet platform
                # writes nothing that could fail: the engine's check finds a damaged index.
                checked = now
                await self.backend.health()
            await asyncio.sleep(self.interval)

    async def _rebuild(self) -> None:
        """Without it, search would find nothing (or stale results) until someone ran
        `fachaustausch reindex`: this process does it."""
        log.warning("search index unusable: rebuilding it from the database")
        try:
            written = await reindex(self.backend)
        except asyncio.CancelledError:
            raise
        except leases.RebuildRunning:
            # Another process rebuilds it; a damage that outlives it is found again.
            log.warning("search index: another process is rebuilding it")
        except Exception as exc:  # the outbox keeps working; an operator can retry
            message = self.status.failed(exc)
            log.error("search index rebuild failed (run `fachaustausch reindex`): %s", message)
            return
        else:
            self.status.succeeded()
            log.warning("search index rebuilt: %d documents", written)
        self.backend.rebuild_needed = False

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="search-outbox-worker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None


async def reindex(backend: SearchBackend) -> int:
    """Rebuilds the whole index from the database without a blank period. While it runs,
    workers leave the outbox alone; rows that existed when it started reading are covered
    by it and removed, later ones are applied to the new index afterwards."""
    token = leases.new_token()
    await leases.take_index(token)
    try:
        await leases.wait_for_documents()
        covered = await SearchOutbox.select(SearchOutbox.id).output(as_list=True).run()
        written = await backend.rebuild(_renewing(documents.all_documents(), token))
        await _delete_rows(covered)
    finally:
        with anyio.CancelScope(shield=True):
            await leases.release(token)
    return written


async def _renewing(
    batches: AsyncIterable[list[SearchDocument]], token: str
) -> AsyncIterator[list[SearchDocument]]:
    """The batches, keeping the rebuild's lease alive however long the rebuild takes."""
    async for batch in batches:
        if not await leases.renew_index(token):
            raise SearchUnavailable("the rebuild's lease lapsed: another rebuild took over")
        yield batch
