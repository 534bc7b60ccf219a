"""The event pages over HTTP, without JavaScript: the list and its filters, creating through
the form (times in Berlin, the guard on texts), registering and withdrawing, the organiser's
participant list, and the calendar feed at a secret, revocable address."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from fachaustausch.accounts.policy import Role
from fachaustausch.events import service
from fachaustausch.events.tables import Event
from fachaustausch.events.times import BERLIN
from tests.events.support import make_event
from tests.factories import ApiClient, UserRecord, make_user
from tests.querycount import count_queries
from tests.web.helpers import field_error, flashes, get_page, html, post_form, sign_in

pytestmark = pytest.mark.database


async def enter(client: ApiClient, user: UserRecord) -> None:
    client.logout_local()
    await sign_in(client, user)
    await get_page(client, "/")


def _day(days: int) -> str:
    return (datetime.now(UTC).astimezone(BERLIN).date() + timedelta(days=days)).strftime("%d.%m.%Y")


FORM = {
    "kind": "site_visit",
    "title": "Besichtigung der Ausländerbehörde Weimar",
    "description": "Service-Point und Terminsystem vor Ort.",
    "start_time": "9.15",
    "end_time": "12.30",
    "place": "Ausländerbehörde Weimar, Schwanseestraße 17, 99423 Weimar",
    "capacity": "2",
    "programme": "9.15 Begrüßung\n10.00 Rundgang durch den Service-Point",
    "cornerstone": "binnenorganisation",
    "instruments": ["terminsystem", "service-point-front-office"],
}


async def test_a_moderator_creates_an_event_through_the_form(client: ApiClient) -> None:
    await enter(client, await make_user(Role.moderator))
    page = await get_page(client, "/veranstaltungen/neu")
    assert page.find("h1").text == "Veranstaltung anlegen"
    data = {**FORM, "date": _day(40), "deadline_date": _day(30)}
    response = await post_form(client, "/veranstaltungen/neu", data)
    assert response.status_code in {302, 303}, response.text
    url = response.headers["location"]
    page = await get_page(client, url)
    assert page.find("h1").text == "Besichtigung der Ausländerbehörde Weimar"
    text = page.find("main").text
    assert f"{_day(40)}, 9.15–12.30 Uhr" in text
    assert "Rundgang durch den Service-Point" in text
    assert "Schwanseestraße 17" in text
    assert page.find("a", href=f"{url}.ics").text.startswith("Zum Kalender")


async def test_the_form_keeps_what_was_typed_and_says_what_is_wrong(client: ApiClient) -> None:
    await enter(client, await make_user(Role.expert, authority="weimar"))
    data = {
        **FORM,
        "date": "31.02.2030",
        "deadline_date": _day(30),
        "description": "Fragen an Frau Müller, Tel. 0361 1234567",
    }
    response = await post_form(client, "/veranstaltungen/neu", data)
    assert response.status_code == 422
    page = html(response)
    assert "Datum" in field_error(page, "date")
    assert page.by_id("title").get("value") == FORM["title"]
    data["date"] = _day(40)
    page = html(await post_form(client, "/veranstaltungen/neu", data))
    assert "personenbezogene Daten" in field_error(page, "description")


async def test_members_may_not_open_the_form(client: ApiClient) -> None:
    await enter(client, await make_user(Role.member))
    await get_page(client, "/veranstaltungen/neu", status=403)
    page = await get_page(client, "/veranstaltungen")
    assert not page.find_all("a", href="/veranstaltungen/neu")


async def test_register_wait_and_move_up_through_the_pages(client: ApiClient) -> None:
    event_id = await make_event(await make_user(Role.moderator), capacity=1)
    url = f"/veranstaltungen/{event_id}"
    first = await make_user(Role.member, authority="essen")
    second = await make_user(Role.member, authority="kiel")
    await enter(client, first)
    response = await post_form(client, f"{url}/anmelden", page=url)
    assert response.status_code in {302, 303}
    page = await get_page(client, url)
    assert "Ihr Platz ist bestätigt" in " ".join(flashes(page))
    await enter(client, second)
    await post_form(client, f"{url}/anmelden", page=url)
    page = await get_page(client, url)
    assert "Warteliste" in page.by_id("anmeldung").text
    await enter(client, first)
    await post_form(client, f"{url}/abmelden", page=url)
    await enter(client, second)
    page = await get_page(client, url)
    assert "Sie sind angemeldet." in page.by_id("anmeldung").text


async def test_list_shows_upcoming_and_filters_by_kind_and_land(client: ApiClient) -> None:
    moderator = await make_user(Role.moderator)
    await make_event(moderator, land="Thüringen")
    await make_event(
        moderator, kind="training", title="Schulung Führung und Motivation", land="Sachsen"
    )
    await enter(client, await make_user(Role.member))
    page = await get_page(client, "/veranstaltungen")
    nav = page.find("nav", cls="site-nav").find("a", href="/veranstaltungen")
    assert nav.get("aria-current") == "page"
    assert len(page.find_all("li", cls="event-item")) == 2
    page = await get_page(client, "/veranstaltungen?art=schulung")
    assert [li.find("h2").text for li in page.find_all("li", cls="event-item")] == [
        "Schulung Führung und Motivation"
    ]
    page = await get_page(client, "/veranstaltungen?land=Th%C3%BCringen")
    assert len(page.find_all("li", cls="event-item")) == 1
    page = await get_page(client, "/veranstaltungen?zeit=vergangen")
    assert not page.find_all("li", cls="event-item")


async def test_organiser_sees_participants_others_do_not(client: ApiClient) -> None:
    organiser = await make_user(Role.expert, authority="weimar")
    event_id = await make_event(organiser)
    member = await make_user(Role.member, display_name="Anna Beispiel")
    await enter(client, member)
    url = f"/veranstaltungen/{event_id}"
    await post_form(client, f"{url}/anmelden", page=url)
    await get_page(client, f"{url}/teilnehmende", status=403)
    await enter(client, organiser)
    page = await get_page(client, f"{url}/teilnehmende")
    assert "Anna Beispiel" in page.find("table").text
    csv = await client.get(f"{url}/teilnehmende.csv")
    assert csv.text.splitlines()[1].startswith("Anna Beispiel;")


async def test_the_feed_lives_at_a_secret_address_that_can_be_revoked(client: ApiClient) -> None:
    member = await make_user(Role.member)
    event_id = await make_event(await make_user(Role.moderator))
    await enter(client, member)
    url = f"/veranstaltungen/{event_id}"
    await post_form(client, f"{url}/anmelden", page=url)
    page = html(await post_form(client, "/veranstaltungen/kalender", page="/veranstaltungen"))
    feed = page.by_id("feed-url").text
    path = feed.split("://", 1)[1].split("/", 1)[1]
    client.logout_local()  # calendar clients send no session
    response = await client.get(f"/{path}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == [
        "Besichtigung der Ausländerbehörde Weimar"
    ]
    full = await make_event(
        await make_user(Role.moderator), capacity=1, title="Ausgebuchte Schulung zum Terminsystem"
    )
    await service.register(await (await make_user(Role.member)).principal(), full)
    await service.register(await member.principal(), full)
    calendar = Calendar.from_ical((await client.get(f"/{path}")).content)
    assert sorted(str(e["summary"]) for e in calendar.walk("VEVENT")) == [
        "Besichtigung der Ausländerbehörde Weimar",
        "Warteliste: Ausgebuchte Schulung zum Terminsystem",
    ]
    # Events of a followed instrument join the feed, without their online link.
    other_topic = await make_event(
        await make_user(Role.moderator), title="Netzwerktreffen Leitbild", instruments=[]
    )
    followed = await make_event(
        await make_user(Role.moderator),
        kind="online",
        place="",
        online_url="https://konferenz.example.de/raum",
        title="Online-Schulung Terminsystem",
    )
    client.logout_local()
    await client.login_token(member)
    response = await client.put("/api/v1/notifications/follows/instrument/terminsystem")
    assert response.status_code == 204, response.text
    client.logout_local()
    feed_body = (await client.get(f"/{path}")).content
    summaries = sorted(str(e["summary"]) for e in Calendar.from_ical(feed_body).walk("VEVENT"))
    assert summaries == [
        "Besichtigung der Ausländerbehörde Weimar",
        "Online-Schulung Terminsystem",
        "Warteliste: Ausgebuchte Schulung zum Terminsystem",
    ]
    assert f"/veranstaltungen/{followed}" in feed_body.decode()
    assert f"/veranstaltungen/{other_topic}" not in feed_body.decode()
    assert b"konferenz.example.de" not in feed_body
    await enter(client, member)
    await post_form(client, "/veranstaltungen/kalender/widerrufen", page="/veranstaltungen")
    client.logout_local()
    assert (await client.get(f"/{path}")).status_code == 404


async def test_ics_parses_and_keeps_local_times_across_the_switch_to_summer_time(
    client: ApiClient,
) -> None:
    """28./29. March 2037: winter time before, summer time after; the event spans the night
    of the switch and keeps 18.00 and 12.00 on Berlin's clock."""
    moderator = await make_user(Role.moderator)
    event_id = await make_event(
        moderator,
        title="Netzwerktreffen über das Wochenende",
        kind="network_meeting",
        starts_at="2037-03-28T18:00:00+01:00",
        ends_at="2037-03-29T12:00:00+02:00",
        registration_deadline="2037-03-20T12:00:00+01:00",
    )
    await enter(client, moderator)
    response = await client.get(f"/veranstaltungen/{event_id}.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    [timezone] = calendar.walk("VTIMEZONE")
    assert str(timezone["tzid"]) == "Europe/Berlin"
    [entry] = calendar.walk("VEVENT")
    start, end = entry.decoded("dtstart"), entry.decoded("dtend")
    assert (start.hour, start.utcoffset()) == (18, timedelta(hours=1))
    assert (end.hour, end.utcoffset()) == (12, timedelta(hours=2))
    assert "TZID=Europe/Berlin:20370328T180000" in response.text
    page = await get_page(client, f"/veranstaltungen/{event_id}")
    assert "28.03.2037, 18.00 Uhr – 29.03.2037, 12.00 Uhr" in page.find("main").text


async def test_cancelling_shows_on_the_page_and_in_the_calendar(client: ApiClient) -> None:
    moderator = await make_user(Role.moderator)
    event_id = await make_event(moderator)
    await enter(client, moderator)
    url = f"/veranstaltungen/{event_id}"
    await post_form(client, f"{url}/absagen", page=url)
    page = await get_page(client, url)
    assert page.find("h1").text.startswith("Abgesagt:")
    calendar = Calendar.from_ical((await client.get(f"{url}.ics")).content)
    [entry] = calendar.walk("VEVENT")
    assert str(entry["status"]) == "CANCELLED"
    assert await Event.select(Event.status).where(Event.id == event_id).first().run() == {
        "status": "cancelled"
    }


async def test_upcoming_events_on_the_start_page_and_the_instruments_page(
    client: ApiClient,
) -> None:
    event_id = await make_event(await make_user(Role.moderator), instruments=["terminsystem"])
    await enter(client, await make_user(Role.member))
    for path in ("/", "/werkzeugkoffer/terminsystem"):
        page = await get_page(client, path)
        assert page.find("a", href=f"/veranstaltungen/{event_id}").text == (
            "Besichtigung der Ausländerbehörde Weimar"
        ), path
    page = await get_page(client, "/werkzeugkoffer/leitbild-und-handlungsleitlinien")
    assert not page.find_all("a", href=f"/veranstaltungen/{event_id}")


@pytest.mark.uncached
async def test_event_pages_cost_the_same_queries_however_many_register(
    client: ApiClient,
) -> None:
    moderator = await make_user(Role.moderator)
    event_id = await make_event(moderator, capacity=3)
    paths = [
        "/veranstaltungen",
        f"/veranstaltungen/{event_id}",
        f"/veranstaltungen/{event_id}.ics",
        f"/veranstaltungen/{event_id}/teilnehmende",
        f"/api/v1/events/{event_id}",
        f"/api/v1/events/{event_id}/participants",
    ]
    await enter(client, moderator)

    async def counts() -> dict[str, int]:
        measured = {}
        for path in paths:
            with count_queries() as counter:
                response = await client.get(path)
            assert response.status_code == 200, path
            measured[path] = counter.count
        return measured

    await service.register(await (await make_user(Role.member)).principal(), event_id)
    before = await counts()
    for n in range(8):
        person = await make_user(Role.member, authority=("essen", "kiel")[n % 2])
        await service.register(await person.principal(), event_id)
        await make_event(moderator, title=f"Weitere Besichtigung Nummer {n}")
    assert await counts() == before


async def test_the_organiser_edits_through_the_form_and_materials_show_after_the_event(
    client: ApiClient,
) -> None:
    organiser = await make_user(Role.expert, authority="weimar")
    event_id = await make_event(organiser)
    url = f"/veranstaltungen/{event_id}"
    await enter(client, organiser)
    page = await get_page(client, f"{url}/bearbeiten")
    assert page.by_id("start_time").get("value") == "9.15"
    assert page.by_id("place").get("value").startswith("Ausländerbehörde Weimar")
    values = {
        node.get("name"): node.get("value")
        for node in page.find("main").find_all("input")
        if node.get("type") not in {"checkbox", "hidden"} and node.get("name")
    }
    data = {
        **values,
        "kind": "site_visit",
        "description": "Neue Beschreibung.",
        "cornerstone": "binnenorganisation",
        "instruments": ["terminsystem"],
        "programme": "",
        "start_time": "10.00",
        "materials": "[Folien](https://example.de/folien.pdf)",
    }
    response = await post_form(client, f"{url}/bearbeiten", data, page=url)
    assert response.status_code in {302, 303}, response.text
    page = await get_page(client, url)
    assert "10.00–12.30 Uhr" in page.find("main").text
    assert not page.find_all("a", href="https://example.de/folien.pdf")  # not over yet
    await (
        Event.update(
            {
                Event.starts_at: datetime(2024, 5, 2, 8, tzinfo=UTC),
                Event.ends_at: datetime(2024, 5, 2, 10, tzinfo=UTC),
            }
        )
        .where(Event.id == event_id)
        .run()
    )
    page = await get_page(client, url)
    assert page.find("a", href="https://example.de/folien.pdf").text == "Folien"
    await enter(client, await make_user(Role.expert, authority="mainz"))
    await get_page(client, f"{url}/bearbeiten", status=403)
