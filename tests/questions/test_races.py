"""Rules inside the write: two conflicting requests at once, and exactly one outcome that
the rules allow.

A write checks the question's state inside its own transaction, with the question's row
locked on PostgreSQL (SQLite's write transaction holds the database's write lock from its
start). A check made before the transaction would pass on a state that a concurrent write
is about to change: the tests below hold such a change open while the write runs, so
that only a check inside the transaction can see it."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from fachaustausch import database
from fachaustausch.accounts.policy import Role
from fachaustausch.core.audit import AuditLog
from fachaustausch.core.errors import Conflict
from fachaustausch.questions import answers, comments, votes
from fachaustausch.questions import service as questions
from fachaustausch.questions.models import (
    AnswerEdit,
    AnswerInput,
    CommentInput,
    QuestionEdit,
    Status,
)
from fachaustausch.questions.tables import Answer, Comment, Question, Revision, Vote
from fachaustausch.settings import Settings
from tests.factories import ApiClient, answer_question, ask_question, make_user

pytestmark = pytest.mark.database

# Long enough for the write to run up to where it waits for the open transaction.
HOLD_SECONDS = 0.3


async def _while_held_open(
    change: Callable[[], Awaitable[Any]], write: Callable[[], Awaitable[Any]]
) -> Any:
    """Runs `write` while a transaction that made `change` is open, then commits it; the
    write's result or the exception it raised."""
    changed, release = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with database.transaction():
            await change()
            changed.set()
            await release.wait()

    async def then_write() -> Any:
        await changed.wait()
        return await write()

    async def commit_soon() -> None:
        await changed.wait()
        await asyncio.sleep(HOLD_SECONDS)
        release.set()

    # Three tasks, each with a connection (and transaction) of its own.
    results: tuple[Any, ...] = await asyncio.gather(
        hold(), then_write(), commit_soon(), return_exceptions=True
    )
    return results[1]


async def _lock(question_id: int) -> None:
    # What the moderators' lock action writes on the question.
    await (
        Question.update({Question.locked: True, Question.locked_reason: "Hitzige Debatte"})
        .where(Question.id == question_id)
        .run()
    )


WRITES = [
    "answer",
    "comment on the question",
    "comment on an answer",
    "vote on the question",
    "vote on an answer",
    "accept",
    "edit the question",
    "edit an answer",
]


@pytest.mark.parametrize("write", WRITES)
async def test_a_write_on_a_question_locked_meanwhile_is_refused_and_leaves_nothing(
    settings: Settings, write: str
) -> None:
    asker = await make_user(Role.member)
    expert = await make_user(Role.expert)
    question_id = await ask_question(asker)
    answer_id = await answer_question(expert, question_id)
    asker_p, expert_p = await asker.principal(), await expert.principal()
    calls: dict[str, Callable[[], Awaitable[Any]]] = {
        "answer": lambda: answers.answer(expert_p, question_id, AnswerInput(body="Späte Antwort")),
        "comment on the question": lambda: comments.comment(
            expert_p, question_id, None, CommentInput(body="Später Kommentar")
        ),
        "comment on an answer": lambda: comments.comment(
            asker_p, None, answer_id, CommentInput(body="Später Kommentar")
        ),
        "vote on the question": lambda: votes.vote(expert_p, "question", question_id, 1),
        "vote on an answer": lambda: votes.vote(asker_p, "answer", answer_id, 1),
        "accept": lambda: answers.accept(asker_p, answer_id),
        "edit the question": lambda: questions.edit_question(
            asker_p, question_id, QuestionEdit(body="Anders gefragt.", reason="")
        ),
        "edit an answer": lambda: answers.edit_answer(
            expert_p, answer_id, AnswerEdit(body="Anders geantwortet.", reason="")
        ),
    }
    tables: list[Any] = [Answer, Comment, Vote, Revision]
    before = {t._meta.tablename: await t.select().run() for t in tables}

    result = await _while_held_open(lambda: _lock(question_id), calls[write])

    assert isinstance(result, Conflict), result
    assert "gesperrt" in result.detail
    assert {t._meta.tablename: await t.select().run() for t in tables} == before
    question = await Question.select().where(Question.id == question_id).first().run()
    assert question is not None
    assert (
        question["body"] == "Wir planen ein **Terminsystem**. Welche Erfahrungen haben Sie gemacht?"
    )
    assert (question["answer_count"], question["score"]) == (1, 0)


