"""`fachaustausch privacy scan`: posts stored before the personal-data guard checked them.

Every visible question, answer, comment, consultation and consultation post goes through
the guard again; each one it would refuse today is reported to the moderation as a
personal-data flag raised by the system (no reporter). A target gets at most one such flag
ever (unique index flag_system_once), so running the scan again adds none, and a moderator
who dismissed one is not asked again. The flag's note names the kinds and positions of the
findings, never the personal data itself."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from fachaustausch import database
from fachaustausch.consultations.tables import Consultation, ConsultationPost
from fachaustausch.moderation.models import FlagReason, TargetType
from fachaustausch.moderation.tables import Flag
from fachaustausch.privacy.guard import Finding, check_fields
from fachaustausch.privacy.refusal import FIELD_LABELS
from fachaustausch.questions.tables import Answer, Comment, Question

BATCH = 500


@dataclass(frozen=True)
class Hit:
    """A visible post the guard refuses, and its findings by field."""

    target_type: TargetType
    target_id: int
    url: str
    findings: dict[str, list[Finding]]

    def where(self) -> str:
        """The findings as kinds and positions, without the personal data."""
        return "; ".join(
            f"{FIELD_LABELS.get(field, field)}: "
            + ", ".join(f"{f.label} ({f.place})" for f in found)
            for field, found in self.findings.items()
        )

    def note(self) -> str:
        return (
            "Vom System gemeldet (automatische Prüfung auf personenbezogene Daten): "
            f"{self.where()}."
        )


@dataclass(frozen=True)
class _Source:
    target_type: TargetType
    table: Any
    fields: tuple[str, ...]
    visible: Any  # the condition under which members see a row

    def url(self, row: dict[str, Any]) -> str:
        match self.target_type:
            case TargetType.question:
                return f"/fragen/{row['id']}"
            case TargetType.answer:
                return f"/fragen/{row['question']}#antwort-{row['id']}"
            case TargetType.comment:
                return f"/fragen/{row['question']}#kommentar-{row['id']}"
            case TargetType.consultation:
                return f"/fallberatungen/{row['id']}"
            case _:
                return f"/fallberatungen/{row['consultation']}#beitrag-{row['id']}"


def _sources() -> Sequence[_Source]:
    # Joined columns through a foreign key ("the answer's question is hidden").
    answer_question = cast(Any, Answer.question)
    comment_question, comment_answer = cast(Any, Comment.question), cast(Any, Comment.answer)
    post_consultation = cast(Any, ConsultationPost.consultation)
    return (
        _Source(TargetType.question, Question, ("title", "body"), Question.hidden.eq(False)),
        _Source(
            TargetType.answer,
            Answer,
            ("body",),
            Answer.hidden.eq(False) & answer_question.hidden.eq(False),
        ),
        _Source(
            TargetType.comment,
            Comment,
            ("body",),
            # A comment is visible only if it, its answer (if any) and its question are.
            Comment.hidden.eq(False)
            & comment_question.hidden.eq(False)
            & (comment_answer.is_null() | comment_answer.hidden.eq(False)),
        ),
        _Source(
            TargetType.consultation,
            Consultation,
            ("title", "summary", "key_question"),
            Consultation.hidden.eq(False),
        ),
        _Source(
            TargetType.consultation_post,
            ConsultationPost,
            ("body",),
            ConsultationPost.hidden.eq(False) & post_consultation.hidden.eq(False),
        ),
    )


async def _rows(source: _Source) -> AsyncIterator[dict[str, Any]]:
    """The visible rows in batches by id, so a large database is never loaded at once."""
    table = source.table
    link = {
        TargetType.answer: "question",
        TargetType.comment: "question",
        TargetType.consultation_post: "consultation",
    }.get(source.target_type)
    columns = [table.id, *(getattr(table, f) for f in source.fields)]
    if link:
        columns.append(getattr(table, link))
    last = 0
    while True:
        batch = (
            await table.select(*columns)
            .where(source.visible & (table.id > last))
            .order_by(table.id)
            .limit(BATCH)
            .run()
        )
        for row in batch:
            yield row
        if len(batch) < BATCH:
            return
        last = batch[-1]["id"]


async def refused_posts() -> AsyncIterator[Hit]:
    """Every visible post the guard would refuse today, type by type, oldest first."""
    for source in _sources():
        async for row in _rows(source):
            findings = check_fields({f: row[f] for f in source.fields})
            if findings:
                yield Hit(source.target_type, row["id"], source.url(row), findings)


async def flag(hit: Hit) -> bool:
    """Reports `hit` to the moderation; False if the system flagged it before."""
    async with database.transaction():
        rows = (
            await Flag.insert(
                Flag(
                    target_type=hit.target_type.value,
                    target_id=hit.target_id,
                    reporter=None,
                    reason=FlagReason.personal_data.value,
                    text=hit.note(),
                )
            )
            .on_conflict(action="DO NOTHING")
            .returning(Flag.id)
            .run()
        )
    return bool(rows)
