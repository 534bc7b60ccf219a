"""Password reset by e-mail, password change, and a new e-mail address confirmed from its own
mailbox, through the JSON API: single-use links valid for an hour of which only a hash is
stored, the same answer whether or not an address has an account, rate limits, and the end
of every other session after a reset or change."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from fachaustausch.accounts.tables import ConfirmationLink, User
from fachaustausch.settings import Settings
from tests.factories import ApiClient, UserRecord, assert_problem, make_user, sent_mails

RESET = "/api/v1/auth/password-reset"
CONFIRM = "/api/v1/auth/password-reset/confirm"
CHANGE = "/api/v1/me/password"
NEW_PASSWORD = "Ein ganz neuer Satz als Passwort 2027"


def mails_to(settings: Settings, address: str) -> list[Any]:
    return [m for m in sent_mails(settings.mail_dir) if m["To"] == address]


def link_token(mail: Any, path: str) -> str:
    match = re.search(rf"{re.escape(path)}\?token=([A-Za-z0-9_-]+)", mail.get_content())
    assert match, mail.get_content()
    return match.group(1)


async def login(client: ApiClient, email: str, password: str) -> int:
    response = await client.post("/api/v1/auth/login", json={"email": email, "password": password})
    status: int = response.status_code
    return status


async def session_elsewhere(client: ApiClient, user: UserRecord) -> dict[str, str]:
    """The cookies of a second browser signed in as `user` (a session the change must end);
    the client itself is left signed out."""
    await client.login(user)
    cookies = dict(client.cookies)
    client.logout_local()
    return cookies


async def still_signed_in(client: ApiClient, cookies: dict[str, str]) -> bool:
    """Whether the session of `cookies` still works (the client's own cookies are kept)."""
    own = dict(client.cookies)
    client.cookies.clear()
    client.cookies.update(cookies)
    try:
        status: int = (await client.get("/api/v1/me")).status_code
        return status == 200
    finally:
        client.cookies.clear()
        client.cookies.update(own)


async def test_reset_by_email(client: ApiClient, settings: Settings) -> None:
    user = await make_user(display_name="Jana Becker")
    elsewhere = await session_elsewhere(client, user)
    assert await still_signed_in(client, elsewhere)

    known = await client.post(RESET, json={"email": user.email.upper()})
    unknown = await client.post(RESET, json={"email": "niemand@nirgends.example.de"})
    assert known.status_code == unknown.status_code == 202
    assert known.json() == unknown.json()
    assert "eine Stunde" in known.json()["detail"]
    [mail] = mails_to(settings, user.email)
    assert mails_to(settings, "niemand@nirgends.example.de") == []
    assert "Guten Tag Jana Becker" in mail.get_content()
    token = link_token(mail, f"{settings.base_url}/passwort-zuruecksetzen")
    # Only a hash of the secret is stored.
    [row] = await ConfirmationLink.select().run()
    assert token not in str(row)
    assert row["expires_at"] - row["created_at"] == timedelta(hours=1)

    weak = await client.post(CONFIRM, json={"token": token, "password": "kurz"})
    assert_problem(weak, 422, fields=["password"])
    done = await client.post(CONFIRM, json={"token": token, "password": NEW_PASSWORD})
    assert done.status_code == 200, done.text
    assert "neu an" in done.json()["detail"]
    # Single use.
    again = await client.post(CONFIRM, json={"token": token, "password": NEW_PASSWORD + "!"})
    assert_problem(again, 422, detail="ungültig", fields=["token"])

    # The other session ended; the new password works, the old one does not.
    assert not await still_signed_in(client, elsewhere)
    assert await login(client, user.email, user.password) == 401
    assert await login(client, user.email, NEW_PASSWORD) == 200
    notices = [m for m in mails_to(settings, user.email) if "geändert" in m["Subject"]]
    assert len(notices) == 1


async def test_reset_links_expire_and_only_the_newest_works(
    client: ApiClient, settings: Settings
) -> None:
    user = await make_user()
    await client.post(RESET, json={"email": user.email})
    [first] = [link_token(m, "/passwort-zuruecksetzen") for m in mails_to(settings, user.email)]
    await client.post(RESET, json={"email": user.email})
    [second] = [
        token
        for token in (
            link_token(m, "/passwort-zuruecksetzen") for m in mails_to(settings, user.email)
        )
        if token != first
    ]
    stale = await client.post(CONFIRM, json={"token": first, "password": NEW_PASSWORD})
    assert_problem(stale, 422, fields=["token"])
    await ConfirmationLink.update(
        {ConfirmationLink.expires_at: datetime.now(UTC) - timedelta(seconds=1)}, force=True
    ).run()
    expired = await client.post(CONFIRM, json={"token": second, "password": NEW_PASSWORD})
    assert_problem(expired, 422, fields=["token"])
    assert_problem(
        await client.post(CONFIRM, json={"token": "x" * 43, "password": NEW_PASSWORD}),
        422,
        fields=["token"],
    )
    assert await login(client, user.email, user.password) == 200


async def test_resets_are_rate_limited(client: ApiClient, settings: Settings) -> None:
    user = await make_user()
    answers = [(await client.post(RESET, json={"email": user.email})).status_code for _ in range(5)]
    assert answers == [202] * 5
    # One mailbox gets at most three reset mails an hour, with the same answer every time.
    assert len(mails_to(settings, user.email)) == 3
    # One client address gets a German 429 after ten requests a minute.
    statuses = [
        (await client.post(RESET, json={"email": f"x{n}@example.de"})).status_code for n in range(6)
    ]
    assert statuses[-1] == 429
    assert_problem(await client.post(RESET, json={"email": user.email}), 429)


async def test_change_password(client: ApiClient, settings: Settings) -> None:
    user = await make_user()
    elsewhere = await session_elsewhere(client, user)
    await client.login(user)
    wrong = await client.put(
        CHANGE, json={"current_password": "falsch falsch falsch", "new_password": NEW_PASSWORD}
    )
    assert_problem(wrong, 422, detail="aktuelle Passwort", fields=["current_password"])
    weak = await client.put(
        CHANGE, json={"current_password": user.password, "new_password": "passwort12345"}
    )
    assert_problem(weak, 422, fields=["new_password"])
    same = await client.put(
        CHANGE, json={"current_password": user.password, "new_password": user.password}
    )
    assert_problem(same, 422, fields=["new_password"])

    done = await client.put(
        CHANGE, json={"current_password": user.password, "new_password": NEW_PASSWORD}
    )
    assert done.status_code == 204, done.text
    # This session goes on, the other one ended.
    assert (await client.get("/api/v1/me")).status_code == 200
    assert not await still_signed_in(client, elsewhere)
    assert [m["Subject"] for m in mails_to(settings, user.email)] == ["Ihr Passwort wurde geändert"]
    client.logout_local()
    assert await login(client, user.email, NEW_PASSWORD) == 200


async def test_token_clients_cannot_change_credentials(client: ApiClient) -> None:
    user = await make_user()
    await client.login_token(user)
    refused = await client.put(
        CHANGE, json={"current_password": user.password, "new_password": NEW_PASSWORD}
    )
    assert_problem(refused, 403)
    refused = await client.post(
        "/api/v1/me/email", json={"email": "neu@leipzig.de", "current_password": user.password}
    )
    assert_problem(refused, 403)


async def test_email_change_is_confirmed_from_the_new_address(
    client: ApiClient, settings: Settings
) -> None:
    user = await make_user(email="alt@leipzig.de")
    taken = await make_user(email="vergeben@leipzig.de")
    await client.login(user)
    wrong = await client.post(
        "/api/v1/me/email", json={"email": "neu@leipzig.de", "current_password": "falsch"}
    )
    assert_problem(wrong, 422, fields=["current_password"])
    asked = await client.post(
        "/api/v1/me/email", json={"email": "Neu@Leipzig.de", "current_password": user.password}
    )
    assert asked.status_code == 202, asked.text
    [confirmation] = mails_to(settings, "neu@leipzig.de")
    [notice] = mails_to(settings, "alt@leipzig.de")
    assert "neu@leipzig.de" in notice.get_content()
    token = link_token(confirmation, "/email-bestaetigen")
    # Nothing changes before the link is used.
    assert await User.select(User.email).where(User.id == user.id).first().run() == {
        "email": "alt@leipzig.de"
    }
    done = await client.post("/api/v1/auth/email-change/confirm", json={"token": token})
    assert done.status_code == 200, done.text
    assert (await client.get("/api/v1/me")).json()["email"] == "neu@leipzig.de"
    again = await client.post("/api/v1/auth/email-change/confirm", json={"token": token})
    assert_problem(again, 422, fields=["token"])

    # An address with an account: the same answer, and a notice instead of a link.
    asked = await client.post(
        "/api/v1/me/email", json={"email": taken.email, "current_password": user.password}
    )
    assert asked.status_code == 202
    [notice] = mails_to(settings, taken.email)
    assert "?token=" not in notice.get_content()