async def test_an_answer_to_a_question_closed_meanwhile_is_refused(settings: Settings) -> None:
    asker, expert = await make_user(Role.member), await make_user(Role.expert)
    question_id = await ask_question(asker)
    expert_p = await expert.principal()

    async def close() -> None:
        await (
            Question.update({Question.closed_reason: "outdated"})
            .where(Question.id == question_id)
            .run()
        )

    result = await _while_held_open(
        close, lambda: answers.answer(expert_p, question_id, AnswerInput(body="Zu spät"))
    )
    assert isinstance(result, Conflict), result
    assert await Answer.count().where(Answer.question == question_id).run() == 0


async def test_answering_while_a_moderator_locks_leaves_no_answer_after_the_lock(
    client: ApiClient,
) -> None:
    """Both over HTTP at once, a few times: either the answer came first (and then before
    the lock's audit entry), or it was refused; never an answer written after the lock."""
    asker = await make_user(Role.member)
    expert = await make_user(Role.expert)
    moderator = await make_user(Role.moderator)
    expert_auth = {"authorization": f"Bearer {await client.login_token(expert)}"}
    moderator_auth = {"authorization": f"Bearer {await client.login_token(moderator)}"}
    client.logout_local()
    outcomes = set()
    for _ in range(4):
        question_id = await ask_question(asker)
        answered, locked = await asyncio.gather(
            client.post(
                f"/api/v1/questions/{question_id}/answers",
                json={"body": "Bei uns mit Terminsystem."},
                headers=expert_auth,
            ),
            client.post(
                "/api/v1/moderation/actions",
                json={
                    "action": "lock",
                    "target_type": "question",
                    "target_id": question_id,
                    "reason": "Hitzige Debatte",
                },
                headers=moderator_auth,
            ),
        )
        assert locked.status_code == 200, locked.text
        assert answered.status_code in {201, 409}, answered.text
        rows = await Answer.select(Answer.created_at).where(Answer.question == question_id).run()
        lock_entry = (
            await AuditLog.select(AuditLog.created_at)
            .where((AuditLog.action == "lock") & (AuditLog.target_id == question_id))
            .first()
            .run()
        )
        assert lock_entry is not None
        if answered.status_code == 409:
            assert rows == []
        else:
            assert len(rows) == 1
            assert rows[0]["created_at"] < lock_entry["created_at"]
        outcomes.add(answered.status_code)
    assert outcomes <= {201, 409}


async def test_two_answers_accepted_at_once_leave_exactly_one_accepted(
    client: ApiClient,
) -> None:
    asker = await make_user(Role.member)
    experts = [await make_user(Role.expert), await make_user(Role.expert, authority="kiel")]
    await client.login_token(asker)
    for _ in range(3):
        question_id = await ask_question(asker)
        answer_ids = [await answer_question(e, question_id) for e in experts]
        responses = await asyncio.gather(
            *(client.post(f"/api/v1/answers/{a}/accept") for a in answer_ids)
        )
        assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
        accepted = (
            await Answer.select(Answer.id)
            .where((Answer.question == question_id) & Answer.accepted.eq(True))
            .run()
        )
        assert len(accepted) == 1
        question = (
            await Question.select(Question.accepted_answer_id, Question.status)
            .where(Question.id == question_id)
            .first()
            .run()
        )
        assert question == {"accepted_answer_id": accepted[0]["id"], "status": Status.solved}


@pytest.mark.parametrize("target", ["question", "answer"])
async def test_two_different_votes_by_one_member_at_once_leave_one_vote(
    client: ApiClient, target: str
) -> None:
    """Up and down at once (two tabs): one vote row, and the score is that vote."""
    asker = await make_user(Role.member)
    expert = await make_user(Role.expert)
    question_id = await ask_question(asker)
    answer_id = await answer_question(expert, question_id)
    voter = await make_user(Role.member, authority="kiel")
    await client.login_token(voter)
    path = (
        f"/api/v1/questions/{question_id}"
        if target == "question"
        else f"/api/v1/answers/{answer_id}"
    )
    target_id = question_id if target == "question" else answer_id
    table: Any = Question if target == "question" else Answer
    for _ in range(3):
        responses = await asyncio.gather(
            client.post(f"{path}/vote", json={"value": 1}),
            client.post(f"{path}/vote", json={"value": -1}),
        )
        assert [r.status_code for r in responses] == [200, 200], [r.text for r in responses]
        rows = (
            await Vote.select(Vote.value)
            .where((Vote.target_type == target) & (Vote.target_id == target_id))
            .run()
        )
        assert len(rows) == 1
        score = await table.select(table.score).where(table.id == target_id).first().run()
        assert score == {"score": rows[0]["value"]}
