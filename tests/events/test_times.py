"""Event times in German notation on Berlin's wall clock, and ISO 8601 input with offset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from fachaustausch.events.times import (
    BERLIN,
    NO_OFFSET,
    NOT_A_DATETIME,
    OUT_OF_RANGE,
    format_event_time,
    parse_local_iso,
)


def berlin(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=BERLIN)


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "expected"),
    [
        (berlin(2015, 6, 22, 9, 15), berlin(2015, 6, 22, 12, 30), "22.06.2015, 9.15–12.30 Uhr"),
        (berlin(2026, 3, 2, 9), berlin(2026, 3, 2, 16), "02.03.2026, 9.00–16.00 Uhr"),
        (berlin(2026, 1, 5, 8, 5), berlin(2026, 1, 5, 10, 0), "05.01.2026, 8.05–10.00 Uhr"),
        (berlin(2026, 11, 3, 0, 0), berlin(2026, 11, 3, 1, 30), "03.11.2026, 0.00–1.30 Uhr"),
    ],
    ids=["issue-example", "full-hours", "leading-zero-minutes", "midnight"],
)
def test_same_day(starts_at: datetime, ends_at: datetime, expected: str) -> None:
    assert format_event_time(starts_at, ends_at) == expected


def test_several_days() -> None:
    text = format_event_time(berlin(2015, 6, 22, 9, 15), berlin(2015, 6, 23, 16))
    assert text == "22.06.2015, 9.15 Uhr – 23.06.2015, 16.00 Uhr"


def test_a_start_without_end_time_span() -> None:
    moment = berlin(2026, 5, 4, 14)
    assert format_event_time(moment, moment) == "04.05.2026, 14.00 Uhr"


def test_utc_input_is_shown_in_berlin_time() -> None:
    # Summer: UTC+2; winter: UTC+1.
    summer = format_event_time(
        datetime(2015, 6, 22, 7, 15, tzinfo=UTC), datetime(2015, 6, 22, 10, 30, tzinfo=UTC)
    )
    winter = format_event_time(
        datetime(2026, 1, 15, 8, tzinfo=UTC), datetime(2026, 1, 15, 15, tzinfo=UTC)
    )
    assert summer == "22.06.2015, 9.15–12.30 Uhr"
    assert winter == "15.01.2026, 9.00–16.00 Uhr"


def test_other_zones_are_converted_too() -> None:
    new_york = timezone(timedelta(hours=-5))
    text = format_event_time(
        datetime(2026, 1, 15, 3, tzinfo=new_york), datetime(2026, 1, 15, 10, tzinfo=new_york)
    )
    assert text == "15.01.2026, 9.00–16.00 Uhr"


def test_utc_late_evening_is_the_next_day_in_berlin() -> None:
    text = format_event_time(
        datetime(2026, 6, 30, 22, 30, tzinfo=UTC), datetime(2026, 7, 1, 8, tzinfo=UTC)
    )
    assert text == "01.07.2026, 0.30–10.00 Uhr"


def test_across_the_switch_to_summer_time() -> None:
    # Saturday 18.00 CET (17.00 UTC) to Sunday 12.00 CEST (10.00 UTC): 17 hours.
    starts_at = datetime(2026, 3, 28, 17, tzinfo=UTC)
    ends_at = datetime(2026, 3, 29, 10, tzinfo=UTC)
    assert ends_at - starts_at == timedelta(hours=17)
    assert format_event_time(starts_at, ends_at) == "28.03.2026, 18.00 Uhr – 29.03.2026, 12.00 Uhr"


def test_across_the_switch_back_to_winter_time() -> None:
    # Saturday 18.00 CEST (16.00 UTC) to Sunday 12.00 CET (11.00 UTC): 19 hours.
    starts_at = datetime(2026, 10, 24, 16, tzinfo=UTC)
    ends_at = datetime(2026, 10, 25, 11, tzinfo=UTC)
    assert ends_at - starts_at == timedelta(hours=19)
    assert format_event_time(starts_at, ends_at) == "24.10.2026, 18.00 Uhr – 25.10.2026, 12.00 Uhr"


def test_the_night_of_the_switch_shows_the_wall_clock() -> None:
    # One real hour that the clocks show as two: 1.30 CET, then 3.30 CEST.
    starts_at = datetime(2026, 3, 29, 0, 30, tzinfo=UTC)
    ends_at = datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert format_event_time(starts_at, ends_at) == "29.03.2026, 1.30–3.30 Uhr"


def test_times_without_zone_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        format_event_time(datetime(2026, 3, 2, 9), berlin(2026, 3, 2, 12))


def test_an_end_before_the_start_is_refused() -> None:
    with pytest.raises(ValueError, match="end before"):
        format_event_time(berlin(2026, 3, 2, 12), berlin(2026, 3, 2, 9))


@pytest.mark.parametrize(
    ("value", "wall_clock", "offset"),
    [
        ("2026-03-29T09:00:00+02:00", datetime(2026, 3, 29, 9), timedelta(hours=2)),
        ("2026-03-28T09:00:00+01:00", datetime(2026, 3, 28, 9), timedelta(hours=1)),
        ("2026-03-29T07:00:00Z", datetime(2026, 3, 29, 9), timedelta(hours=2)),
        ("2026-10-25T08:00:00+00:00", datetime(2026, 10, 25, 9), timedelta(hours=1)),
        # A summer date sent with the winter offset is an exact instant: 10.00 in Berlin.
        ("2026-07-01T09:00:00+01:00", datetime(2026, 7, 1, 10), timedelta(hours=2)),
        ("  2026-03-29T09:15+02:00 ", datetime(2026, 3, 29, 9, 15), timedelta(hours=2)),
    ],
)
def test_iso_with_offset_is_read_as_berlin_time(
    value: str, wall_clock: datetime, offset: timedelta
) -> None:
    parsed = parse_local_iso(value)
    assert parsed.tzinfo is BERLIN
    assert parsed.replace(tzinfo=None) == wall_clock
    assert parsed.utcoffset() == offset


def test_iso_keeps_the_instant() -> None:
    parsed = parse_local_iso("2026-03-29T09:00:00+02:00")
    assert parsed == datetime(2026, 3, 29, 7, tzinfo=UTC)


@pytest.mark.parametrize(
    "value", ["2026-03-29T09:00:00", "2026-03-29 09:00", "2026-10-25T02:30:00"]
)
def test_iso_without_offset_is_refused_in_german(value: str) -> None:
    with pytest.raises(ValueError, match="mit Zeitzone") as refused:
        parse_local_iso(value)
    assert str(refused.value) == NO_OFFSET


@pytest.mark.parametrize(
    "value", ["", "morgen früh", "2026-13-01T09:00:00+01:00", "29.03.2026 9.00", "2026-03-29"]
)
def test_what_is_no_date_and_time_is_refused_in_german(value: str) -> None:
    with pytest.raises(ValueError, match="im Format") as refused:
        parse_local_iso(value)
    assert str(refused.value) == NOT_A_DATETIME


def test_an_instant_beyond_the_calendar_is_refused_in_german() -> None:
    with pytest.raises(ValueError, match="außerhalb") as refused:
        parse_local_iso("0001-01-01T00:30:00+01:00")
    assert str(refused.value) == OUT_OF_RANGE
