"""Without a pool (FACHAUSTAUSCH_DATABASE_POOL_SIZE=0, and the CLI) every query opens a
connection of its own: the app answers as on a pool, keeps nothing in its read cache, and
sees every write at once. Every other test's app runs on a pool."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from fachaustausch.accounts.policy import Role
from fachaustausch.app import create_app
from fachaustausch.database.sqlite_pool import PooledSQLiteEngine
from fachaustausch.settings import Settings
from tests.factories import ApiClient, answer_question, ask_question, make_user

pytestmark = pytest.mark.database


def _pool_open(engine: object) -> bool:
    if isinstance(engine, PooledSQLiteEngine):
        return engine.pool_started
    return getattr(engine, "pool", None) is not None


async def test_an_app_without_a_pool_answers_and_caches_nothing(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"database_pool_size": 0}))
    own = app.state.database
    author, expert = await make_user(Role.member), await make_user(Role.expert)
    question_id = await ask_question(author, title="Wie organisieren Sie die Terminvergabe?")
    async with AsyncTestClient(app) as http:
        client = ApiClient(http)
        assert not _pool_open(own.engine)
        assert own.change_counter() is None
        await client.login(author)
        for _ in range(2):
            listed = await client.get("/api/v1/questions")
            assert [i["id"] for i in listed.json()["items"]] == [question_id]
            assert (await client.get(f"/api/v1/questions/{question_id}")).status_code == 200
        await answer_question(expert, question_id, "Mit einem offenen Kontingent.")
        detail = await client.get(f"/api/v1/questions/{question_id}")
        assert [a["body"] for a in detail.json()["answers"]] == ["Mit einem offenen Kontingent."]
        asked = await client.post(
            "/api/v1/questions",
            json={
                "title": "Welche Sprachen bietet Ihr Service-Point an?",
                "body": "Wir planen die Aufrufanlage neu.",
                "cornerstone": "erscheinungsbild-kommunikation",
            },
        )
        assert asked.status_code == 201, asked.text
        listed = await client.get("/api/v1/questions")
        assert [i["id"] for i in listed.json()["items"]] == [asked.json()["id"], question_id]
    caches = own.read_caches
    assert len(caches.shared) == len(caches.threads) == len(caches.accounts) == 0
    assert len(caches.responses) == 0


async def test_an_app_on_a_pool_opens_it_and_closes_it_with_its_lifespan(
    settings: Settings,
) -> None:
    app = create_app(settings)
    engine = app.state.database.engine
    assert not _pool_open(engine)
    async with AsyncTestClient(app) as http:
        assert _pool_open(engine)
        assert (await http.get("/health")).json()["database"]["ok"]
    assert not _pool_open(engine)
