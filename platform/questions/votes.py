"""Votes on questions and answers: set, changed or withdrawn, the post's score recounted."""

from __future__ import annotations

from typing import Any

from piccolo.query.functions.aggregate import Sum

from fachaustausch import database
from fachaustausch.accounts.policy import Principal
from fachaustausch.core import clock
from fachaustausch.core.outbox import EntityType, enqueue
from fachaustausch.questions import policy
from fachaustausch.questions.models import VoteOut
from fachaustausch.questions.policy import QuestionState
from fachaustausch.questions.queries import (
    answer_state,
    locked_answer_state,
    locked_question_state,
    question_state,
)
from fachaustausch.questions.tables import Answer, Question, Vote


def _of(actor_id: int | None, target_type: str, target_id: int) -> Any:
    """The votes on a post, or (actor_id given) the actor's vote on it."""
    on_post = (Vote.target_type == target_type) & (Vote.target_id == target_id)
    return on_post if actor_id is None else on_post & (Vote.user == actor_id)


async def _target(
    actor: Principal, target_type: str, target_id: int, question_id: int | None = None
) -> tuple[QuestionState, int]:
    """The question and the author of the post voted on, checked as `vote` requires; with
    `question_id` (known from the first check), read with the question locked."""
    if target_type == "question":
        if question_id is None:
            question = await question_state(target_id)
        else:
            question = await locked_question_state(target_id)
        author_id = question.author_id
    else:
        if question_id is None:
            answer = await answer_state(target_id)
        else:
            answer = await locked_answer_state(target_id, question_id)
        policy.ensure_answer_visible(actor, answer)
        question, author_id = answer.question, answer.author_id
    policy.ensure_can_vote(actor, question, author_id)
    return question, author_id


async def vote(actor: Principal, target_type: str, target_id: int, value: int) -> VoteOut:
    """Sets, changes or (value 0) withdraws the actor's vote. Repeating a vote changes
    nothing; the post's score is recounted from the votes, never incremented."""
    question, _ = await _target(actor, target_type, target_id)
    table: Any = Question if target_type == "question" else Answer
    async with database.transaction():
        # Checked again under the question's lock, which also orders the recounts of
        # votes cast at once: each counts the votes committed before it.
        await _target(actor, target_type, target_id, question.id)
        if value == 0:
            await Vote.delete().where(_of(actor.id, target_type, target_id)).run()
        else:
            # One statement: the same vote sent twice at once (a double click) would both
            # find no vote and both insert, and on PostgreSQL the second would break the
            # one-vote rule. The upsert sets or changes the vote either way.
            await (
                Vote.insert(
                    Vote(
                        user=actor.id,
                        target_type=target_type,
                        target_id=target_id,
                        value=value,
                        created_at=clock.now(),
                    )
                )
                .on_conflict(
                    target=(Vote.user, Vote.target_type, Vote.target_id),
                    action="DO UPDATE",
                    values=[Vote.value],
                )
                .run()
            )
        total = (
            await Vote.select(Sum(Vote.value).as_alias("total"))
            .where(_of(None, target_type, target_id))
            .first()
            .run()
        )
        score = int((total or {}).get("total") or 0)
        await table.update({table.score: score}).where(table.id == target_id).run()
        await enqueue(EntityType.question, question.id)
    return VoteOut(score=score, my_vote=value)
