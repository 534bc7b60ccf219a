"""A cheap reachability check of the configured search engine, for /health."""

from __future__ import annotations

from typing import Any

import httpx

from fachaustausch.settings import SearchBackendName, Settings

PROBE_TIMEOUT_SECONDS = 1.0


async def probe(settings: Settings) -> dict[str, Any]:
    if settings.search_backend is SearchBackendName.meilisearch:
        try:
            async with httpx.AsyncClient(timeout=PROBE_TIMEOUT_SECONDS) as client:
                response = await client.get(f"{settings.meilisearch_url.rstrip('/')}/health")
            ok = response.status_code == 200 and response.json().get("status") == "available"
        except (httpx.HTTPError, ValueError):
            ok = False
        return {"backend": "meilisearch", "ok": ok}
    directory = settings.search_dir
    directory.mkdir(parents=True, exist_ok=True)
    return {"backend": "embedded", "ok": directory.is_dir()}
