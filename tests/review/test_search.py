"""Search after the content review: a question whose accepted answer is outdated ranks
below an equally relevant current one, and the facet "aktuell / veraltet" filters (issue 23).
Through the real pipeline: review → outbox → the app's worker → the embedded engine."""

from __future__ import annotations

import pytest

from fachaustausch.questions import service as questions
from tests.factories import ApiClient
from tests.review.support import CHANGES, QUEUE, as_user, change_body, thread
from tests.search.test_api import settled
from tests.web.qa import answer, ask

pytestmark = [pytest.mark.search_worker, pytest.mark.database]

TITLE = "Chancenkarte und Blaue Karte: welche Gehaltsgrenze gilt?"
BODY = "Wie prüfen Sie die Gehaltsgrenze nach § 18g AufenthG bei der Blauen Karte?"


async def test_an_outdated_answer_ranks_its_question_lower_and_is_a_facet(
    client: ApiClient,
) -> None:
    t = await thread()
    member = await t.member.principal()
    older = await ask(t.member, TITLE, body=BODY)
    newer = await ask(t.member, TITLE, body=BODY)
    accepted = {}
    for question_id in (older, newer):
        accepted[question_id] = await answer(t.author, question_id, "Es gilt § 18g AufenthG.")
        await questions.accept(member, accepted[question_id])
    await as_user(client, t.moderator)
    assert (await client.post(CHANGES, json=change_body("§ 18g AufenthG"))).status_code == 201
    await as_user(client, t.expert)
    response = await client.post(
        f"{QUEUE}/answer/{accepted[older]}",
        json={"action": "outdated", "reason": "Die Gehaltsgrenze wurde 2024 gesenkt."},
    )
    assert response.status_code == 201, response.text
    await settled()

    await as_user(client, t.member)
    found = (await client.get("/api/v1/search", params={"q": "Gehaltsgrenze Blaue Karte"})).json()
    ids = [h["id"] for h in found["hits"] if h["type"] == "question"]
    assert ids.index(newer) < ids.index(older)
    assert found["facets"]["currency"]["outdated"] == 1
    outdated = (
        await client.get("/api/v1/search", params={"q": "Gehaltsgrenze", "currency": "outdated"})
    ).json()
    assert [h["id"] for h in outdated["hits"]] == [older]

    page = (await client.get("/suche", params={"q": "Gehaltsgrenze"})).text
    assert "Rechtsstand" in page
    assert "veraltet" in page
    assert "aktuell" in page
    narrowed = (await client.get("/suche", params={"q": "Gehaltsgrenze", "stand": "veraltet"})).text
    assert f"/fragen/{older}" in narrowed
    assert f'/fragen/{newer}"' not in narrowed
    assert (await client.get("/suche", params={"stand": "alt"})).status_code == 422
