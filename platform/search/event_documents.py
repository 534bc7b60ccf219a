"""Events (Veranstaltungen) as search documents, built from what the events domain reads
for search (`events.indexing`): their type is "event", every member sees them, and a
cancelled one stays findable with the status "cancelled" (shown as „Abgesagt“)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence

from fachaustausch.core.outbox import EntityType
from fachaustausch.events import indexing
from fachaustausch.search.backend import EVERYONE, SearchDocument
from fachaustausch.search.text import plain_text

CANCELLED = "cancelled"


def event_document_id(event_id: int) -> str:
    return f"{EntityType.event.value}-{event_id}"


async def event_documents(ids: Sequence[int]) -> list[SearchDocument]:
    return [
        SearchDocument(
            id=event_document_id(e.id),
            type=EntityType.event.value,
            entity_id=e.id,
            title=e.title,
            body=plain_text(e.description),
            # What else someone may search an event by: its kind, place, programme and
            # organising authority, and the materials linked after it.
            extra="\n".join(
                filter(
                    None,
                    [
                        e.kind_label,
                        e.place,
                        e.land,
                        e.organiser_authority,
                        *e.programme,
                        plain_text(e.materials),
                    ],
                )
            ),
            url=f"/veranstaltungen/{e.id}",
            cornerstone=e.cornerstone,
            instruments=e.instruments,
            status=CANCELLED if e.cancelled else None,
            authority_kind=None,
            score=0,
            created_at=int(e.created_at.timestamp()),
            visible_to=(EVERYONE,),
        )
        for e in await indexing.events(ids)
    ]


async def all_event_documents(batch_size: int) -> AsyncIterator[list[SearchDocument]]:
    last_id = 0
    while ids := await indexing.ids_after(last_id, batch_size):
        yield await event_documents(ids)
        last_id = ids[-1]
