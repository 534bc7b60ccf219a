"""An embedded index deleted or damaged under the running platform: search says it is
degraded instead of serving stale results, /health says so, and the in-app worker rebuilds
the index from the database without a restart, new posts included. A failing sync shows
in /health and in search results too."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from fachaustausch.accounts.policy import Role
from fachaustausch.app import create_app
from fachaustausch.search import worker
from fachaustausch.search.service import BEHIND_NOTICE, DEGRADED_NOTICE
from fachaustausch.settings import Settings
from tests.factories import ApiClient, make_user
from tests.search.fakes import FakeBackend
from tests.search.test_api import QUESTION, settled

pytestmark = pytest.mark.search_worker


def _live(base: Path) -> Path:
    return base / (base / "CURRENT").read_text()


def _delete_index(base: Path) -> None:
    shutil.rmtree(_live(base))


def _corrupt_meta(base: Path) -> None:
    (_live(base) / "meta.json").write_text("kaputt")


def _delete_segments(base: Path) -> None:
    for path in _live(base).iterdir():
        if path.suffix in (".store", ".term", ".idx"):
            path.unlink()


def _delete_everything(base: Path) -> None:
    shutil.rmtree(base)


async def _search(client: ApiClient, q: str) -> dict[str, Any]:
    response = await client.get("/api/v1/search", params={"q": q})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _ask(client: ApiClient, title: str) -> int:
    created = await client.post("/api/v1/questions", json=QUESTION | {"title": title})
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


async def _health(client: ApiClient) -> dict[str, Any]:
    response = await client.get("/health")
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize(
    ("damage", "search_sees_it"),
    [
        (_delete_index, True),
        (_corrupt_meta, True),
        (_delete_everything, True),
        # The open index keeps the deleted files: it answers until a check finds them.
        (_delete_segments, False),
    ],
)
async def test_a_damaged_index_is_reported_and_rebuilt_without_a_restart(
    client: ApiClient, damage: Callable[[Path], None], search_sees_it: bool
) -> None:
    await client.login(await make_user(Role.member))
    before = await _ask(client, "Wie vergeben Sie Termine für Studierende?")
    await settled()
    assert [h["id"] for h in (await _search(client, "Studierende"))["hits"]] == [before]
    assert (await _health(client))["status"] == "ok"

    damage(client.http.app.state.search.base_dir)
    if search_sees_it:
        found = await _search(client, "Studierende")
        assert found["degraded"] is True
        assert found["notice"] == DEGRADED_NOTICE
    health = await _health(client)
    assert health["status"] == "degraded"
    assert health["search"]["ok"] is False
    assert health["search"]["engine_ok"] is False
    assert health["search"]["rebuild_needed"] is True

    after = await _ask(client, "Wie vergeben Sie Termine für Auszubildende?")
    for _ in range(200):  # the worker rebuilds: no restart
        health = await _health(client)
        if health["status"] == "ok" and not health["search"]["backlog"]:
            break
        await asyncio.sleep(0.05)
    assert health["search"] | {"last_error": None, "last_error_at": None} == {
        "engine": "embedded",
        "ok": True,
        "engine_ok": True,
        "sync_ok": True,
        "rebuild_needed": False,
        "backlog": 0,
        "failed_rows": 0,
        "last_error": None,
        "last_error_at": None,
    }
    found = await _search(client, "Termine")
    assert found["degraded"] is False
    assert {h["id"] for h in found["hits"] if h["type"] == "question"} == {before, after}


@pytest.fixture
async def failing_sync(settings: Settings) -> Any:
    """The app with an engine that answers searches but refuses every update."""
    app = create_app(settings.model_copy(update={"search_worker_interval_seconds": 0.05}))
    async with AsyncTestClient(app) as test_client:
        backend = FakeBackend()
        backend.fail_writes = True
        app.state.search_worker.backend = backend
        app.state.search = backend
        yield ApiClient(test_client), backend


async def test_a_failing_sync_shows_in_health_and_in_search_results(
    failing_sync: tuple[ApiClient, FakeBackend],
) -> None:
    client, backend = failing_sync
    await client.login(await make_user(Role.member))
    fine = await _search(client, "Termine")
    assert (fine["degraded"], fine["notice"]) == (False, None)

    await _ask(client, "Wie vergeben Sie Termine für Studierende?")
    for _ in range(100):
        health = await _health(client)
        if health["search"]["failed_rows"]:
            break
        await asyncio.sleep(0.05)
    assert health["status"] == "degraded"
    assert health["search"]["ok"] is False
    assert (health["search"]["engine_ok"], health["search"]["sync_ok"]) == (True, False)
    assert "engine refused the update" in health["search"]["last_error"]
    behind = await _search(client, "Termine")
    assert (behind["degraded"], behind["notice"]) == (True, BEHIND_NOTICE)

    backend.fail_writes = False
    await worker.drain(backend)  # the retry, without waiting for its backoff
    for _ in range(100):
        if (await _health(client))["status"] == "ok":
            break
        await asyncio.sleep(0.05)
    assert (await _health(client))["search"]["failed_rows"] == 0
