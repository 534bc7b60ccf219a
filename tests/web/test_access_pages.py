"""Who may see which page: anonymous visitors go to the login, public pages stay open,
errors come as German HTML pages."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import Role
from tests.factories import ApiClient, make_user
from tests.web.helpers import get_page, html, post_form, sign_in


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/", "/anmelden?weiter=/"),
        ("/werkzeugkoffer", "/anmelden?weiter=/werkzeugkoffer"),
        ("/werkzeugkoffer/terminsystem", "/anmelden?weiter=/werkzeugkoffer/terminsystem"),
        ("/profil", "/anmelden?weiter=/profil"),
        ("/moderation/registrierungen", "/anmelden?weiter=/moderation/registrierungen"),
    ],
)
async def test_anonymous_visitor_is_sent_to_login(
    client: ApiClient, path: str, location: str
) -> None:
    response = await client.get(path, follow_redirects=False)
    assert response.status_code in {302, 303}
    assert response.headers["location"] == location


async def test_login_redirect_keeps_the_query_and_the_form_carries_it(client: ApiClient) -> None:
    response = await client.get("/werkzeugkoffer?eckpunkt=2", follow_redirects=False)
    location = response.headers["location"]
    assert location == "/anmelden?weiter=/werkzeugkoffer%3Feckpunkt%3D2"

    page = await get_page(client, location)
    assert page.find("input", name="weiter").get("value") == "/werkzeugkoffer?eckpunkt=2"


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/anmelden", "Anmelden"),
        ("/registrieren", "Registrieren"),
        ("/barrierefreiheit", "Erklärung zur Barrierefreiheit"),
        ("/leichte-sprache", "Der Fach-Austausch in Leichter Sprache"),
        ("/impressum", "Impressum"),
        ("/datenschutz", "Datenschutzerklärung"),
        ("/registrierung-eingegangen", "Registrierung eingegangen"),
        ("/konto-wartet", "Konto wartet auf Freischaltung"),
    ],
)
async def test_public_pages_answer_anonymously(client: ApiClient, path: str, heading: str) -> None:
    page = await get_page(client, path)
    assert page.find("html").get("lang") == "de"
    assert page.find("h1").text == heading
    title = page.find("title").text
    assert title.endswith(" – Fachaustausch Willkommensbehörden")
    assert len(title) > len(" – Fachaustausch Willkommensbehörden")
    # Anonymous navigation offers login and registration, never member pages.
    nav = page.find("nav", aria_label="Hauptnavigation")
    links = {a.get("href") for a in nav.find_all("a")}
    assert {"/anmelden", "/registrieren"} <= links
    assert "/werkzeugkoffer" not in links


async def test_accessibility_statement_names_a_feedback_contact(client: ApiClient) -> None:
    page = await get_page(client, "/barrierefreiheit")
    mail_links = [a.get("href") for a in page.find("main").find_all("a")]
    assert "mailto:barrierefreiheit@bamf.bund.de" in mail_links
    assert "WCAG 2.1" in page.find("main").text


async def test_static_css_is_served(client: ApiClient) -> None:
    for path in ("/static/kern.min.css", "/static/css/app.css", "/static/fonts/fira-sans.css"):
        response = await client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/css"), path


async def test_pages_and_styles_are_gzip_compressed_for_clients_that_accept_it(
    client: ApiClient,
) -> None:
    await sign_in(client, await make_user())
    for path in ("/", "/static/kern.min.css"):
        zipped = await client.get(path, headers={"accept-encoding": "gzip"})
        plain = await client.get(path, headers={"accept-encoding": "identity"})
        assert zipped.status_code == plain.status_code == 200, path
        assert zipped.headers["content-encoding"] == "gzip", path
        assert "content-encoding" not in plain.headers, path
        # What travels is a fraction of what the client reads.
        assert int(zipped.headers["content-length"]) < len(plain.content) / 3, path
    page = await client.get("/", headers={"accept-encoding": "gzip"})
    assert page.text.lstrip().lower().startswith("<!doctype html>")
    css = "/static/kern.min.css"
    gzipped = await client.get(css, headers={"accept-encoding": "gzip"})
    assert (
        gzipped.content == (await client.get(css, headers={"accept-encoding": "identity"})).content
    )


async def test_unknown_page_is_a_german_404_page(client: ApiClient) -> None:
    await sign_in(client, await make_user())
    page = await get_page(client, "/gibt-es-nicht", status=404)
    assert page.find("h1").text == "Seite nicht gefunden"
    assert "Diese Seite gibt es nicht oder nicht mehr." in page.find("main").text
    assert page.find("main").find("a", href="/").text == "Zur Startseite"


async def test_unknown_page_is_a_german_404_page_for_anonymous_visitors(
    client: ApiClient,
) -> None:
    page = await get_page(client, "/gibt-es-nicht", status=404)
    assert page.find("h1").text == "Seite nicht gefunden"


async def test_unknown_instrument_is_a_german_404_page(client: ApiClient) -> None:
    await sign_in(client, await make_user())
    page = await get_page(client, "/werkzeugkoffer/gibt-es-nicht", status=404)
    assert page.find("h1").text == "Seite nicht gefunden"
    assert "Dieses Instrument gibt es nicht." in page.find("main").text


async def test_form_without_csrf_token_is_refused_with_a_german_page(client: ApiClient) -> None:
    await client.get("/anmelden")
    response = await client.post(
        "/anmelden",
        data={"email": "a@b.de", "password": "irgendetwas"},
        follow_redirects=False,
    )
    # The login form again, in German, with the address kept and a token that works now
    # (tests/web/test_expired_session.py).
    assert response.status_code == 401
    page = html(response)
    assert "Ihre Sitzung ist abgelaufen" in page.find("main").text
    assert page.by_id("email").get("value") == "a@b.de"
    assert page.find("input", name="_csrf_token").get("value")


async def test_logout_ends_the_session(client: ApiClient) -> None:
    await sign_in(client, await make_user())
    await get_page(client, "/")

    response = await post_form(client, "/abmelden", page="/")
    assert response.status_code in {302, 303}
    assert response.headers["location"] == "/anmelden"
    after = await client.get("/", follow_redirects=False)
    assert after.headers["location"] == "/anmelden?weiter=/"


async def test_member_navigation_has_no_moderation_link(client: ApiClient) -> None:
    user = await make_user(Role.member, display_name="Jana Becker")
    await sign_in(client, user)
    page = await get_page(client, "/")
    nav = page.find("nav", aria_label="Hauptnavigation")
    links = {a.get("href") for a in nav.find_all("a")}
    assert {"/", "/werkzeugkoffer", "/profil"} <= links
    assert "/moderation/registrierungen" not in links
    assert "Jana Becker" in nav.text
    assert "Stadt Leipzig" in nav.text
    assert nav.find("a", href="/").get("aria-current") == "page"


async def test_moderator_navigation_has_the_moderation_link(client: ApiClient) -> None:
    await sign_in(client, await make_user(Role.moderator))
    page = await get_page(client, "/moderation/registrierungen")
    nav = page.find("nav", aria_label="Hauptnavigation")
    link = nav.find("a", href="/moderation")
    assert link.get("aria-current") == "page"


async def test_wrong_method_is_a_german_405_page(client: ApiClient) -> None:
    page = await get_page(client, "/abmelden", status=405)
    assert page.find("h1").text == "Nicht erlaubt"
