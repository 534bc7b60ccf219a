"""Events in search: their own type and facet („Veranstaltungen“), found by title,
description, place and programme, kept current by the outbox on create, edit and cancel;
a cancelled event stays findable, marked „Abgesagt“. The online link is not searchable."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import Role
from tests.consultations.support import act_as
from tests.events.support import event_body
from tests.factories import ApiClient, make_user
from tests.search.test_api import settled

pytestmark = [pytest.mark.search_worker, pytest.mark.database]

SEARCH = "/api/v1/search"


async def test_events_are_documents_of_their_own_type_kept_current(client: ApiClient) -> None:
    moderator = await make_user(Role.moderator)
    await act_as(client, moderator)
    created = await client.post(
        "/api/v1/events",
        json=event_body(
            kind="online",
            place="",
            online_url="https://konferenz.example.de/geheimraum",
            title="Online-Schulung Wissenstransfer",
            description="Wie halten Sie **Erfahrungswissen** im Team?",
            programme=[{"starts_at": event_body()["starts_at"], "title": "Übergabeprotokolle"}],
        ),
    )
    assert created.status_code == 201, created.text
    event_id = created.json()["id"]
    await client.post(
        "/api/v1/questions",
        json={
            "title": "Wie sichern Sie Erfahrungswissen beim Personalwechsel?",
            "body": "Bei uns gehen viele erfahrene Kolleginnen in Rente.",
            "cornerstone": "binnenorganisation",
        },
    )
    await act_as(client, await make_user(Role.member))
    await settled()

    body = (await client.get(SEARCH, params={"q": "Erfahrungswissen"})).json()
    assert body["facets"]["type"] == {"question": 1, "event": 1}
    [hit] = [h for h in body["hits"] if h["type"] == "event"]
    assert hit["id"] == event_id
    assert hit["url"] == f"/veranstaltungen/{event_id}"
    assert hit["title"] == "Online-Schulung Wissenstransfer"
    assert hit["instruments"] == ["terminsystem"]
    assert hit["status"] is None
    assert "<mark>Erfahrungswissen</mark>" in hit["snippet_html"]
    only = (await client.get(SEARCH, params={"q": "Erfahrungswissen", "type": "event"})).json()
    assert [h["id"] for h in only["hits"]] == [event_id]
    assert (await client.get(SEARCH, params={"q": "Übergabeprotokolle"})).json()["total"] == 1
    assert (await client.get(SEARCH, params={"q": "geheimraum"})).json()["total"] == 0

    # An edit reaches the index; so does the cancellation, which marks the event.
    await act_as(client, moderator)
    response = await client.patch(
        f"/api/v1/events/{event_id}", json={"title": "Online-Schulung Fachkräftebindung"}
    )
    assert response.status_code == 200, response.text
    await settled()
    found = (await client.get(SEARCH, params={"q": "Fachkräftebindung"})).json()
    assert [h["id"] for h in found["hits"]] == [event_id]
    await client.patch(f"/api/v1/events/{event_id}", json={"status": "cancelled"})
    await settled()
    [hit] = (await client.get(SEARCH, params={"q": "Fachkräftebindung"})).json()["hits"]
    assert hit["status"] == "cancelled"


async def test_the_results_page_has_the_facet_and_marks_a_cancelled_event(
    client: ApiClient,
) -> None:
    moderator = await make_user(Role.moderator)
    await act_as(client, moderator)
    ids = []
    for region in ("Nord", "Süd"):
        title = f"Netzwerktreffen Willkommenskultur {region}"
        response = await client.post(
            "/api/v1/events", json=event_body(kind="network_meeting", title=title)
        )
        ids.append(response.json()["id"])
    await client.patch(f"/api/v1/events/{ids[1]}", json={"status": "cancelled"})
    client.logout_local()
    await client.login(await make_user(Role.member))
    await settled()

    page = await client.get("/suche", params={"q": "Willkommenskultur"})
    assert page.status_code == 200
    assert '<span class="facet__label">Veranstaltungen</span>' in page.text
    assert f'href="/veranstaltungen/{ids[0]}"' in page.text
    assert "Abgesagt" in page.text
    narrowed = await client.get(
        "/suche", params={"q": "Willkommenskultur", "typ": "veranstaltung", "status": "abgesagt"}
    )
    assert narrowed.status_code == 200
    assert f'href="/veranstaltungen/{ids[1]}"' in narrowed.text
    assert f'href="/veranstaltungen/{ids[0]}"' not in narrowed.text
    assert "Art: Veranstaltungen" in narrowed.text
