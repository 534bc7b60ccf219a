"""Search documents, built in one place from the current database state.

Building from the database (never from the event that changed it) makes every update
idempotent and order-safe: applying the same outbox row twice, or two rows out of order,
leaves the index as the database is."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from datetime import datetime
from typing import Any

from fachaustausch.consultations.tables import (
    Consultation,
    ConsultationInstrument,
    ConsultationPost,
    Participant,
)
from fachaustausch.core.outbox import EntityType
from fachaustausch.database.prepared import placeholders, prepared
from fachaustausch.events import indexing
from fachaustausch.questions import visibility
from fachaustausch.questions.tables import Answer, Question, QuestionInstrument
from fachaustausch.search.backend import (
    CURRENT,
    EVERYONE,
    MODERATORS,
    OUTDATED,
    SearchDocument,
    user_principal,
)
from fachaustausch.search.event_documents import all_event_documents, event_documents
from fachaustausch.search.text import plain_text
from fachaustausch.toolbox.tables import Instrument


def document_id(entity_type: EntityType | str, entity_id: int) -> str:
    return f"{entity_type}-{entity_id}"


def _timestamp(value: datetime) -> int:
    return int(value.timestamp())


async def question_documents(ids: Sequence[int]) -> list[SearchDocument]:
    """Documents for the questions that exist among `ids`, in four queries."""
    if not ids:
        return []
    rows = (
        await Question.select(
            Question.id,
            Question.title,
            Question.status,
            Question.score,
            Question.hidden,
            Question.closed_reason,
            Question.created_at,
            Question.cornerstone.slug.as_alias("cornerstone"),
            Question.authority.kind.as_alias("authority_kind"),
        )
        .where(Question.id.is_in(list(ids)))
        .run()
    )
    if not rows:
        return []
    found = [r["id"] for r in rows]
    instruments: dict[int, list[str]] = defaultdict(list)
    for r in (
        await QuestionInstrument.select(
            QuestionInstrument.question, QuestionInstrument.instrument.slug.as_alias("slug")
        )
        .where(QuestionInstrument.question.is_in(found))
        .order_by(QuestionInstrument.id)
        .run()
    ):
        instruments[r["question"]].append(r["slug"])
    texts = await question_texts(found)
    outdated = await _outdated_questions(found)
    no_text = ("", "")  # deleted in between: the outbox row of the deletion follows
    return [
        SearchDocument(
            id=document_id(EntityType.question, r["id"]),
            type=EntityType.question.value,
            entity_id=r["id"],
            title=r["title"],
            body=texts.get(r["id"], no_text)[0],
            extra=texts.get(r["id"], no_text)[1],
            url=f"/fragen/{r['id']}",
            cornerstone=r["cornerstone"],
            instruments=tuple(instruments[r["id"]]),
            status=r["status"],
            authority_kind=r["authority_kind"],
            score=r["score"],
            created_at=_timestamp(r["created_at"]),
            # Hidden content exists for moderators only, in lists, search and counts.
            visible_to=(MODERATORS,) if r["hidden"] else (EVERYONE,),
            hidden=r["hidden"],
            currency=OUTDATED
            if r["id"] in outdated or r["closed_reason"] == "outdated"
            else CURRENT,
        )
        for r in rows
    ]


async def _outdated_questions(ids: Sequence[int]) -> set[int]:
    """The questions among `ids` whose accepted answer the content review (or the moderation)
    marked outdated: what the question says to a reader is no longer the law."""
    rows = await (
        Answer.select(Answer.question)
        .where(
            Answer.question.is_in(list(ids))
            & Answer.accepted.eq(True)
            & Answer.outdated.eq(True)
            & Answer.hidden.eq(False)
        )
        .run()
    )
    return {int(r["question"]) for r in rows}


async def question_texts(ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """Body and secondary text (its visible answers, then its visible comments) of the
    questions that exist among `ids`, in one query."""
    if not ids:
        return {}
    names = [f"q{n}" for n in range(len(ids))]
    rows = await prepared(("question_texts", len(ids)), lambda: _question_texts_query(names)).rows(
        **dict(zip(names, ids, strict=True))
    )
    bodies: dict[int, str] = {}
    extra: dict[int, list[str]] = defaultdict(list)
    for r in rows:
        if r["part"] == 0:
            bodies[r["question"]] = plain_text(r["body"])
        else:  # comments are plain text already
            extra[r["question"]].append(plain_text(r["body"]) if r["part"] == 1 else r["body"])
    return {question: (body, "\n".join(extra[question])) for question, body in bodies.items()}


def _question_texts_query(names: list[str]) -> Any:
    """Raw SQL for the UNION, which Piccolo's select lacks; the ids in each branch. Answers
    and comments as the question shows them (`visibility`): the question's own visibility
    is the document's `visible_to`."""
    in_ids, params = placeholders(names)
    sql = (
        f"SELECT id AS question, 0 AS part, id AS seq, body FROM question WHERE id IN ({in_ids}) "  # noqa: S608
        f"UNION ALL SELECT question, 1, id, body FROM answer WHERE question IN ({in_ids}) "
        f"AND {visibility.answer_shown('answer')} "
        f"UNION ALL SELECT question, 2, id, body FROM comment WHERE question IN ({in_ids}) "
        f"AND {visibility.comment_shown('comment')} ORDER BY 2, 3"
    )
    return Question.raw(sql, *params, *params, *params)


