"""Reading events: the list with its filters, one event as the viewer may see it, the
participant list for the organiser, and the calendar entries."""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from datetime import datetime
from typing import Any, Literal, cast

from fachaustausch.accounts.policy import Principal
from fachaustausch.core import clock
from fachaustausch.core.errors import InvalidInput, NotFound
from fachaustausch.core.ids import MAX_ID
from fachaustausch.core.schemas import AuthorOut, CornerstoneTagOut, TagOut
from fachaustausch.events import policy
from fachaustausch.events.models import (
    LANDS,
    AllowedOut,
    EventOut,
    EventSummaryOut,
    Kind,
    ParticipantOut,
    ProgrammeItemOut,
)
from fachaustausch.events.tables import (
    Event,
    EventInstrument,
    ProgrammeItem,
    Registration,
)
from fachaustausch.events.times import format_event_time, to_berlin
from fachaustausch.questions import queries as questions
from fachaustausch.toolbox.tables import Cornerstone, Instrument

NOT_FOUND = "Diese Veranstaltung gibt es nicht."
_SLUG = re.compile(r"[a-z0-9-]{1,120}")
When = Literal["upcoming", "past"]


def event_url(event_id: int) -> str:
    return f"/veranstaltungen/{event_id}"


_ORGANISER = cast(Any, Event.organiser)
SUMMARY_COLUMNS = (
    Event.id,
    Event.kind,
    Event.title,
    Event.starts_at,
    Event.ends_at,
    Event.place,
    Event.land,
    Event.capacity,
    Event.registration_deadline,
    Event.status,
    Event.cornerstone.slug.as_alias("cs_slug"),
    Event.cornerstone.number.as_alias("cs_number"),
    Event.cornerstone.title.as_alias("cs_title"),
    _ORGANISER.id.as_alias("o_id"),
    _ORGANISER.display_name.as_alias("o_name"),
    _ORGANISER.authority.slug.as_alias("o_authority"),
    _ORGANISER.authority.name.as_alias("o_authority_name"),
    _ORGANISER.authority.kind.as_alias("o_authority_kind"),
)


async def _tags_and_counts(
    ids: list[int],
) -> tuple[dict[int, list[TagOut]], dict[int, tuple[int, int]]]:
    """The instruments of the events, and their confirmed and waiting places, in one
    statement: the start page and an instrument's page show upcoming events, and a page's
    query count stays flat and small."""
    instruments: dict[int, list[TagOut]] = defaultdict(list)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    if not ids:
        return instruments, {}
    marks = ", ".join("{}" for _ in ids)
    rows = await EventInstrument.raw(
        "SELECT ei.event AS eid, 0 AS part, i.slug AS slug, i.title AS title, ei.id AS seq "  # noqa: S608
        f"FROM event_instrument AS ei JOIN instrument AS i ON i.id = ei.instrument "
        f"WHERE ei.event IN ({marks}) "
        "UNION ALL SELECT r.event, 1, r.status, '', COUNT(*) FROM registration AS r "
        f"WHERE r.event IN ({marks}) GROUP BY r.event, r.status ORDER BY 2, 5",
        *ids,
        *ids,
    ).run()
    for r in rows:
        if r["part"] == 0:
            instruments[r["eid"]].append(TagOut(slug=r["slug"], title=r["title"]))
        else:
            counts[r["eid"]][0 if r["slug"] == "confirmed" else 1] += int(r["seq"])
    return instruments, {k: (v[0], v[1]) for k, v in counts.items()}


def _summary(
    row: dict[str, Any], instruments: list[TagOut], counts: tuple[int, int]
) -> EventSummaryOut:
    kind = Kind(row["kind"])
    return EventSummaryOut(
        id=row["id"],
        url=event_url(row["id"]),
        kind=kind,
        kind_label=kind.label,
        title=row["title"],
        starts_at=to_berlin(row["starts_at"]),
        ends_at=to_berlin(row["ends_at"]),
        time_label=format_event_time(row["starts_at"], row["ends_at"]),
        place=row["place"],
        land=row["land"],
        capacity=row["capacity"],
        confirmed_count=counts[0],
        waiting_count=counts[1],
        registration_deadline=to_berlin(row["registration_deadline"]),
        cornerstone=CornerstoneTagOut(
            slug=row["cs_slug"], number=row["cs_number"], title=row["cs_title"]
        ),
        instruments=instruments,
        organiser=AuthorOut(
            id=row["o_id"],
            display_name=row["o_name"],
            authority=row["o_authority"],
            authority_name=row["o_authority_name"],
            authority_kind=row["o_authority_kind"],
        ),
        status=row["status"],
    )


