"""Consultation, moderation and account events: participants, moderators and the person
concerned hear of them; outsiders of a participants-only consultation never do."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import AccountStatus, Role
from fachaustausch.accounts.tables import User
from fachaustausch.consultations.phases import Phase
from fachaustausch.settings import Settings
from tests.consultations.support import API as CONSULTATIONS
from tests.consultations.support import CONSULTATION, put_in_phase
from tests.factories import ApiClient, UserRecord, answer_question, ask_question, make_user
from tests.notifications.support import as_user, drain, inbox, kinds

pytestmark = pytest.mark.database


async def test_an_invitation_a_phase_change_and_a_post_reach_the_participants(
    client: ApiClient, settings: Settings
) -> None:
    case_giver = await make_user(Role.member)
    invited = await make_user(Role.member, authority="koeln")
    outsider = await make_user(Role.member, authority="mainz")
    await as_user(client, case_giver)
    response = await client.post(
        CONSULTATIONS + "/", json={**CONSULTATION, "visibility": "participants"}
    )
    assert response.status_code == 201, response.text
    cid = response.json()["id"]
    response = await client.post(f"{CONSULTATIONS}/{cid}/invite", json={"user_id": invited.id})
    assert response.status_code in (200, 204), response.text
    await drain(settings)
    body = await inbox(client, invited)
    [item] = body["items"]
    assert item["kind"] == "consultation_invited"
    assert item["target"] == {"type": "consultation", "id": cid}
    assert CONSULTATION["title"] in item["text"]

    await as_user(client, case_giver)
    response = await client.post(f"{CONSULTATIONS}/{cid}/advance")
    assert response.status_code == 200, response.text
    await drain(settings)
    assert await kinds(client, invited) == ["consultation_phase", "consultation_invited"]
    assert "ist jetzt in der Phase" in (await inbox(client, invited))["items"][0]["text"]
    # The mover does not hear of their own change; an outsider never hears of the case.
    assert await kinds(client, case_giver) == []
    assert await kinds(client, outsider) == []


async def test_a_post_reaches_the_other_participants_only(
    client: ApiClient, settings: Settings
) -> None:
    cast = await put_in_phase(Phase.advice)
    await as_user(client, cast.advisor)
    response = await client.post(
        f"{cast.url}/posts", json={"kind": "advice", "body": "Vielleicht hilft ein Gespräch."}
    )
    assert response.status_code == 201, response.text
    await drain(settings)
    assert cast.facilitator is not None
    assert await kinds(client, cast.case_giver) == ["consultation_post"]
    assert await kinds(client, cast.facilitator) == ["consultation_post"]
    assert await kinds(client, cast.advisor) == []
    assert await kinds(client, cast.outsider) == []


async def test_a_hidden_consultation_takes_its_notifications_along(
    client: ApiClient, settings: Settings
) -> None:
    cast = await put_in_phase(Phase.advice)
    await as_user(client, cast.advisor)
    await client.post(f"{cast.url}/posts", json={"kind": "advice", "body": "Ein Vorschlag."})
    await drain(settings)
    assert (await inbox(client, cast.case_giver))["unread"] == 1
    await as_user(client, await make_user(Role.moderator))
    response = await client.post(
        "/api/v1/moderation/actions",
        json={"action": "hide", "target_type": "consultation", "target_id": cast.id,
              "reason": "Zu viele Einzelheiten."},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    body = await inbox(client, cast.advisor)
    assert body["unread"] == 0
    assert await kinds(client, cast.facilitator or cast.advisor) == []
    await drain(settings)
    # The case giver is told that their consultation was hidden, and nothing else.
    assert await kinds(client, cast.case_giver) == ["moderation"]


async def test_a_registration_reaches_the_moderators_and_the_approval_the_applicant(
    client: ApiClient, settings: Settings
) -> None:
    moderator = await make_user(Role.moderator)
    member = await make_user(Role.member)
    response = await client.post(
        "/api/v1/auth/register",
        json={
            "email": "anna.schmidt@leipzig.de",
            "password": "Herbstlaub fällt leise auf den Rathausplatz",
            "display_name": "Anna Schmidt",
            "authority": "leipzig",
        },
    )
    assert response.status_code == 202, response.text
    await drain(settings)
    body = await inbox(client, moderator)
    [item] = body["items"]
    assert item["kind"] == "new_registration"
    assert "Anna Schmidt" in item["text"]
    assert await kinds(client, member) == []

    applicant = await User.select(User.id).where(User.email == "anna.schmidt@leipzig.de").first()
    assert applicant is not None
    await as_user(client, moderator)
    response = await client.post(f"/api/v1/moderation/registrations/{applicant['id']}/approve")
    assert response.status_code in (200, 204), response.text
    await drain(settings)
    status = await User.select(User.status).where(User.id == applicant["id"]).first()
    assert status is not None
    assert status["status"] == AccountStatus.active
    record = UserRecord(
        applicant["id"],
        "anna.schmidt@leipzig.de",
        "Herbstlaub fällt leise auf den Rathausplatz",
        Role.member,
        AccountStatus.active,
    )
    assert await kinds(client, record) == ["registration_approved"]


async def test_a_flag_reaches_the_moderators_only(client: ApiClient, settings: Settings) -> None:
    moderator = await make_user(Role.moderator)
    asker = await make_user(Role.member)
    question_id = await ask_question(asker)
    answer_id = await answer_question(await make_user(Role.member), question_id)
    await drain(settings)
    flagger = await make_user(Role.member)
    await as_user(client, flagger)
    response = await client.post(
        "/api/v1/flags/",
        json={"target_type": "answer", "target_id": answer_id, "reason": "off_topic"},
    )
    assert response.status_code == 201, response.text
    await drain(settings)
    assert await kinds(client, moderator) == ["new_flag"]
    assert await kinds(client, flagger) == []
    assert await kinds(client, asker) == ["new_answer"]