async def instrument_documents(ids: Sequence[int] | None = None) -> list[SearchDocument]:
    """The toolbox pages; all of them when `ids` is None."""
    query = Instrument.select(
        Instrument.id,
        Instrument.slug,
        Instrument.title,
        Instrument.description,
        Instrument.origin_note,
        Instrument.cornerstone.slug.as_alias("cornerstone"),
        Instrument.cornerstone.title.as_alias("cornerstone_title"),
    ).order_by(Instrument.id)
    if ids is not None:
        if not ids:
            return []
        query = query.where(Instrument.id.is_in(list(ids)))
    return [
        SearchDocument(
            id=document_id(EntityType.instrument, r["id"]),
            type=EntityType.instrument.value,
            entity_id=r["id"],
            title=r["title"],
            body=r["description"],
            extra=" ".join(filter(None, [r["cornerstone_title"], r["origin_note"]])),
            url=f"/werkzeugkoffer/{r['slug']}",
            cornerstone=r["cornerstone"],
            instruments=(r["slug"],),
            status=None,
            authority_kind=None,
            score=0,
            created_at=0,
            visible_to=(EVERYONE,),
        )
        for r in await query.run()
    ]


async def consultation_documents(ids: Sequence[int]) -> list[SearchDocument]:
    """Closed consultations only: an open one is work in progress, not a knowledge item.
    Participants-only consultations are visible to their participants and moderators."""
    if not ids:
        return []
    rows = (
        await Consultation.select(
            Consultation.id,
            Consultation.title,
            Consultation.summary,
            Consultation.key_question,
            Consultation.visibility,
            Consultation.hidden,
            Consultation.created_at,
            Consultation.cornerstone.slug.as_alias("cornerstone"),
        )
        .where(Consultation.id.is_in(list(ids)) & (Consultation.phase == "closed"))
        .run()
    )
    if not rows:
        return []
    found = [r["id"] for r in rows]
    instruments: dict[int, list[str]] = defaultdict(list)
    for r in (
        await ConsultationInstrument.select(
            ConsultationInstrument.consultation,
            ConsultationInstrument.instrument.slug.as_alias("slug"),
        )
        .where(ConsultationInstrument.consultation.is_in(found))
        .order_by(ConsultationInstrument.id)
        .run()
    ):
        instruments[r["consultation"]].append(r["slug"])
    participants: dict[int, list[str]] = defaultdict(list)
    for r in (
        await Participant.select(Participant.consultation, Participant.user)
        .where(Participant.consultation.is_in(found))
        .run()
    ):
        participants[r["consultation"]].append(user_principal(r["user"]))
    # The advice and the case giver's conclusion are what others learn from.
    extra: dict[int, list[str]] = defaultdict(list)
    for r in (
        await ConsultationPost.select(ConsultationPost.consultation, ConsultationPost.body)
        .where(
            ConsultationPost.consultation.is_in(found)
            & ConsultationPost.kind.is_in(["advice", "summary", "conclusion"])
            & ConsultationPost.hidden.eq(False)
        )
        .order_by(ConsultationPost.id)
        .run()
    ):
        extra[r["consultation"]].append(plain_text(r["body"]))

    def visible_to(row: dict[str, object]) -> tuple[str, ...]:
        if row["hidden"]:
            return (MODERATORS,)
        if row["visibility"] == "participants":
            return (*sorted(participants[int(str(row["id"]))]), MODERATORS)
        return (EVERYONE,)

    return [
        SearchDocument(
            id=document_id(EntityType.consultation, r["id"]),
            type=EntityType.consultation.value,
            entity_id=r["id"],
            title=r["title"],
            body=plain_text(f"{r['summary']}\n{r['key_question']}"),
            extra="\n".join(extra[r["id"]]),
            url=f"/fallberatungen/{r['id']}",
            cornerstone=r["cornerstone"],
            instruments=tuple(instruments[r["id"]]),
            status="closed",
            authority_kind=None,
            score=0,
            created_at=_timestamp(r["created_at"]),
            visible_to=visible_to(r),
            hidden=r["hidden"],
        )
        for r in rows
    ]


