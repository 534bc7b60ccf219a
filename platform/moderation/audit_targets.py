"""The audit log's targets by what people call them: a question's or consultation's title,
an instrument's or cornerstone's, a person's name. The log keeps a target's type and number
only, so a search by words first finds the numbers of every kind of target it may mean."""

from __future__ import annotations

from typing import Any

from fachaustausch import database
from fachaustausch.accounts.tables import User
from fachaustausch.consultations.tables import Consultation, ConsultationPost
from fachaustausch.core.audit import AuditLog
from fachaustausch.moderation.models import TargetType
from fachaustausch.questions.tables import Answer, Comment, Question
from fachaustausch.toolbox.tables import Cornerstone, Instrument

# Matches per kind of target: enough for any title a moderator types, and bounded, so a
# one-letter search does not build a query with every id of the platform.
MAX_MATCHES = 500


def contains(column: Any, text: str) -> Any:
    """`column` contains `text`, ignoring case: ILIKE on PostgreSQL; SQLite's LIKE ignores
    the case of ASCII letters (Piccolo warns about ILIKE there)."""
    pattern = f"%{' '.join(text.split())}%"
    return column.like(pattern) if database.is_sqlite() else column.ilike(pattern)


async def _ids(table: Any, column: Any, where: Any) -> list[int]:
    rows = await table.select(column).where(where).limit(MAX_MATCHES).output(as_list=True).run()
    return [int(value) for value in rows]


async def targets_called(text: str) -> list[tuple[str, list[int]]]:
    """(target type, ids) of the targets whose title or name contains `text`; a question's
    answers and comments count as the question's, a consultation's posts as its own."""
    questions = await _ids(Question, Question.id, contains(Question.title, text))
    consultations = await _ids(Consultation, Consultation.id, contains(Consultation.title, text))
    people = await _ids(
        User, User.id, contains(User.display_name, text) | contains(User.email, text)
    )
    found = [
        (TargetType.question.value, questions),
        (TargetType.consultation.value, consultations),
        (TargetType.user.value, people),
        (TargetType.registration.value, people),
        ("instrument", await _ids(Instrument, Instrument.id, contains(Instrument.title, text))),
        ("cornerstone", await _ids(Cornerstone, Cornerstone.id, contains(Cornerstone.title, text))),
    ]
    if questions:
        found.append(
            (
                TargetType.answer.value,
                await _ids(Answer, Answer.id, Answer.question.is_in(questions)),
            )
        )
        found.append(
            (
                TargetType.comment.value,
                await _ids(Comment, Comment.id, Comment.question.is_in(questions)),
            )
        )
    if consultations:
        found.append(
            (
                TargetType.consultation_post.value,
                await _ids(
                    ConsultationPost,
                    ConsultationPost.id,
                    ConsultationPost.consultation.is_in(consultations),
                ),
            )
        )
    return [(kind, ids) for kind, ids in found if ids]


async def target_clause(text: str) -> Any:
    """A where clause for audit rows about targets called `text`, or one that matches none."""
    clause: Any = None
    for kind, ids in await targets_called(text):
        part = (AuditLog.target_type == kind) & AuditLog.target_id.is_in(ids)
        clause = part if clause is None else clause | part
    # No target is called so: an impossible id keeps the query's shape and finds nothing.
    return clause if clause is not None else AuditLog.id == -1
