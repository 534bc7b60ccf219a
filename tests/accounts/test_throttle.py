"""Growing delays and a temporary lock after failed logins (OWASP ASVS V2, BSI ORP.4)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from fachaustausch.accounts import throttle as throttle_module
from tests.factories import ApiClient, UserRecord, assert_problem, make_user
from tests.web.helpers import login_via_form

LOGIN = "/api/v1/auth/login"
WRONG_PASSWORD = "Das ist nicht das Passwort"


class Clock:
    """Stands in for the `time` module inside the throttle: blocks are 'until' timestamps."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(throttle_module, "time", fake)
    return fake


async def _attempt(client: ApiClient, email: str, password: str = WRONG_PASSWORD) -> Any:
    return await client.post(LOGIN, json={"email": email, "password": password})


def _summary(response: Any) -> tuple[int, str | None, str]:
    return (
        response.status_code,
        response.headers.get("retry-after"),
        response.json()["detail"],
    )


async def _walk_to_lock(client: ApiClient, clock: Clock, email: str) -> list[tuple[Any, ...]]:
    """Ten failures, waiting out each delay; returns what every blocked attempt answered."""
    blocked = []
    for failure in range(1, 11):
        response = await _attempt(client, email)
        assert response.status_code == 401, (failure, response.text)
        if failure >= 3:
            refused = await _attempt(client, email)
            assert_problem(refused, 429)
            blocked.append(_summary(refused))
            clock.advance(int(refused.headers["retry-after"]))
            if failure == 10:
                break
    return blocked


async def test_free_attempts_then_a_delay_with_retry_after(client: ApiClient, clock: Clock) -> None:
    user = await make_user()
    for _ in range(3):
        assert_problem(await _attempt(client, user.email), 401)
    # Even the right password waits now.
    refused = await _attempt(client, user.email, user.password)
    body = assert_problem(refused, 429, detail="Zu viele fehlgeschlagene Anmeldeversuche")
    assert refused.headers["retry-after"] == "1"
    assert body["detail"].endswith("Bitte warten Sie 1 Sekunde und versuchen Sie es erneut.")
    clock.advance(1.01)
    assert (await _attempt(client, user.email, user.password)).status_code == 200


def _expected_blocked() -> list[tuple[int, str, str]]:
    waits = [1, 2, 4, 8, 16, 32, 60]
    delays = [
        (
            429,
            str(w),
            "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie "
            f"{w} Sekunde{'n' if w != 1 else ''} und versuchen Sie es erneut.",
        )
        for w in waits
    ]
    lock = (
        429,
        "900",
        "Zu viele fehlgeschlagene Anmeldeversuche: Die Anmeldung ist für 15 Minuten gesperrt.",
    )
    return [*delays, lock]


async def test_delays_grow_and_ten_failures_lock_for_minutes(
    client: ApiClient, clock: Clock
) -> None:
    user = await make_user()
    assert await _walk_to_lock(client, clock, user.email) == _expected_blocked()


async def test_the_lock_holds_for_the_right_password_until_it_expires(
    client: ApiClient, clock: Clock
) -> None:
    user = await make_user()
    for _ in range(9):
        await _attempt(client, user.email)
        clock.advance(61)
    await _attempt(client, user.email)  # the tenth failure
    clock.advance(14 * 60)
    refused = await _attempt(client, user.email, user.password)
    assert_problem(refused, 429, detail="für 1 Minute gesperrt")
    assert refused.headers["retry-after"] == "60"
    clock.advance(60)
    assert (await _attempt(client, user.email, user.password)).status_code == 200


async def test_unknown_emails_are_throttled_identically(client: ApiClient, clock: Clock) -> None:
    # The same answers, delays and lock as for a known address (the test above); one walk per
    # test keeps below the per-client rate limit of 30 logins a minute.
    assert await _walk_to_lock(client, clock, "niemand@nirgendwo.de") == _expected_blocked()


async def test_the_throttle_is_per_address(client: ApiClient, clock: Clock) -> None:
    first, second = await make_user(), await make_user()
    for _ in range(3):
        await _attempt(client, first.email)
    assert_problem(await _attempt(client, first.email), 429)
    assert (await _attempt(client, second.email, second.password)).status_code == 200


async def test_address_case_does_not_escape_the_throttle(client: ApiClient, clock: Clock) -> None:
    user = await make_user()
    for variant in (user.email, user.email.upper(), user.email.title()):
        assert_problem(await _attempt(client, variant), 401)
    assert_problem(await _attempt(client, user.email.upper()), 429)


async def test_success_resets_the_counter(client: ApiClient, clock: Clock) -> None:
    user: UserRecord = await make_user()
    for _ in range(2):
        assert_problem(await _attempt(client, user.email), 401)
    assert (await _attempt(client, user.email, user.password)).status_code == 200
    for _ in range(3):
        assert_problem(await _attempt(client, user.email), 401)
    assert_problem(await _attempt(client, user.email), 429)


async def test_thirty_sign_ins_a_minute_per_address_then_a_german_429(client: ApiClient) -> None:
    """Across accounts (each a different e-mail, so the per-account throttle never
    starts), one address gets 30 attempts a minute: guessing passwords for many accounts
    is slowed as well."""
    for n in range(30):
        assert_problem(await _attempt(client, f"unbekannt-{n}@abh.example"), 401)
    refused = await _attempt(client, "unbekannt-31@abh.example")
    body = assert_problem(refused, 429)
    assert "Zu viele" in body["title"]
    form = await login_via_form(client, "unbekannt-32@abh.example", WRONG_PASSWORD)
    assert form.status_code == 429
    assert "Zu viele" in form.text


async def test_other_requests_are_not_counted(client: ApiClient) -> None:
    user = await make_user()
    await client.login(user)  # one sign-in
    for _ in range(40):
        response = await client.get("/api/v1/me")
        assert response.status_code == 200
        assert "ratelimit-policy" not in response.headers
    client.logout_local()
    assert (await _attempt(client, user.email, user.password)).status_code == 200