async def list_events(
    *,
    when: When = "upcoming",
    kind: Kind | None = None,
    cornerstone: str | None = None,
    instrument: str | None = None,
    land: str | None = None,
    limit: int = 100,
) -> list[EventSummaryOut]:
    """Upcoming soonest first, past latest first; every member sees every event."""
    if cornerstone and not _SLUG.fullmatch(cornerstone):
        raise InvalidInput.for_field("cornerstone", "Diesen Eckpunkt gibt es nicht.")
    if instrument and not _SLUG.fullmatch(instrument):
        raise InvalidInput.for_field("instrument", "Dieses Instrument gibt es nicht.")
    if land and land not in LANDS:
        raise InvalidInput.for_field("land", "Bitte wählen Sie eines der sechzehn Länder.")
    now = clock.now()
    query = Event.select(*SUMMARY_COLUMNS)
    if when == "upcoming":
        query = query.where(Event.ends_at >= now).order_by(Event.starts_at, Event.id)
    else:
        query = query.where(Event.ends_at < now).order_by(Event.starts_at, ascending=False)
    if kind is not None:
        query = query.where(Event.kind == kind.value)
    if land:
        query = query.where(Event.land == land)
    if cornerstone:
        query = query.where(Event.cornerstone.slug == cornerstone)
    if instrument:
        query = query.where(
            Event.id.is_in(
                EventInstrument.select(EventInstrument.event).where(
                    EventInstrument.instrument.slug == instrument
                )
            )
        )
    rows = await query.limit(limit).run()
    if not rows:
        # Only an empty result needs to tell an unknown filter from one that matches none.
        await _ensure_known(cornerstone, instrument)
    ids = [r["id"] for r in rows]
    instruments, counts = await _tags_and_counts(ids)
    return [_summary(r, instruments.get(r["id"], []), counts.get(r["id"], (0, 0))) for r in rows]


async def _ensure_known(cornerstone: str | None, instrument: str | None) -> None:
    if cornerstone and not await Cornerstone.exists().where(Cornerstone.slug == cornerstone).run():
        raise InvalidInput.for_field("cornerstone", "Diesen Eckpunkt gibt es nicht.")
    if instrument and not await Instrument.exists().where(Instrument.slug == instrument).run():
        raise InvalidInput.for_field("instrument", "Dieses Instrument gibt es nicht.")


async def upcoming(instrument: str | None = None, limit: int = 3) -> list[EventSummaryOut]:
    """The next scheduled events, for the start page and an instrument's toolbox page."""
    events = await list_events(when="upcoming", instrument=instrument, limit=limit + 5)
    return [e for e in events if e.status == "scheduled"][:limit]


async def event_row(event_id: int, *extra: Any) -> dict[str, Any]:
    """The event's summary columns and `extra`; NotFound for an id that names none."""
    if not 1 <= event_id <= MAX_ID:
        raise NotFound(NOT_FOUND)
    row = await Event.select(*SUMMARY_COLUMNS, *extra).where(Event.id == event_id).first().run()
    if not row:
        raise NotFound(NOT_FOUND)
    return row


async def ensure_exists(event_id: int, *, field: str) -> None:
    """For a write of another domain that names an event (a question from it): the event
    must exist. Events are never deleted, so a check in the write's transaction holds."""
    if not 1 <= event_id <= MAX_ID or not await Event.exists().where(Event.id == event_id).run():
        raise InvalidInput.for_field(field, NOT_FOUND)


async def choices(*, current: int | None = None, limit: int = 60) -> list[tuple[str, str]]:
    """Events a question may name, for the ask and edit forms: the latest by start, past
    and upcoming, cancelled ones left out; plus `current` (the one already named)."""
    query = Event.select(Event.id, Event.title, Event.starts_at, Event.ends_at)
    condition: Any = Event.status == "scheduled"
    if current is not None:
        condition |= Event.id == current
    rows = (
        await query.where(condition).order_by(Event.starts_at, ascending=False).limit(limit).run()
    )
    if current is not None and all(r["id"] != current for r in rows):
        rows += (
            await Event.select(Event.id, Event.title, Event.starts_at, Event.ends_at)
            .where(Event.id == current)
            .run()
        )
    return [
        (str(r["id"]), f"{r['title']} ({format_event_time(r['starts_at'], r['ends_at'])})")
        for r in rows
    ]


