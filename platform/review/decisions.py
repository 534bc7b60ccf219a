"""Reviewing a post that is due: "noch gültig" (confirm), "veraltet" (outdated, with a
reason and the newer answer that replaces it) and an edit (a new revision through the
questions domain's upkeep). One function per action, one transaction each.

Inside the transaction the post's question is locked (questions.upkeep's `*_for_update`),
and the post must still be due: of two reviewers acting on one post at once, the second
waits for the first and then finds nothing left to review (409), so exactly one outcome is
recorded. The outcome closes every open task of the post, is written as a review row and an
audit row, and is shown on the answer through the questions domain (outdated, successor,
date of review)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fachaustausch import database
from fachaustausch.accounts.policy import Principal
from fachaustausch.core import audit, clock
from fachaustausch.core.errors import Conflict, InvalidInput, NotFound
from fachaustausch.privacy.refusal import ensure_anonymous
from fachaustausch.questions import upkeep as questions
from fachaustausch.review import policy
from fachaustausch.review.models import (
    Cause,
    Decision,
    PostType,
    ReviewEditInput,
    ReviewInput,
)
from fachaustausch.review.queries import due_by_age, successor_state
from fachaustausch.review.tables import ContentReview, ReviewTask

AUDIT_ACTIONS = {
    "confirm": "review_confirm",
    "outdated": "review_outdated",
    "edit": "review_edit",
}
NOT_FOUND = {
    "question": "Diese Frage gibt es nicht (mehr).",
    "answer": "Diese Antwort gibt es nicht (mehr).",
}
NOT_DUE = (
    "Dieser Beitrag steht nicht (mehr) zur Prüfung an – vermutlich hat ihn gerade jemand "
    "anderes geprüft. Die Prüfliste zeigt den aktuellen Stand."
)


@dataclass(frozen=True, slots=True)
class _Post:
    post_type: PostType
    post_id: int
    question_id: int
    outdated: bool


async def _locked_visible_post(post_type: PostType, post_id: int) -> _Post:
    """The post, its question locked; NotFound for a post gone or hidden (hidden content
    is not reviewed: the moderation decides about it)."""
    if post_type == "answer":
        answer = await questions.answer_for_update(post_id)
        if answer is None or answer.hidden:
            raise NotFound(NOT_FOUND["answer"])
        question = await questions.question_for_update(answer.question_id)
        if question is None or question.hidden:
            raise NotFound(NOT_FOUND["answer"])
        return _Post("answer", post_id, answer.question_id, answer.outdated)
    question = await questions.question_for_update(post_id)
    if question is None or question.hidden:
        raise NotFound(NOT_FOUND["question"])
    return _Post("question", post_id, post_id, False)


async def _open_tasks(post: _Post) -> list[int]:
    rows = await (
        ReviewTask.select(ReviewTask.id)
        .where(
            (ReviewTask.post_type == post.post_type)
            & (ReviewTask.post_id == post.post_id)
            & ReviewTask.review.is_null()
        )
        .run()
    )
    return [int(r["id"]) for r in rows]


async def _due(post: _Post, months: int) -> tuple[Cause, list[int]]:
    """Why the post is due, and its open tasks; Conflict when it is not (any more)."""
    tasks = await _open_tasks(post)
    if tasks:
        return Cause.legal_change, tasks
    if post.post_type == "answer" and await due_by_age(post.post_id, months):
        return Cause.age, []
    raise Conflict(NOT_DUE)


async def _settle(
    actor: Principal,
    post: _Post,
    action: str,
    cause: Cause,
    tasks: list[int],
    *,
    reason: str = "",
    successor: int | None = None,
) -> int:
    """The review row, the closed tasks and the audit row."""
    now = clock.now()
    rows = await ContentReview.insert(
        ContentReview(
            post_type=post.post_type,
            post_id=post.post_id,
            question_id=post.question_id,
            action=action,
            cause=cause.value,
            reviewer=actor.id,
            reason=reason,
            successor_id=successor,
            created_at=now,
        )
    ).run()
    review_id = int(rows[0]["id"])
    if tasks:
        await (
            ReviewTask.update({ReviewTask.review: review_id})
            .where(ReviewTask.id.is_in(tasks))
            .run()
        )
    after: dict[str, Any] = {"cause": cause.value, "tasks": len(tasks)}
    if successor is not None:
        after["successor"] = successor
    await audit.record(
        actor.id,
        AUDIT_ACTIONS[action],
        post.post_type,
        post.post_id,
        reason=reason,
        before={"outdated": post.outdated},
        after={**after, "outdated": action == "outdated"},
    )
    return review_id


async def _check_successor(post: _Post, successor: int) -> None:
    if post.post_type == "answer" and successor == post.post_id:
        raise InvalidInput.for_field(
            "successor", "Eine Antwort kann nicht ihre eigene Nachfolgerin sein."
        )
    state = await successor_state(successor)
    if state == "missing":
        raise InvalidInput.for_field(
            "successor",
            f"Eine sichtbare Antwort Nr. {successor} gibt es nicht. Bitte die Nummer oder "
            "den Link einer sichtbaren, aktuellen Antwort angeben.",
        )
    if state == "outdated":
        raise InvalidInput.for_field(
            "successor",
            f"Antwort Nr. {successor} ist selbst als veraltet markiert und kann keine "
            "veraltete Antwort ersetzen.",
        )


async def decide(
    actor: Principal, post_type: PostType, post_id: int, data: ReviewInput, months: int
) -> int:
    """Confirms the post as still valid or marks an answer outdated; returns the review's
    id."""
    policy.ensure_can_review(actor)
    reason = data.reason.strip()
    if data.action is Decision.outdated:
        if post_type != "answer":
            raise InvalidInput.for_field(
                "action",
                "Als veraltet markieren lassen sich Antworten. Eine Frage bitte "
                "bestätigen oder bearbeiten.",
            )
        if not reason:
            raise InvalidInput.for_field(
                "reason", "Bitte geben Sie an, warum die Antwort veraltet ist."
            )
    elif data.successor is not None:
        raise InvalidInput.for_field(
            "successor", "Eine Nachfolgerin gibt es nur für eine veraltete Antwort."
        )
    ensure_anonymous({"reason": reason})
    async with database.transaction():
        policy.ensure_can_review(actor)
        post = await _locked_visible_post(post_type, post_id)
        cause, tasks = await _due(post, months)
        if data.action is Decision.outdated:
            if data.successor is not None:
                await _check_successor(post, data.successor)
            await questions.set_outdated(post_id, True, reason, data.successor)
        else:
            await questions.mark_reviewed(post_type, post_id, clock.now())
            if post.outdated:
                await questions.set_outdated(post_id, False, "")
        return await _settle(
            actor, post, data.action.value, cause, tasks, reason=reason, successor=data.successor
        )


async def edit(
    actor: Principal, post_type: PostType, post_id: int, data: ReviewEditInput, months: int
) -> int:
    """A new text for a post that is due: a revision like every edit, and the post counts
    as reviewed (an outdated answer becomes current). Returns the review's id."""
    policy.ensure_can_review(actor)
    if post_type == "answer" and data.title is not None:
        raise InvalidInput.for_field("title", "Eine Antwort hat keinen Titel.")
    ensure_anonymous({"title": data.title, "body": data.body, "reason": data.reason})
    async with database.transaction():
        policy.ensure_can_review(actor)
        post = await _locked_visible_post(post_type, post_id)
        cause, tasks = await _due(post, months)
        reason = data.reason or "Inhaltspflege"
        if post_type == "answer":
            await questions.edit_answer(post_id, actor.id, data.body, reason)
            if post.outdated:
                await questions.set_outdated(post_id, False, "")
        else:
            await questions.edit_question(post_id, actor.id, data.title, data.body, reason)
        await questions.mark_reviewed(post_type, post_id, clock.now())
        return await _settle(actor, post, "edit", cause, tasks, reason=data.reason)
