"""@mentions: the mentioned person hears of it if they may see the text; the preview shows
each handle resolved or unknown; typing `@` suggests people."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.accounts.tables import User
from fachaustausch.consultations.models import Visibility
from fachaustausch.consultations.phases import Phase
from fachaustausch.settings import Settings
from tests.consultations.support import put_in_phase
from tests.factories import ApiClient, UserRecord, ask_question, make_user
from tests.notifications.support import API, as_user, drain, inbox, kinds

pytestmark = pytest.mark.database


async def _handle(user: UserRecord) -> str:
    row = await User.select(User.handle).where(User.id == user.id).first()
    assert row is not None
    return str(row["handle"])


async def test_a_mention_in_an_answer_notifies_the_person_mentioned(
    client: ApiClient, settings: Settings
) -> None:
    anna = await make_user(Role.member, display_name="Anna Müller")
    assert await _handle(anna) == "anna.mueller"
    bystander = await make_user(Role.member, display_name="Bernd Kurz")
    question_id = await ask_question(await make_user(Role.member), instruments=[])
    await drain(settings)
    author = await make_user(Role.member, display_name="Carla Sommer")
    await as_user(client, author)
    body = (
        "Frag doch @Anna.Mueller, oder `@bernd.kurz` im Code, oder @niemand.hier, "
        "oder mich selbst: @carla.sommer."
    )
    response = await client.post(f"/api/v1/questions/{question_id}/answers", json={"body": body})
    assert response.status_code == 201, response.text
    await drain(settings)

    body_anna = await inbox(client, anna)
    [item] = body_anna["items"]
    assert item["kind"] == "mention"
    assert item["text"].startswith("Carla Sommer hat Sie erwähnt: „")
    assert await kinds(client, bystander) == []
    assert await kinds(client, author) == []


async def test_a_mention_in_a_participants_only_consultation_reaches_participants_only(
    client: ApiClient, settings: Settings
) -> None:
    cast = await put_in_phase(Phase.advice, visibility=Visibility.participants)
    outsider, case_giver = await _handle(cast.outsider), await _handle(cast.case_giver)
    await as_user(client, cast.advisor)
    response = await client.post(
        f"{cast.url}/posts",
        json={"kind": "advice", "body": f"Was meinen @{outsider} und @{case_giver} dazu?"},
    )
    assert response.status_code == 201, response.text
    await drain(settings)
    assert await kinds(client, cast.outsider) == []
    # Mentioned and participating: the mention, not also the new post.
    assert await kinds(client, cast.case_giver) == ["mention"]


async def test_the_preview_shows_mentions_resolved_or_unknown(client: ApiClient) -> None:
    anna = await make_user(Role.member, display_name="Anna Müller", authority="weimar")
    client.logout_local()
    await client.login(await make_user(Role.member))
    response = await client.post(
        "/fragen/neu",
        data={
            "title": "Wie läuft die Terminvergabe?",
            "body": "Hallo @anna.mueller und @gibt.es.nicht, wie macht ihr das?",
            "aktion": "vorschau",
        },
    )
    assert response.status_code == 200, response.text
    assert f"@{await _handle(anna)} – Anna Müller (" in response.text
    assert "@gibt.es.nicht – <strong>unbekannt</strong>" in response.text


async def test_typing_an_at_sign_suggests_people(client: ApiClient) -> None:
    await make_user(Role.expert, display_name="Anna Müller")
    await make_user(Role.member, display_name="Annette Kolb")
    await make_user(Role.member, display_name="Bernd Kurz")
    await as_user(client, await make_user(Role.member))
    response = await client.get(f"{API}/mention-suggestions", params={"q": "ann"})
    assert response.status_code == 200, response.text
    people = response.json()
    assert [p["handle"] for p in people] == ["anna.mueller", "annette.kolb"]
    assert people[0]["display_name"] == "Anna Müller"
    assert people[0]["authority_name"]
    assert (await client.get(f"{API}/mention-suggestions", params={"q": "Kurz"})).json()[0][
        "handle"
    ] == "bernd.kurz"
    assert (await client.get(f"{API}/mention-suggestions", params={"q": "%"})).json() == []
