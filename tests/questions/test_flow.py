"""The core loop over HTTP: ask, answer, comment, vote, accept, edit, list."""

from __future__ import annotations

import asyncio

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.questions import service as questions
from fachaustausch.questions.tables import Follow
from fachaustausch.settings import Settings
from tests.factories import ApiClient, ask_question, make_user

pytestmark = pytest.mark.database

QUESTION = {
    "title": "Wie organisieren Sie die Online-Terminvergabe?",
    "body": "Wir planen ein **Terminsystem**. Welche Erfahrungen haben Sie gemacht?",
    "cornerstone": "binnenorganisation",
    "instruments": ["terminsystem", "service-point-front-office"],
}


async def test_ask_answer_accept_vote(client: ApiClient) -> None:
    member = await make_user(Role.member)
    expert = await make_user(Role.expert, authority="weimar")
    await client.login(member)
    created = await client.post("/api/v1/questions", json=QUESTION)
    assert created.status_code == 201, created.text
    question = created.json()
    assert question["status"] == "open"
    assert question["body_html"] == (
        "<p>Wir planen ein <strong>Terminsystem</strong>. "
        "Welche Erfahrungen haben Sie gemacht?</p>\n"
    )
    assert [i["slug"] for i in question["instruments"]] == [
        "terminsystem",
        "service-point-front-office",
    ]
    assert question["following"] is True
    qid = question["id"]

    client.logout_local()
    await client.login(expert)
    answered = await client.post(
        f"/api/v1/questions/{qid}/answers", json={"body": "Bei uns: online."}
    )
    assert answered.status_code == 201, answered.text
    answer = answered.json()
    assert answer["from_model_site"] is True
    assert (await client.post(f"/api/v1/answers/{answer['id']}/accept")).status_code == 403
    vote = await client.post(f"/api/v1/questions/{qid}/vote", json={"value": 1})
    assert vote.json() == {"score": 1, "my_vote": 1}
    again = await client.post(f"/api/v1/questions/{qid}/vote", json={"value": 1})
    assert again.json() == {"score": 1, "my_vote": 1}
    own = await client.post(f"/api/v1/answers/{answer['id']}/vote", json={"value": 1})
    assert own.status_code == 403

    client.logout_local()
    await client.login(member)
    accepted = await client.post(f"/api/v1/answers/{answer['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["accepted"] is True
    detail = (await client.get(f"/api/v1/questions/{qid}")).json()
    assert detail["status"] == "solved"
    assert detail["accepted_answer_id"] == answer["id"]
    assert detail["score"] == 1

    comment = await client.post(f"/api/v1/answers/{answer['id']}/comments", json={"body": "Danke!"})
    assert comment.status_code == 201, comment.text
    edit = await client.patch(
        f"/api/v1/questions/{qid}",
        json={"title": "Online-Terminvergabe: Ihre Erfahrungen?", "reason": "klarer"},
    )
    assert edit.status_code == 200, edit.text
    revisions = (await client.get(f"/api/v1/questions/{qid}/revisions")).json()
    assert revisions[0]["title"] == QUESTION["title"]
    assert revisions[0]["reason"] == "klarer"

    page = (await client.get("/api/v1/questions?limit=1&instrument=terminsystem")).json()
    assert [i["id"] for i in page["items"]] == [qid]
    assert page["next_cursor"] is None


async def test_following_twice_at_once_follows_once(settings: Settings) -> None:
    """A double click on "Folgen" sends two requests together; neither may fail."""
    author = await make_user(Role.member)
    question_id = await ask_question(author)
    reader = await (await make_user(Role.member, authority="kiel")).principal()
    await asyncio.gather(*(questions.follow(reader, question_id) for _ in range(6)))
    assert (
        await Follow.count()
        .where((Follow.user == reader.id) & (Follow.question == question_id))
        .run()
        == 1
    )
    await questions.unfollow(reader, question_id)
    assert await Follow.count().where(Follow.user == reader.id).run() == 0
