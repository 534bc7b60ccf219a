"""The questions that came from an event („Fragen aus dieser Veranstaltung“), for its page:
the questions domain owns the link (`question.event_id`), the events domain asks here."""

from __future__ import annotations

from fachaustausch.accounts.policy import Principal
from fachaustausch.questions.models import EventQuestionOut, Status
from fachaustausch.questions.queries.lists import question_url
from fachaustausch.questions.tables import Question

# An event's page lists them all; a page with more would be a list of its own.
MAX_LISTED = 100


async def of_event(viewer: Principal, event_id: int) -> list[EventQuestionOut]:
    """Oldest first; hidden ones for moderators only, marked."""
    query = (
        Question.select(
            Question.id,
            Question.title,
            Question.status,
            Question.answer_count,
            Question.hidden,
        )
        .where(Question.event_id == event_id)
        .order_by(Question.created_at, Question.id)
        .limit(MAX_LISTED)
    )
    if not viewer.is_moderator:
        query = query.where(Question.hidden.eq(False))
    return [
        EventQuestionOut(
            id=r["id"],
            title=r["title"],
            url=question_url(r["id"]),
            status=Status(r["status"]),
            status_label=Status(r["status"]).label,
            answer_count=r["answer_count"],
            hidden=r["hidden"],
        )
        for r in await query.run()
    ]
