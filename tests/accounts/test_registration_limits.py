"""Every registration mails the address typed in: registrations are limited per client
address (an hour) and per recipient (a day), with a German 429 in the API and on the form."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, cast

import httpx
import pytest

from fachaustausch.accounts import throttle as throttle_module
from fachaustausch.accounts.tables import User
from fachaustausch.app import create_app
from fachaustausch.settings import Settings
from tests.factories import ApiClient, assert_problem, make_user, sent_mails
from tests.web.helpers import html, post_form

REGISTER = "/api/v1/auth/register"
PASSWORD = "Herbstlaub fällt leise auf den Rathausplatz"
PER_ADDRESS = 20  # the defaults
PER_RECIPIENT = 3
FROM_HERE = "Von Ihrem Netzwerk aus sind in der letzten Stunde zu viele Registrierungen"
TO_THERE = "Für diese E-Mail-Adresse sind heute bereits mehrere Registrierungen eingegangen"


def _registration(email: str, **changes: Any) -> dict[str, Any]:
    return {
        "email": email,
        "password": PASSWORD,
        "display_name": "Neue Person",
        "authority": "leipzig",
        **changes,
    }


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(throttle_module, "time", fake)
    return fake


async def test_forty_registrations_from_one_address_send_twenty_mails(
    client: ApiClient, settings: Settings, clock: Clock
) -> None:
    statuses = []
    for n in range(40):
        response = await client.post(REGISTER, json=_registration(f"neu{n}@leipzig.de"))
        statuses.append(response.status_code)
        clock.now += 0.6  # 40 in 24 seconds
    assert statuses == [202] * PER_ADDRESS + [429] * (40 - PER_ADDRESS)
    assert len(sent_mails(settings.mail_dir)) == PER_ADDRESS
    assert await User.count().where(User.status == "pending").run() == PER_ADDRESS
    refused = await client.post(REGISTER, json=_registration("spaet@leipzig.de"))
    assert_problem(refused, 429, detail=FROM_HERE)
    # The oldest registration leaves the sliding hour an hour after it came, 24 s ago.
    assert abs(int(refused.headers["retry-after"]) - (60 * 60 - 24)) <= 1
    clock.now += int(refused.headers["retry-after"])
    later = await client.post(REGISTER, json=_registration("spaet@leipzig.de"))
    assert later.status_code == 202, later.text


async def test_an_existing_accounts_address_gets_three_mails_a_day(
    client: ApiClient, settings: Settings, clock: Clock
) -> None:
    owner = await make_user()
    statuses = []
    for _ in range(20):
        response = await client.post(REGISTER, json=_registration(owner.email))
        statuses.append(response.status_code)
        clock.now += 1
    assert statuses == [202] * PER_RECIPIENT + [429] * (20 - PER_RECIPIENT)
    mails = sent_mails(settings.mail_dir)
    assert [m["To"] for m in mails] == [owner.email] * PER_RECIPIENT
    refused = await client.post(REGISTER, json=_registration(owner.email))
    assert_problem(refused, 429, detail=TO_THERE)
    clock.now += 24 * 60 * 60
    assert (await client.post(REGISTER, json=_registration(owner.email))).status_code == 202


async def test_a_new_address_answers_exactly_like_an_existing_one(
    client: ApiClient, clock: Clock
) -> None:
    """The limit counts every registration of an address, so it reveals no account."""
    owner = await make_user()
    answers = {}
    for email in (owner.email, "niemand@leipzig.de"):
        responses = [await client.post(REGISTER, json=_registration(email)) for _ in range(5)]
        answers[email] = [(r.status_code, r.json()["detail"]) for r in responses]
    assert answers[owner.email] == answers["niemand@leipzig.de"]
    assert [status for status, _ in answers[owner.email]] == [202] * 3 + [429] * 2


async def test_refused_input_does_not_count(client: ApiClient, settings: Settings) -> None:
    """Only registrations that would send a mail are counted."""
    for n in range(PER_ADDRESS + 5):
        weak = await client.post(REGISTER, json=_registration(f"a{n}@leipzig.de", password="1"))
        assert weak.status_code == 422
    assert (await client.post(REGISTER, json=_registration("gut@leipzig.de"))).status_code == 202
    assert len(sent_mails(settings.mail_dir)) == 1


@asynccontextmanager
async def _from(settings: Settings, *hosts: str) -> AsyncIterator[list[httpx.AsyncClient]]:
    """HTTP clients of the same app, each from another client address."""
    app = create_app(settings)
    async with app.lifespan():
        clients = [
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=cast(Any, app), client=(host, 40000)),
                base_url="http://testserver",
            )
            for host in hosts
        ]
        try:
            yield clients
        finally:
            for http in clients:
                await http.aclose()


async def test_the_address_limit_is_per_client_address(settings: Settings) -> None:
    async with _from(settings, "192.0.2.10", "192.0.2.11") as (first, second):
        for n in range(PER_ADDRESS):
            ok = await first.post(REGISTER, json=_registration(f"erste{n}@leipzig.de"))
            assert ok.status_code == 202, ok.text
        assert (await first.post(REGISTER, json=_registration("x@leipzig.de"))).status_code == 429
        other = await second.post(REGISTER, json=_registration("y@leipzig.de"))
        assert other.status_code == 202, other.text


async def test_the_form_shows_the_limit_and_keeps_the_input(
    client: ApiClient, settings: Settings
) -> None:
    owner = await make_user()
    form = _registration(owner.email, display_name="Jana Becker")
    for _ in range(PER_RECIPIENT):
        sent = await post_form(client, "/registrieren", form, page="/registrieren")
        assert sent.status_code in (302, 303), sent.text
    refused = await post_form(client, "/registrieren", form, page="/registrieren")
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    page = html(refused)
    assert TO_THERE in page.find("main").text
    assert page.by_id("email").get("value") == owner.email
    assert page.by_id("display_name").get("value") == "Jana Becker"
    assert page.by_id("password").get("value") in (None, "")
    assert len(sent_mails(settings.mail_dir)) == PER_RECIPIENT
