"""iCalendar output: read back with the library, times checked against the file's own
VTIMEZONE (not the machine's zone database), and the RFC 5545 text rules on the raw bytes."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar, Component

from fachaustausch.events.calendar import (
    CalendarEvent,
    calendar_uid,
    event_calendar,
    feed_calendar,
)
from fachaustausch.events.times import BERLIN

DOMAIN = "fachaustausch.example"


def berlin(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


def make_event(**changes: Any) -> CalendarEvent:
    event = CalendarEvent(
        event_id=7,
        title="Netzwerktreffen Willkommenskultur",
        description="Austausch der Modellstandorte.",
        starts_at=berlin(2026, 6, 22, 9, 15),
        ends_at=berlin(2026, 6, 22, 12, 30),
        location="Ausländerbehörde Weimar, Schwanseestraße 17, 99423 Weimar",
        url=f"https://{DOMAIN}/veranstaltungen/7",
        organizer="Bundesamt für Migration und Flüchtlinge",
        last_modified=datetime(2026, 5, 4, 10, 30, tzinfo=UTC),
    )
    return replace(event, **changes)


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def only_event(calendar: Calendar) -> Component:
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def file_timezone(calendar: Calendar) -> tzinfo:
    """The zone as the file defines it; a lookup by name would test the machine instead."""
    (timezone,) = calendar.timezones
    zone = timezone.to_tz(lookup_tzid=False)
    assert not isinstance(zone, ZoneInfo)
    return zone  # type: ignore[no-any-return]


def read_back(event: Component, name: str, zone: tzinfo) -> datetime:
    """The written wall-clock time, placed on the timeline by the file's VTIMEZONE."""
    value = event.decoded(name)
    assert event[name].params["TZID"] == "Europe/Berlin"
    return value.replace(tzinfo=zone)  # type: ignore[no-any-return]


def unfold(data: bytes) -> str:
    return data.decode().replace("\r\n ", "")


def test_one_event_reads_back_with_the_library() -> None:
    calendar = parse(event_calendar(make_event(), domain=DOMAIN))
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["METHOD"]) == "PUBLISH"
    assert "Fachaustausch" in str(calendar["PRODID"])
    assert "X-WR-CALNAME" not in calendar  # an import adds an event, not a new calendar
    event = only_event(calendar)
    assert str(event["UID"]) == "event-7@fachaustausch.example"
    assert str(event["SUMMARY"]) == "Netzwerktreffen Willkommenskultur"
    assert str(event["URL"]) == "https://fachaustausch.example/veranstaltungen/7"
    assert str(event["LOCATION"]) == "Ausländerbehörde Weimar, Schwanseestraße 17, 99423 Weimar"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["TRANSP"]) == "OPAQUE"
    assert event.decoded("SEQUENCE") == 0
    assert event.decoded("DTSTAMP") == datetime(2026, 5, 4, 10, 30, tzinfo=UTC)
    assert event.decoded("LAST-MODIFIED") == datetime(2026, 5, 4, 10, 30, tzinfo=UTC)
    assert str(event["DESCRIPTION"]) == (
        "Austausch der Modellstandorte.\n\n"
        "Veranstalter: Bundesamt für Migration und Flüchtlinge\n\n"
        "Zur Veranstaltung: https://fachaustausch.example/veranstaltungen/7"
    )


