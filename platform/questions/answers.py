"""Answering, editing an answer, accepting one, and the status a question derives from its
answers: one function per user action, each one transaction that also records the
question for search (outbox).

Each write refuses early what the state already forbids (before rendering or waiting for
the write lock), and checks again inside its transaction with the question locked
(queries.states): that check is the one the write relies on, so a question locked or
closed meanwhile, or a second accept at the same moment, cannot slip through."""

from __future__ import annotations

from fachaustausch import database
from fachaustausch.accounts.policy import Principal
from fachaustausch.core import clock, events
from fachaustausch.core.events import EventKind
from fachaustausch.core.markdown import render
from fachaustausch.core.outbox import EntityType, enqueue
from fachaustausch.privacy.refusal import ensure_anonymous
from fachaustausch.questions import policy
from fachaustausch.questions.derived import refresh_question
from fachaustausch.questions.models import AnswerEdit, AnswerInput
from fachaustausch.questions.policy import AnswerState
from fachaustausch.questions.queries import (
    answer_state,
    locked_answer_state,
    locked_question_state,
    question_state,
)
from fachaustausch.questions.tables import Answer, Question, Revision
from fachaustausch.review.citing import record_citations


async def answer(actor: Principal, question_id: int, data: AnswerInput) -> int:
    policy.ensure_can_answer(actor, await question_state(question_id))
    ensure_anonymous({"body": data.body})
    body_html = render(data.body)
    async with database.transaction():
        policy.ensure_can_answer(actor, await locked_question_state(question_id))
        now = clock.now()
        rows = await Answer.insert(
            Answer(
                question=question_id,
                body=data.body,
                body_html=body_html,
                author=actor.id,
                authority=actor.authority_id,
                from_model_site=actor.is_model_site_expert,
                created_at=now,
                updated_at=now,
            )
        ).run()
        await (
            Question.update({Question.last_activity_at: now})
            .where(Question.id == question_id)
            .run()
        )
        await record_citations("answer", int(rows[0]["id"]), question_id, data.body)
        await refresh_question(question_id)
        await enqueue(EntityType.question, question_id)
        await events.record(EventKind.answer_created, "answer", rows[0]["id"], actor.id)
    return int(rows[0]["id"])


def _ensure_can_edit(actor: Principal, state: AnswerState) -> None:
    policy.ensure_answer_visible(actor, state)
    policy.ensure_can_edit(actor, state.question, state.author_id)


def _ensure_can_accept(actor: Principal, state: AnswerState) -> None:
    policy.ensure_answer_visible(actor, state)
    policy.ensure_can_accept(actor, state)


async def edit_answer(actor: Principal, answer_id: int, data: AnswerEdit) -> None:
    state = await answer_state(answer_id)
    _ensure_can_edit(actor, state)
    ensure_anonymous({"body": data.body, "reason": data.reason})
    body_html = render(data.body)
    async with database.transaction():
        state = await locked_answer_state(answer_id, state.question.id)
        _ensure_can_edit(actor, state)
        old = await Answer.select(Answer.body).where(Answer.id == answer_id).first().run()
        assert old is not None
        await Revision.insert(
            Revision(
                target_type="answer",
                target_id=answer_id,
                body=old["body"],
                editor=actor.id,
                reason=data.reason,
            )
        ).run()
        await (
            Answer.update(
                {
                    Answer.body: data.body,
                    Answer.body_html: body_html,
                    Answer.updated_at: clock.now(),
                }
            )
            .where(Answer.id == answer_id)
            .run()
        )
        await record_citations("answer", answer_id, state.question.id, data.body)
        await (
            Question.update({Question.last_activity_at: clock.now()})
            .where(Question.id == state.question.id)
            .run()
        )
        await enqueue(EntityType.question, state.question.id)


async def accept(actor: Principal, answer_id: int) -> None:
    """Marks the one accepted answer; accepting another moves the mark."""
    state = await answer_state(answer_id)
    _ensure_can_accept(actor, state)
    async with database.transaction():
        # Under the question's lock: of two accepts at once, the second waits here and
        # then moves the mark, so one answer stays accepted.
        state = await locked_answer_state(answer_id, state.question.id)
        _ensure_can_accept(actor, state)
        qid = state.question.id
        await Answer.update({Answer.accepted: False}).where(Answer.question == qid).run()
        await Answer.update({Answer.accepted: True}).where(Answer.id == answer_id).run()
        await refresh_question(qid)
        await (
            Question.update({Question.last_activity_at: clock.now()})
            .where(Question.id == qid)
            .run()
        )
        await enqueue(EntityType.question, qid)
        await events.record(EventKind.answer_accepted, "answer", answer_id, actor.id)
