"""„Fragen aus dieser Veranstaltung“: a question names the event it came from (the
questions domain owns the link), and the event's page lists those questions. A member cannot
name an event that does not exist (German 422, the typed text kept on the form)."""

from __future__ import annotations

from typing import Any

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.core import clock
from fachaustausch.events.tables import Event
from fachaustausch.moderation import actions as moderation
from fachaustausch.moderation.models import Action, ActionInput, TargetType
from fachaustausch.settings import Settings
from tests.consultations.support import act_as
from tests.events.support import make_event
from tests.factories import ApiClient, assert_problem, make_user

pytestmark = pytest.mark.database

QUESTION: dict[str, Any] = {
    "title": "Wie viele Termine vergeben Sie am Service-Point pro Stunde?",
    "body": "Bei der Besichtigung in Weimar kam die Frage nach dem Takt auf.",
    "cornerstone": "binnenorganisation",
    "instruments": ["terminsystem"],
}


async def test_a_question_names_its_event_and_the_event_lists_it(
    client: ApiClient, settings: Settings
) -> None:
    moderator = await make_user(Role.moderator)
    event_id = await make_event(moderator)
    member = await make_user(Role.member)
    await act_as(client, member)
    response = await client.post("/api/v1/questions", json={**QUESTION, "event": event_id})
    assert response.status_code == 201, response.text
    question = response.json()
    assert question["event_id"] == event_id
    other = (
        await client.post(
            "/api/v1/questions", json={**QUESTION, "title": QUESTION["title"] + " Und samstags?"}
        )
    ).json()
    assert other["event_id"] is None

    listed = (await client.get(f"/api/v1/events/{event_id}")).json()["questions"]
    assert [(q["id"], q["url"], q["status"]) for q in listed] == [
        (question["id"], f"/fragen/{question['id']}", "open")
    ]
    # Naming the event later, and taking it back.
    response = await client.patch(f"/api/v1/questions/{other['id']}", json={"event": event_id})
    assert response.status_code == 200, response.text
    assert response.json()["event_id"] == event_id
    response = await client.patch(f"/api/v1/questions/{question['id']}", json={"event": None})
    assert response.status_code == 200, response.text
    assert response.json()["event_id"] is None
    listed = (await client.get(f"/api/v1/events/{event_id}")).json()["questions"]
    assert [q["id"] for q in listed] == [other["id"]]

    # A hidden question is listed for the moderation only.
    await moderation.act(
        await moderator.principal(),
        ActionInput(
            action=Action.hide,
            target_type=TargetType.question,
            target_id=other["id"],
            reason="Test",
        ),
        settings,
    )
    assert (await client.get(f"/api/v1/events/{event_id}")).json()["questions"] == []
    await act_as(client, moderator)
    [shown] = (await client.get(f"/api/v1/events/{event_id}")).json()["questions"]
    assert shown["hidden"] is True


async def test_an_event_that_does_not_exist_is_refused_in_german(client: ApiClient) -> None:
    member = await make_user(Role.member)
    await act_as(client, member)
    for event in (987654, 0, "Weimar"):
        body = assert_problem(
            await client.post("/api/v1/questions", json={**QUESTION, "event": event}),
            422,
            fields=["event"],
        )
        assert body["errors"][0]["message"]
    body = assert_problem(
        await client.post("/api/v1/questions", json={**QUESTION, "event": 987654}),
        422,
        fields=["event"],
    )
    assert body["errors"][0]["message"] == "Diese Veranstaltung gibt es nicht."
    question = (await client.post("/api/v1/questions", json=QUESTION)).json()
    assert_problem(
        await client.patch(f"/api/v1/questions/{question['id']}", json={"event": 987654}),
        422,
        fields=["event"],
    )
    assert (await client.get(f"/api/v1/questions/{question['id']}")).json()["event_id"] is None


async def test_the_pages_ask_from_an_event_and_list_its_questions(client: ApiClient) -> None:
    moderator = await make_user(Role.moderator)
    event_id = await make_event(moderator, title="Schulung Führung und Motivation")
    member = await make_user(Role.member)
    client.logout_local()
    await client.login(member)

    form = await client.get(f"/fragen/neu?veranstaltung={event_id}")
    assert form.status_code == 200
    assert f'<option value="{event_id}" selected>Schulung Führung und Motivation (' in form.text
    csrf = await client.csrf_token()
    fields = {
        "_csrf_token": csrf,
        "title": QUESTION["title"],
        "body": QUESTION["body"],
        "cornerstone": "binnenorganisation",
        "instruments": "terminsystem",
    }
    refused = await client.post("/fragen/neu", data={**fields, "event": "987654"})
    assert refused.status_code == 422
    assert "Diese Veranstaltung gibt es nicht." in refused.text
    assert "Bei der Besichtigung in Weimar kam die Frage" in refused.text
    asked = await client.post(
        "/fragen/neu", data={**fields, "event": str(event_id)}, follow_redirects=False
    )
    assert asked.status_code in (302, 303), asked.text
    question_url = asked.headers["location"]
    page = await client.get(question_url)
    assert f'href="/veranstaltungen/{event_id}">aus einer Veranstaltung</a>' in page.text

    # Before the event the page lists it already; after it, the section is always there.
    event_page = await client.get(f"/veranstaltungen/{event_id}")
    assert "Fragen aus dieser Veranstaltung" in event_page.text
    assert f'href="{question_url}"' in event_page.text
    other = await make_event(moderator, title="Netzwerktreffen Süd")
    assert (
        "Fragen aus dieser Veranstaltung"
        not in (await client.get(f"/veranstaltungen/{other}")).text
    )
    await (
        Event.update(
            {
                Event.starts_at: clock.now(),
                Event.ends_at: clock.now(),
                Event.registration_deadline: clock.now(),
            }
        )
        .where(Event.id == other)
        .run()
    )
    past = await client.get(f"/veranstaltungen/{other}")
    assert "Noch hat niemand eine Frage aus dieser Veranstaltung gestellt." in past.text
    assert f'href="/fragen/neu?veranstaltung={other}"' in past.text

    # The edit form offers the named event and can take it back.
    question_id = question_url.rsplit("/", 1)[-1].split("#")[0]
    edit = await client.get(f"/fragen/{question_id}/bearbeiten")
    assert f'<option value="{event_id}" selected>' in edit.text
    saved = await client.post(
        f"/fragen/{question_id}/bearbeiten",
        data={**fields, "_csrf_token": await client.csrf_token(), "event": ""},
        follow_redirects=False,
    )
    assert saved.status_code in (302, 303), saved.text
    assert f'href="{question_url}"' not in (await client.get(f"/veranstaltungen/{event_id}")).text
