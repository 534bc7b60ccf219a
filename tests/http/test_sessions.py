"""Sessions: a fresh id at sign-in, nothing stored for visitors without session data."""

from __future__ import annotations

from litestar.testing import AsyncTestClient
from redis import Redis

from fachaustausch.accounts.policy import Role
from fachaustausch.app import create_app
from fachaustausch.settings import Settings
from tests.factories import ApiClient, make_user

REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


async def test_login_issues_a_new_session_id(client: ApiClient) -> None:
    user = await make_user(Role.member)
    planted = "a" * 64
    client.cookies.set("session", planted)
    response = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": user.password}
    )
    assert response.status_code == 200
    new_id = response.cookies.get("session")
    assert new_id
    assert new_id != planted
    # The planted id carries no login.
    client.cookies.clear()
    client.cookies.set("session", planted)
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_old_session_is_gone_after_a_second_login(client: ApiClient) -> None:
    user = await make_user(Role.member)
    await client.login(user)
    first = client.cookies.get("session")
    response = await client.post(
        "/api/v1/auth/login", json={"email": user.email, "password": user.password}
    )
    second = response.cookies.get("session")
    assert first != second
    client.cookies.clear()
    client.cookies.set("session", first)
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_anonymous_and_token_requests_store_no_session(
    client: ApiClient, settings: Settings
) -> None:
    user = await make_user(Role.member)
    await client.get("/anmelden")
    assert "session" not in client.cookies
    await client.login_token(user)
    client.cookies.clear()
    response = await client.get("/api/v1/me")
    assert response.status_code == 200
    assert "set-cookie" not in response.headers or "session=" not in response.headers["set-cookie"]


async def test_logout_deletes_the_stored_session(client: ApiClient) -> None:
    user = await make_user(Role.member)
    await client.login(user)
    session_id = client.cookies.get("session")
    assert (await client.post("/api/v1/auth/logout")).status_code == 204
    client.cookies.clear()
    client.cookies.set("session", session_id)
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_login_page_sends_signed_in_users_on(client: ApiClient) -> None:
    await client.login(await make_user(Role.member))
    response = await client.get("/anmelden?weiter=/werkzeugkoffer", follow_redirects=False)
    assert response.status_code in {302, 303}
    assert response.headers["location"] == "/werkzeugkoffer"


async def test_sessions_and_throttling_live_in_redis_when_configured(settings: Settings) -> None:
    """With FACHAUSTAUSCH_REDIS_URL the stores move to Redis (several app instances share
    them); .ci/run starts Redis on 127.0.0.1:6379 when it is not running."""
    with Redis.from_url(REDIS_TEST_URL) as redis:
        redis.flushdb()  # database 15 belongs to this test alone
    redis_settings = settings.model_copy(update={"redis_url": REDIS_TEST_URL})
    app = create_app(redis_settings)
    user = await make_user(Role.member)
    async with AsyncTestClient(app) as http:
        client = ApiClient(http)
        await client.login(user)
        assert (await client.get("/api/v1/me")).json()["email"] == user.email
        session_id = client.cookies.get("session")
        assert session_id
        with Redis.from_url(REDIS_TEST_URL) as redis:
            assert redis.keys(f"*sessions*{session_id}")
            await client.post("/api/v1/auth/logout")
            assert not redis.keys(f"*sessions*{session_id}")