_BUILDERS = {
    EntityType.question: question_documents,
    EntityType.instrument: instrument_documents,
    EntityType.consultation: consultation_documents,
    EntityType.event: event_documents,
}
_TYPES = frozenset(t.value for t in _BUILDERS)


async def build(
    entity_type: EntityType, ids: Sequence[int]
) -> tuple[list[SearchDocument], list[str]]:
    """The documents to upsert, and the ids to delete (entities that no longer exist)."""
    builder = _BUILDERS.get(entity_type)
    if builder is None:
        return [], []
    documents = await builder(ids)
    present = {d.entity_id for d in documents}
    gone = [document_id(entity_type, i) for i in ids if i not in present]
    return documents, gone


async def texts(ids: Sequence[str]) -> dict[str, tuple[str, str]]:
    """Body and secondary text of the documents `ids` that still exist, as they would be
    indexed now: the embedded index keeps no copy of them and cuts snippets from these."""
    by_type: dict[EntityType, list[int]] = defaultdict(list)
    for document in ids:
        kind, _, number = document.rpartition("-")
        if kind in _TYPES and number.isdigit():
            by_type[EntityType(kind)].append(int(number))
    found: dict[str, tuple[str, str]] = {}
    for entity_type, numbers in by_type.items():
        if entity_type is EntityType.question:  # nearly every hit: one query, not three
            of_questions = await question_texts(numbers)
            found.update((document_id(entity_type, n), t) for n, t in of_questions.items())
            continue
        built, _gone = await build(entity_type, numbers)
        found.update((d.id, (d.body, d.extra)) for d in built)
    return found


async def all_documents(batch_size: int = 1000) -> AsyncIterator[list[SearchDocument]]:
    """Every searchable document, in batches, for a full rebuild."""
    yield await instrument_documents()
    last_id = 0
    while True:
        ids = (
            await Question.select(Question.id)
            .where(Question.id > last_id)
            .order_by(Question.id)
            .limit(batch_size)
            .output(as_list=True)
            .run()
        )
        if not ids:
            break
        yield await question_documents(ids)
        last_id = ids[-1]
    closed = (
        await Consultation.select(Consultation.id)
        .where(Consultation.phase == "closed")
        .output(as_list=True)
        .run()
    )
    for start in range(0, len(closed), batch_size):
        yield await consultation_documents(closed[start : start + batch_size])
    async for batch in all_event_documents(batch_size):
        yield batch


async def database_counts() -> dict[str, int]:
    return {
        EntityType.question.value: await Question.count().run(),
        EntityType.instrument.value: await Instrument.count().run(),
        EntityType.consultation.value: await Consultation.count()
        .where(Consultation.phase == "closed")
        .run(),
        EntityType.event.value: await indexing.count(),
    }
