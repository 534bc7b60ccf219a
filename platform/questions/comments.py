"""Comments on a question or on one of its answers.

The rules are checked before any work and again inside the transaction, with the question
locked (queries.states): a question locked meanwhile takes no comment."""

from __future__ import annotations

from fachaustausch import database
from fachaustausch.accounts.policy import Principal
from fachaustausch.core import clock, events
from fachaustausch.core.events import EventKind
from fachaustausch.core.outbox import EntityType, enqueue
from fachaustausch.privacy.refusal import ensure_anonymous
from fachaustausch.questions import policy
from fachaustausch.questions.models import CommentInput
from fachaustausch.questions.policy import QuestionState
from fachaustausch.questions.queries import (
    answer_state,
    locked_answer_state,
    locked_question_state,
    question_state,
)
from fachaustausch.questions.tables import Comment, Question


async def ensure_can_comment(
    actor: Principal, question_id: int | None, answer_id: int | None
) -> QuestionState:
    """Refuses a comment on the question (answer_id None) or on one of its answers as
    `comment` would; for a page that offers the form."""
    if answer_id is not None:
        state = await answer_state(answer_id)
        policy.ensure_answer_visible(actor, state)
        question = state.question
    else:
        assert question_id is not None
        question = await question_state(question_id)
    policy.ensure_can_comment(actor, question)
    return question


async def _ensure_can_comment_locked(
    actor: Principal, question_id: int, answer_id: int | None
) -> None:
    """`ensure_can_comment` inside the comment's transaction, the question locked."""
    if answer_id is not None:
        state = await locked_answer_state(answer_id, question_id)
        policy.ensure_answer_visible(actor, state)
        question = state.question
    else:
        question = await locked_question_state(question_id)
    policy.ensure_can_comment(actor, question)


async def comment(
    actor: Principal, question_id: int | None, answer_id: int | None, data: CommentInput
) -> int:
    question = await ensure_can_comment(actor, question_id, answer_id)
    ensure_anonymous({"body": data.body})
    async with database.transaction():
        await _ensure_can_comment_locked(actor, question.id, answer_id)
        rows = await Comment.insert(
            Comment(question=question.id, answer=answer_id, body=data.body, author=actor.id)
        ).run()
        await (
            Question.update({Question.last_activity_at: clock.now()})
            .where(Question.id == question.id)
            .run()
        )
        await enqueue(EntityType.question, question.id)
        await events.record(EventKind.comment_created, "comment", rows[0]["id"], actor.id)
    return int(rows[0]["id"])
