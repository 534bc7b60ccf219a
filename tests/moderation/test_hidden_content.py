"""Hidden content is gone for members — lists, detail (404), search hits, facet counts and
totals — and back after restore; moderators still see it, marked as hidden."""

from __future__ import annotations

from typing import Any

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.moderation.tables import Flag
from fachaustausch.questions.tables import Comment
from tests.factories import ApiClient, UserRecord, answer_question, assert_problem, make_user
from tests.moderation.support import act, as_user, audit_rows, flag
from tests.search.test_api import settled
from tests.web.helpers import get_page, post_form

pytestmark = pytest.mark.database

QUESTION = {
    "title": "Wie gestalten Sie den Wartebereich mit Kinderecke?",
    "body": "Wir planen eine Kinderecke im Wartebereich. Welche Erfahrungen gibt es?",
    "cornerstone": "erscheinungsbild-kommunikation",
    "instruments": ["raum-und-wartebereichsgestaltung"],
}
OTHER = {
    "title": "Welche Öffnungszeiten haben sich für die Terminvergabe bewährt?",
    "body": "Wir überlegen, die Öffnungszeiten anzupassen.",
    "cornerstone": "binnenorganisation",
    "instruments": ["terminsystem"],
}
REASON = "Enthält ein Aktenzeichen."
# These tests wait for the in-app search worker (`settled()`).
search_worker = True


async def _ask(client: ApiClient, body: dict[str, Any]) -> int:
    response = await client.post("/api/v1/questions", json=body)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _listed(client: ApiClient, **params: Any) -> list[int]:
    response = await client.get("/api/v1/questions", params=params)
    assert response.status_code == 200, response.text
    return [q["id"] for q in response.json()["items"]]


async def _search(client: ApiClient, q: str) -> dict[str, Any]:
    response = await client.get("/api/v1/search", params={"q": q})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["degraded"] is False
    return body


def _question_hits(body: dict[str, Any]) -> list[int]:
    return [h["id"] for h in body["hits"] if h["type"] == "question"]


async def _member_sees_question(client: ApiClient, member: UserRecord, qid: int) -> None:
    await as_user(client, member)
    assert qid in await _listed(client)
    assert qid in await _listed(client, cornerstone="erscheinungsbild-kommunikation")
    assert qid in await _listed(client, instrument="raum-und-wartebereichsgestaltung")
    assert (await client.get(f"/api/v1/questions/{qid}")).status_code == 200
    found = await _search(client, "Kinderecke")
    assert _question_hits(found) == [qid]
    assert found["total"] == 1
    assert found["facets"]["type"] == {"question": 1}
    assert found["facets"]["cornerstone"] == {"erscheinungsbild-kommunikation": 1}


async def test_hidden_question_is_gone_for_members_and_back_after_restore(
    client: ApiClient,
) -> None:
    member = await make_user(Role.member)
    moderator = await make_user(Role.moderator)
    await client.login(member)
    qid = await _ask(client, QUESTION)
    other = await _ask(client, OTHER)
    await settled()
    await _member_sees_question(client, member, qid)

    await as_user(client, moderator)
    hidden = await act(client, "hide", "question", qid, reason=REASON)
    assert hidden.status_code == 200, hidden.text
    await settled()

    await as_user(client, member)
    assert await _listed(client) == [other]
    assert await _listed(client, cornerstone="erscheinungsbild-kommunikation") == []
    assert await _listed(client, instrument="raum-und-wartebereichsgestaltung") == []
    assert_problem(await client.get(f"/api/v1/questions/{qid}"), 404)
    assert_problem(await client.get(f"/api/v1/questions/{qid}/revisions"), 404)
    assert_problem(
        await client.post(f"/api/v1/questions/{qid}/answers", json={"body": "Antwort"}), 404
    )
    gone = await _search(client, "Kinderecke")
    assert _question_hits(gone) == []
    assert gone["total"] == 0
    assert "question" not in gone["facets"]["type"]
    assert gone["facets"]["cornerstone"] == {}
    assert gone["facets"]["instrument"] == {}
    # The other question is untouched.
    assert _question_hits(await _search(client, "Öffnungszeiten")) == [other]

    # The moderator still sees it everywhere, marked as hidden with the reason.
    await as_user(client, moderator)
    assert qid in await _listed(client)
    detail = (await client.get(f"/api/v1/questions/{qid}")).json()
    assert detail["hidden"] is True
    assert detail["hidden_reason"] == REASON
    listed = (await client.get("/api/v1/questions")).json()["items"]
    assert next(q for q in listed if q["id"] == qid)["hidden"] is True
    found = await _search(client, "Kinderecke")
    assert _question_hits(found) == [qid]

    restored = await act(client, "restore", "question", qid, reason="Aktenzeichen entfernt")
    assert restored.status_code == 200, restored.text
    await settled()
    await _member_sees_question(client, member, qid)
    detail = (await client.get(f"/api/v1/questions/{qid}")).json()
    assert detail["hidden"] is False
    assert detail["hidden_reason"] == ""

    rows = await audit_rows(target_type="question", target_id=qid)
    assert [(r["action"], r["actor"], r["before"], r["after"]) for r in rows] == [
        ("hide", moderator.id, {"hidden": False}, {"hidden": True}),
        ("restore", moderator.id, {"hidden": True}, {"hidden": False}),
    ]


