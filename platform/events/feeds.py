"""Reading events for calendars: one event's entry as the viewer may see it, and a person's
subscribed feed behind its secret address."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from fachaustausch.accounts.policy import Principal
from fachaustausch.core import clock
from fachaustausch.events.calendar import CalendarEvent
from fachaustausch.events.models import Kind
from fachaustausch.events.queries import (
    SUMMARY_COLUMNS,
    event_row,
    event_url,
    my_registration,
    sees_link,
)
from fachaustausch.events.tables import Event, EventInstrument, FeedToken, Registration

# Events of followed topics that ended longer ago than this leave the feed; one's own
# registrations stay.
FOLLOWED_HISTORY = timedelta(days=30)
# At most this many events of followed topics, the latest by start.
MAX_FOLLOWED = 200


def feed_url(base_url: str, token: str) -> str:
    return f"{base_url}/veranstaltungen/kalender/{token}.ics"


def token_hash(token: str) -> str:
    """Only the hash of a feed's secret is stored; the address carries the secret itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def _calendar_entry(row: dict[str, Any], sees_link: bool, base_url: str) -> CalendarEvent:
    if row["kind"] == Kind.online:
        location = (row["online_url"] if sees_link else "") or None
    else:
        location = row["place"] or None
    return CalendarEvent(
        event_id=row["id"],
        title=row["title"],
        description=row["description"],
        starts_at=row["starts_at"],
        ends_at=row["ends_at"],
        location=location,
        url=base_url + event_url(row["id"]),
        organizer=f"{row['o_name']} ({row['o_authority_name']})",
        last_modified=row["updated_at"],
        status="cancelled" if row["status"] == "cancelled" else "confirmed",
        sequence=row["sequence"],
    )


_CALENDAR_COLUMNS = (Event.description, Event.online_url, Event.sequence, Event.updated_at)


async def calendar_entry(viewer: Principal, event_id: int, base_url: str) -> CalendarEvent:
    row = await event_row(event_id, *_CALENDAR_COLUMNS)
    mine, _ = await my_registration(viewer.id, event_id)
    return _calendar_entry(row, sees_link(viewer, row["o_id"], mine), base_url)


async def feed_owner(token: str) -> int | None:
    """Whose feed the secret opens; None for an unknown or revoked one."""
    if not 20 <= len(token) <= 100:
        return None
    row = (
        await FeedToken.select(FeedToken.user)
        .where(FeedToken.token_hash == token_hash(token))
        .first()
        .run()
    )
    return int(row["user"]) if row else None


async def has_feed(viewer: Principal) -> bool:
    return bool(await FeedToken.exists().where(FeedToken.user == viewer.id).run())


def _followed(followed: Mapping[str, Sequence[int]]) -> Any:
    """The condition for events of the followed cornerstones and instruments, or None."""
    condition: Any = None
    if followed.get("cornerstone"):
        condition = Event.cornerstone.is_in(list(followed["cornerstone"]))
    if followed.get("instrument"):
        tagged = Event.id.is_in(
            EventInstrument.select(EventInstrument.event).where(
                EventInstrument.instrument.is_in(list(followed["instrument"]))
            )
        )
        condition = tagged if condition is None else condition | tagged
    return condition


async def feed_entries(
    user_id: int, base_url: str, followed: Mapping[str, Sequence[int]] | None = None
) -> list[CalendarEvent]:
    """The person's registrations, waiting ones included, and cancelled events too, so the
    client learns of the cancellation; and the events of the topics they follow (`followed`:
    instrument and cornerstone ids by topic type). The online link appears for a confirmed
    place only."""
    mine = {
        r["event"]: r["status"]
        for r in await Registration.select(Registration.event, Registration.status)
        .where(Registration.user == user_id)
        .run()
    }
    rows = []
    if mine:
        rows = (
            await Event.select(*SUMMARY_COLUMNS, *_CALENDAR_COLUMNS)
            .where(Event.id.is_in(list(mine)))
            .run()
        )
    topics = _followed(followed or {})
    if topics is not None:
        rows += [
            r
            for r in await Event.select(*SUMMARY_COLUMNS, *_CALENDAR_COLUMNS)
            .where(topics & (Event.ends_at >= clock.now() - FOLLOWED_HISTORY))
            .order_by(Event.starts_at, ascending=False)
            .limit(MAX_FOLLOWED)
            .run()
            if r["id"] not in mine
        ]
    entries = []
    for r in rows:
        confirmed = mine.get(r["id"]) == "confirmed"
        if mine.get(r["id"]) == "waiting":
            # A place on the waiting list is no place yet; the title says so.
            r = {**r, "title": f"Warteliste: {r['title']}"}
        entries.append(_calendar_entry(r, confirmed, base_url))
    return entries
