"""Who hears of an event's changes: an edit and a cancellation reach everyone registered
(the waiting list too), new materials the confirmed participants, moving up the one who
moved up, the reminder a day before the confirmed participants, once. Nobody else hears of
it, the one who acted neither; the kinds mail at once, and can be switched off."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.core import clock
from fachaustausch.events import reminders
from fachaustausch.events.times import BERLIN
from fachaustausch.settings import Settings
from tests.events.support import local, make_event
from tests.factories import ApiClient, UserRecord, make_user, sent_mails
from tests.notifications.support import API, as_user, drain, inbox

pytestmark = pytest.mark.database


async def _register(client: ApiClient, event_id: int, *people: UserRecord) -> list[str]:
    statuses = []
    for person in people:
        await as_user(client, person)
        response = await client.post(f"/api/v1/events/{event_id}/registration")
        assert response.status_code == 201, response.text
        statuses.append(response.json()["status"])
    return statuses


async def _about(client: ApiClient, user: UserRecord, event_id: int) -> list[dict[str, Any]]:
    """The person's notifications about the event."""
    items = (await inbox(client, user))["items"]
    return [i for i in items if i["target"] == {"type": "event", "id": event_id}]


async def _people(n: int) -> list[UserRecord]:
    return [await make_user(Role.member, authority=a) for a in ("essen", "kiel", "mainz")[:n]]


def _mails_to(settings: Settings, user: UserRecord) -> list[Any]:
    mails = sent_mails(settings.mail_dir)
    return [m for m in mails if m["To"].addresses[0].addr_spec == user.email]


async def test_an_edit_tells_everyone_registered_and_mails_them_at_once(
    client: ApiClient, settings: Settings
) -> None:
    organiser = await make_user(Role.expert, authority="weimar")
    event_id = await make_event(organiser, capacity=1)
    confirmed, waiting, stranger = await _people(3)
    assert await _register(client, event_id, confirmed, waiting) == ["confirmed", "waiting"]
    await as_user(client, organiser)
    # The organiser registered themself too: they made the change and hear nothing of it.
    response = await client.patch(
        f"/api/v1/events/{event_id}",
        json={
            "starts_at": local(31, 10),
            "ends_at": local(31, 13),
            "place": "Ausländerbehörde Weimar, Schwanseestraße 19, 99423 Weimar",
        },
    )
    assert response.status_code == 200, response.text
    await drain(settings)

    for person in (confirmed, waiting):
        [item] = await _about(client, person, event_id)
        assert item["kind"] == "event_changed"
        assert item["text"].startswith("Die Veranstaltung „Besichtigung der Ausländerbehörde")
        assert item["text"].endswith("wurde geändert: Zeit, Ort")
        assert ", 10.00–13.00 Uhr" in item["text"]
        [mail] = _mails_to(settings, person)
        assert "wurde geändert: Zeit, Ort" in mail["Subject"]
    assert await _about(client, stranger, event_id) == []
    assert await _about(client, organiser, event_id) == []


async def test_capacity_alone_is_no_news_and_materials_reach_the_confirmed_only(
    client: ApiClient, settings: Settings
) -> None:
    moderator = await make_user(Role.moderator)
    event_id = await make_event(moderator, capacity=1)
    confirmed, waiting = await _people(2)
    await _register(client, event_id, confirmed, waiting)
    await as_user(client, moderator)
    await client.patch(f"/api/v1/events/{event_id}", json={"registration_deadline": local(25)})
    await drain(settings)
    assert await _about(client, confirmed, event_id) == []

    await as_user(client, moderator)
    response = await client.patch(
        f"/api/v1/events/{event_id}",
        json={"materials": "[Folien](https://www.bamf.de/folien.pdf)"},
    )
    assert response.status_code == 200, response.text
    await drain(settings)
    [item] = await _about(client, confirmed, event_id)
    assert item["text"].endswith("gibt es neue Materialien")
    assert await _about(client, waiting, event_id) == []


async def test_a_cancellation_tells_everyone_registered(
    client: ApiClient, settings: Settings
) -> None:
    moderator = await make_user(Role.moderator)
    event_id = await make_event(moderator, capacity=1)
    confirmed, waiting, stranger = await _people(3)
    await _register(client, event_id, confirmed, waiting)
    await as_user(client, moderator)
    response = await client.patch(f"/api/v1/events/{event_id}", json={"status": "cancelled"})
    assert response.status_code == 200, response.text
    await drain(settings)
    for person in (confirmed, waiting):
        [item] = await _about(client, person, event_id)
        assert item["kind"] == "event_changed"
        assert item["text"].endswith("wurde abgesagt")
    assert await _about(client, stranger, event_id) == []
    assert await _about(client, moderator, event_id) == []


