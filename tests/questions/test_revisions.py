"""Revisions: every edit keeps the text before it, who edited and why; newest first."""

from __future__ import annotations

from typing import Any

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.questions.tables import Answer, Question, Revision
from tests.factories import (
    QUESTION_DEFAULTS,
    ApiClient,
    answer_question,
    ask_question,
    assert_problem,
    make_user,
)

pytestmark = pytest.mark.database


def _texts(revisions: list[dict[str, Any]]) -> list[tuple[str, str, str, int]]:
    return [(r["title"], r["body"], r["reason"], r["editor"]["id"]) for r in revisions]


async def test_question_revisions(client: ApiClient) -> None:
    author = await make_user(Role.member)
    moderator = await make_user(Role.moderator)
    qid = await ask_question(author)
    await client.login_token(author)
    assert (await client.get(f"/api/v1/questions/{qid}/revisions")).json() == []

    first = await client.patch(
        f"/api/v1/questions/{qid}", json={"title": "Terminvergabe online: wie?", "reason": "kürzer"}
    )
    assert first.status_code == 200, first.text
    assert first.json()["edited"] is True
    second = await client.patch(f"/api/v1/questions/{qid}", json={"body": "Zweiter Text"})
    assert second.status_code == 200, second.text
    # A new tag alone changes no text and leaves no revision.
    retag = await client.patch(f"/api/v1/questions/{qid}", json={"instruments": ["spezialteams"]})
    assert [i["slug"] for i in retag.json()["instruments"]] == ["spezialteams"]
    client.logout_local()
    await client.login_token(moderator)
    third = await client.patch(
        f"/api/v1/questions/{qid}", json={"body": "Dritter Text", "reason": "Tippfehler"}
    )
    assert third.status_code == 200, third.text
    assert third.json()["author"]["id"] == author.id  # the author stays the author

    revisions = (await client.get(f"/api/v1/questions/{qid}/revisions")).json()
    new_title = "Terminvergabe online: wie?"
    assert _texts(revisions) == [
        (new_title, "Zweiter Text", "Tippfehler", moderator.id),
        (new_title, QUESTION_DEFAULTS["body"], "", author.id),
        (QUESTION_DEFAULTS["title"], QUESTION_DEFAULTS["body"], "kürzer", author.id),
    ]
    assert [r["id"] for r in revisions] == sorted((r["id"] for r in revisions), reverse=True)
    assert revisions[0]["editor"]["display_name"]
    detail = (await client.get(f"/api/v1/questions/{qid}")).json()
    assert (detail["title"], detail["body"]) == (new_title, "Dritter Text")


async def test_answer_revisions(client: ApiClient) -> None:
    expert = await make_user(Role.expert)
    moderator = await make_user(Role.moderator)
    qid = await ask_question(await make_user(Role.member))
    aid = await answer_question(expert, qid, "Erste Fassung")
    await client.login_token(expert)
    edited = await client.patch(f"/api/v1/answers/{aid}", json={"body": "Zweite Fassung"})
    assert edited.status_code == 200, edited.text
    assert (edited.json()["body"], edited.json()["edited"]) == ("Zweite Fassung", True)
    client.logout_local()
    await client.login_token(moderator)
    await client.patch(
        f"/api/v1/answers/{aid}", json={"body": "Dritte", "reason": "Link repariert"}
    )
    revisions = (await client.get(f"/api/v1/answers/{aid}/revisions")).json()
    assert [(r["body"], r["reason"], r["editor"]["id"]) for r in revisions] == [
        ("Zweite Fassung", "Link repariert", moderator.id),
        ("Erste Fassung", "", expert.id),
    ]
    assert all(r["title"] == "" for r in revisions)


async def test_revisions_of_hidden_posts(client: ApiClient) -> None:
    author = await make_user(Role.member)
    qid = await ask_question(author)
    aid = await answer_question(author, qid)
    await client.login_token(author)
    await client.patch(f"/api/v1/questions/{qid}", json={"body": "Neu"})
    await client.patch(f"/api/v1/answers/{aid}", json={"body": "Neu"})
    await Answer.update({Answer.hidden: True}).where(Answer.id == aid).run()
    assert_problem(await client.get(f"/api/v1/answers/{aid}/revisions"), 404)
    assert (await client.get(f"/api/v1/questions/{qid}/revisions")).status_code == 200
    await Question.update({Question.hidden: True}).where(Question.id == qid).run()
    # Hidden for members, their author included.
    assert_problem(await client.get(f"/api/v1/questions/{qid}/revisions"), 404)
    client.logout_local()
    await client.login_token(await make_user(Role.member, authority="bremen"))
    assert_problem(await client.get(f"/api/v1/questions/{qid}/revisions"), 404)
    client.logout_local()
    await client.login_token(await make_user(Role.moderator))
    assert len((await client.get(f"/api/v1/questions/{qid}/revisions")).json()) == 1
    assert len((await client.get(f"/api/v1/answers/{aid}/revisions")).json()) == 1
    assert await Revision.count() == 2