def test_the_vtimezone_carries_both_switches_and_the_times_name_it() -> None:
    data = event_calendar(make_event(), domain=DOMAIN)
    calendar = parse(data)
    (timezone,) = calendar.timezones
    assert timezone.tz_name == "Europe/Berlin"
    assert len(timezone.standard) == 1
    assert len(timezone.daylight) == 1
    (summer,) = timezone.daylight
    (winter,) = timezone.standard
    to_summer = (summer.TZOFFSETFROM, summer.TZOFFSETTO)
    to_winter = (winter.TZOFFSETFROM, winter.TZOFFSETTO)
    assert to_summer == (timedelta(hours=1), timedelta(hours=2))
    assert to_winter == (timedelta(hours=2), timedelta(hours=1))
    assert summer.DTSTART.date() == datetime(2026, 3, 29).date()
    assert winter.DTSTART.date() == datetime(2026, 10, 25).date()
    text = unfold(data)
    assert "DTSTART;TZID=Europe/Berlin:20260622T091500\r\n" in text
    assert "DTEND;TZID=Europe/Berlin:20260622T123000\r\n" in text
    # The zone is defined before the event that refers to it.
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "wall_start", "wall_end", "offsets"),
    [
        (  # Saturday evening to Sunday noon across the switch to summer time
            datetime(2026, 3, 28, 17, tzinfo=UTC),
            datetime(2026, 3, 29, 10, tzinfo=UTC),
            datetime(2026, 3, 28, 18),
            datetime(2026, 3, 29, 12),
            (1, 2),
        ),
        (  # ... and across the switch back to winter time
            datetime(2026, 10, 24, 16, tzinfo=UTC),
            datetime(2026, 10, 25, 11, tzinfo=UTC),
            datetime(2026, 10, 24, 18),
            datetime(2026, 10, 25, 12),
            (2, 1),
        ),
        (  # the first morning hours of summer time
            datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
            datetime(2026, 3, 29, 3, tzinfo=UTC),
            datetime(2026, 3, 29, 3, 30),
            datetime(2026, 3, 29, 5),
            (2, 2),
        ),
        (  # the first morning hours of winter time
            datetime(2026, 10, 25, 2, 30, tzinfo=UTC),
            datetime(2026, 10, 25, 4, tzinfo=UTC),
            datetime(2026, 10, 25, 3, 30),
            datetime(2026, 10, 25, 5),
            (1, 1),
        ),
    ],
    ids=["to-summer-time", "to-winter-time", "summer-morning", "winter-morning"],
)
def test_local_times_survive_a_daylight_saving_switch(
    starts_at: datetime,
    ends_at: datetime,
    wall_start: datetime,
    wall_end: datetime,
    offsets: tuple[int, int],
) -> None:
    event = make_event(starts_at=starts_at, ends_at=ends_at)
    calendar = parse(event_calendar(event, domain=DOMAIN))
    zone = file_timezone(calendar)
    entry = only_event(calendar)
    start = read_back(entry, "DTSTART", zone)
    end = read_back(entry, "DTEND", zone)
    # Written as Berlin wall-clock times ...
    assert (start.replace(tzinfo=None), end.replace(tzinfo=None)) == (wall_start, wall_end)
    # ... which the file's own zone turns back into the same instants and duration.
    assert (start.utcoffset(), end.utcoffset()) == tuple(timedelta(hours=h) for h in offsets)
    assert start.astimezone(UTC) == starts_at
    assert end.astimezone(UTC) == ends_at
    assert end.astimezone(UTC) - start.astimezone(UTC) == ends_at - starts_at


def test_a_cancelled_event_says_so_and_replaces_the_earlier_copy() -> None:
    confirmed = make_event(sequence=2)
    cancelled = replace(confirmed, status="cancelled", sequence=3)
    before = only_event(parse(event_calendar(confirmed, domain=DOMAIN)))
    after = only_event(parse(event_calendar(cancelled, domain=DOMAIN)))
    assert str(after["UID"]) == str(before["UID"])
    assert after.decoded("SEQUENCE") == 3 > before.decoded("SEQUENCE")
    assert str(after["STATUS"]) == "CANCELLED"
    assert str(after["TRANSP"]) == "TRANSPARENT"
    assert str(after["SUMMARY"]) == "Abgesagt: Netzwerktreffen Willkommenskultur"


def test_the_same_version_gives_the_same_bytes() -> None:
    event = make_event(sequence=4)
    first = event_calendar(event, domain=DOMAIN)
    assert event_calendar(event, domain=DOMAIN) == first
    edited = replace(event, sequence=5, last_modified=datetime(2026, 5, 5, 8, tzinfo=UTC))
    entry = only_event(parse(event_calendar(edited, domain=DOMAIN)))
    assert entry.decoded("SEQUENCE") == 5
    assert entry.decoded("DTSTAMP") == datetime(2026, 5, 5, 8, tzinfo=UTC)


def test_the_uid_is_stable_per_event_and_domain() -> None:
    assert calendar_uid(7, DOMAIN) == "event-7@fachaustausch.example"
    assert calendar_uid(8, DOMAIN) != calendar_uid(7, DOMAIN)


