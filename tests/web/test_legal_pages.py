"""The Impressum (§ 5 DDG) and the privacy statement (Art. 13 DSGVO): open to everyone,
linked in the footer of every page, with the operator's details from the settings."""

from __future__ import annotations

import pytest
from litestar.testing import AsyncTestClient

from fachaustausch.accounts.policy import Role
from fachaustausch.app import create_app
from fachaustausch.settings import Settings
from tests.factories import ApiClient, make_user
from tests.web.helpers import get_page, sign_in
from tests.web.html import Node

LEGAL = {"/impressum": "Impressum", "/datenschutz": "Datenschutz"}


def footer_links(page: Node) -> dict[str, str]:
    return {a.get("href"): a.text for a in page.find("footer").find_all("a")}


async def test_both_pages_are_in_every_footer(client: ApiClient) -> None:
    anonymous = ["/anmelden", "/registrieren", "/barrierefreiheit", "/impressum"]
    for path in anonymous:
        assert LEGAL.items() <= footer_links(await get_page(client, path)).items(), path
    # An error page has the footer, too.
    page = await get_page(client, "/gibt-es-nicht", status=404)
    assert LEGAL.items() <= footer_links(page).items()

    await sign_in(client, await make_user(Role.moderator))
    for path in ("/", "/fragen", "/profil", "/moderation", "/datenschutz"):
        assert LEGAL.items() <= footer_links(await get_page(client, path)).items(), path


async def test_the_imprint_names_the_bamf_by_default(client: ApiClient) -> None:
    main = (await get_page(client, "/impressum")).find("main")
    assert "§ 5 Digitale-Dienste-Gesetz" in main.text
    address = main.find("address").text
    for part in ("Bundesamt für Migration und Flüchtlinge", "Frankenstraße 210", "90461 Nürnberg"):
        assert part in address
    assert "vertreten durch" in main.text
    links = [a.get("href") for a in main.find_all("a")]
    assert "mailto:info@bamf.bund.de" in links
    assert "tel:+499119430" in links
    assert "/datenschutz" in links


async def test_the_privacy_statement_says_what_why_how_long_and_the_rights(
    client: ApiClient, settings: Settings
) -> None:
    main = (await get_page(client, "/datenschutz")).find("main")
    text = main.text
    assert "Artikel 13" in text
    assert "Artikel 6 Absatz 1 Buchstabe e DSGVO" in text  # why: the legal basis
    rows = main.find("table").find("tbody").find_all("tr")
    assert len(rows) >= 6
    for row in rows:  # what, what for, how long: no cell left empty
        cells = [row.find("th"), *row.find_all("td")]
        assert len(cells) == 3, row.text
        assert all(c.text for c in cells), row.text
    hours = settings.session_max_age_seconds // 3600
    assert f"nach {hours} Stunden" in text
    assert f"{settings.access_log_retention_days} Tage" in text
    for right in ("Artikel 15", "Artikel 16", "Artikel 17", "Artikel 18", "Artikel 21"):
        assert right in text
    assert "Artikel 77" in text
    assert "Graurheindorfer Straße 153" in text
    assert "mailto:datenschutz@bamf.bund.de" in [a.get("href") for a in main.find_all("a")]


async def test_the_operator_comes_from_the_settings(settings: Settings) -> None:
    operator = settings.model_copy(
        update={
            "operator_name": "Landesamt für Einwanderung",
            "operator_street": "Friedrich-Krause-Ufer 24",
            "operator_city": "13353 Berlin",
            "operator_email": "post@lea.example.de",
            "operator_vat_id": "DE123456789",
            "privacy_officer_email": "dsb@lea.example.de",
            "access_log_retention_days": 14,
        }
    )
    async with AsyncTestClient(create_app(operator)) as http:
        client = ApiClient(http)
        imprint = (await get_page(client, "/impressum")).find("main")
        assert "Landesamt für Einwanderung" in imprint.find("address").text
        assert "13353 Berlin" in imprint.find("address").text
        assert "DE123456789" in imprint.text
        assert "Bundesamt" not in imprint.find("address").text
        privacy = (await get_page(client, "/datenschutz")).find("main")
        assert "Friedrich-Krause-Ufer 24" in privacy.find("address").text
        assert "mailto:dsb@lea.example.de" in [a.get("href") for a in privacy.find_all("a")]
        assert "14 Tage" in privacy.text


@pytest.mark.parametrize("path", list(LEGAL))
async def test_both_pages_need_no_login(client: ApiClient, path: str) -> None:
    response = await client.get(path, follow_redirects=False)
    assert response.status_code == 200
