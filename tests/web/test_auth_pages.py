"""The login and registration forms: German messages next to the fields, the user's input
kept (never the password), safe redirects, and the waiting page for pending accounts."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import AccountStatus, Role
from fachaustausch.accounts.tables import User
from fachaustausch.demo import DEMO_PENDING, seed_demo
from tests.factories import ApiClient, make_user
from tests.web.helpers import (
    field_error,
    flashes,
    get_page,
    html,
    login_via_form,
    post_form,
)

WRONG = "E-Mail-Adresse oder Passwort ist falsch."


# --- login ----------------------------------------------------------------------------------


async def test_wrong_password_re_renders_with_message_and_keeps_the_email(
    client: ApiClient,
) -> None:
    user = await make_user()
    secret = "Falsches Passwort mit Umlauten äöü"
    response = await login_via_form(client, user.email, secret, weiter="/werkzeugkoffer")

    assert response.status_code == 401
    page = html(response)
    alert = page.find("main").find(cls="kern-alert", role="alert")
    assert WRONG in alert.text
    assert page.by_id("email").get("value") == user.email
    # The password field is empty and the password appears nowhere on the page.
    assert "value" not in page.by_id("password").attrs
    assert secret not in response.text
    # The target survives the failed attempt.
    assert page.find("input", name="weiter").get("value") == "/werkzeugkoffer"
    # Still anonymous.
    after = await client.get("/", follow_redirects=False)
    assert after.status_code in {302, 303}


async def test_unknown_email_gets_the_same_message(client: ApiClient) -> None:
    response = await login_via_form(client, "niemand@leipzig.de", "Irgendein langes Passwort")
    assert response.status_code == 401
    assert WRONG in html(response).find("main").text


async def test_malformed_email_is_marked_on_the_field(client: ApiClient) -> None:
    response = await login_via_form(client, "kein-at-zeichen", "Irgendein langes Passwort")
    assert response.status_code == 422
    page = html(response)
    assert field_error(page, "email") == "Bitte geben Sie eine gültige E-Mail-Adresse ein."
    assert page.by_id("email").get("value") == "kein-at-zeichen"
    # The summary speaks German, not the code's field names.
    summary = page.find("main").find(cls="kern-alert", role="alert")
    assert summary.find("a", href="#email").text == (
        "Bitte geben Sie eine gültige E-Mail-Adresse ein."
    )
    assert "„email“" not in summary.text
    assert "Irgendein langes Passwort" not in response.text


async def test_successful_login_goes_to_the_target_and_greets(client: ApiClient) -> None:
    user = await make_user(display_name="Jana Becker")
    response = await login_via_form(
        client, user.email, user.password, weiter="/werkzeugkoffer/terminsystem"
    )
    assert response.status_code in {302, 303}
    assert response.headers["location"] == "/werkzeugkoffer/terminsystem"

    page = await get_page(client, "/werkzeugkoffer/terminsystem")
    assert page.find("h1").text == "Terminsystem"
    assert "Sie sind angemeldet." in flashes(page)
    # A flash message is shown once.
    assert flashes(await get_page(client, "/werkzeugkoffer/terminsystem")) == []


async def test_login_followed_from_the_redirect_lands_on_the_first_page(
    client: ApiClient,
) -> None:
    user = await make_user()
    login_url = (await client.get("/profil", follow_redirects=False)).headers["location"]
    page = await get_page(client, login_url)
    weiter = page.find("input", name="weiter").get("value")

    response = await login_via_form(client, user.email, user.password, weiter=weiter)
    assert response.headers["location"] == "/profil"


async def test_email_is_case_insensitive(client: ApiClient) -> None:
    user = await make_user()
    response = await login_via_form(client, user.email.upper(), user.password)
    assert response.status_code in {302, 303}


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example",
        "https://evil.example/anmelden",
        "//evil.example",
        "//evil.example/werkzeugkoffer",
        "/\\evil.example",
        "\\\\evil.example",
        "http:/evil.example",
        "javascript:alert(1)",
        "",
    ],
)
async def test_external_target_is_refused(client: ApiClient, target: str) -> None:
    user = await make_user()
    response = await login_via_form(client, user.email, user.password, weiter=target)
    assert response.status_code in {302, 303}
    assert response.headers["location"] == "/"


@pytest.mark.parametrize("target", ["https://evil.example", "//evil.example"])
async def test_login_page_does_not_carry_an_external_target(client: ApiClient, target: str) -> None:
    page = await get_page(client, f"/anmelden?weiter={target}")
    assert page.find("input", name="weiter").get("value") == "/"


async def test_pending_user_goes_to_the_waiting_page(client: ApiClient) -> None:
    user = await make_user(status=AccountStatus.pending)
    response = await login_via_form(client, user.email, user.password, weiter="/profil")
    assert response.status_code in {302, 303}
    assert response.headers["location"] == "/konto-wartet"

    page = await get_page(client, "/konto-wartet")
    assert "noch nicht freigeschaltet" in page.find("main").text
    # No session was opened.
    after = await client.get("/profil", follow_redirects=False)
    assert after.headers["location"] == "/anmelden?weiter=/profil"


async def test_pending_demo_user_goes_to_the_waiting_page(client: ApiClient) -> None:
    await seed_demo()
    response = await login_via_form(client, DEMO_PENDING.email, DEMO_PENDING.password)
    assert response.headers["location"] == "/konto-wartet"


async def test_pending_user_with_wrong_password_learns_nothing(client: ApiClient) -> None:
    user = await make_user(status=AccountStatus.pending)
    response = await login_via_form(client, user.email, "Ganz falsches Passwort 123")
    assert response.status_code == 401
    assert WRONG in html(response).find("main").text


async def test_suspended_user_is_refused_with_a_german_message(client: ApiClient) -> None:
    user = await make_user(status=AccountStatus.suspended)
    response = await login_via_form(client, user.email, user.password)
    assert response.status_code == 403
    page = html(response)
    assert "Ihr Konto ist gesperrt" in page.find("main").text
    assert page.by_id("email").get("value") == user.email


# --- registration ---------------------------------------------------------------------------

GOOD_PASSWORD = "Sieben Schwäne ziehen über den Elbdeich"


async def test_registration_form_lists_authorities_grouped_by_kind(client: ApiClient) -> None:
    page = await get_page(client, "/registrieren")
    select = page.by_id("authority")
    groups = [g.get("label") for g in select.find_all("optgroup")]
    assert groups[0] == "Modellstandort"
    assert set(groups) == {"Modellstandort", "Partnerbehörde", "interessierte Behörde", "BAMF"}
    assert select.find("option", value="weimar").text == "Stadt Weimar"
    # Labels are tied to their controls.
    for name in ("display_name", "email", "authority", "password"):
        assert page.find("label", for_=name)


async def test_empty_registration_marks_every_missing_field(client: ApiClient) -> None:
    response = await post_form(
        client,
        "/registrieren",
        {"display_name": "", "email": "", "authority": "", "password": ""},
        page="/registrieren",
    )
    assert response.status_code == 422
    page = html(response)
    assert field_error(page, "display_name") == "Bitte mindestens 2 Zeichen."
    assert field_error(page, "email") == "Bitte geben Sie eine gültige E-Mail-Adresse ein."
    assert field_error(page, "authority") == "Bitte füllen Sie dieses Feld aus."
    # The error summary links every message to its field.
    summary = page.find("main").find(cls="kern-alert", role="alert")
    links = {a.get("href"): a.text for a in summary.find_all("a")}
    assert links == {
        "#display_name": "Bitte mindestens 2 Zeichen.",
        "#email": "Bitte geben Sie eine gültige E-Mail-Adresse ein.",
        "#authority": "Bitte füllen Sie dieses Feld aus.",
    }
    assert await User.count().run() == 0


async def test_registration_with_short_password_keeps_the_other_input(client: ApiClient) -> None:
    response = await post_form(
        client,
        "/registrieren",
        {
            "display_name": "Anna Schmidt",
            "email": "anna.schmidt@weimar.de",
            "authority": "weimar",
            "password": "zu kurz",
        },
        page="/registrieren",
    )
    assert response.status_code == 422
    page = html(response)
    assert field_error(page, "password") == "Das Passwort muss mindestens 12 Zeichen lang sein."
    # Everything else is kept and not marked.
    assert page.by_id("display_name").get("value") == "Anna Schmidt"
    assert page.by_id("email").get("value") == "anna.schmidt@weimar.de"
    selected = [
        o.get("value") for o in page.by_id("authority").find_all("option") if "selected" in o.attrs
    ]
    assert selected == ["weimar"]
    for name in ("display_name", "email", "authority"):
        assert "aria-invalid" not in page.by_id(name).attrs, name
    assert "zu kurz" not in response.text
    # The hint stays connected next to the error.
    assert page.by_id("password").get("aria-describedby").split() == [
        "password-hint",
        "password-error",
    ]


async def test_registration_refuses_a_guessable_password(client: ApiClient) -> None:
    response = await post_form(
        client,
        "/registrieren",
        {
            "display_name": "Anna Schmidt",
            "email": "anna.schmidt@weimar.de",
            "authority": "weimar",
            "password": "passwort1234",
        },
        page="/registrieren",
    )
    assert response.status_code == 422
    assert "zu leicht zu erraten" in field_error(html(response), "password")


async def test_registration_with_unknown_authority(client: ApiClient) -> None:
    response = await post_form(
        client,
        "/registrieren",
        {
            "display_name": "Anna Schmidt",
            "email": "anna.schmidt@weimar.de",
            "authority": "atlantis",
            "password": GOOD_PASSWORD,
        },
        page="/registrieren",
    )
    assert response.status_code == 422
    assert field_error(html(response), "authority") == "Diese Behörde ist nicht bekannt."


async def test_registration_with_unexpected_field_does_not_break(client: ApiClient) -> None:
    response = await post_form(
        client,
        "/registrieren",
        {
            "display_name": "Anna Schmidt",
            "email": "anna.schmidt@weimar.de",
            "authority": "weimar",
            "password": GOOD_PASSWORD,
            "role": "admin",
        },
        page="/registrieren",
    )
    assert response.status_code == 422
    assert await User.count().run() == 0


async def test_successful_registration_creates_a_pending_account(client: ApiClient) -> None:
    response = await post_form(
        client,
        "/registrieren",
        {
            "display_name": "Anna Schmidt",
            "email": "Anna.Schmidt@Weimar.de",
            "authority": "weimar",
            "password": GOOD_PASSWORD,
        },
        page="/registrieren",
    )
    assert response.status_code in {302, 303}
    assert response.headers["location"] == "/registrierung-eingegangen"
    page = await get_page(client, "/registrierung-eingegangen")
    assert "Ihre Registrierung ist eingegangen" in page.find("main").text

    row = await User.select(User.email, User.role, User.status).first().run()
    assert row == {
        "email": "anna.schmidt@weimar.de",
        "role": Role.member.value,
        "status": AccountStatus.pending.value,
    }
    # Logging in now leads to the waiting page.
    login = await login_via_form(client, "anna.schmidt@weimar.de", GOOD_PASSWORD)
    assert login.headers["location"] == "/konto-wartet"


async def test_registering_a_known_email_answers_the_same(client: ApiClient) -> None:
    user = await make_user()
    response = await post_form(
        client,
        "/registrieren",
        {
            "display_name": "Noch Einmal",
            "email": user.email,
            "authority": "leipzig",
            "password": GOOD_PASSWORD,
        },
        page="/registrieren",
    )
    assert response.headers["location"] == "/registrierung-eingegangen"
    assert await User.count().run() == 1
