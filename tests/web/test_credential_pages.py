"""The pages for a forgotten password, the password change and the e-mail change: the
same journeys as the API (tests/accounts/test_credentials.py) through the HTML forms."""

from __future__ import annotations

import re
from typing import Any

from fachaustausch.settings import Settings
from tests.factories import ApiClient, make_user, sent_mails
from tests.web.helpers import field_error, flashes, get_page, html, login_via_form, post_form

NEW_PASSWORD = "Ein ganz neuer Satz als Passwort 2027"


def link_of(settings: Settings, address: str, path: str) -> str:
    """The path and query of the newest link to `path` mailed to `address`."""
    links = [
        match.group(1)
        for mail in sent_mails(settings.mail_dir)
        if mail["To"] == address
        for match in [
            re.search(rf"https?://[^/\s]+({re.escape(path)}\?token=\S+)", mail.get_content())
        ]
        if match
    ]
    assert links, f"no link to {path} mailed to {address}"
    return links[-1]


async def test_forgotten_password_through_the_pages(client: ApiClient, settings: Settings) -> None:
    user = await make_user()
    login = await get_page(client, "/anmelden")
    assert login.find("a", href="/passwort-vergessen").text == "Passwort vergessen?"
    page = await get_page(client, "/passwort-vergessen")
    assert page.find("h1").text == "Passwort vergessen"

    answers = []
    for address in (user.email, "niemand@nirgends.example.de"):
        response = await post_form(client, "/passwort-vergessen", {"email": address})
        answers.append((response.status_code, response.headers["location"]))
    assert answers == [(302, "/passwort-vergessen/gesendet")] * 2
    sent = await get_page(client, "/passwort-vergessen/gesendet")
    assert "Wenn zu der Adresse ein Konto besteht" in sent.find("main").text
    bad = await post_form(client, "/passwort-vergessen", {"email": "keine Adresse"})
    assert bad.status_code == 422
    assert field_error(html(bad), "email")

    link = link_of(settings, user.email, "/passwort-zuruecksetzen")
    form = await get_page(client, link)
    token = form.find("input", name="token").get("value")
    weak = await post_form(
        client, "/passwort-zuruecksetzen", {"token": token, "password": "zu kurz"}
    )
    assert weak.status_code == 422
    assert "12 Zeichen" in field_error(html(weak), "password")
    done = await post_form(
        client, "/passwort-zuruecksetzen", {"token": token, "password": NEW_PASSWORD}
    )
    assert done.status_code in {302, 303}
    assert done.headers["location"] == "/anmelden"
    assert any(
        "Ihr Passwort ist geändert" in f for f in flashes(await get_page(client, "/anmelden"))
    )
    signed_in = await login_via_form(client, user.email, NEW_PASSWORD)
    assert signed_in.headers["location"] == "/"

    # The used link explains itself and offers a new one.
    used = await client.get(link)
    assert used.status_code == 422
    page = html(used)
    assert "funktioniert nicht mehr" in page.find("div", role="alert").text
    assert page.find("a", href="/passwort-vergessen")


async def test_change_password_in_the_profile(client: ApiClient) -> None:
    user = await make_user()
    await login_via_form(client, user.email, user.password)
    other = dict(client.cookies)  # a session in another browser …
    client.cookies.clear()
    await login_via_form(client, user.email, user.password)

    profile = await get_page(client, "/profil")
    assert profile.find("a", href="/profil/passwort").text == "Passwort ändern"
    wrong = await post_form(
        client,
        "/profil/passwort",
        {"current_password": "nicht richtig", "new_password": NEW_PASSWORD},
        page="/profil/passwort",
    )
    assert wrong.status_code == 422
    page = html(wrong)
    assert field_error(page, "current_password") == "Das aktuelle Passwort ist nicht richtig."
    # Typed passwords are never sent back.
    assert page.by_id("new_password").get("value") == ""
    done = await post_form(
        client,
        "/profil/passwort",
        {"current_password": user.password, "new_password": NEW_PASSWORD},
        page="/profil/passwort",
    )
    assert done.headers["location"] == "/profil"
    page = await get_page(client, "/profil")
    assert any("Alle anderen Anmeldungen sind beendet" in f for f in flashes(page))
    # … has ended.
    client.cookies.clear()
    client.cookies.update(other)
    gone = await client.get("/profil", follow_redirects=False)
    assert gone.headers["location"].startswith("/anmelden")


async def test_change_email_in_the_profile(client: ApiClient, settings: Settings) -> None:
    user = await make_user(email="alt@leipzig.de")
    await login_via_form(client, user.email, user.password)
    page = await get_page(client, "/profil/email")
    assert page.find("h1").text == "E-Mail-Adresse ändern"
    asked = await post_form(
        client,
        "/profil/email",
        {"email": "neu@leipzig.de", "current_password": user.password},
        page="/profil/email",
    )
    assert asked.headers["location"] == "/profil"
    link = link_of(settings, "neu@leipzig.de", "/email-bestaetigen")
    confirm = await get_page(client, link)
    assert "neu@leipzig.de" in confirm.find("main").text
    token = confirm.find("input", name="token").get("value")
    done = await post_form(client, "/email-bestaetigen", {"token": token})
    assert done.headers["location"] == "/profil"
    profile = await get_page(client, "/profil")
    entries: dict[str, Any] = {
        item.find("dt").text: item.find("dd").text
        for item in profile.find("dl").find_all(cls="kern-description-list-item")
    }
    assert entries["E-Mail-Adresse"] == "neu@leipzig.de"
    assert any("neu@leipzig.de" in f for f in flashes(profile))
