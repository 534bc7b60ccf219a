"""A list's filters as the shape of a WHERE clause and the values bound to it; slugs are
resolved through the read cache and unknown ones refused, not ignored."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import WhereRaw

from fachaustausch.accounts.policy import Principal
from fachaustausch.accounts.tables import Authority, UserInstrument
from fachaustausch.core.errors import InvalidInput
from fachaustausch.database import read_cache
from fachaustausch.database.prepared import Param, prepared
from fachaustausch.questions import visibility
from fachaustausch.questions.models import Sort, Status
from fachaustausch.questions.tables import Question, QuestionInstrument
from fachaustausch.toolbox.tables import Cornerstone, Instrument

UNKNOWN_CORNERSTONE = "Diesen Eckpunkt gibt es nicht."
UNKNOWN_INSTRUMENT = "Dieses Instrument gibt es nicht."
UNKNOWN_AUTHORITY = "Diese Behörde ist nicht bekannt."


@dataclass(frozen=True)
class QuestionFilters:
    cornerstone: str | None = None
    instrument: str | None = None
    status: Status | None = None
    authority: str | None = None
    directed_to: str | None = None
    mine: bool = False
    for_me: bool = False


# (column, descending) per sort; the id breaks ties so the keyset order is total.
SORT_KEYS: dict[Sort, tuple[Any, str]] = {
    Sort.newest: (Question.created_at, "created_at"),
    Sort.unanswered: (Question.created_at, "created_at"),
    Sort.activity: (Question.last_activity_at, "last_activity_at"),
    Sort.votes: (Question.score, "score"),
}


def result_key(shape: tuple[Any, ...], values: dict[str, Any]) -> tuple[Any, ...]:
    """The read cache's key for what a prepared query of `shape` gives for `values`."""
    return (*shape, *sorted(values.items()))


async def id_of(table: Any, slug: str, field: str, message: str) -> int:
    """The id of the row with `slug`; an unknown slug is refused as the input `field`."""
    shape = ("id_of", table)
    by_slug = prepared(
        shape, lambda: table.select(table.id).where(table.slug == Param("slug")).limit(1)
    )
    row = await read_cache.shared(
        result_key(shape, {"slug": slug}), lambda: by_slug.first(slug=slug)
    )
    if not row:
        raise InvalidInput.for_field(field, message)
    return int(row["id"])


async def cornerstone_id(slug: str) -> int:
    return await id_of(Cornerstone, slug, "cornerstone", UNKNOWN_CORNERSTONE)


@dataclass(frozen=True)
class Where:
    """A filter set as the shape of its WHERE clause (which conditions apply: the key of
    the prepared query) and the values bound to it."""

    shape: tuple[str, ...]
    values: dict[str, Any]


async def where(viewer: Principal, filters: QuestionFilters) -> Where:
    """Resolves a filter set; unknown slugs are refused, not ignored."""
    shape: list[str] = []
    values: dict[str, Any] = {}
    if not viewer.is_moderator:
        shape.append("visible")
    if filters.cornerstone:
        shape.append("cornerstone")
        values["cornerstone"] = await cornerstone_id(filters.cornerstone)
    if filters.instrument:
        shape.append("instrument")
        values["instrument"] = await id_of(
            Instrument, filters.instrument, "instrument", UNKNOWN_INSTRUMENT
        )
    if filters.status:
        shape.append("status")
        values["status"] = filters.status.value
    if filters.authority:
        shape.append("authority")
        values["authority"] = await id_of(
            Authority, filters.authority, "authority", UNKNOWN_AUTHORITY
        )
    if filters.directed_to:
        shape.append("directed_to")
        values["directed_to"] = await id_of(
            Authority, filters.directed_to, "directed_to", UNKNOWN_AUTHORITY
        )
    if filters.mine:
        shape.append("mine")
        values["viewer"] = viewer.id
    if filters.for_me:
        shape.append("for_me")
        values["viewer"] = viewer.id
        values["viewer_authority"] = viewer.authority_id
    return Where(tuple(shape), values)


def clauses(shape: tuple[str, ...]) -> list[Any]:
    """The Piccolo conditions of a filter shape, with parameters for the values."""
    result: list[Any] = []
    for name in shape:
        if name == "visible":
            result.append(WhereRaw(visibility.question_visible()))
        elif name == "instrument" and "cornerstone" in shape:
            # Within a cornerstone, walk its questions in list order and probe each one's
            # tags (index question_instrument_once): a page costs a few dozen look-ups.
            # An IN list would fetch and sort every question of a popular instrument.
            result.append(
                WhereRaw(
                    "EXISTS (SELECT 1 FROM question_instrument WHERE "
                    "question_instrument.question = question.id AND "
                    "question_instrument.instrument = {})",
                    Param("instrument"),
                )
            )
        elif name == "instrument":
            result.append(
                Question.id.is_in(
                    QuestionInstrument.select(QuestionInstrument.question).where(
                        QuestionInstrument.instrument == Param("instrument")
                    )
                )
            )
        elif name == "mine":
            result.append(Question.author == Param("viewer"))
        elif name == "for_me":
            result.append(_routed_to())
        else:  # cornerstone, status, authority, directed_to: a column equal to the value
            result.append(getattr(Question, name) == Param(name))
    return result


def _routed_to() -> Any:
    """Unanswered questions of the viewer's instruments or directed to their authority; only
    those they can answer (not locked, not closed) and did not ask themselves."""
    mine = UserInstrument.select(UserInstrument.instrument).where(
        UserInstrument.user == Param("viewer")
    )
    tagged = QuestionInstrument.select(QuestionInstrument.question).where(
        QuestionInstrument.instrument.is_in(mine)
    )
    return (
        (Question.answer_count == 0)
        & Question.locked.eq(False)
        & (Question.closed_reason == "")
        & (Question.author != Param("viewer"))
        & (Question.id.is_in(tagged) | (Question.directed_to == Param("viewer_authority")))
    )