async def test_moving_up_tells_the_one_who_moved_up_only(
    client: ApiClient, settings: Settings
) -> None:
    moderator = await make_user(Role.moderator)
    event_id = await make_event(moderator, capacity=2)
    first, second, third = await _people(3)
    fourth = await make_user(Role.member, authority="essen")
    assert await _register(client, event_id, first, second, third, fourth) == [
        "confirmed", "confirmed", "waiting", "waiting",
    ]  # fmt: skip
    await as_user(client, first)
    assert (await client.delete(f"/api/v1/events/{event_id}/registration")).status_code == 204
    await drain(settings)
    [item] = await _about(client, third, event_id)
    assert item["kind"] == "event_moved_up"
    assert item["text"].startswith("Ein Platz ist frei geworden")
    assert "ist jetzt bestätigt" in item["text"]
    assert _mails_to(settings, third)
    opened = await client.get(item["url"], follow_redirects=False)
    assert opened.headers["location"].endswith(f"/veranstaltungen/{event_id}")
    for person in (first, second, fourth):
        assert await _about(client, person, event_id) == []

    # More places move the list up as well.
    await as_user(client, moderator)
    await client.patch(f"/api/v1/events/{event_id}", json={"capacity": 3})
    await drain(settings)
    assert [i["kind"] for i in await _about(client, fourth, event_id)] == ["event_moved_up"]
    assert len(await _about(client, third, event_id)) == 1


async def test_the_kinds_can_be_switched_off(client: ApiClient, settings: Settings) -> None:
    moderator = await make_user(Role.moderator)
    event_id = await make_event(moderator)
    [person] = await _people(1)
    await _register(client, event_id, person)
    response = await client.put(f"{API}/settings", json={"settings": {"event_changed": "off"}})
    assert response.status_code == 200, response.text
    labels = {s["kind"]: s["label"] for s in response.json()["settings"]}
    assert labels["event_reminder"].startswith("Erinnerung einen Tag vor")
    await as_user(client, moderator)
    await client.patch(f"/api/v1/events/{event_id}", json={"title": "Besuch in Weimar"})
    await drain(settings)
    assert await _about(client, person, event_id) == []


def _soon(hours: float) -> str:
    moment = (clock.now() + timedelta(hours=hours)).astimezone(BERLIN)
    return moment.replace(second=0, microsecond=0).isoformat()


async def test_a_reminder_a_day_before_for_the_confirmed_once(
    client: ApiClient, settings: Settings
) -> None:
    moderator = await make_user(Role.moderator)
    tomorrow = await make_event(
        moderator,
        capacity=1,
        starts_at=_soon(20),
        ends_at=_soon(23),
        registration_deadline=_soon(2),
    )
    later = await make_event(moderator, title="Netzwerktreffen Nord")
    confirmed, waiting, other = await _people(3)
    assert await _register(client, tomorrow, confirmed, waiting) == ["confirmed", "waiting"]
    await _register(client, later, other)
    # Two workers at once: one of them reminds.
    assert sorted(await asyncio.gather(reminders.record_due(), reminders.record_due())) == [0, 1]
    await drain(settings)
    await drain(settings)
    [item] = await _about(client, confirmed, tomorrow)
    assert item["kind"] == "event_reminder"
    assert item["text"].startswith("Erinnerung: Die Veranstaltung „Besichtigung")
    assert await _about(client, waiting, tomorrow) == []
    assert await _about(client, other, later) == []

    # Withdrawing and registering again, and workers side by side, remind nobody twice.
    await as_user(client, confirmed)
    await client.delete(f"/api/v1/events/{tomorrow}/registration")
    await drain(settings)
    assert [i["kind"] for i in await _about(client, waiting, tomorrow)] == [
        "event_reminder",
        "event_moved_up",
    ]
    await as_user(client, confirmed)
    await client.post(f"/api/v1/events/{tomorrow}/registration")
    await as_user(client, waiting)
    await client.delete(f"/api/v1/events/{tomorrow}/registration")
    assert await reminders.record_due() == 0
    await drain(settings)
    kinds = [i["kind"] for i in await _about(client, confirmed, tomorrow)]
    assert kinds.count("event_reminder") == 1
    assert (await drain(settings)).events == 0


async def test_no_reminder_for_a_cancelled_event(client: ApiClient, settings: Settings) -> None:
    moderator = await make_user(Role.moderator)
    event_id = await make_event(
        moderator, starts_at=_soon(5), ends_at=_soon(7), registration_deadline=_soon(1)
    )
    [person] = await _people(1)
    await _register(client, event_id, person)
    await as_user(client, moderator)
    await client.patch(f"/api/v1/events/{event_id}", json={"status": "cancelled"})
    await drain(settings)
    assert [i["kind"] for i in await _about(client, person, event_id)] == ["event_changed"]
