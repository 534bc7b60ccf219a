"""Capacity without races: many registrations at once never hand out more places than there
are, on SQLite and on PostgreSQL (the event's row is locked while a place is decided)."""

from __future__ import annotations

import asyncio

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.events import service
from fachaustausch.events.tables import Registration
from tests.events.support import make_event
from tests.factories import make_user

pytestmark = pytest.mark.database

AUTHORITIES = ("essen", "kiel", "mainz", "koeln", "dresden")


async def test_fifty_concurrent_registrations_for_twenty_places(settings: object) -> None:
    event_id = await make_event(await make_user(Role.moderator), capacity=20)
    people = [
        await (await make_user(Role.member, authority=AUTHORITIES[n % 5])).principal()
        for n in range(50)
    ]
    results = await asyncio.gather(*(service.register(p, event_id) for p in people))
    assert results.count("confirmed") == 20
    assert results.count("waiting") == 30
    rows = (
        await Registration.select(Registration.status, Registration.position)
        .where(Registration.event == event_id)
        .run()
    )
    assert sum(1 for r in rows if r["status"] == "confirmed") == 20
    assert sorted(r["position"] for r in rows) == list(range(1, 51))
    # Everyone confirmed arrived before everyone waiting.
    confirmed = max(r["position"] for r in rows if r["status"] == "confirmed")
    waiting = min(r["position"] for r in rows if r["status"] == "waiting")
    assert confirmed < waiting


async def test_concurrent_withdrawals_move_exactly_as_many_up(settings: object) -> None:
    event_id = await make_event(await make_user(Role.moderator), capacity=5)
    people = [
        await (await make_user(Role.member, authority=AUTHORITIES[n % 5])).principal()
        for n in range(12)
    ]
    for person in people:
        await service.register(person, event_id)
    await asyncio.gather(*(service.withdraw(p, event_id) for p in people[:4]))
    rows = (
        await Registration.select(Registration.user, Registration.status)
        .where(Registration.event == event_id)
        .order_by(Registration.position)
        .run()
    )
    assert [r["status"] for r in rows] == ["confirmed"] * 5 + ["waiting"] * 3
    assert [r["user"] for r in rows[:5]] == [p.id for p in people[4:9]]


async def test_double_registration_at_once_registers_once(settings: object) -> None:
    event_id = await make_event(await make_user(Role.moderator), capacity=5)
    person = await (await make_user(Role.member)).principal()
    results = await asyncio.gather(
        *(service.register(person, event_id) for _ in range(4)), return_exceptions=True
    )
    assert [r for r in results if r == "confirmed"] == ["confirmed"]
    assert await Registration.count().where(Registration.event == event_id).run() == 1
