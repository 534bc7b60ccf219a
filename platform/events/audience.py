"""What the notifications worker asks the events domain about an event: its title and time,
whether it is cancelled, and who is registered (confirmed, waiting). The notifications
domain decides who hears of what; this module only answers about the rows."""

from __future__ import annotations

from dataclasses import dataclass

from fachaustausch.core.ids import MAX_ID
from fachaustausch.events.tables import Event, Registration
from fachaustausch.events.times import format_event_time


@dataclass(frozen=True)
class EventFacts:
    id: int
    title: str
    time_label: str
    cancelled: bool
    confirmed: frozenset[int]
    waiting: frozenset[int]

    @property
    def registered(self) -> frozenset[int]:
        return self.confirmed | self.waiting


async def event(event_id: int) -> EventFacts | None:
    """None for an id that names no event."""
    if not 1 <= event_id <= MAX_ID:
        return None
    row = (
        await Event.select(Event.id, Event.title, Event.starts_at, Event.ends_at, Event.status)
        .where(Event.id == event_id)
        .first()
        .run()
    )
    if not row:
        return None
    registrations = (
        await Registration.select(Registration.user, Registration.status)
        .where(Registration.event == event_id)
        .run()
    )
    return EventFacts(
        id=row["id"],
        title=row["title"],
        time_label=format_event_time(row["starts_at"], row["ends_at"]),
        cancelled=row["status"] == "cancelled",
        confirmed=frozenset(r["user"] for r in registrations if r["status"] == "confirmed"),
        waiting=frozenset(r["user"] for r in registrations if r["status"] == "waiting"),
    )