def test_commas_semicolons_and_newlines_are_escaped() -> None:
    event = make_event(
        title="Führung, Motivation; Teil 1",
        description="Erste Zeile\r\nZweite; mit, Komma\nDritte\\Ende",
        location="Raum 2; Haus A, Weimar",
    )
    data = event_calendar(event, domain=DOMAIN)
    text = unfold(data)
    assert "SUMMARY:Führung\\, Motivation\\; Teil 1\r\n" in text
    assert "DESCRIPTION:Erste Zeile\\nZweite\\; mit\\, Komma\\nDritte\\\\Ende\\n\\n" in text
    assert "LOCATION:Raum 2\\; Haus A\\, Weimar\r\n" in text
    entry = only_event(parse(data))
    assert str(entry["SUMMARY"]) == "Führung, Motivation; Teil 1"
    assert str(entry["DESCRIPTION"]).startswith("Erste Zeile\nZweite; mit, Komma\nDritte\\Ende\n")
    assert str(entry["LOCATION"]) == "Raum 2; Haus A, Weimar"


def test_lines_end_in_crlf_and_fold_at_75_octets() -> None:
    long_text = "Gesetzliche Gestaltungsmöglichkeiten für Ausländerbehörden, Teil " * 8
    event = make_event(title=long_text.strip(), description=long_text)
    data = event_calendar(event, domain=DOMAIN)
    assert data.endswith(b"END:VCALENDAR\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert not any(b"\n" in line or b"\r" in line for line in lines)
    assert max(len(line) for line in lines) <= 75
    continuations = [line for line in lines if line.startswith(b" ")]
    assert len(continuations) >= 8
    for line in lines:
        line.decode()  # folding never splits a multi-byte character
    entry = only_event(parse(data))
    assert str(entry["SUMMARY"]) == long_text.strip()


def test_an_event_without_place_has_no_location() -> None:
    entry = only_event(parse(event_calendar(make_event(location=None), domain=DOMAIN)))
    assert "LOCATION" not in entry


def test_a_feed_holds_several_events_and_one_timezone() -> None:
    winter = make_event(
        event_id=11, starts_at=berlin(2026, 1, 20, 10), ends_at=berlin(2026, 1, 20, 16)
    )
    summer_next_year = make_event(
        event_id=12, starts_at=berlin(2027, 7, 6, 9), ends_at=berlin(2027, 7, 7, 13)
    )
    cancelled = make_event(
        event_id=13,
        status="cancelled",
        sequence=1,
        starts_at=berlin(2026, 10, 24, 18),
        ends_at=berlin(2026, 10, 25, 12),
    )
    events = [summer_next_year, cancelled, winter]
    data = feed_calendar(events, name="Meine Veranstaltungen", domain=DOMAIN)
    assert data.count(b"BEGIN:VTIMEZONE") == 1
    calendar = parse(data)
    assert str(calendar["X-WR-CALNAME"]) == "Meine Veranstaltungen"
    assert str(calendar["NAME"]) == "Meine Veranstaltungen"
    assert calendar["REFRESH-INTERVAL"].params["VALUE"] == "DURATION"
    assert calendar.decoded("REFRESH-INTERVAL") == timedelta(hours=1)
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT1H"
    assert str(calendar["METHOD"]) == "PUBLISH"
    entries = calendar.walk("VEVENT")
    assert [str(entry["UID"]) for entry in entries] == [
        "event-11@fachaustausch.example",
        "event-13@fachaustausch.example",
        "event-12@fachaustausch.example",
    ]
    assert [str(entry["STATUS"]) for entry in entries] == ["CONFIRMED", "CANCELLED", "CONFIRMED"]
    # One zone, spanning both years: every time reads back as the instant it was.
    zone = file_timezone(calendar)
    for entry, event in zip(entries, [winter, cancelled, summer_next_year], strict=True):
        assert read_back(entry, "DTSTART", zone) == event.starts_at
        assert read_back(entry, "DTEND", zone) == event.ends_at
    (timezone,) = calendar.timezones
    assert timezone.standard
    assert timezone.daylight


def test_an_empty_feed_is_still_a_calendar() -> None:
    data = feed_calendar([], name="Meine Veranstaltungen", domain=DOMAIN)
    calendar = parse(data)
    assert str(calendar["X-WR-CALNAME"]) == "Meine Veranstaltungen"
    assert calendar.walk("VEVENT") == []


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"starts_at": datetime(2026, 6, 22, 9)}, "timezone-aware"),
        ({"last_modified": datetime(2026, 5, 4, 10)}, "timezone-aware"),
        ({"ends_at": berlin(2026, 6, 22, 9, 15)}, "end after it starts"),
        ({"ends_at": berlin(2026, 6, 21, 9)}, "end after it starts"),
        ({"sequence": -1}, "cannot be negative"),
    ],
    ids=["naive-start", "naive-change", "no-duration", "ends-before-start", "negative-sequence"],
)
def test_an_impossible_event_is_refused(changes: dict[str, Any], reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        make_event(**changes)
