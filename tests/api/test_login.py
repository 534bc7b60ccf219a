"""Login, logout and what happens to sessions of suspended accounts."""

from __future__ import annotations

from fachaustausch.accounts.policy import AccountStatus, Role
from fachaustausch.accounts.tables import User
from tests.factories import ApiClient, assert_problem, make_user

LOGIN = "/api/v1/auth/login"
WRONG = "E-Mail-Adresse oder Passwort ist falsch."
SUSPENDED = "Ihr Konto ist gesperrt"


async def _set_status(user_id: int, status: AccountStatus) -> None:
    await User.update({User.status: status}).where(User.id == user_id).run()


async def test_login_returns_the_profile_and_starts_a_session(client: ApiClient) -> None:
    user = await make_user(Role.expert, expertise=["terminsystem"])
    response = await client.post(LOGIN, json={"email": user.email, "password": user.password})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["email"] == user.email
    assert body["role"] == "expert"
    assert body["role_label"] == "Expertin/Experte (Modellstandort)"
    assert body["expertise"] == [{"slug": "terminsystem", "title": "Terminsystem"}]
    assert "password_hash" not in response.text
    assert (await client.get("/api/v1/me")).json()["id"] == user.id


async def test_wrong_password_and_unknown_email_answer_identically(client: ApiClient) -> None:
    user = await make_user()
    wrong = await client.post(LOGIN, json={"email": user.email, "password": "falsch falsch 1"})
    unknown = await client.post(
        LOGIN, json={"email": "niemand@nirgendwo.de", "password": "falsch falsch 1"}
    )
    assert assert_problem(wrong, 401, detail=WRONG) == assert_problem(unknown, 401, detail=WRONG)


async def test_suspended_user_cannot_log_in(client: ApiClient) -> None:
    user = await make_user(status=AccountStatus.suspended)
    right = await client.post(LOGIN, json={"email": user.email, "password": user.password})
    assert_problem(right, 403, detail=SUSPENDED)
    wrong = await client.post(LOGIN, json={"email": user.email, "password": "falsch falsch 1"})
    assert_problem(wrong, 401, detail=WRONG)
    assert_problem(await client.get("/api/v1/me"), 401, detail="Bitte melden Sie sich an.")


async def test_session_of_a_user_who_gets_suspended_ends_on_the_next_request(
    client: ApiClient,
) -> None:
    user = await make_user()
    await client.login(user)
    assert (await client.get("/api/v1/me")).status_code == 200
    await _set_status(user.id, AccountStatus.suspended)
    assert_problem(await client.get("/api/v1/me"), 401, detail="Bitte melden Sie sich an.")
    assert_problem(await client.get("/api/v1/tokens"), 401)
    # The session is gone for good: lifting the suspension does not revive it.
    await _set_status(user.id, AccountStatus.active)
    assert_problem(await client.get("/api/v1/me"), 401)


async def test_token_of_a_suspended_user_stops_working(client: ApiClient) -> None:
    user = await make_user()
    await client.login_token(user)
    assert (await client.get("/api/v1/me")).status_code == 200
    await _set_status(user.id, AccountStatus.suspended)
    assert_problem(
        await client.get("/api/v1/me"),
        401,
        detail="Das Zugangstoken ist ungültig oder wurde widerrufen.",
    )


async def test_logout_ends_the_session_on_the_server(client: ApiClient) -> None:
    user = await make_user()
    await client.login(user)
    session_cookie = client.cookies.get("session")
    assert session_cookie
    response = await client.post("/api/v1/auth/logout")
    assert response.status_code == 204, response.text
    assert_problem(await client.get("/api/v1/me"), 401)
    # Replaying the old cookie does not bring the session back.
    client.cookies.set("session", session_cookie)
    assert_problem(await client.get("/api/v1/me"), 401)


async def test_pending_account_cannot_act_even_with_a_session(client: ApiClient) -> None:
    user = await make_user()
    await client.login(user)
    await _set_status(user.id, AccountStatus.pending)
    assert_problem(await client.get("/api/v1/me"), 401)