async def test_hidden_answer_is_gone_and_the_question_is_open_again(client: ApiClient) -> None:
    asker = await make_user(Role.member)
    expert = await make_user(Role.expert)
    moderator = await make_user(Role.moderator)
    await client.login(asker)
    qid = await _ask(client, QUESTION)
    aid = await answer_question(expert, qid, "Unsere Spielteppiche aus Filz haben sich bewährt.")
    await settled()
    detail = (await client.get(f"/api/v1/questions/{qid}")).json()
    assert (detail["status"], detail["answer_count"]) == ("answered", 1)
    assert _question_hits(await _search(client, "Spielteppiche")) == [qid]

    await as_user(client, moderator)
    assert (await act(client, "hide", "answer", aid, reason=REASON)).status_code == 200
    await settled()

    await as_user(client, asker)
    detail = (await client.get(f"/api/v1/questions/{qid}")).json()
    assert detail["answers"] == []
    assert (detail["status"], detail["answer_count"]) == ("open", 0)
    listed = (await client.get("/api/v1/questions")).json()["items"]
    assert (listed[0]["status"], listed[0]["answer_count"]) == ("open", 0)
    assert qid in await _listed(client, status="open")
    assert_problem(await client.get(f"/api/v1/answers/{aid}/revisions"), 404)
    assert_problem(await client.post(f"/api/v1/answers/{aid}/vote", json={"value": 1}), 404)
    gone = await _search(client, "Spielteppiche")
    assert _question_hits(gone) == []
    assert gone["total"] == 0
    # The question itself is still visible and found by its own words.
    assert _question_hits(await _search(client, "Kinderecke")) == [qid]
    found = await _search(client, "Kinderecke")
    assert found["facets"]["status"] == {"open": 1}

    await as_user(client, moderator)
    seen = (await client.get(f"/api/v1/questions/{qid}")).json()
    [answer] = seen["answers"]
    assert (answer["id"], answer["hidden"], answer["hidden_reason"]) == (aid, True, REASON)
    assert (seen["status"], seen["answer_count"]) == ("open", 0)

    assert (await act(client, "restore", "answer", aid)).status_code == 200
    await settled()
    await as_user(client, asker)
    detail = (await client.get(f"/api/v1/questions/{qid}")).json()
    assert [a["id"] for a in detail["answers"]] == [aid]
    assert detail["answers"][0]["hidden"] is False
    assert (detail["status"], detail["answer_count"]) == ("answered", 1)
    assert _question_hits(await _search(client, "Spielteppiche")) == [qid]
    assert len(await audit_rows(target_type="answer", target_id=aid)) == 2


