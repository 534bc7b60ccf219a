"""Reminders a day before an event: the confirmed participants of a scheduled event that
begins within the next day are reminded once each. The notifications worker calls
`record_due` on every round; it records one domain event per event, which that worker then
expands into the reminders themselves.

Once per event and person: a reminder is an `event_reminder` row (unique per event and
person) inserted with ON CONFLICT DO NOTHING, and only the rows this call inserted are
recorded, so two workers, or a worker that restarts, remind nobody twice."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any, cast

from fachaustausch import database
from fachaustausch.core import clock, events
from fachaustausch.core.events import EventKind
from fachaustausch.events.tables import EventReminder, Registration

AHEAD = timedelta(days=1)


async def _candidates(now: datetime) -> set[tuple[int, int]]:
    """(event, person) of the confirmed places of events beginning within AHEAD, minus
    those reminded already: read before any write transaction is opened, so a round with
    nothing due costs two reads and no write lock."""
    event = cast(Any, Registration.event)
    rows = (
        await Registration.select(Registration.event, Registration.user)
        .where(
            (Registration.status == "confirmed")
            & (event.status == "scheduled")
            & (event.starts_at > now)
            & (event.starts_at <= now + AHEAD)
        )
        .run()
    )
    pairs = {(int(r["event"]), int(r["user"])) for r in rows}
    if not pairs:
        return set()
    done = (
        await EventReminder.select(EventReminder.event, EventReminder.user)
        .where(EventReminder.event.is_in(sorted({e for e, _ in pairs})))
        .run()
    )
    return pairs - {(int(r["event"]), int(r["user"])) for r in done}


async def record_due(now: datetime | None = None) -> int:
    """Records the reminders due at `now`; returns how many people are reminded."""
    now = now or clock.now()
    due = await _candidates(now)
    if not due:
        return 0
    async with database.transaction():
        taken = (
            await EventReminder.insert(
                *(EventReminder(event=e, user=u, created_at=now) for e, u in sorted(due))
            )
            .on_conflict(target=(EventReminder.event, EventReminder.user), action="DO NOTHING")
            .returning(EventReminder.event, EventReminder.user)
            .run()
        )
        by_event: dict[int, list[int]] = defaultdict(list)
        for r in taken:
            by_event[int(r["event"])].append(int(r["user"]))
        for event_id, users in sorted(by_event.items()):
            await events.record(
                EventKind.event_reminder, "event", event_id, None, user_ids=sorted(users)
            )
    return len(taken)
