"""Writing events: create, edit, cancel, register and withdraw. One function per action, each
one transaction; every permission and state check runs inside it, on the rows as they are
then. Registrations decide about a place with the event's row locked (database/locks.py), so
concurrent registrations never hand out more places than the event has."""

from __future__ import annotations

import secrets
import sqlite3
from typing import Any

import asyncpg

from fachaustausch import database
from fachaustausch.accounts.policy import Principal
from fachaustausch.accounts.tables import User
from fachaustausch.core import clock, events
from fachaustausch.core.errors import Conflict, FieldError, InvalidInput, NotFound
from fachaustausch.core.events import EventKind
from fachaustausch.core.ids import MAX_ID
from fachaustausch.core.markdown import render
from fachaustausch.core.outbox import EntityType, enqueue
from fachaustausch.database.row_lock import for_update
from fachaustausch.events import changes, policy
from fachaustausch.events.feeds import token_hash
from fachaustausch.events.guard import ensure_event_texts_anonymous
from fachaustausch.events.models import EventInput, EventPatch, Kind, ProgrammeItemInput
from fachaustausch.events.tables import (
    Event,
    EventInstrument,
    FeedToken,
    ProgrammeItem,
    Registration,
)
from fachaustausch.toolbox.tables import Cornerstone, Instrument

NOT_FOUND = "Diese Veranstaltung gibt es nicht."
ALREADY_REGISTERED = "Diese Person ist für die Veranstaltung bereits angemeldet."
NOT_REGISTERED = "Diese Person ist für die Veranstaltung nicht angemeldet."
NO_SUCH_PERSON = "Diese Person gibt es nicht."


async def _cornerstone_id(slug: str) -> int:
    row = await Cornerstone.select(Cornerstone.id).where(Cornerstone.slug == slug).first().run()
    if not row:
        raise InvalidInput.for_field("cornerstone", "Diesen Eckpunkt gibt es nicht.")
    return int(row["id"])


async def _instrument_ids(slugs: list[str]) -> list[int]:
    if not slugs:
        return []
    found = {
        r["slug"]: r["id"]
        for r in await Instrument.select(Instrument.id, Instrument.slug)
        .where(Instrument.slug.is_in(slugs))
        .run()
    }
    missing = [i for i, slug in enumerate(slugs) if slug not in found]
    if missing:
        raise InvalidInput(
            "Dieses Instrument gibt es nicht.",
            [FieldError(f"instruments.{i}", "Dieses Instrument gibt es nicht.") for i in missing],
        )
    return [found[slug] for slug in slugs]


async def _organiser_land(actor: Principal) -> str:
    row = await User.select(User.authority.land).where(User.id == actor.id).first().run()
    return str(row["authority.land"]) if row else ""


async def _replace_programme(event_id: int, items: list[ProgrammeItemInput]) -> None:
    await ProgrammeItem.delete().where(ProgrammeItem.event == event_id).run()
    if items:
        await ProgrammeItem.insert(
            *(
                ProgrammeItem(
                    event=event_id, starts_at=item.starts_at, title=item.title, position=i
                )
                for i, item in enumerate(items)
            )
        ).run()


async def _replace_instruments(event_id: int, instrument_ids: list[int]) -> None:
    await EventInstrument.delete().where(EventInstrument.event == event_id).run()
    if instrument_ids:
        await EventInstrument.insert(
            *(EventInstrument(event=event_id, instrument=i) for i in instrument_ids)
        ).run()


# --- events -----------------------------------------------------------------------------------


async def create(actor: Principal, data: EventInput) -> int:
    ensure_event_texts_anonymous(
        title=data.title,
        description=data.description,
        place=data.place,
        programme=[item.title for item in data.programme],
    )
    async with database.transaction():
        policy.ensure_may_create(actor)
        cornerstone_id = await _cornerstone_id(data.cornerstone)
        instrument_ids = await _instrument_ids(data.instruments)
        now = clock.now()
        [row] = await Event.insert(
            Event(
                kind=data.kind.value,
                title=data.title,
                description=data.description,
                description_html=render(data.description),
                starts_at=data.starts_at,
                ends_at=data.ends_at,
                place=data.place,
                online_url=data.online_url,
                land=data.land or await _organiser_land(actor),
                capacity=data.capacity,
                registration_deadline=data.registration_deadline,
                cornerstone=cornerstone_id,
                organiser=actor.id,
                created_at=now,
                updated_at=now,
            )
        ).run()
        event_id = int(row["id"])
        await _replace_instruments(event_id, instrument_ids)
        await _replace_programme(event_id, data.programme)
        await enqueue(EntityType.event, event_id)
    return event_id


