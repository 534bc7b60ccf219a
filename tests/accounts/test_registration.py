"""Registration → pending → approval or rejection, with the e-mails on the way."""

from __future__ import annotations

from typing import Any

import pytest

from fachaustausch.accounts.policy import AccountStatus, Role
from fachaustausch.accounts.tables import User
from fachaustausch.settings import Settings
from tests.factories import (
    ApiClient,
    assert_problem,
    mail_with_subject,
    make_user,
    sent_mails,
)

pytestmark = pytest.mark.database

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"
PASSWORD = "Herbstlaub fällt leise auf den Rathausplatz"
PENDING = "wartet noch auf die Freischaltung"
WRONG = "E-Mail-Adresse oder Passwort ist falsch."
ACCEPTED = "Ihre Registrierung ist eingegangen"


def registration(email: str = "anna.schmidt@leipzig.de", **changes: Any) -> dict[str, Any]:
    return {
        "email": email,
        "password": PASSWORD,
        "display_name": "Anna Schmidt",
        "authority": "leipzig",
        **changes,
    }


async def _user_rows(email: str) -> list[dict[str, Any]]:
    return await User.select(User.id, User.email, User.status, User.role).where(
        User.email == email.lower()
    )


async def _register(client: ApiClient, **changes: Any) -> int:
    response = await client.post(REGISTER, json=registration(**changes))
    assert response.status_code == 202, response.text
    assert ACCEPTED in response.json()["detail"]
    [row] = await _user_rows(changes.get("email", "anna.schmidt@leipzig.de"))
    return int(row["id"])


async def _as_moderator(client: ApiClient) -> None:
    await client.login(await make_user(Role.moderator))


async def test_registration_creates_a_pending_member_and_sends_a_german_mail(
    client: ApiClient, settings: Settings
) -> None:
    await _register(client)
    [row] = await _user_rows("anna.schmidt@leipzig.de")
    assert row["status"] == AccountStatus.pending
    assert row["role"] == Role.member
    [mail] = sent_mails(settings.mail_dir)
    assert list(settings.mail_dir.glob("*.eml"))
    assert mail["To"] == "anna.schmidt@leipzig.de"
    assert mail["Subject"] == "Ihre Registrierung ist eingegangen"
    assert "Guten Tag Anna Schmidt" in mail.get_content()


async def test_pending_login_names_the_state_only_with_the_right_password(
    client: ApiClient,
) -> None:
    await _register(client)
    right = await client.post(
        LOGIN, json={"email": "anna.schmidt@leipzig.de", "password": PASSWORD}
    )
    assert_problem(right, 403, detail=PENDING)
    wrong = await client.post(
        LOGIN, json={"email": "anna.schmidt@leipzig.de", "password": PASSWORD + "x"}
    )
    body = assert_problem(wrong, 401, detail=WRONG)
    assert "Freischaltung" not in body["detail"]
    # no session came of the refused login
    assert_problem(await client.get("/api/v1/me"), 401)


async def test_moderator_approves_and_then_login_works(
    client: ApiClient, settings: Settings
) -> None:
    user_id = await _register(client)
    await _as_moderator(client)
    listed = await client.get("/api/v1/moderation/registrations")
    assert listed.status_code == 200
    [entry] = listed.json()
    assert entry["id"] == user_id
    assert entry["email"] == "anna.schmidt@leipzig.de"
    assert entry["authority"]["slug"] == "leipzig"

    approved = await client.post(f"/api/v1/moderation/registrations/{user_id}/approve")
    assert approved.status_code == 204, approved.text
    assert (await client.get("/api/v1/moderation/registrations")).json() == []
    subjects = sorted(m["Subject"] for m in sent_mails(settings.mail_dir))
    assert subjects == ["Ihr Konto ist freigeschaltet", "Ihre Registrierung ist eingegangen"]
    approval = mail_with_subject(settings.mail_dir, "Ihr Konto ist freigeschaltet")
    assert approval["To"] == "anna.schmidt@leipzig.de"
    assert "/anmelden" in approval.get_content()

    client.logout_local()
    login = await client.post(
        LOGIN, json={"email": "anna.schmidt@leipzig.de", "password": PASSWORD}
    )
    assert login.status_code == 200, login.text
    me = (await client.get("/api/v1/me")).json()
    assert me["status"] == "active"
    assert me["role"] == "member"
    assert me["authority"]["slug"] == "leipzig"


async def test_approving_twice_is_a_conflict(client: ApiClient) -> None:
    user_id = await _register(client)
    await _as_moderator(client)
    first = await client.post(f"/api/v1/moderation/registrations/{user_id}/approve")
    assert first.status_code == 204
    again = await client.post(f"/api/v1/moderation/registrations/{user_id}/approve")
    assert_problem(again, 409, detail="bereits bearbeitet")
    rejected_after = await client.post(f"/api/v1/moderation/registrations/{user_id}/reject")
    assert_problem(rejected_after, 409, detail="bereits bearbeitet")
    [row] = await _user_rows("anna.schmidt@leipzig.de")
    assert row["status"] == AccountStatus.active


async def test_approving_or_rejecting_an_unknown_id_is_404(client: ApiClient) -> None:
    await _as_moderator(client)
    for action in ("approve", "reject"):
        for user_id in (999999, 2**31, 10**30):
            response = await client.post(f"/api/v1/moderation/registrations/{user_id}/{action}")
            assert_problem(response, 404, detail="Diese Registrierung gibt es nicht.")


