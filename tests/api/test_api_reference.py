"""The API reference at /api/docs: a German page of the site that loads Scalar from the
app's own static files (no CDN), sends anonymous visitors to the login and back, and the
OpenAPI document beside it for signed-in users and token clients."""

from __future__ import annotations

from fachaustausch.accounts.policy import Role
from tests.factories import ApiClient, assert_problem, make_user
from tests.web.helpers import get_page, html, login_via_form

DOCS = "/api/docs"
OPENAPI = "/api/docs/openapi.json"


async def test_anonymous_visitors_sign_in_and_come_back(client: ApiClient) -> None:
    for path in (DOCS, f"{DOCS}/scalar"):
        response = await client.get(path, follow_redirects=False)
        assert response.status_code in {302, 303}, response.text
        assert response.headers["location"] == f"/anmelden?weiter={path}"
    user = await make_user()
    response = await login_via_form(client, user.email, user.password, weiter=DOCS)
    assert response.status_code in {302, 303}
    assert response.headers["location"] == DOCS
    assert (await client.get(DOCS, follow_redirects=False)).status_code == 200


async def test_the_page_is_german_and_uses_only_our_own_files(client: ApiClient) -> None:
    await client.login(await make_user())
    response = await client.get(DOCS)
    assert response.headers["content-type"].startswith("text/html")
    assert "Scalar requires" not in response.text
    page = html(response)
    assert page.find("html").get("lang") == "de"
    assert page.find("title").text == "API-Dokumentation – Fachaustausch Willkommensbehörden"
    assert page.find("h1").text == "API-Dokumentation"
    sources = [s.get("src") for s in page.find_all("script")]
    sources += [link.get("href") for link in page.find_all("link")]
    assert "/static/scalar/standalone.js" in sources
    assert all(src.startswith("/static/") for src in sources), sources
    # No inline script: Scalar reads its options from the mount point's attributes.
    assert all(s.get("src") for s in page.find_all("script"))
    mount = page.by_id("api-reference")
    assert mount.get("data-url") == OPENAPI
    assert '"locale": "de"' in mount.get("data-configuration")
    assert "braucht JavaScript" in page.find("noscript").text
    # The page has the site's footer with the legal pages.
    footer = {a.get("href") for a in page.find("footer").find_all("a")}
    assert {"/impressum", "/datenschutz"} <= footer


async def test_the_script_is_served_by_the_app(client: ApiClient) -> None:
    response = await client.get("/static/scalar/standalone.js")
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    assert "createApiReference" in response.text


async def test_the_openapi_document_is_for_members_and_token_clients(client: ApiClient) -> None:
    assert_problem(await client.get(OPENAPI), 401)
    user = await make_user(Role.expert)
    await client.login(user)
    document = (await client.get(OPENAPI)).json()
    assert document["info"]["title"] == "Fachaustausch Willkommensbehörden – API"
    assert "/api/v1/questions" in document["paths"]
    client.logout_local()
    await client.login_token(user)
    assert (await client.get(OPENAPI)).status_code == 200
    # A token client asking for the page gets it, too (it is a page like any other).
    page = await get_page(client, DOCS)
    assert page.find("h1").text == "API-Dokumentation"