async def _locked_event(event_id: int) -> dict[str, Any]:
    if not 1 <= event_id <= MAX_ID:
        raise NotFound(NOT_FOUND)
    row = (
        await for_update(
            Event.select(
                Event.id,
                Event.kind,
                Event.status,
                Event.capacity,
                Event.organiser,
                Event.starts_at,
                Event.ends_at,
                Event.registration_deadline,
                Event.place,
                Event.online_url,
                *(getattr(Event, name) for name in changes.COMPARED),
            ).where(Event.id == event_id)
        )
        .first()
        .run()
    )
    if not row:
        raise NotFound(NOT_FOUND)
    return row


async def update(actor: Principal, event_id: int, patch: EventPatch) -> None:
    """Changes what `patch` carries; `status: "cancelled"` cancels. A cancelled event is no
    longer edited. A larger capacity moves the waiting list up."""
    ensure_event_texts_anonymous(
        title=patch.title,
        description=patch.description,
        place=patch.place,
        programme=[item.title for item in patch.programme or []],
        materials=patch.materials,
    )
    async with database.transaction():
        row = await _locked_event(event_id)
        policy.ensure_may_edit(actor, row["organiser"])
        if row["status"] == "cancelled":
            raise Conflict(policy.CANCELLED)
        sent = patch.model_dump(exclude_unset=True)
        values: dict[Any, Any] = {}
        for name in ("kind", "title", "place", "online_url", "land", "capacity", "status"):
            if name in sent and sent[name] is not None:
                values[getattr(Event, name)] = sent[name]
        for name in ("starts_at", "ends_at", "registration_deadline"):
            if name in sent and sent[name] is not None:
                values[getattr(Event, name)] = getattr(patch, name)
        if patch.description is not None:
            values[Event.description] = patch.description
            values[Event.description_html] = render(patch.description)
        if patch.materials is not None:
            values[Event.materials] = patch.materials
            values[Event.materials_html] = render(patch.materials)
        merged = {**row, **{column._meta.name: value for column, value in values.items()}}
        _check_consistent(merged)
        if patch.cornerstone is not None:
            values[Event.cornerstone] = await _cornerstone_id(patch.cornerstone)
        if patch.instruments is not None:
            await _replace_instruments(event_id, await _instrument_ids(patch.instruments))
        programme_before = await changes.programme_of(event_id)
        if patch.programme is not None:
            await _replace_programme(event_id, patch.programme)
        values[Event.updated_at] = clock.now()
        values[Event.sequence] = Event.sequence + 1
        await Event.update(values).where(Event.id == event_id).run()
        await enqueue(EntityType.event, event_id)
        if merged["status"] == "cancelled":
            await events.record(EventKind.event_cancelled, "event", event_id, actor.id)
            return
        news, materials = changes.news(row, merged, programme_before, patch.programme)
        if news or materials:
            await events.record(
                EventKind.event_changed,
                "event",
                event_id,
                actor.id,
                changed=news,
                materials=materials,
            )
        await _move_up(event_id, merged["capacity"], actor.id)


def _check_consistent(event: dict[str, Any]) -> None:
    if event["ends_at"] <= event["starts_at"]:
        raise InvalidInput.for_field("ends_at", "Das Ende muss nach dem Beginn liegen.")
    if event["registration_deadline"] > event["starts_at"]:
        raise InvalidInput.for_field(
            "registration_deadline", "Die Anmeldefrist muss vor dem Beginn enden."
        )
    if event["kind"] == Kind.online and not event["online_url"]:
        raise InvalidInput.for_field(
            "online_url", "Eine Online-Veranstaltung braucht den Link zur Teilnahme."
        )
    if event["kind"] != Kind.online and not event["place"]:
        raise InvalidInput.for_field("place", "Bitte geben Sie den Ort mit Adresse an.")


