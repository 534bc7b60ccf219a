"""The profile page and personal access tokens through the HTML forms."""

from __future__ import annotations

import re

from fachaustausch.accounts.policy import Role
from tests.factories import ApiClient, make_user
from tests.web.helpers import field_error, flashes, get_page, html, post_form, sign_in
from tests.web.html import Node


def token_rows(page: Node) -> list[Node]:
    tables = page.find("main").find_all("table")
    return tables[0].find("tbody").find_all("tr") if tables else []


def revoke_action(row: Node) -> str:
    return row.find("form").get("action")


async def test_profile_shows_authority_and_role(client: ApiClient) -> None:
    user = await make_user(Role.member, display_name="Jana Becker")
    await sign_in(client, user)
    page = await get_page(client, "/profil")
    entries = {
        item.find("dt").text: item.find("dd").text
        for item in page.find("dl").find_all(cls="kern-description-list-item")
    }
    assert entries["Name"] == "Jana Becker"
    assert entries["E-Mail-Adresse"] == user.email
    assert entries["Behörde"] == "Stadt Leipzig (interessierte Behörde)"
    assert entries["Rolle"] == "Mitglied"
    assert re.fullmatch(r"\d\d\.\d\d\.\d{4}", entries["Mitglied seit"])
    assert "Expertise" not in entries


async def test_expert_profile_links_the_instruments(client: ApiClient) -> None:
    user = await make_user(Role.expert, expertise=["terminsystem", "mobiler-arbeitsplatz"])
    await sign_in(client, user)
    page = await get_page(client, "/profil")
    entries = {
        item.find("dt").text: item.find("dd")
        for item in page.find("dl").find_all(cls="kern-description-list-item")
    }
    assert entries["Behörde"].text == "Stadt Weimar (Modellstandort)"
    assert entries["Rolle"].text == "Expertin/Experte (Modellstandort)"
    links = {a.get("href"): a.text for a in entries["Expertise"].find_all("a")}
    assert set(links) == {"/werkzeugkoffer/mobiler-arbeitsplatz", "/werkzeugkoffer/terminsystem"}
    assert links["/werkzeugkoffer/terminsystem"] == "Terminsystem"
    assert links["/werkzeugkoffer/mobiler-arbeitsplatz"].startswith("Mobiler Arbeitsplatz")


async def test_token_secret_is_shown_once(client: ApiClient) -> None:
    await sign_in(client, await make_user())
    assert token_rows(await get_page(client, "/profil")) == []

    response = await post_form(client, "/profil/token", {"name": "Fachverfahren"}, page="/profil")
    # Post/redirect/get: reloading the page that shows the secret sends no form again.
    assert response.status_code == 303
    assert response.headers["location"] == "/profil#token"
    shown = await client.get("/profil")
    assert shown.headers["cache-control"] == "no-store"
    page = html(shown)
    secret = page.by_id("neues-token").text
    assert secret.startswith("fa_")
    assert len(secret) > 30
    assert "Fachverfahren" in page.find("main").find(cls="kern-alert--success").text

    # The secret works against the API ...
    me = await client.get("/api/v1/me", headers={"authorization": f"Bearer {secret}"})
    assert me.status_code == 200

    # ... and is never shown again: the list only shows its beginning.
    later = await client.get("/profil")
    assert secret not in later.text
    assert "no-store" not in later.headers.get("cache-control", "")
    rows = token_rows(html(later))
    assert len(rows) == 1
    cells = [td.text for td in rows[0].find_all("td")]
    assert cells[0] == "Fachverfahren"
    assert cells[1] == f"{secret[:10]}…"
    assert html(later).find_all(id="neues-token") == []


async def test_a_second_token_form_is_not_sent_by_reloading(client: ApiClient) -> None:
    """The page after creating a token is a GET: what a reload repeats creates nothing, and
    each token's secret appears on exactly one page."""
    await sign_in(client, await make_user())
    await post_form(client, "/profil/token", {"name": "Eins"}, page="/profil")
    first = (await get_page(client, "/profil")).by_id("neues-token").text
    for _ in range(2):
        page = await get_page(client, "/profil")
        assert page.find_all(id="neues-token") == []
        assert [row.find("td").text for row in token_rows(page)] == ["Eins"]
    await post_form(client, "/profil/token", {"name": "Zwei"}, page="/profil")
    second = (await get_page(client, "/profil")).by_id("neues-token").text
    assert second != first


async def test_token_without_name_is_refused_on_the_field(client: ApiClient) -> None:
    await sign_in(client, await make_user())
    response = await post_form(client, "/profil/token", {"name": "   "}, page="/profil")
    assert response.status_code == 422
    page = html(response)
    assert field_error(page, "name") == "Bitte füllen Sie dieses Feld aus."
    assert page.find_all(id="neues-token") == []
    assert token_rows(page) == []


async def test_revoke_token(client: ApiClient) -> None:
    await sign_in(client, await make_user())
    await post_form(client, "/profil/token", {"name": "Alt"}, page="/profil")
    secret = (await get_page(client, "/profil")).by_id("neues-token").text
    await post_form(client, "/profil/token", {"name": "Neu"}, page="/profil")

    page = await get_page(client, "/profil")
    rows = {row.find("td").text: row for row in token_rows(page)}
    assert set(rows) == {"Alt", "Neu"}
    # The button names the token for screen readers.
    assert rows["Alt"].find("button").text == "Widerrufen: Alt"

    response = await post_form(client, revoke_action(rows["Alt"]), page="/profil")
    assert response.status_code in {302, 303}
    assert response.headers["location"] == "/profil"

    page = await get_page(client, "/profil")
    assert "Das Zugangstoken wurde widerrufen." in flashes(page)
    assert [row.find("td").text for row in token_rows(page)] == ["Neu"]
    me = await client.get("/api/v1/me", headers={"authorization": f"Bearer {secret}"})
    assert me.status_code == 401


async def test_revoking_someone_elses_token_is_a_404_page(client: ApiClient) -> None:
    owner = await make_user()
    await sign_in(client, owner)
    await post_form(client, "/profil/token", {"name": "Meins"}, page="/profil")
    action = revoke_action(token_rows(await get_page(client, "/profil"))[0])

    client.cookies.clear()
    await sign_in(client, await make_user())
    response = await post_form(client, action, page="/profil")
    assert response.status_code == 404
    assert "Dieses Zugangstoken gibt es nicht." in html(response).find("main").text

    client.cookies.clear()
    await sign_in(client, owner)
    assert len(token_rows(await get_page(client, "/profil"))) == 1