async def my_registration(viewer_id: int, event_id: int) -> tuple[str | None, int | None]:
    rows = (
        await Registration.select(Registration.user, Registration.status)
        .where(Registration.event == event_id)
        .order_by(Registration.position)
        .run()
    )
    waiting = [r["user"] for r in rows if r["status"] == "waiting"]
    for r in rows:
        if r["user"] == viewer_id:
            position = waiting.index(viewer_id) + 1 if r["status"] == "waiting" else None
            return r["status"], position
    return None, None


def sees_link(viewer: Principal, organiser_id: int, mine: str | None) -> bool:
    return mine == "confirmed" or viewer.is_moderator or viewer.id == organiser_id


async def get_event(viewer: Principal, event_id: int) -> EventOut:
    row = await event_row(
        event_id,
        Event.description,
        Event.description_html,
        Event.online_url,
        Event.materials,
        Event.materials_html,
        Event.sequence,
        Event.updated_at,
    )
    instruments, counts = await _tags_and_counts([event_id])
    summary = _summary(row, instruments.get(event_id, []), counts.get(event_id, (0, 0)))
    mine, position = await my_registration(viewer.id, event_id)
    programme = [
        ProgrammeItemOut(
            starts_at=to_berlin(p["starts_at"]),
            time_label=_clock(p["starts_at"]),
            title=p["title"],
        )
        for p in await ProgrammeItem.select(ProgrammeItem.starts_at, ProgrammeItem.title)
        .where(ProgrammeItem.event == event_id)
        .order_by(ProgrammeItem.position)
        .run()
    ]
    tagged = await questions.of_event(viewer, event_id)
    now = clock.now()
    is_open = policy.registration_open(row["status"], row["registration_deadline"], now)
    editable = policy.may_edit(viewer, row["o_id"]) and row["status"] == "scheduled"
    organising = viewer.is_moderator or viewer.id == row["o_id"]
    return EventOut(
        **summary.model_dump(),
        description=row["description"],
        description_html=row["description_html"],
        online_url=row["online_url"] if sees_link(viewer, row["o_id"], mine) else None,
        programme=programme,
        materials=row["materials"],
        materials_html=row["materials_html"],
        questions=tagged,
        my_registration=cast(Any, mine),
        my_position=position,
        registration_open=is_open,
        past=row["ends_at"] < now,
        sequence=row["sequence"],
        updated_at=row["updated_at"],
        allowed=AllowedOut(
            edit=editable,
            cancel=editable,
            register_self=is_open and mine is None,
            participants=organising,
        ),
    )


def _clock(value: datetime) -> str:
    local = to_berlin(value)
    return f"{local.hour}.{local.minute:02d} Uhr"


async def participants(viewer: Principal, event_id: int) -> list[ParticipantOut]:
    """Confirmed first, then the waiting list in its order; organiser and moderation only."""
    row = await event_row(event_id)
    policy.ensure_may_see_participants(viewer, row["o_id"])
    user = cast(Any, Registration.user)
    rows = (
        await Registration.select(
            user.id.as_alias("user_id"),
            user.display_name.as_alias("name"),
            user.authority.name.as_alias("authority"),
            Registration.status,
            Registration.created_at,
        )
        .where(Registration.event == event_id)
        .order_by(Registration.position)
        .run()
    )
    ordered = [r for r in rows if r["status"] == "confirmed"] + [
        r for r in rows if r["status"] == "waiting"
    ]
    return [
        ParticipantOut(
            user_id=r["user_id"],
            display_name=r["name"],
            authority_name=r["authority"],
            status=r["status"],
            position=i + 1,
            registered_at=r["created_at"],
        )
        for i, r in enumerate(ordered)
    ]


async def participants_csv(viewer: Principal, event_id: int) -> str:
    """The confirmed participants as CSV for a list of attendance: names and authorities."""
    people = await participants(viewer, event_id)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Name", "Behörde"])
    for person in people:
        if person.status == "confirmed":
            writer.writerow([_cell(person.display_name), _cell(person.authority_name)])
    return out.getvalue()


def _cell(text: str) -> str:
    # A cell opening with a formula sign would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in {"=", "+", "-", "@"} else text