async def test_reject_deletes_the_pending_account_and_tells_the_person(
    client: ApiClient, settings: Settings
) -> None:
    user_id = await _register(client)
    await _as_moderator(client)
    response = await client.post(
        f"/api/v1/moderation/registrations/{user_id}/reject",
        json={"reason": "Keine Ausländerbehörde."},
    )
    assert response.status_code == 204, response.text
    assert await _user_rows("anna.schmidt@leipzig.de") == []
    mail = mail_with_subject(settings.mail_dir, "Ihre Registrierung wurde abgelehnt")
    assert mail["To"] == "anna.schmidt@leipzig.de"
    assert "Begründung: Keine Ausländerbehörde." in mail.get_content()
    client.logout_local()
    login = await client.post(
        LOGIN, json={"email": "anna.schmidt@leipzig.de", "password": PASSWORD}
    )
    assert_problem(login, 401, detail=WRONG)


async def test_reject_without_a_body_works(client: ApiClient) -> None:
    user_id = await _register(client)
    await _as_moderator(client)
    response = await client.post(f"/api/v1/moderation/registrations/{user_id}/reject")
    assert response.status_code == 204, response.text
    assert await _user_rows("anna.schmidt@leipzig.de") == []


async def test_duplicate_registration_answers_the_same_and_creates_nothing(
    client: ApiClient, settings: Settings
) -> None:
    first = await client.post(REGISTER, json=registration())
    second = await client.post(
        REGISTER,
        json=registration(
            email="Anna.Schmidt@LEIPZIG.de",
            display_name="Jemand Anderes",
            password="Ganz anderes Passwort für Kiel 77",
            authority="kiel",
        ),
    )
    assert first.status_code == second.status_code == 202
    assert first.json() == second.json()
    assert first.headers["content-type"] == second.headers["content-type"]
    [row] = await _user_rows("anna.schmidt@leipzig.de")
    assert row["status"] == AccountStatus.pending
    # The existing account keeps its own password.
    client.logout_local()
    login = await client.post(
        LOGIN,
        json={"email": "anna.schmidt@leipzig.de", "password": "Ganz anderes Passwort für Kiel 77"},
    )
    assert_problem(login, 401, detail=WRONG)
    subjects = sorted(m["Subject"] for m in sent_mails(settings.mail_dir))
    assert subjects == ["Erneute Registrierung", "Ihre Registrierung ist eingegangen"]
    notice = mail_with_subject(settings.mail_dir, "Erneute Registrierung")
    assert notice["To"] == "anna.schmidt@leipzig.de"


async def test_registering_an_active_accounts_email_changes_nothing(client: ApiClient) -> None:
    existing = await make_user(Role.member, email="Bernd.Vogel@leipzig.de")
    response = await client.post(REGISTER, json=registration(email="BERND.VOGEL@leipzig.de"))
    assert response.status_code == 202
    rows = await _user_rows("bernd.vogel@leipzig.de")
    assert [(r["id"], r["status"]) for r in rows] == [(existing.id, AccountStatus.active)]
    await client.login(existing)  # the old password still works


async def test_emails_are_stored_lower_case_and_login_ignores_case(client: ApiClient) -> None:
    user_id = await _register(client, email="Carla.Berg@Leipzig.DE")
    [row] = await _user_rows("carla.berg@leipzig.de")
    assert row["id"] == user_id
    assert row["email"] == "carla.berg@leipzig.de"
    await _as_moderator(client)
    assert (await client.post(f"/api/v1/moderation/registrations/{user_id}/approve")).is_success
    client.logout_local()
    login = await client.post(LOGIN, json={"email": "CARLA.BERG@leipzig.de", "password": PASSWORD})
    assert login.status_code == 200, login.text


async def test_weak_password_is_refused_the_same_for_new_and_known_emails(
    client: ApiClient,
) -> None:
    await make_user(Role.member, email="dora.klein@leipzig.de")
    for email in ("dora.klein@leipzig.de", "emil.gross@leipzig.de"):
        response = await client.post(
            REGISTER, json=registration(email=email, password="passwort12345")
        )
        body = assert_problem(response, 422, fields=["password"])
        assert "zu leicht zu erraten" in body["errors"][0]["message"]
    assert await _user_rows("emil.gross@leipzig.de") == []


async def test_password_with_the_own_name_is_refused(client: ApiClient) -> None:
    response = await client.post(
        REGISTER, json=registration(password="annaschmidt2026", display_name="Anna Schmidt")
    )
    assert_problem(response, 422, fields=["password"])


async def test_short_password_is_refused_in_german(client: ApiClient) -> None:
    response = await client.post(REGISTER, json=registration(password="kurz"))
    body = assert_problem(response, 422, fields=["password"])
    assert body["errors"][0]["message"] == "Das Passwort muss mindestens 12 Zeichen lang sein."


async def test_unknown_authority_is_a_field_error(client: ApiClient) -> None:
    response = await client.post(REGISTER, json=registration(authority="atlantis"))
    body = assert_problem(response, 422, fields=["authority"])
    assert body["errors"][0]["message"] == "Diese Behörde ist nicht bekannt."
    assert await _user_rows("anna.schmidt@leipzig.de") == []
