"""The shared backend contract against a real Meilisearch server.

Runs only when MEILISEARCH_URL names a server (MEILISEARCH_API_KEY its key, if it has one),
e.g. `docker run -p 7700:7700 getmeili/meilisearch` and MEILISEARCH_URL=http://127.0.0.1:7700.
Every test gets its own index, deleted afterwards together with any leftovers of a rebuild."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import anyio.to_thread
import meilisearch
import pytest
import pytest_asyncio

from fachaustausch.search.meili import MeilisearchBackend
from tests.search.contract import BackendContract

MEILISEARCH_URL = os.environ.get("MEILISEARCH_URL", "")
MEILISEARCH_API_KEY = os.environ.get("MEILISEARCH_API_KEY", "")

pytestmark = pytest.mark.skipif(
    not MEILISEARCH_URL,
    reason="needs a live Meilisearch: set MEILISEARCH_URL (and MEILISEARCH_API_KEY if it has one)",
)


def _delete_indexes(prefix: str) -> None:
    """Deletes the index `prefix` and any `prefix_<timestamp>` a rebuild left behind."""
    client = meilisearch.Client(MEILISEARCH_URL, MEILISEARCH_API_KEY or None, timeout=10)
    uids = [
        index.uid
        for index in client.get_indexes({"limit": 1000})["results"]
        if index.uid == prefix or index.uid.startswith(f"{prefix}_")
    ]
    for uid in uids:
        task = client.wait_for_task(client.delete_index(uid).task_uid, timeout_in_ms=30_000)
        # wait_for_task returns failed tasks without raising.
        if task.status != "succeeded":
            raise RuntimeError(f"could not delete test index {uid}: {task.error}")


class TestMeilisearchLive(BackendContract):
    @pytest_asyncio.fixture
    async def backend(self) -> AsyncIterator[MeilisearchBackend]:
        uid = f"fachaustausch_test_{uuid.uuid4().hex[:12]}"
        engine = MeilisearchBackend(url=MEILISEARCH_URL, api_key=MEILISEARCH_API_KEY, index=uid)
        try:
            await engine.configure()
            yield engine
        finally:
            await engine.close()
            await anyio.to_thread.run_sync(_delete_indexes, uid)
