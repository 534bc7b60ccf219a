"""Events over HTTP: who creates, edits and cancels; registration, the deadline, the waiting
list; the online link; the participant list."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.core import clock
from fachaustausch.events.tables import Event
from tests.consultations.support import act_as
from tests.events.support import event_body, local, make_event
from tests.factories import ApiClient, assert_problem, make_user

pytestmark = pytest.mark.database


async def test_moderators_and_model_site_experts_create_members_do_not(
    client: ApiClient,
) -> None:
    for role, authority in ((Role.moderator, "bamf"), (Role.expert, "weimar")):
        await act_as(client, await make_user(role, authority=authority))
        response = await client.post("/api/v1/events", json=event_body())
        assert response.status_code == 201, response.text
        body = response.json()
        assert body["kind_label"] == "Besichtigung"
        assert body["my_registration"] is None
        assert body["time_label"].endswith(", 9.15–12.30 Uhr")
        assert body["instruments"] == [{"slug": "terminsystem", "title": "Terminsystem"}]
    await act_as(client, await make_user(Role.member))
    assert_problem(await client.post("/api/v1/events", json=event_body()), 403)
    listed = (await client.get("/api/v1/events")).json()
    assert len(listed) == 2


async def test_time_without_offset_is_refused_in_german(client: ApiClient) -> None:
    await act_as(client, await make_user(Role.moderator))
    response = await client.post("/api/v1/events", json=event_body(starts_at="2030-03-29T09:00:00"))
    body = assert_problem(response, 422, fields=["starts_at"])
    assert "Zeitzone" in body["errors"][0]["message"]


async def test_personal_data_refused_but_an_office_address_is_fine(client: ApiClient) -> None:
    await act_as(client, await make_user(Role.moderator))
    response = await client.post(
        "/api/v1/events",
        json=event_body(description="Anmeldung bei Frau Müller, Tel. 0361 1234567."),
    )
    assert_problem(response, 422, fields=["description"])
    response = await client.post(
        "/api/v1/events", json=event_body(place="Zimmer von Herrn Müller, Tel. 0361 1234567")
    )
    assert_problem(response, 422, fields=["place"])
    response = await client.post("/api/v1/events", json=event_body())
    assert response.status_code == 201, response.text


async def test_edit_and_cancel_by_role(client: ApiClient) -> None:
    expert = await make_user(Role.expert, authority="weimar")
    other_expert = await make_user(Role.expert, authority="mainz")
    event_id = await make_event(expert)
    url = f"/api/v1/events/{event_id}"
    await act_as(client, await make_user(Role.member))
    assert_problem(await client.patch(url, json={"capacity": 30}), 403)
    await act_as(client, other_expert)
    assert_problem(await client.patch(url, json={"capacity": 30}), 403)
    await act_as(client, expert)
    response = await client.patch(url, json={"capacity": 30, "title": "Besichtigung in Weimar"})
    assert response.status_code == 200, response.text
    assert response.json()["capacity"] == 30
    assert response.json()["sequence"] == 1
    await act_as(client, await make_user(Role.moderator))
    response = await client.patch(url, json={"status": "cancelled"})
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "cancelled"
    assert_problem(await client.patch(url, json={"capacity": 40}), 409)
    await act_as(client, await make_user(Role.member))
    assert_problem(await client.post(f"{url}/registration"), 409, detail="abgesagt")


async def test_registration_deadline(client: ApiClient) -> None:
    moderator = await make_user(Role.moderator)
    event_id = await make_event(moderator)
    await Event.update({Event.registration_deadline: clock.now()}).where(Event.id == event_id).run()
    await act_as(client, await make_user(Role.member))
    assert_problem(
        await client.post(f"/api/v1/events/{event_id}/registration"),
        409,
        detail="Anmeldefrist ist abgelaufen",
    )


async def test_waiting_list_moves_up_when_someone_withdraws(client: ApiClient) -> None:
    event_id = await make_event(await make_user(Role.moderator), capacity=2)
    url = f"/api/v1/events/{event_id}"
    people = [await make_user(Role.member, authority=a) for a in ("essen", "kiel", "mainz")]
    statuses = []
    for person in people:
        await act_as(client, person)
        response = await client.post(f"{url}/registration")
        assert response.status_code == 201, response.text
        statuses.append(response.json()["status"])
    assert statuses == ["confirmed", "confirmed", "waiting"]
    assert (await client.get(url)).json()["my_registration"] == "waiting"
    assert_problem(await client.post(f"{url}/registration"), 409)
    await act_as(client, people[0])
    assert (await client.delete(f"{url}/registration")).status_code == 204
    assert (await client.get(url)).json()["my_registration"] is None
    await act_as(client, people[2])
    assert (await client.get(url)).json()["my_registration"] == "confirmed"
    assert_problem(await client.delete(f"{url}/registration?user_id={people[1].id}"), 403)


async def test_registering_a_colleague_of_ones_own_authority_only(client: ApiClient) -> None:
    event_id = await make_event(await make_user(Role.moderator))
    url = f"/api/v1/events/{event_id}/registration"
    me = await make_user(Role.member, authority="essen")
    colleague = await make_user(Role.member, authority="essen")
    stranger = await make_user(Role.member, authority="kiel")
    await act_as(client, me)
    response = await client.post(url, json={"user_id": colleague.id})
    assert response.status_code == 201, response.text
    assert_problem(await client.post(url, json={"user_id": stranger.id}), 403)
    await act_as(client, colleague)
    assert (await client.get(f"/api/v1/events/{event_id}")).json()["my_registration"] == "confirmed"


async def test_online_link_only_for_confirmed_participants(client: ApiClient) -> None:
    organiser = await make_user(Role.expert, authority="weimar")
    event_id = await make_event(
        organiser,
        kind="online",
        place="",
        online_url="https://konferenz.example.de/raum/42",
        capacity=1,
    )
    url = f"/api/v1/events/{event_id}"
    first, second = await make_user(Role.member), await make_user(Role.member)
    await act_as(client, first)
    assert (await client.get(url)).json()["online_url"] is None
    assert "konferenz" not in (await client.get(f"/veranstaltungen/{event_id}.ics")).text
    await client.post(f"{url}/registration")
    assert (await client.get(url)).json()["online_url"] == "https://konferenz.example.de/raum/42"
    assert "konferenz.example.de" in (await client.get(f"/veranstaltungen/{event_id}.ics")).text
    await act_as(client, second)
    await client.post(f"{url}/registration")  # waiting: no link yet
    assert (await client.get(url)).json()["online_url"] is None
    await act_as(client, organiser)
    assert (await client.get(url)).json()["online_url"] is not None


async def test_participants_for_the_organiser_with_a_csv_of_names_and_authorities(
    client: ApiClient,
) -> None:
    organiser = await make_user(Role.expert, authority="weimar")
    event_id = await make_event(organiser, capacity=1)
    url = f"/api/v1/events/{event_id}"
    first = await make_user(Role.member, authority="essen", display_name="Anna Beispiel")
    second = await make_user(Role.member, authority="kiel", display_name="Bernd Muster")
    for person in (first, second):
        await act_as(client, person)
        await client.post(f"{url}/registration")
    assert_problem(await client.get(f"{url}/participants"), 403)
    assert_problem(await client.get(f"{url}/participants.csv"), 403)
    await act_as(client, organiser)
    listed = (await client.get(f"{url}/participants")).json()
    assert [(p["display_name"], p["status"]) for p in listed] == [
        ("Anna Beispiel", "confirmed"),
        ("Bernd Muster", "waiting"),
    ]
    response = await client.get(f"{url}/participants.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    lines = response.text.strip().splitlines()
    assert lines[0] == "Name;Behörde"
    assert lines[1].startswith("Anna Beispiel;")
    assert len(lines) == 2
    assert "@" not in response.text


async def test_list_filters_and_past_events(client: ApiClient) -> None:
    moderator = await make_user(Role.moderator)
    await make_event(moderator, land="Thüringen")
    await make_event(
        moderator,
        kind="training",
        title="Schulung Führung und Motivation",
        cornerstone="kompetenzen-mitarbeitende",
        instruments=[],
        land="Sachsen",
    )
    past = await make_event(moderator, title="Netzwerktreffen im letzten Jahr")
    await (
        Event.update(
            {
                Event.starts_at: clock.now().replace(year=2024),
                Event.ends_at: clock.now().replace(year=2024),
            }
        )
        .where(Event.id == past)
        .run()
    )
    await act_as(client, await make_user(Role.member))

    async def titles(query: str) -> list[str]:
        response = await client.get(f"/api/v1/events?{query}")
        assert response.status_code == 200, response.text
        return [e["title"] for e in response.json()]

    assert len(await titles("")) == 2
    assert await titles("kind=training") == ["Schulung Führung und Motivation"]
    assert await titles("land=Th%C3%BCringen") == ["Besichtigung der Ausländerbehörde Weimar"]
    assert await titles("instrument=terminsystem") == ["Besichtigung der Ausländerbehörde Weimar"]
    assert await titles("cornerstone=kompetenzen-mitarbeitende") == [
        "Schulung Führung und Motivation"
    ]
    assert await titles("when=past") == ["Netzwerktreffen im letzten Jahr"]
    assert_problem(await client.get("/api/v1/events?land=Atlantis"), 422)


async def test_deadline_after_start_is_refused(client: ApiClient) -> None:
    await act_as(client, await make_user(Role.moderator))
    response = await client.post("/api/v1/events", json=event_body(registration_deadline=local(31)))
    assert_problem(response, 422)


async def test_patch_keeps_times_in_order_and_more_places_move_the_list_up(
    client: ApiClient,
) -> None:
    moderator = await make_user(Role.moderator)
    event_id = await make_event(moderator, capacity=1)
    url = f"/api/v1/events/{event_id}"
    waiting = await make_user(Role.member, authority="kiel")
    for person in (await make_user(Role.member, authority="essen"), waiting):
        await act_as(client, person)
        await client.post(f"{url}/registration")
    await act_as(client, moderator)
    response = await client.patch(url, json={"ends_at": local(29)})
    assert_problem(response, 422, fields=["ends_at"])
    response = await client.patch(url, json={"capacity": 2})
    assert response.status_code == 200, response.text
    assert response.json()["confirmed_count"] == 2
    await act_as(client, waiting)
    assert (await client.get(url)).json()["my_registration"] == "confirmed"


async def test_feed_token_through_the_api_is_revocable_and_renewing_replaces_it(
    client: ApiClient,
) -> None:
    member = await make_user(Role.member)
    await act_as(client, member)
    first = (await client.post("/api/v1/calendar-feed")).json()["url"]
    second = (await client.post("/api/v1/calendar-feed")).json()["url"]
    assert first != second
    client.logout_local()
    paths = [url.split("://", 1)[1].split("/", 1)[1] for url in (first, second)]
    assert (await client.get(f"/{paths[0]}")).status_code == 404
    assert (await client.get(f"/{paths[1]}")).status_code == 200
    await act_as(client, member)
    assert (await client.delete("/api/v1/calendar-feed")).status_code == 204
    client.logout_local()
    assert (await client.get(f"/{paths[1]}")).status_code == 404
    assert (await client.get("/veranstaltungen/kalender/kurz.ics")).status_code == 404
