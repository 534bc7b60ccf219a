"""My signed-in sessions: listed with the browser and times, ended one by one (then that
browser's cookie signs nobody in), ended all at once, and gone at sign-out."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.accounts.tables import AccountSession
from fachaustausch.http.user_agents import describe_browser
from tests.factories import ApiClient, UserRecord, assert_problem, make_user

pytestmark = pytest.mark.database

FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
CHROME_LINUX = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)


async def _sign_in(client: ApiClient, user: UserRecord, user_agent: str) -> str:
    """Signs in as a browser of its own would (no earlier cookie); returns its session
    cookie."""
    client.cookies.clear()
    client.headers["user-agent"] = user_agent
    await client.login(user)
    cookie = client.cookies.get("session")
    assert isinstance(cookie, str)
    return cookie


def _use(client: ApiClient, cookie: str, user_agent: str) -> None:
    client.cookies.clear()
    client.cookies.set("session", cookie)
    client.headers["user-agent"] = user_agent


async def test_my_sessions_are_listed_and_one_can_be_ended(client: ApiClient) -> None:
    me = await make_user(display_name="Sina Sitzung")
    office = await _sign_in(client, me, FIREFOX_WINDOWS)
    laptop = await _sign_in(client, me, CHROME_LINUX)
    listed = (await client.get("/api/v1/me/sessions")).json()
    assert [(s["browser"], s["current"]) for s in listed] == [
        ("Chrome unter Linux", True),
        ("Firefox unter Windows", False),
    ]
    assert all(s["created_at"] and s["last_seen_at"] for s in listed)
    office_id = next(s["id"] for s in listed if not s["current"])

    ended = await client.delete(f"/api/v1/me/sessions/{office_id}")
    assert ended.status_code == 204
    assert [s["browser"] for s in (await client.get("/api/v1/me/sessions")).json()] == [
        "Chrome unter Linux"
    ]
    _use(client, office, FIREFOX_WINDOWS)
    assert (await client.get("/api/v1/me")).status_code == 401
    _use(client, laptop, CHROME_LINUX)
    assert (await client.get("/api/v1/me")).status_code == 200


async def test_someone_elses_session_cannot_be_ended(client: ApiClient) -> None:
    other = await make_user(display_name="Otto Anders")
    await _sign_in(client, other, FIREFOX_WINDOWS)
    others = (await client.get("/api/v1/me/sessions")).json()[0]["id"]
    await _sign_in(client, await make_user(display_name="Sina Sitzung"), CHROME_LINUX)
    assert_problem(await client.delete(f"/api/v1/me/sessions/{others}"), 404)
    assert_problem(await client.delete("/api/v1/me/sessions/99999999999"), 404)
    assert await AccountSession.exists().where(AccountSession.id == others)


async def test_sign_out_ends_the_session_and_a_new_sign_in_replaces_the_old(
    client: ApiClient,
) -> None:
    me = await make_user(display_name="Sina Sitzung")
    await _sign_in(client, me, FIREFOX_WINDOWS)
    # Signing in again in the same browser ends the session it had.
    await client.login(me)
    assert len((await client.get("/api/v1/me/sessions")).json()) == 1
    assert (await client.post("/api/v1/auth/logout")).status_code == 204
    assert not await AccountSession.exists().where(AccountSession.user == me.id)


async def test_sign_out_everywhere_ends_every_session(client: ApiClient) -> None:
    me = await make_user(display_name="Sina Sitzung")
    office = await _sign_in(client, me, FIREFOX_WINDOWS)
    await _sign_in(client, me, CHROME_LINUX)
    await client.csrf_token()
    assert (await client.post("/api/v1/me/sign-out-everywhere")).status_code == 204
    assert not await AccountSession.exists().where(AccountSession.user == me.id)
    _use(client, office, FIREFOX_WINDOWS)
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_a_password_change_leaves_only_this_session(client: ApiClient) -> None:
    me = await make_user(display_name="Sina Sitzung")
    office = await _sign_in(client, me, FIREFOX_WINDOWS)
    await _sign_in(client, me, CHROME_LINUX)
    changed = await client.put(
        "/api/v1/me/password",
        json={"current_password": me.password, "new_password": "Ein ganz neues Passwort 2026"},
    )
    assert changed.status_code == 204, changed.text
    listed = (await client.get("/api/v1/me/sessions")).json()
    assert [(s["browser"], s["current"]) for s in listed] == [("Chrome unter Linux", True)]
    _use(client, office, FIREFOX_WINDOWS)
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_the_sessions_page_lists_and_ends_sessions_and_tokens(client: ApiClient) -> None:
    me = await make_user(display_name="Sina Sitzung")
    office = await _sign_in(client, me, FIREFOX_WINDOWS)
    await _sign_in(client, me, CHROME_LINUX)
    csrf = await client.csrf_token()
    token = await client.post("/api/v1/tokens", json={"name": "Fachverfahren"})
    assert token.status_code in (200, 201), token.text

    page = await client.get("/profil/daten/anmeldungen")
    assert page.status_code == 200
    assert "Firefox unter Windows" in page.text
    assert "Chrome unter Linux</td>" not in page.text  # marked as this browser
    assert "Chrome unter Linux <strong>(dieser Browser)</strong>" in page.text
    assert "Fachverfahren" in page.text
    assert "/profil/daten/anmeldungen" in (await client.get("/profil/daten")).text

    office_id = next(
        s["id"] for s in (await client.get("/api/v1/me/sessions")).json() if not s["current"]
    )
    ended = await client.post(
        f"/profil/daten/anmeldungen/{office_id}/beenden",
        data={"_csrf_token": csrf},
        follow_redirects=False,
    )
    assert ended.status_code == 303
    page = await client.get("/profil/daten/anmeldungen")
    assert "Die Anmeldung wurde beendet." in page.text
    assert "Firefox unter Windows" not in page.text
    revoked = await client.post(
        f"/profil/daten/anmeldungen/token/{token.json()['id']}/widerrufen",
        data={"_csrf_token": csrf},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    assert (
        "Sie haben kein aktives Zugangstoken."
        in (await client.get("/profil/daten/anmeldungen")).text
    )

    own_id = (await client.get("/api/v1/me/sessions")).json()[0]["id"]
    signed_out = await client.post(
        f"/profil/daten/anmeldungen/{own_id}/beenden",
        data={"_csrf_token": csrf},
        follow_redirects=False,
    )
    assert signed_out.headers["location"] == "/anmelden"
    assert (await client.get("/api/v1/me")).status_code == 401
    _use(client, office, FIREFOX_WINDOWS)
    assert (await client.get("/api/v1/me")).status_code == 401


async def test_a_suspension_ends_the_sessions_for_good(client: ApiClient) -> None:
    me = await make_user(display_name="Sina Sitzung")
    office = await _sign_in(client, me, FIREFOX_WINDOWS)
    client.cookies.clear()
    await client.login(await make_user(Role.moderator))
    for status, reason in (("suspended", "Auf eigenen Wunsch"), ("active", "")):
        changed = await client.patch(
            "/api/v1/people/sina.sitzung", json={"status": status, "reason": reason}
        )
        assert changed.status_code == 200, changed.text
    _use(client, office, FIREFOX_WINDOWS)
    assert (await client.get("/api/v1/me")).status_code == 401
    assert not await AccountSession.exists().where(AccountSession.user == me.id)


async def test_a_token_request_sees_the_sessions_but_none_as_its_own(client: ApiClient) -> None:
    me = await make_user(Role.member, display_name="Sina Sitzung")
    await _sign_in(client, me, FIREFOX_WINDOWS)
    client.cookies.clear()
    await client.login_token(me)
    listed = (await client.get("/api/v1/me/sessions")).json()
    assert [(s["browser"], s["current"]) for s in listed] == [("Firefox unter Windows", False)]


@pytest.mark.parametrize(
    ("user_agent", "described"),
    [
        (FIREFOX_WINDOWS, "Firefox unter Windows"),
        (CHROME_LINUX, "Chrome unter Linux"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge unter Windows",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
            "Safari unter iOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Mobile Safari/537.36",
            "Chrome unter Android",
        ),
        ("python-httpx/0.28.1", ""),
        ("", ""),
    ],
)
def test_the_browser_is_described_briefly(user_agent: str, described: str) -> None:
    assert describe_browser(user_agent) == described
