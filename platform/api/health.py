"""GET /health: is the database reachable, and in what state is search."""

from __future__ import annotations

import time
from typing import Any

from litestar import Response, get

from fachaustausch import db
from fachaustausch.dependencies import AppSettings
from fachaustausch.search.probe import probe
from fachaustausch.security import PUBLIC


async def _database() -> dict[str, Any]:
    started = time.perf_counter()
    try:
        await db.engine().run_ddl("SELECT 1")
    except Exception as exc:  # any driver error means "down"; the reason is reported
        return {"ok": False, "error": type(exc).__name__}
    return {
        "ok": True,
        "engine": db.engine().engine_type,
        "latency_ms": round((time.perf_counter() - started) * 1000, 1),
    }


@get("/health", operation_id="health", opt={PUBLIC: True}, tags=["Betrieb"])
async def health(settings: AppSettings) -> Response[dict[str, Any]]:
    """200 while the database answers, 503 otherwise; search state is reported alongside
    (search being down degrades the platform but does not stop it)."""
    database = await _database()
    body = {
        "status": "ok" if database["ok"] else "error",
        "database": database,
        "search": await probe(settings),
    }
    return Response(body, status_code=200 if database["ok"] else 503)
