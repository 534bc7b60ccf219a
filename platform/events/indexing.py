"""What search indexes of events, read here because the events' tables are theirs alone:
search builds its documents from these rows (`search/event_documents.py`).

Every event is a document, a cancelled one too: someone looking for a training finds that
it was cancelled (the document says so), rather than nothing. The online link is not in
it: only the confirmed participants see it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from fachaustausch.events.models import Kind
from fachaustausch.events.tables import Event, EventInstrument, ProgrammeItem


@dataclass(frozen=True)
class IndexedEvent:
    id: int
    title: str
    kind_label: str
    description: str  # Markdown
    place: str
    land: str
    programme: tuple[str, ...]
    materials: str  # Markdown
    organiser_authority: str
    cornerstone: str
    instruments: tuple[str, ...]
    cancelled: bool
    created_at: datetime


async def events(ids: Sequence[int]) -> list[IndexedEvent]:
    """The events that exist among `ids`, in three queries."""
    if not ids:
        return []
    organiser = cast(Any, Event.organiser)
    rows = (
        await Event.select(
            Event.id,
            Event.title,
            Event.kind,
            Event.description,
            Event.place,
            Event.land,
            Event.materials,
            Event.status,
            Event.created_at,
            Event.cornerstone.slug.as_alias("cornerstone"),
            organiser.authority.name.as_alias("authority"),
        )
        .where(Event.id.is_in(list(ids)))
        .order_by(Event.id)
        .run()
    )
    found = [r["id"] for r in rows]
    if not found:
        return []
    instruments: dict[int, list[str]] = defaultdict(list)
    for r in (
        await EventInstrument.select(
            EventInstrument.event, EventInstrument.instrument.slug.as_alias("slug")
        )
        .where(EventInstrument.event.is_in(found))
        .order_by(EventInstrument.id)
        .run()
    ):
        instruments[r["event"]].append(r["slug"])
    programme: dict[int, list[str]] = defaultdict(list)
    for r in (
        await ProgrammeItem.select(ProgrammeItem.event, ProgrammeItem.title)
        .where(ProgrammeItem.event.is_in(found))
        .order_by(ProgrammeItem.event, ProgrammeItem.position)
        .run()
    ):
        programme[r["event"]].append(r["title"])
    return [
        IndexedEvent(
            id=r["id"],
            title=r["title"],
            kind_label=Kind(r["kind"]).label,
            description=r["description"],
            place=r["place"],
            land=r["land"],
            programme=tuple(programme[r["id"]]),
            materials=r["materials"],
            organiser_authority=r["authority"],
            cornerstone=r["cornerstone"],
            instruments=tuple(instruments[r["id"]]),
            cancelled=r["status"] == "cancelled",
            created_at=r["created_at"],
        )
        for r in rows
    ]


async def ids_after(last_id: int, limit: int) -> list[int]:
    """The next `limit` event ids after `last_id`, for a full rebuild in batches."""
    rows = (
        await Event.select(Event.id).where(Event.id > last_id).order_by(Event.id).limit(limit).run()
    )
    return [int(r["id"]) for r in rows]


async def count() -> int:
    return int(await Event.count().run())