async def cancel(actor: Principal, event_id: int) -> None:
    await update(actor, event_id, EventPatch(status="cancelled"))


# --- registrations ----------------------------------------------------------------------------


async def _person(actor: Principal, user_id: int | None) -> int:
    if user_id is None or user_id == actor.id:
        return actor.id
    row = (
        await User.select(User.id, User.authority, User.status)
        .where(User.id == user_id)
        .first()
        .run()
    )
    if not row or row["status"] != "active":
        raise InvalidInput.for_field("user_id", NO_SUCH_PERSON)
    policy.ensure_may_register(actor, row["id"], row["authority"])
    return int(row["id"])


async def _counts(event_id: int) -> tuple[int, int]:
    """Confirmed places taken, and the last position handed out."""
    rows = (
        await Registration.select(Registration.status, Registration.position)
        .where(Registration.event == event_id)
        .run()
    )
    confirmed = sum(1 for r in rows if r["status"] == "confirmed")
    last = max((r["position"] for r in rows), default=0)
    return confirmed, last


async def register(actor: Principal, event_id: int, user_id: int | None = None) -> str:
    """Registers the viewer or a colleague; "confirmed" while places are left, else
    "waiting"."""
    async with database.transaction():
        row = await _locked_event(event_id)
        policy.ensure_registration_open(row["status"], row["registration_deadline"], clock.now())
        person = await _person(actor, user_id)
        if (
            await Registration.exists()
            .where((Registration.event == event_id) & (Registration.user == person))
            .run()
        ):
            raise Conflict(ALREADY_REGISTERED)
        confirmed, last = await _counts(event_id)
        status = "confirmed" if confirmed < row["capacity"] else "waiting"
        try:
            await Registration.insert(
                Registration(
                    event=event_id,
                    user=person,
                    status=status,
                    position=last + 1,
                    registered_by=actor.id,
                    created_at=clock.now(),
                )
            ).run()
        except (sqlite3.IntegrityError, asyncpg.UniqueViolationError):
            raise Conflict(ALREADY_REGISTERED) from None
    return status


async def withdraw(actor: Principal, event_id: int, user_id: int | None = None) -> None:
    """Withdraws the viewer or a colleague; a place set free goes to the first waiting."""
    async with database.transaction():
        row = await _locked_event(event_id)
        person = await _person(actor, user_id)
        deleted = (
            await Registration.delete()
            .where((Registration.event == event_id) & (Registration.user == person))
            .returning(Registration.id)
            .run()
        )
        if not deleted:
            raise Conflict(NOT_REGISTERED)
        if row["status"] == "scheduled":
            await _move_up(event_id, row["capacity"], actor.id)


async def _move_up(event_id: int, capacity: int, actor_id: int) -> list[int]:
    """Confirms the first on the waiting list while places are free, and records that they
    moved up (they are told by the notifications worker); their user ids."""
    rows = (
        await Registration.select(Registration.id, Registration.user, Registration.status)
        .where(Registration.event == event_id)
        .order_by(Registration.position)
        .run()
    )
    free = capacity - sum(1 for r in rows if r["status"] == "confirmed")
    moving = [r for r in rows if r["status"] == "waiting"][: max(free, 0)]
    if moving:
        await (
            Registration.update({Registration.status: "confirmed"})
            .where(Registration.id.is_in([r["id"] for r in moving]))
            .run()
        )
        await events.record(
            EventKind.event_moved_up,
            "event",
            event_id,
            actor_id,
            user_ids=[r["user"] for r in moving],
        )
    return [r["user"] for r in moving]


# --- the personal calendar feed ---------------------------------------------------------------


async def renew_feed_token(actor: Principal) -> str:
    """A new secret for the viewer's feed; the address given out before stops working."""
    token = secrets.token_urlsafe(32)
    async with database.transaction():
        await FeedToken.delete().where(FeedToken.user == actor.id).run()
        await FeedToken.insert(
            FeedToken(user=actor.id, token_hash=token_hash(token), created_at=clock.now())
        ).run()
    return token


async def revoke_feed_token(actor: Principal) -> None:
    async with database.transaction():
        await FeedToken.delete().where(FeedToken.user == actor.id).run()
