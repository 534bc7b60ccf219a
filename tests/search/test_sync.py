"""The outbox sync: every change reaches the index, failures lose nothing, re-runs are
harmless, and search degrades instead of failing when the engine is down."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime, timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fachaustausch.accounts.policy import Role
from fachaustausch.app import create_app
from fachaustausch.core.outbox import SearchOutbox
from fachaustausch.questions import service as questions
from fachaustausch.questions.models import AnswerInput, QuestionInput
from fachaustausch.questions.tables import Question
from fachaustausch.search import worker
from fachaustausch.search.backend import EVERYONE, MODERATORS, SearchQuery, SearchUnavailable
from fachaustausch.search.factory import create_backend
from fachaustausch.settings import Settings
from tests.factories import ApiClient, UserRecord, make_user
from tests.search.fakes import FakeBackend

pytestmark = pytest.mark.database

QUESTION = QuestionInput(
    title="Wie gestalten Sie die Terminvergabe?",
    body="Wir suchen Erfahrungen mit **Online-Terminen**.",
    cornerstone="binnenorganisation",
    instruments=["terminsystem"],
)


async def _ask(user: UserRecord) -> int:
    return await questions.ask(await user.principal(), QUESTION)


async def _make_due() -> None:
    past = datetime.now(UTC) - timedelta(seconds=1)
    await SearchOutbox.update({SearchOutbox.available_at: past}).where(SearchOutbox.id > 0).run()


async def test_a_write_is_applied_and_its_row_removed(settings: Settings) -> None:
    backend = FakeBackend()
    member = await make_user(Role.member)
    qid = await _ask(member)
    assert await worker.backlog() == 1
    assert await worker.process_batch(backend) == 1
    document = backend.documents[f"question-{qid}"]
    assert document.title == QUESTION.title
    assert document.body == "Wir suchen Erfahrungen mit Online-Terminen."
    assert document.instruments == ("terminsystem",)
    assert document.visible_to == (EVERYONE,)
    assert await worker.backlog() == 0


async def test_answers_and_hiding_reach_the_document(settings: Settings) -> None:
    backend = FakeBackend()
    qid = await _ask(await make_user(Role.member))
    expert = await make_user(Role.expert)
    await questions.answer(await expert.principal(), qid, AnswerInput(body="Wir nutzen *Online*."))
    await worker.drain(backend)
    assert "Wir nutzen Online." in backend.documents[f"question-{qid}"].extra
    # Hidden content is visible to moderators only (moderation writes the same outbox row).
    await Question.update({Question.hidden: True}).where(Question.id == qid).run()
    await SearchOutbox.insert(SearchOutbox(entity_type="question", entity_id=qid)).run()
    await worker.drain(backend)
    document = backend.documents[f"question-{qid}"]
    assert document.visible_to == (MODERATORS,)
    assert document.hidden is True


async def test_engine_failure_keeps_the_rows_for_a_later_run(settings: Settings) -> None:
    backend = FakeBackend()
    backend.fail_writes = True
    qid = await _ask(await make_user(Role.member))
    status = worker.WorkerStatus()
    with pytest.raises(SearchUnavailable):
        await worker.process_batch(backend, status)
    rows = await SearchOutbox.select().run()
    assert len(rows) == 1
    assert rows[0]["attempts"] == 1
    assert "engine refused" in rows[0]["last_error"]
    assert rows[0]["available_at"] > datetime.now(UTC)
    assert "engine refused" in status.last_error
    # Not due yet: nothing is retried before the backoff has passed.
    backend.fail_writes = False
    assert await worker.process_batch(backend) == 0
    await _make_due()
    assert await worker.process_batch(backend) == 1
    assert f"question-{qid}" in backend.documents
    assert await worker.backlog() == 0


async def test_a_crash_between_apply_and_delete_is_harmless(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = FakeBackend()
    qid = await _ask(await make_user(Role.member))

    class Crash(Exception):
        pass

    def crashing_delete(*args: object, **kwargs: object) -> object:
        raise Crash("process killed")

    with monkeypatch.context() as patch:
        patch.setattr(SearchOutbox, "delete", crashing_delete)
        with pytest.raises(Crash):
            await worker.process_batch(backend)
    assert f"question-{qid}" in backend.documents
    assert await worker.backlog() == 1
    before = backend.documents[f"question-{qid}"]
    assert await worker.process_batch(backend) == 1
    assert backend.documents[f"question-{qid}"] == before
    assert await worker.backlog() == 0


async def test_a_deleted_entity_is_removed_from_the_index(settings: Settings) -> None:
    backend = FakeBackend()
    qid = await _ask(await make_user(Role.member))
    await worker.drain(backend)
    await Question.delete().where(Question.id == qid).run()
    await SearchOutbox.insert(SearchOutbox(entity_type="question", entity_id=qid)).run()
    await worker.drain(backend)
    assert f"question-{qid}" not in backend.documents


async def test_reindex_rebuilds_from_the_database_and_clears_covered_rows(
    settings: Settings,
) -> None:
    backend = FakeBackend()
    member = await make_user(Role.member)
    ids = [await _ask(member) for _ in range(3)]
    written = await worker.reindex(backend)
    # 26 toolbox instruments and the three questions.
    assert written == 26 + 3
    assert {f"question-{i}" for i in ids} <= set(backend.documents)
    assert await worker.backlog() == 0


@pytest.fixture
async def degraded_client(settings: Settings) -> AsyncIterator[tuple[ApiClient, Litestar]]:
    app = create_app(settings.model_copy(update={"search_worker_enabled": False}))
    async with AsyncTestClient(app) as test_client:
        backend = FakeBackend()
        backend.fail_searches = True
        backend.fail_writes = True
        app.state.search = backend
        app.state.search_worker.backend = backend
        yield ApiClient(test_client), app


async def test_engine_down_search_degrades_and_writes_still_work(
    degraded_client: tuple[ApiClient, Litestar],
) -> None:
    client, _app = degraded_client
    member = await make_user(Role.member)
    await client.login(member)
    created = await client.post(
        "/api/v1/questions", json=QUESTION.model_dump() | {"title": "Terminvergabe im Landkreis"}
    )
    assert created.status_code == 201
    response = await client.get("/api/v1/search", params={"q": "Terminvergabe"})
    assert response.status_code == 200
    body = response.json()
    assert body["degraded"] is True
    assert "vorübergehend eingeschränkt" in body["notice"]
    assert [h["title"] for h in body["hits"]] == ["Terminvergabe im Landkreis"]
    assert await worker.backlog() == 1
    health = (await client.get("/health")).json()
    assert health["search"]["ok"] is False
    assert health["search"]["backlog"] == 1


async def _worker_until(
    search_worker: worker.SearchWorker, done: Callable[[], Awaitable[bool]]
) -> None:
    search_worker.start()
    try:
        for _ in range(200):
            if await done():
                return
            await asyncio.sleep(0.05)
        raise AssertionError("the worker did not get there")
    finally:
        await search_worker.stop()


async def test_an_unusable_index_is_rebuilt_by_the_worker(settings: Settings) -> None:
    """After an upgrade whose index this version cannot open, the worker rebuilds it from
    the database: search would otherwise find nothing until someone ran `reindex`."""
    qid = await _ask(await make_user(Role.member))
    await SearchOutbox.delete().where(SearchOutbox.id > 0).run()  # as if indexed long ago
    old = settings.search_dir / "index-1"
    old.mkdir(parents=True)
    (old / "meta.json").write_text('{"index_settings": {}, "schema": "von gestern"}')
    (settings.search_dir / "CURRENT").write_text("index-1")
    backend = create_backend(settings)
    await backend.configure()
    try:
        assert backend.rebuild_needed is True
        assert not old.exists()
        search_worker = worker.SearchWorker(backend, 0.05)

        async def rebuilt() -> bool:
            return not backend.rebuild_needed

        await _worker_until(search_worker, rebuilt)
        query = SearchQuery(text="Terminvergabe", principals=(EVERYONE,), type="question")
        found = await backend.search(query)
        assert [hit.id for hit in found.hits] == [f"question-{qid}"]
        # The snippet is cut from the body, which the index keeps no copy of.
        assert found.hits[0].snippet_html.startswith("Wir suchen Erfahrungen mit Online-")
    finally:
        await backend.close()


async def test_a_failed_rebuild_is_reported_and_the_outbox_still_applied(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def failing(backend: object) -> int:
        raise SearchUnavailable("disk full")

    monkeypatch.setattr(worker, "reindex", failing)
    backend = FakeBackend()
    backend.rebuild_needed = True
    search_worker = worker.SearchWorker(backend, 0.05)
    qid = await _ask(await make_user(Role.member))

    async def applied() -> bool:
        return f"question-{qid}" in backend.documents

    await _worker_until(search_worker, applied)
    assert "disk full" in search_worker.status.last_error
    assert backend.rebuild_needed is True  # `fachaustausch reindex` is still to be run
