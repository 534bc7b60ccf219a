"""The question lists and their status counts: one page in a fixed number of queries (no
query per item), shared through the read cache until the database changes."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from piccolo.query.functions.aggregate import Count

from fachaustausch.accounts.policy import Principal
from fachaustausch.core.errors import InvalidInput
from fachaustausch.core.keyset import Position
from fachaustausch.core.schemas import AuthorOut, CornerstoneTagOut, TagOut
from fachaustausch.database import read_cache
from fachaustausch.database.prepared import Param, prepared
from fachaustausch.questions.models import (
    AuthorityRefOut,
    QuestionSummaryOut,
    Sort,
    Status,
    StatusCountsOut,
)
from fachaustausch.questions.queries.filters import (
    SORT_KEYS,
    QuestionFilters,
    clauses,
    result_key,
    where,
)
from fachaustausch.questions.tables import Question, QuestionInstrument


def question_url(question_id: int) -> str:
    return f"/fragen/{question_id}"


def author_columns(author: Any, authority: Any) -> tuple[Any, ...]:
    """The columns `author_of` reads, from a post's author and authority (the authority the
    post was written for, or the author's own)."""
    return (
        author.id.as_alias("author_id"),
        author.display_name.as_alias("author_name"),
        authority.slug.as_alias("authority_slug"),
        authority.name.as_alias("authority_name"),
        authority.kind.as_alias("authority_kind"),
    )


def author_of(row: dict[str, Any]) -> AuthorOut:
    return AuthorOut(
        id=row["author_id"],
        display_name=row["author_name"],
        authority=row["authority_slug"],
        authority_name=row["authority_name"],
        authority_kind=row["authority_kind"],
    )


SUMMARY_COLUMNS = (
    Question.id,
    Question.title,
    Question.excerpt,
    Question.status,
    Question.score,
    Question.answer_count,
    Question.created_at,
    Question.last_activity_at,
    Question.hidden,
    Question.locked,
    Question.closed_reason,
    Question.cornerstone.slug.as_alias("cs_slug"),
    Question.cornerstone.number.as_alias("cs_number"),
    Question.cornerstone.title.as_alias("cs_title"),
    *author_columns(Question.author, Question.authority),
    Question.directed_to.slug.as_alias("directed_slug"),
    Question.directed_to.name.as_alias("directed_name"),
)


def summary(row: dict[str, Any], instruments: list[TagOut]) -> QuestionSummaryOut:
    status = Status(row["status"])
    return QuestionSummaryOut(
        id=row["id"],
        title=row["title"],
        excerpt=row["excerpt"],
        url=question_url(row["id"]),
        cornerstone=CornerstoneTagOut(
            slug=row["cs_slug"], number=row["cs_number"], title=row["cs_title"]
        ),
        instruments=instruments,
        author=author_of(row),
        directed_to=AuthorityRefOut(slug=row["directed_slug"], name=row["directed_name"])
        if row["directed_slug"]
        else None,
        status=status,
        status_label=status.label,
        score=row["score"],
        answer_count=row["answer_count"],
        created_at=row["created_at"],
        last_activity_at=row["last_activity_at"],
        hidden=row["hidden"],
        locked=row["locked"],
        closed_reason=row["closed_reason"],
    )


async def instruments_of(question_ids: list[int]) -> dict[int, list[TagOut]]:
    """The instrument tags of each question, in the order they were given: one query."""
    if not question_ids:
        return {}
    names = [f"q{n}" for n in range(len(question_ids))]
    tags_of = prepared(
        ("instruments_of", len(question_ids)),
        lambda: (
            QuestionInstrument.select(
                QuestionInstrument.question.as_alias("question_id"),
                QuestionInstrument.instrument.slug.as_alias("slug"),
                QuestionInstrument.instrument.title.as_alias("title"),
            )
            .where(QuestionInstrument.question.is_in([Param(name) for name in names]))
            .order_by(QuestionInstrument.id)
        ),
    )
    rows = await tags_of.rows(**dict(zip(names, question_ids, strict=True)))
    result: dict[int, list[TagOut]] = defaultdict(list)
    for row in rows:
        result[row["question_id"]].append(TagOut(slug=row["slug"], title=row["title"]))
    return result


def _position_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


async def list_questions(
    viewer: Principal,
    filters: QuestionFilters,
    sort: Sort = Sort.newest,
    limit: int = 20,
    after: Position | None = None,
) -> tuple[tuple[QuestionSummaryOut, ...], Position | None]:
    """One page in three queries at most (slug look-ups aside), however long the list.
    While the read cache holds the page, every caller gets the very same tuple."""
    if sort is Sort.unanswered:
        filters = QuestionFilters(**{**filters.__dict__, "status": Status.open})
    resolved = await where(viewer, filters)
    column, key = SORT_KEYS[sort]
    values = dict(resolved.values)
    if after is not None:
        value = after.value
        if key != "score":
            try:
                value = datetime.fromisoformat(str(value))
            except ValueError:
                raise InvalidInput.for_field("cursor", "Der Seitenverweis ist ungültig.") from None
        elif not isinstance(value, int):
            raise InvalidInput.for_field("cursor", "Der Seitenverweis ist ungültig.")
        values["after_value"], values["after_id"] = value, after.id

    def build() -> Any:
        query = Question.select(*SUMMARY_COLUMNS).order_by(column, Question.id, ascending=False)
        for clause in clauses(resolved.shape):
            query = query.where(clause)
        if after is not None:
            # "at most the value" first: a range the (…, sort key, id) index can seek to,
            # where the OR alone would make the database scan from the top of the list.
            query = query.where(
                (column <= Param("after_value"))
                & ((column < Param("after_value")) | (Question.id < Param("after_id")))
            )
        return query.limit(limit + 1)

    shape = ("questions", sort, resolved.shape, after is not None, limit)
    page = prepared(shape, build)

    async def load() -> tuple[tuple[QuestionSummaryOut, ...], Position | None]:
        rows = await page.rows(**values)
        more = len(rows) > limit
        rows = rows[:limit]
        instruments = await instruments_of([r["id"] for r in rows])
        items = tuple(summary(r, instruments.get(r["id"], [])) for r in rows)
        last = rows[-1] if more and rows else None
        return items, Position(_position_value(last[key]), last["id"]) if last else None

    # The rows depend on the resolved filters alone (visibility is part of the shape).
    return await read_cache.shared(result_key(shape, values), load)


async def status_counts(viewer: Principal, filters: QuestionFilters) -> StatusCountsOut:
    """Counts per status for the list's tabs, in one grouped query."""
    resolved = await where(viewer, QuestionFilters(**{**filters.__dict__, "status": None}))

    def build() -> Any:
        query = Question.select(Question.status, Count(alias="n")).group_by(Question.status)
        for clause in clauses(resolved.shape):
            query = query.where(clause)
        return query

    shape = ("status_counts", resolved.shape)
    by_status = prepared(shape, build)

    async def load() -> dict[str, int]:
        return {row["status"]: row["n"] for row in await by_status.rows(**resolved.values)}

    counts = await read_cache.shared(result_key(shape, resolved.values), load)
    return StatusCountsOut(
        all=sum(counts.values()),
        open=counts.get("open", 0),
        answered=counts.get("answered", 0),
        solved=counts.get("solved", 0),
    )
