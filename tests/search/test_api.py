"""Search through the HTTP API with the real embedded engine and the in-app outbox worker."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import tantivy

from fachaustausch.accounts.policy import Role
from fachaustausch.core.outbox import EntityType, enqueue
from fachaustausch.questions.tables import Question
from fachaustausch.search import worker
from tests.factories import ApiClient, make_user

QUESTION = {
    "title": "Wie organisiert Ihre Ausländerbehörde die Terminvergabe?",
    "body": "Wir überlegen, die Vorsprachen nur noch mit Termin anzunehmen.",
    "cornerstone": "binnenorganisation",
    "instruments": ["terminsystem"],
}


pytestmark = [pytest.mark.search_worker, pytest.mark.database]


async def settled() -> None:
    """Waits until the app's worker has applied every outbox row (the test module needs
    `pytestmark = pytest.mark.search_worker`)."""
    for _ in range(100):
        if await worker.backlog() == 0:
            return
        await asyncio.sleep(0.1)
    raise AssertionError("the search worker did not catch up: is the test marked search_worker?")


async def test_a_new_question_is_found_with_facets_and_snippet(client: ApiClient) -> None:
    member = await make_user(Role.member)
    await client.login(member)
    created = (await client.post("/api/v1/questions", json=QUESTION)).json()
    await settled()
    body = (await client.get("/api/v1/search", params={"q": "ABH Terminvergbe"})).json()
    assert body["engine"] == "embedded"
    assert body["degraded"] is False
    hit = next(h for h in body["hits"] if h["type"] == "question")
    assert hit["id"] == created["id"]
    assert hit["url"] == f"/fragen/{created['id']}"
    assert hit["instruments"] == ["terminsystem"]
    assert "<mark>" in hit["snippet_html"]
    assert body["facets"]["type"]["question"] == 1
    filtered = (
        await client.get("/api/v1/search", params={"q": "Termin", "type": "question"})
    ).json()
    assert {h["type"] for h in filtered["hits"]} == {"question"}
    assert filtered["facets"]["cornerstone"] == {"binnenorganisation": 1}


async def test_toolbox_pages_are_searchable_after_a_reindex(client: ApiClient) -> None:
    await client.login(await make_user(Role.member))
    backend = client.http.app.state.search
    await worker.reindex(backend)
    body = (await client.get("/api/v1/search", params={"q": "Wartebereich"})).json()
    assert any(
        h["type"] == "instrument" and h["url"] == "/werkzeugkoffer/raum-und-wartebereichsgestaltung"
        for h in body["hits"]
    )


async def test_hidden_questions_are_found_by_moderators_only(client: ApiClient) -> None:
    member = await make_user(Role.member)
    await client.login(member)
    created = (await client.post("/api/v1/questions", json=QUESTION)).json()
    await Question.update({Question.hidden: True}).where(Question.id == created["id"]).run()
    # Moderation records the change in the outbox like every other write.
    await enqueue(EntityType.question, created["id"])
    await settled()
    body = (await client.get("/api/v1/search", params={"q": "Terminvergabe"})).json()
    assert all(h["type"] != "question" for h in body["hits"])
    assert "question" not in body["facets"]["type"]
    client.logout_local()
    await client.login(await make_user(Role.moderator))
    body = (await client.get("/api/v1/search", params={"q": "Terminvergabe"})).json()
    assert [h["id"] for h in body["hits"] if h["type"] == "question"] == [created["id"]]


async def test_snippets_are_cut_from_the_database_and_the_index_keeps_no_copy(
    client: ApiClient,
) -> None:
    """An answer's words find its question, and the snippet shows them; the text itself
    lives in the database only (the index keeps terms, not the posts)."""
    await client.login(await make_user(Role.member))
    created = (await client.post("/api/v1/questions", json=QUESTION)).json()
    client.logout_local()
    await client.login(await make_user(Role.expert))
    answer = "Samstags bieten wir Sondertermine für Pflegekräfte an, ohne Wartemarke."
    posted = await client.post(f"/api/v1/questions/{created['id']}/answers", json={"body": answer})
    assert posted.status_code == 201, posted.text
    await settled()
    body = (await client.get("/api/v1/search", params={"q": "Pflegekraft"})).json()
    [hit] = body["hits"]
    assert hit["id"] == created["id"]
    assert "Sondertermine für <mark>Pflegekräfte</mark> an" in hit["snippet_html"]

    index = tantivy.Index.open(str(_live_index(client)))
    searcher = index.searcher()
    stored = [searcher.doc(address).to_dict() for _score, address in
              searcher.search(tantivy.Query.all_query(), 100).hits]  # fmt: skip
    question = next(d for d in stored if d["id"] == [f"question-{created['id']}"])
    assert question["title"] == [QUESTION["title"]]
    assert not {"body", "extra"} & set(question)
    assert not any("Pflegekr" in str(d) or "Vorsprachen" in str(d) for d in stored)


def _live_index(client: ApiClient) -> Path:
    base = client.http.app.state.search.base_dir
    return Path(base) / (Path(base) / "CURRENT").read_text()


async def test_similar_questions_for_the_ask_form(client: ApiClient) -> None:
    await client.login(await make_user(Role.member))
    created = (await client.post("/api/v1/questions", json=QUESTION)).json()
    await settled()
    similar = (
        await client.get("/api/v1/search/similar", params={"title": "Terminvergabe online"})
    ).json()
    assert similar[0]["id"] == created["id"]
    assert similar[0]["url"] == f"/fragen/{created['id']}"
    assert (await client.get("/api/v1/search/similar", params={"title": "a"})).json() == []


async def test_bad_search_parameters_are_german_400s(client: ApiClient) -> None:
    await client.login(await make_user(Role.member))
    for params in ({"type": "kuchen"}, {"page": "0"}, {"limit": "51"}, {"q": "x" * 201},
                   {"cornerstone": "Nicht gültig"}):  # fmt: skip
        response = await client.get("/api/v1/search", params=params)
        assert response.status_code == 400, params
        assert response.headers["content-type"].startswith("application/problem+json")
    odd = await client.get("/api/v1/search", params={"q": '"unbalanced AND ( title:x *'})
    assert odd.status_code == 200
    assert odd.json()["degraded"] is False
