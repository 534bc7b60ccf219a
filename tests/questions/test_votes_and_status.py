"""Votes, accepting answers, the derived status, and the model-site mark on answers."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.policy import Role
from fachaustausch.accounts.tables import User
from fachaustausch.core.errors import InvalidInput
from fachaustausch.questions import service as questions
from fachaustausch.questions.tables import Answer, Question, Vote
from fachaustausch.settings import Settings
from tests.factories import (
    PASSWORD,
    ApiClient,
    answer_question,
    ask_question,
    assert_problem,
    make_user,
)

pytestmark = pytest.mark.database


async def _vote(client: ApiClient, path: str, value: Any) -> dict[str, Any]:
    response = await client.post(f"{path}/vote", json={"value": value})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("target", ["question", "answer"])
async def test_votes_are_idempotent_switch_withdraw_and_add_up(
    client: ApiClient, target: str
) -> None:
    author = await make_user(Role.member)
    qid = await ask_question(author)
    aid = await answer_question(author, qid)
    path = f"/api/v1/questions/{qid}" if target == "question" else f"/api/v1/answers/{aid}"
    table: Any = Question if target == "question" else Answer
    target_id = qid if target == "question" else aid

    async def stored_score() -> int:
        row = await table.select(table.score).where(table.id == target_id).first().run()
        return int(row["score"])

    voters = [await make_user(Role.member, authority=a) for a in ("bremen", "kiel", "leipzig")]
    await client.login_token(voters[0])
    assert await _vote(client, path, 1) == {"score": 1, "my_vote": 1}
    assert await _vote(client, path, 1) == {"score": 1, "my_vote": 1}  # twice: no change
    assert await Vote.count().where(Vote.target_id == target_id) == 1
    assert await _vote(client, path, -1) == {"score": -1, "my_vote": -1}  # switch: by 2
    assert await _vote(client, path, 0) == {"score": 0, "my_vote": 0}  # withdraw
    assert await _vote(client, path, 0) == {"score": 0, "my_vote": 0}  # withdraw again
    assert await Vote.count() == 0
    assert await stored_score() == 0

    # (Litestar's decoding is lax before the model sees the value: "1" and true count as 1.)
    for bad in (2, -2, 1.5, None, "dafür", [1]):
        body = assert_problem(
            await client.post(f"{path}/vote", json={"value": bad}), 422, fields=["value"]
        )
        assert body["title"] == "Eingaben unvollständig oder fehlerhaft"
    assert_problem(await client.post(f"{path}/vote", json={}), 422, fields=["value"])
    assert await Vote.count() == 0

    await _vote(client, path, 1)
    client.logout_local()
    await client.login_token(voters[1])
    assert await _vote(client, path, 1) == {"score": 2, "my_vote": 1}
    client.logout_local()
    await client.login_token(voters[2])
    assert await _vote(client, path, -1) == {"score": 1, "my_vote": -1}
    assert await stored_score() == 1

    # The score is recounted from the votes, not incremented: a stale score heals.
    await table.update({table.score: 99}).where(table.id == target_id).run()
    assert await _vote(client, path, -1) == {"score": 1, "my_vote": -1}
    detail = (await client.get(f"/api/v1/questions/{qid}")).json()
    post = detail if target == "question" else detail["answers"][0]
    assert post["score"] == 1
    assert post["my_vote"] == -1


async def _detail(client: ApiClient, qid: int) -> dict[str, Any]:
    response = await client.get(f"/api/v1/questions/{qid}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_status_open_answered_solved_and_accept_moves(client: ApiClient) -> None:
    asker = await make_user(Role.member)
    qid = await ask_question(asker)
    await client.login_token(asker)
    assert (await _detail(client, qid))["status"] == "open"

    first = await answer_question(await make_user(Role.expert, authority="kiel"), qid)
    second = await answer_question(await make_user(Role.member, authority="bremen"), qid)
    detail = await _detail(client, qid)
    assert (detail["status"], detail["status_label"], detail["answer_count"]) == (
        "answered",
        "beantwortet",
        2,
    )
    assert detail["accepted_answer_id"] is None

    accepted = await client.post(f"/api/v1/answers/{first}/accept")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["accepted"] is True
    detail = await _detail(client, qid)
    assert (detail["status"], detail["status_label"]) == ("solved", "gelöst")
    assert detail["accepted_answer_id"] == first
    assert [a["id"] for a in detail["answers"] if a["accepted"]] == [first]

    # Accepting another answer moves the mark: only one answer is ever accepted.
    assert (await client.post(f"/api/v1/answers/{second}/accept")).status_code == 200
    detail = await _detail(client, qid)
    assert detail["status"] == "solved"
    assert detail["accepted_answer_id"] == second
    assert [a["id"] for a in detail["answers"] if a["accepted"]] == [second]
    assert detail["answers"][0]["id"] == second  # the accepted answer comes first
    assert await Answer.count().where(Answer.accepted.eq(True)) == 1
    # Accepting the same answer again changes nothing.
    assert (await client.post(f"/api/v1/answers/{second}/accept")).status_code == 200
    assert (await _detail(client, qid))["accepted_answer_id"] == second


async def test_hiding_the_accepted_answer_makes_the_question_answered_again(
    client: ApiClient,
) -> None:
    """Moderation hides answers later; it must call `refresh_question` afterwards, since the
    status is stored (for lists and filters), not computed on read."""
    asker = await make_user(Role.member)
    qid = await ask_question(asker)
    aid = await answer_question(await make_user(Role.expert), qid)
    await questions.accept(await asker.principal(), aid)
    await Answer.update({Answer.hidden: True}).where(Answer.id == aid).run()
    await questions.refresh_question(qid)
    await client.login_token(asker)
    detail = await _detail(client, qid)
    assert (detail["status"], detail["accepted_answer_id"], detail["answer_count"]) == (
        "open",
        None,
        0,
    )
    other = await answer_question(await make_user(Role.member, authority="bremen"), qid)
    detail = await _detail(client, qid)
    assert (detail["status"], detail["answer_count"]) == ("answered", 1)
    await questions.accept(await asker.principal(), other)
    await Answer.update({Answer.hidden: True}).where(Answer.id == other).run()
    await Answer.update({Answer.hidden: False}).where(Answer.id == aid).run()
    await questions.refresh_question(qid)
    detail = await _detail(client, qid)
    # The earlier answer is back, but its old mark was cleared when `other` was accepted.
    assert (detail["status"], detail["accepted_answer_id"]) == ("answered", None)


@pytest.mark.parametrize(
    ("role", "authority", "mark"),
    [
        (Role.expert, "weimar", True),
        (Role.expert, "kiel", True),
        (Role.member, "leipzig", False),
        (Role.member, "weimar", False),  # staff of a model site, but not a recognised expert
        (Role.moderator, "bamf", False),
        (Role.admin, "bamf", False),
    ],
)
async def test_model_site_mark(client: ApiClient, role: Role, authority: str, mark: bool) -> None:
    qid = await ask_question(await make_user(Role.member, authority="bremen"))
    answerer = await make_user(role, authority=authority)
    await client.login_token(answerer)
    response = await client.post(f"/api/v1/questions/{qid}/answers", json={"body": "So geht's."})
    assert response.status_code == 201, response.text
    assert response.json()["from_model_site"] is mark


@pytest.mark.parametrize("authority", ["leipzig", "heidelberg", "bamf"])
@pytest.mark.usefixtures("settings")
async def test_an_expert_outside_a_model_site_cannot_exist(authority: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        await accounts.create_user(
            email=f"expertin@{authority}.de",
            display_name="Expertin",
            password=PASSWORD,
            role=Role.expert,
            authority_slug=authority,
            check_password=False,
        )
    assert [e.field for e in refused.value.errors] == ["role"]
    assert "Modellstandort" in refused.value.detail
    assert await User.count() == 0


async def test_the_mark_stays_when_the_role_changes(client: ApiClient) -> None:
    qid = await ask_question(await make_user(Role.member, authority="bremen"))
    expert = await make_user(Role.expert, authority="weimar")
    member = await make_user(Role.member, authority="weimar")
    by_expert = await answer_question(expert, qid)
    by_member = await answer_question(member, qid)
    # The expert steps down, the member becomes an expert: old answers keep their mark.
    await User.update({User.role: Role.member}).where(User.id == expert.id).run()
    await User.update({User.role: Role.expert}).where(User.id == member.id).run()
    await client.login_token(member)
    marks = {a["id"]: a["from_model_site"] for a in (await _detail(client, qid))["answers"]}
    assert marks == {by_expert: True, by_member: False}
    # New answers follow the current role.
    response = await client.post(f"/api/v1/questions/{qid}/answers", json={"body": "Neu."})
    assert response.json()["from_model_site"] is True
    client.logout_local()
    await client.login_token(expert)
    response = await client.post(f"/api/v1/questions/{qid}/answers", json={"body": "Neu 2."})
    assert response.json()["from_model_site"] is False


@pytest.mark.parametrize("target", ["question", "answer"])
async def test_the_same_vote_sent_twice_at_once_counts_once(
    settings: Settings, target: str
) -> None:
    """A double click sends two requests together: on PostgreSQL both transactions see no
    vote yet. Neither may fail on the one-vote-per-member rule, and the vote counts once."""
    author = await make_user(Role.member)
    qid = await ask_question(author)
    aid = await answer_question(author, qid)
    target_id = qid if target == "question" else aid
    for value in (1, -1):
        voter = await (await make_user(Role.member, authority="kiel")).principal()
        results = await asyncio.gather(
            *(questions.vote(voter, target, target_id, value) for _ in range(8))
        )
        assert {(r.score, r.my_vote) for r in results} <= {(value, value), (0, value)}
        votes = (
            await Vote.select(Vote.value)
            .where((Vote.user == voter.id) & (Vote.target_id == target_id))
            .run()
        )
        assert votes == [{"value": value}]
        # Withdrawn again, for the next value's voter to start from zero.
        await questions.vote(voter, target, target_id, 0)
