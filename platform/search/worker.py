"""Turns search outbox rows into index updates, and rebuilds the whole index.

A row is deleted only after the engine confirmed the update; a failure leaves it in place
with a growing delay before the next try, so no update is ever lost and a crash between
applying and deleting merely applies the same (idempotent) update again."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from fachaustausch.outbox import EntityType, SearchOutbox
from fachaustausch.search import documents
from fachaustausch.search.backend import SearchBackend

log = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_BACKOFF_SECONDS = 300


def _now() -> datetime:
    return datetime.now(UTC)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(2**attempts, MAX_BACKOFF_SECONDS))


@dataclass
class WorkerStatus:
    """What /health and `search status` report about the sync."""

    last_error: str = ""
    last_error_at: datetime | None = None
    last_success_at: datetime | None = None
    applied: int = 0

    def failed(self, exc: Exception) -> str:
        """Records `exc` as the last error; returns its message as reported."""
        self.last_error = f"{type(exc).__name__}: {exc}"[:500]
        self.last_error_at = _now()
        return self.last_error


async def backlog() -> int:
    return int(await SearchOutbox.count().run())


async def process_batch(
    backend: SearchBackend, status: WorkerStatus | None = None, batch_size: int = BATCH_SIZE
) -> int:
    """Applies up to `batch_size` due outbox rows; returns how many rows it applied."""
    status = status or WorkerStatus()
    rows = (
        await SearchOutbox.select(
            SearchOutbox.id, SearchOutbox.entity_type, SearchOutbox.entity_id, SearchOutbox.attempts
        )
        .where(SearchOutbox.available_at <= _now())
        .order_by(SearchOutbox.id)
        .limit(batch_size)
        .run()
    )
    if not rows:
        return 0
    ids_by_type: dict[EntityType, set[int]] = defaultdict(set)
    for row in rows:
        ids_by_type[EntityType(row["entity_type"])].add(row["entity_id"])
    try:
        for entity_type, ids in ids_by_type.items():
            upserts, deletes = await documents.build(entity_type, sorted(ids))
            if upserts:
                await backend.upsert(upserts)
            if deletes:
                await backend.delete(deletes)
    except Exception as exc:  # whatever the engine raised, the rows stay and are retried
        message = status.failed(exc)
        log.warning("search update failed, %d rows kept for retry: %s", len(rows), message)
        attempts = max(row["attempts"] for row in rows) + 1
        await (
            SearchOutbox.update(
                {
                    SearchOutbox.attempts: SearchOutbox.attempts + 1,
                    SearchOutbox.available_at: _now() + backoff(attempts),
                    SearchOutbox.last_error: message,
                }
            )
            .where(SearchOutbox.id.is_in([r["id"] for r in rows]))
            .run()
        )
        raise
    await SearchOutbox.delete().where(SearchOutbox.id.is_in([r["id"] for r in rows])).run()
    status.applied += len(rows)
    status.last_success_at = _now()
    return len(rows)


async def drain(backend: SearchBackend, status: WorkerStatus | None = None) -> int:
    """Applies every due row (command line, tests)."""
    total = 0
    while applied := await process_batch(backend, status):
        total += applied
    return total


class SearchWorker:
    """The in-app sync: a lifespan task that polls the outbox."""

    def __init__(self, backend: SearchBackend, interval_seconds: float) -> None:
        self.backend = backend
        self.interval = interval_seconds
        self.status = WorkerStatus()
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        if self.backend.rebuild_needed:
            await self._rebuild()
        while True:
            try:
                applied = await process_batch(self.backend, self.status)
            except asyncio.CancelledError:
                raise
            except Exception:  # logged in process_batch; keep the loop alive
                applied = 0
            if not applied:
                await asyncio.sleep(self.interval)

    async def _rebuild(self) -> None:
        """After an upgrade whose index the engine could not open, search would find
        nothing until someone ran `fachaustausch reindex`: this process does it."""
        log.warning("search index unusable: rebuilding it from the database")
        try:
            written = await reindex(self.backend)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # the outbox keeps working; an operator can retry
            message = self.status.failed(exc)
            log.error("search index rebuild failed (run `fachaustausch reindex`): %s", message)
            return
        self.backend.rebuild_needed = False
        log.warning("search index rebuilt: %d documents", written)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="search-outbox-worker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None


async def reindex(backend: SearchBackend) -> int:
    """Rebuilds the whole index from the database without a blank period. Outbox rows that
    existed before the rebuild started are covered by it and removed; later ones stay."""
    newest = (
        await SearchOutbox.select(SearchOutbox.id)
        .order_by(SearchOutbox.id, ascending=False)
        .first()
        .run()
    )
    written = await backend.rebuild(documents.all_documents())
    if newest:
        await SearchOutbox.delete().where(SearchOutbox.id <= newest["id"]).run()
    return written
