"""Event times as people in Germany read and write them: always in Europe/Berlin.

Events are stored as instants; what a user sees is the wall-clock time in Berlin,
`22.06.2015, 9.15–12.30 Uhr`, whatever zone the instant arrived in. The API takes
local times as ISO 8601 with an offset, so an instant is never guessed."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

BERLIN = ZoneInfo("Europe/Berlin")

ISO_EXAMPLE = "2026-03-29T09:00:00+02:00"
NOT_A_DATETIME = f"Bitte geben Sie Datum und Uhrzeit im Format {ISO_EXAMPLE} an."
NO_OFFSET = (
    f"Bitte geben Sie Datum und Uhrzeit mit Zeitzone an, z. B. {ISO_EXAMPLE} (Sommerzeit) "
    "oder 2026-03-28T09:00:00+01:00 (Winterzeit)."
)
OUT_OF_RANGE = "Dieser Zeitpunkt liegt außerhalb des möglichen Zeitraums."


def to_berlin(value: datetime) -> datetime:
    """The same instant on Berlin's wall clock; a time without zone is a programming error."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("event times must be timezone-aware")
    return value.astimezone(BERLIN)


def _date(value: datetime) -> str:
    return value.strftime("%d.%m.%Y")


def _clock(value: datetime) -> str:
    # German event notation: hours without a leading zero, a full stop, minutes always two digits.
    return f"{value.hour}.{value.minute:02d}"


def format_event_time(starts_at: datetime, ends_at: datetime) -> str:
    """`22.06.2015, 9.15–12.30 Uhr` on one day, `22.06.2015, 9.15 Uhr – 23.06.2015, 16.00 Uhr`
    over several days, both in Berlin time."""
    start = to_berlin(starts_at)
    end = to_berlin(ends_at)
    if end < start:
        raise ValueError("an event cannot end before it starts")
    if start == end:
        return f"{_date(start)}, {_clock(start)} Uhr"
    if start.date() == end.date():
        return f"{_date(start)}, {_clock(start)}–{_clock(end)} Uhr"
    return f"{_date(start)}, {_clock(start)} Uhr – {_date(end)}, {_clock(end)} Uhr"


def parse_local_iso(value: str) -> datetime:
    """Read an ISO 8601 date and time with offset (`2026-03-29T09:00:00+02:00`) as Berlin time.

    A value without offset is refused rather than guessed: around the switch to and from
    daylight-saving time the same wall-clock time names two instants, or none."""
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(NOT_A_DATETIME) from None
    if "T" not in text.upper() and " " not in text:
        # A date alone parses as midnight; an event needs its time of day.
        raise ValueError(NOT_A_DATETIME)
    if parsed.tzinfo is None:
        raise ValueError(NO_OFFSET)
    try:
        return parsed.astimezone(BERLIN)
    except OverflowError:
        raise ValueError(OUT_OF_RANGE) from None
