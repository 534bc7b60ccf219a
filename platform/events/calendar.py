"""Events as iCalendar (RFC 5545): one event for `/veranstaltungen/{id}.ics`, and a personal
feed that Outlook and Thunderbird subscribe to.

Times are written as Berlin wall-clock times with `TZID=Europe/Berlin`, and the calendar
carries its own VTIMEZONE, built by `icalendar` from the zoneinfo database: a client then
shows 9.00 as 9.00 on both sides of a switch to or from daylight-saving time, even where it
does not know the zone by name. The library also does the escaping (commas, semicolons,
newlines, CRLF from forms included), the line folding and the CRLF line ends.

What is written is exactly what the caller passes: an online event's link belongs in
`location` only for a registered participant's calendar."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Literal

from icalendar import Calendar, Event, Timezone, vDuration

from fachaustausch.events.times import BERLIN, to_berlin

CalendarStatus = Literal["confirmed", "cancelled"]

PRODUCT_ID = "-//Fachaustausch Willkommensbehoerden//Veranstaltungen//DE"
# How often a subscribed client asks again: edits and cancellations should arrive the same day.
FEED_REFRESH = timedelta(hours=1)
CANCELLED_PREFIX = "Abgesagt: "


@dataclass(frozen=True, slots=True, kw_only=True)
class CalendarEvent:
    """What a calendar entry shows of an event; plain values, no rows."""

    event_id: int
    title: str
    description: str  # plain text, not Markdown
    starts_at: datetime
    ends_at: datetime
    location: str | None  # place and address, or the online link for participants
    url: str  # the event's page
    organizer: str
    last_modified: datetime
    status: CalendarStatus = "confirmed"
    sequence: int = 0  # counts the edits, so clients replace their older copy

    def __post_init__(self) -> None:
        for value in (self.starts_at, self.ends_at, self.last_modified):
            if value.tzinfo is None or value.utcoffset() is None:
                raise ValueError("calendar times must be timezone-aware")
        if self.ends_at <= self.starts_at:
            raise ValueError("an event must end after it starts")
        if self.sequence < 0:
            raise ValueError("sequence counts edits and cannot be negative")


def calendar_uid(event_id: int, domain: str) -> str:
    """The UID stays the same through every edit, so clients update instead of duplicating."""
    return f"event-{event_id}@{domain}"


def event_calendar(event: CalendarEvent, *, domain: str) -> bytes:
    """One event as an `.ics` file to open or import."""
    calendar = _calendar()
    calendar.add_component(_berlin_timezone([event]))
    calendar.add_component(_vevent(event, domain))
    return _to_bytes(calendar)


def feed_calendar(events: Iterable[CalendarEvent], *, name: str, domain: str) -> bytes:
    """Several events as one subscribed calendar named `name`, with one VTIMEZONE."""
    entries = sorted(events, key=lambda event: (event.starts_at, event.event_id))
    calendar = _calendar()
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", vDuration(FEED_REFRESH), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(FEED_REFRESH))
    if entries:
        calendar.add_component(_berlin_timezone(entries))
    for event in entries:
        calendar.add_component(_vevent(event, domain))
    return _to_bytes(calendar)


def _calendar() -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    return calendar


def _berlin_timezone(events: Sequence[CalendarEvent]) -> Timezone:
    # Whole years around the events: each year then has both its switches (a STANDARD and a
    # DAYLIGHT part), and a single event's zone needs no list of further dates (RDATE).
    first_year = min(to_berlin(event.starts_at).year for event in events)
    last_year = max(to_berlin(event.ends_at).year for event in events)
    timezone = Timezone.from_tzinfo(
        BERLIN,
        tzid=BERLIN.key,
        first_date=date(first_year, 1, 1),
        last_date=date(last_year + 1, 1, 1),
    )
    # The library opens with a part that starts on the first day and changes nothing
    # (+0100 to +0100). Outlook reads one STANDARD and one DAYLIGHT part as the yearly rule and
    # could take that one for the end of summer time; before the first switch, clients use
    # the first real part's offset before it, which is the same.
    switches = [part for part in timezone.subcomponents if part.TZOFFSETFROM != part.TZOFFSETTO]
    if switches:
        timezone.subcomponents = switches
    return timezone


def _vevent(event: CalendarEvent, domain: str) -> Event:
    cancelled = event.status == "cancelled"
    changed = event.last_modified.astimezone(UTC)
    entry = Event()
    entry.add("uid", calendar_uid(event.event_id, domain))
    # The file's content changes only with the event, so its stamp is the event's last change:
    # the same version gives the same bytes.
    entry.add("dtstamp", changed)
    entry.add("last-modified", changed)
    entry.add("sequence", event.sequence)
    entry.add("dtstart", to_berlin(event.starts_at))
    entry.add("dtend", to_berlin(event.ends_at))
    # Outlook shows a subscribed event whatever its STATUS says; the title tells.
    entry.add("summary", f"{CANCELLED_PREFIX}{event.title}" if cancelled else event.title)
    entry.add("description", _description(event))
    if event.location:
        entry.add("location", event.location)
    entry.add("url", event.url)
    entry.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # A cancelled event no longer blocks the time in the reader's free/busy view.
    entry.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return entry


def _description(event: CalendarEvent) -> str:
    # ORGANIZER needs a mail address; the organiser's name goes into the text instead. Outlook
    # hides the URL property, so the link is repeated here.
    parts = [
        event.description.strip(),
        f"Veranstalter: {event.organizer}",
        f"Zur Veranstaltung: {event.url}",
    ]
    return "\n\n".join(part for part in parts if part)


def _to_bytes(calendar: Calendar) -> bytes:
    return bytes(calendar.to_ical())
