"""GET /health: is the database reachable, and in what state is search."""

from __future__ import annotations

import time
from typing import Any

from litestar import Response, get
from litestar.datastructures import State

from fachaustausch.database import current
from fachaustausch.http.security import PUBLIC
from fachaustausch.search.backend import SearchBackend
from fachaustausch.search.worker import WorkerStatus, backlog, failed_rows


async def _database() -> dict[str, Any]:
    engine = current().engine
    started = time.perf_counter()
    try:
        await engine.run_ddl("SELECT 1")
    except Exception as exc:  # any driver error means "down"; the reason is reported
        return {"ok": False, "error": type(exc).__name__}
    return {
        "ok": True,
        "engine": engine.engine_type,
        "latency_ms": round((time.perf_counter() - started) * 1000, 1),
    }


async def _search(state: State) -> dict[str, Any]:
    """`ok` only while the engine answers and the sync keeps up: rows that failed wait for
    another try (this process's worker or another's), so the index misses changes."""
    backend: SearchBackend = state.search
    status: WorkerStatus = state.search_worker.status
    engine_ok = await backend.health() and not backend.rebuild_needed
    failed = await failed_rows()
    sync_ok = not status.failing and not failed
    result: dict[str, Any] = {"engine": backend.name, "ok": engine_ok and sync_ok}
    result["engine_ok"] = engine_ok
    result["sync_ok"] = sync_ok
    result["rebuild_needed"] = backend.rebuild_needed
    result["backlog"] = await backlog()
    result["failed_rows"] = failed
    result["last_error"] = status.last_error or None
    result["last_error_at"] = status.last_error_at.isoformat() if status.last_error_at else None
    return result


@get("/health", operation_id="health", opt={PUBLIC: True}, tags=["Betrieb"])
async def health(state: State) -> Response[dict[str, Any]]:
    """200 while the database answers, 503 otherwise. Search state, its outbox backlog and
    the last sync error are reported alongside: search being down or behind degrades the
    platform ("status": "degraded") but does not stop it."""
    database = await _database()
    search = await _search(state) if database["ok"] else None
    body = {
        "status": ("ok" if search and search["ok"] else "degraded") if database["ok"] else "error",
        "database": database,
        "search": search,
    }
    return Response(body, status_code=200 if database["ok"] else 503)
