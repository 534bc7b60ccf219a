"""Personal access tokens: shown once, stored hashed, used as bearer, revocable."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.accounts.tables import AccessToken
from tests.factories import ApiClient, assert_problem, make_user

pytestmark = pytest.mark.database

INVALID = "Das Zugangstoken ist ungültig oder wurde widerrufen."


async def test_create_shows_the_secret_once_and_stores_only_its_hash(client: ApiClient) -> None:
    await client.login(await make_user())
    response = await client.post("/api/v1/tokens", json={"name": "Fachverfahren"})
    assert response.status_code == 201, response.text
    created = response.json()
    secret = created["token"]
    assert secret.startswith("fa_")
    assert len(secret) > 40
    assert created["prefix"] == secret[:10]
    assert created["name"] == "Fachverfahren"
    assert created["last_used_at"] is None
    [row] = await AccessToken.select().where(AccessToken.id == created["id"])
    assert row["token_hash"] != secret
    assert secret not in str(row)
    assert len(row["token_hash"]) == 64

    listed = await client.get("/api/v1/tokens")
    assert listed.status_code == 200
    assert secret not in listed.text
    [entry] = listed.json()
    assert "token" not in entry
    assert entry == {k: v for k, v in created.items() if k != "token"}


async def test_bearer_token_authenticates_without_csrf_and_records_use(client: ApiClient) -> None:
    user = await make_user()
    await client.login(user)
    secret = (await client.post("/api/v1/tokens", json={"name": "Skript"})).json()["token"]
    client.logout_local()

    headers = {"authorization": f"Bearer {secret}"}
    me = await client.get("/api/v1/me", headers=headers)
    assert me.status_code == 200, me.text
    assert me.json()["id"] == user.id
    [row] = await AccessToken.select(AccessToken.last_used_at)
    assert row["last_used_at"] is not None
    # Unsafe methods need no CSRF header with a bearer token.
    assert "x-csrftoken" not in client.headers
    assert "csrftoken" not in client.cookies
    other = (await client.get("/api/v1/tokens", headers=headers)).json()
    assert other[0]["last_used_at"] is not None
    logout = await client.post("/api/v1/auth/logout", headers=headers)
    assert logout.status_code == 204, logout.text


async def test_revoked_token_is_refused(client: ApiClient) -> None:
    user = await make_user()
    secret = await client.login_token(user)
    [token] = (await client.get("/api/v1/tokens")).json()
    response = await client.delete(f"/api/v1/tokens/{token['id']}")
    assert response.status_code == 204, response.text
    assert_problem(await client.get("/api/v1/me"), 401, detail=INVALID)
    client.logout_local()
    await client.login(user)
    assert (await client.get("/api/v1/tokens")).json() == []
    response = await client.get("/api/v1/me", headers={"authorization": f"Bearer {secret}"})
    assert_problem(response, 401, detail=INVALID)


async def test_revoking_someone_elses_token_is_404(client: ApiClient) -> None:
    owner, other = await make_user(), await make_user(Role.moderator)
    secret = await client.login_token(owner)
    [token] = (await client.get("/api/v1/tokens")).json()
    client.logout_local()
    await client.login(other)
    response = await client.delete(f"/api/v1/tokens/{token['id']}")
    assert_problem(response, 404, detail="Dieses Zugangstoken gibt es nicht.")
    client.logout_local()
    still = await client.get("/api/v1/me", headers={"authorization": f"Bearer {secret}"})
    assert still.status_code == 200


async def test_revoking_twice_or_an_unknown_id_is_404(client: ApiClient) -> None:
    await client.login(await make_user())
    token_id = (await client.post("/api/v1/tokens", json={"name": "x"})).json()["id"]
    assert (await client.delete(f"/api/v1/tokens/{token_id}")).status_code == 204
    for path in (f"/api/v1/tokens/{token_id}", "/api/v1/tokens/424242", "/api/v1/tokens/0"):
        assert_problem(await client.delete(path), 404, detail="Dieses Zugangstoken gibt es nicht.")
    for huge in (2**31, 2**63, 10**30):
        assert_problem(await client.delete(f"/api/v1/tokens/{huge}"), 404)


async def test_a_token_cannot_create_tokens(client: ApiClient) -> None:
    await client.login_token(await make_user())
    response = await client.post("/api/v1/tokens", json={"name": "Zweites"})
    assert_problem(response, 403, detail="nur nach Anmeldung mit Passwort")
    assert len((await client.get("/api/v1/tokens")).json()) == 1


async def test_invalid_bearer_tokens_are_401(client: ApiClient) -> None:
    await make_user()
    for value in ("Bearer nope", "Bearer fa_nope", "bearer fa_" + "x" * 300):
        response = await client.get("/api/v1/me", headers={"authorization": value})
        assert_problem(response, 401, detail=INVALID)


async def test_an_invalid_bearer_beats_a_valid_session(client: ApiClient) -> None:
    await client.login(await make_user())
    response = await client.get("/api/v1/me", headers={"authorization": "Bearer fa_falsch"})
    assert_problem(response, 401, detail=INVALID)


async def test_at_most_twenty_tokens(client: ApiClient) -> None:
    await client.login(await make_user())
    for n in range(20):
        assert (await client.post("/api/v1/tokens", json={"name": f"T{n}"})).status_code == 201
    response = await client.post("/api/v1/tokens", json={"name": "T20"})
    assert_problem(response, 409, detail="bereits 20 Zugangstoken")