async def test_hidden_comment_is_gone_for_members(client: ApiClient) -> None:
    asker = await make_user(Role.member)
    commenter = await make_user(Role.member)
    moderator = await make_user(Role.moderator)
    await client.login(asker)
    qid = await _ask(client, QUESTION)
    await as_user(client, commenter)
    created = await client.post(
        f"/api/v1/questions/{qid}/comments",
        json={"body": "Fragen Sie im Spielwarenladen nach Holzspielzeug."},
    )
    assert created.status_code == 201, created.text
    cid = created.json()["id"]
    await settled()
    assert _question_hits(await _search(client, "Holzspielzeug")) == [qid]

    await as_user(client, moderator)
    assert (await act(client, "hide", "comment", cid, reason=REASON)).status_code == 200
    await settled()
    seen = (await client.get(f"/api/v1/questions/{qid}")).json()
    assert [(c["id"], c["hidden"]) for c in seen["comments"]] == [(cid, True)]

    for viewer in (asker, commenter):
        await as_user(client, viewer)
        detail = (await client.get(f"/api/v1/questions/{qid}")).json()
        assert detail["comments"] == []
        assert _question_hits(await _search(client, "Holzspielzeug")) == []

    await as_user(client, moderator)
    assert (await act(client, "restore", "comment", cid)).status_code == 200
    await settled()
    await as_user(client, asker)
    detail = (await client.get(f"/api/v1/questions/{qid}")).json()
    assert [c["id"] for c in detail["comments"]] == [cid]
    assert _question_hits(await _search(client, "Holzspielzeug")) == [qid]


async def test_comments_under_a_hidden_answer_are_hidden_with_it(client: ApiClient) -> None:
    """Hiding an answer hides its comments too (questions.visibility): not on the page,
    not in search, not on the report page, and they cannot be reported; restoring the
    answer brings them back. The comment itself is never changed."""
    asker = await make_user(Role.member)
    expert = await make_user(Role.expert)
    commenter = await make_user(Role.member)
    reporter = await make_user(Role.member)
    moderator = await make_user(Role.moderator)
    await client.login(asker)
    qid = await _ask(client, QUESTION)
    aid = await answer_question(expert, qid, "Unsere Spielteppiche aus Filz haben sich bewährt.")
    await as_user(client, commenter)
    created = await client.post(
        f"/api/v1/answers/{aid}/comments", json={"body": "Gibt es die Holzeisenbahn noch?"}
    )
    assert created.status_code == 201, created.text
    cid = created.json()["id"]
    await settled()
    report_page = f"/melden?target_type=comment&target_id={cid}"

    async def member_sees_comment() -> bool:
        detail = (await client.get(f"/api/v1/questions/{qid}")).json()
        shown = [c["id"] for a in detail["answers"] for c in a["comments"]]
        page = (await client.get(f"/fragen/{qid}")).text
        found = _question_hits(await _search(client, "Holzeisenbahn"))
        assert (shown == [cid]) == ("Holzeisenbahn" in page) == (found == [qid])
        return shown == [cid]

    await as_user(client, reporter)
    assert await member_sees_comment()
    await get_page(client, report_page)

    await as_user(client, moderator)
    assert (await act(client, "hide", "answer", aid, reason=REASON)).status_code == 200
    await settled()
    # Moderators still see the answer, marked as hidden, and the comment under it.
    seen = (await client.get(f"/api/v1/questions/{qid}")).json()
    [answer] = seen["answers"]
    assert answer["hidden"] is True
    assert [c["id"] for c in answer["comments"]] == [cid]
    assert _question_hits(await _search(client, "Spielteppiche")) == []

    for viewer in (asker, commenter, reporter):
        await as_user(client, viewer)
        assert not await member_sees_comment()
    page = await get_page(client, report_page, status=404)
    assert page.find("h1").text == "Seite nicht gefunden"
    assert_problem(
        await flag(client, "comment", cid), 404, detail=f"Kommentar Nr. {cid} gibt es nicht."
    )
    data = {"target_type": "comment", "target_id": str(cid), "reason": "wrong"}
    assert (await post_form(client, "/melden", data, page="/")).status_code == 404
    assert await Flag.count().where(Flag.target_id == cid).run() == 0

    await as_user(client, moderator)
    assert (await act(client, "restore", "answer", aid)).status_code == 200
    await settled()
    await as_user(client, reporter)
    assert await member_sees_comment()
    await get_page(client, report_page)
    assert (await flag(client, "comment", cid)).status_code == 201
    rows = await Comment.select(Comment.hidden).where(Comment.id == cid).run()
    assert rows == [{"hidden": False}]
