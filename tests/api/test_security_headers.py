"""Security headers on every kind of response: pages, JSON, problem details, static files,
health, the router's own 404 and 405, redirects, and the API documentation."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from fachaustausch.accounts.policy import Role
from fachaustausch.app import create_app
from fachaustausch.http.security_headers import CONTENT_SECURITY_POLICY
from fachaustausch.settings import Settings
from tests.factories import ApiClient, make_user

PERMISSIONS = ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()")


def _directives(csp: str) -> dict[str, list[str]]:
    parts = (part.split() for part in csp.split(";") if part.strip())
    return {name: values for name, *values in parts}


def assert_security_headers(response: Any, *, docs: bool = False) -> None:
    headers = response.headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    permissions = headers["permissions-policy"]
    for feature in PERMISSIONS:
        assert feature in permissions
    # One header each: two CSPs would both apply, and tests could pass on the wrong one.
    assert len(headers.get_list("content-security-policy")) == 1
    csp = _directives(headers["content-security-policy"])
    assert csp["default-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    if not docs:
        assert csp["script-src"] == ["'self'"]
        assert csp["style-src"] == ["'self'"]


# (what, method, path, signed in, expected status)
ROUTES = [
    ("login page", "GET", "/anmelden", False, 200),
    ("start page", "GET", "/", True, 200),
    ("page redirect for anonymous visitors", "GET", "/fragen", False, 302),
    ("HTML 404", "GET", "/gibt-es-nicht", True, 404),
    ("API JSON", "GET", "/api/v1/me", True, 200),
    ("API problem 401", "GET", "/api/v1/me", False, 401),
    ("API problem 404", "GET", "/api/v1/questions/999999", True, 404),
    ("API route that does not exist", "GET", "/api/v1/gibt-es-nicht", True, 404),
    ("method not allowed", "DELETE", "/api/v1/cornerstones", True, 405),
    ("OPTIONS", "OPTIONS", "/api/v1/questions", True, 204),
    ("static stylesheet", "GET", "/static/css/app.css", False, 200),
    ("static script", "GET", "/static/js/similar.js", False, 200),
    ("KERN stylesheet", "GET", "/static/kern.min.css", False, 200),
    ("missing static file", "GET", "/static/gibt-es-nicht.css", False, 404),
    ("health", "GET", "/health", False, 200),
    ("OpenAPI document", "GET", "/api/docs/openapi.json", True, 200),
    ("API redirect", "GET", "/api/v1/instruments/alter-name", True, 301),
]


@pytest.mark.parametrize(
    ("method", "path", "signed_in", "status"),
    [route[1:] for route in ROUTES],
    ids=[route[0] for route in ROUTES],
)
async def test_every_kind_of_response_carries_the_headers(
    client: ApiClient, method: str, path: str, signed_in: bool, status: int
) -> None:
    if signed_in:
        await client.login(await make_user(Role.moderator))
    if path == "/api/v1/instruments/alter-name":
        await _merge_into_an_old_name(client)
    response = await client.request(method, path, follow_redirects=False)
    assert response.status_code == status, response.text
    assert_security_headers(response)


async def _merge_into_an_old_name(client: ApiClient) -> None:
    """A merged instrument's old slug answers with a redirect."""
    created = await client.post(
        "/api/v1/instruments",
        json={"title": "Alter Name", "slug": "alter-name", "cornerstone": "vernetzung"},
    )
    assert created.status_code == 201, created.text
    merged = await client.post(
        "/api/v1/instruments/alter-name/merge",
        json={"into": "spezialteams", "reason": "Doppelt geführt"},
    )
    assert merged.status_code == 200, merged.text


async def test_compressed_pages_carry_them_too(client: ApiClient) -> None:
    await client.login(await make_user())
    response = await client.get("/", headers={"accept-encoding": "gzip"})
    assert response.headers["content-encoding"] == "gzip"
    assert_security_headers(response)


async def test_the_api_documentation_page_may_load_scalar(client: ApiClient) -> None:
    """The docs page loads Scalar from its CDN; only that page allows it."""
    await client.login(await make_user())
    for path in ("/api/docs", "/api/docs/scalar"):
        response = await client.get(path)
        assert response.status_code == 200, (path, response.text)
        assert_security_headers(response, docs=True)
        csp = _directives(response.headers["content-security-policy"])
        for url in _script_and_style_urls(response.text):
            origin = "/".join(url.split("/")[:3])
            allowed = csp["script-src"] + csp["style-src"]
            assert origin in allowed, (url, allowed)


def _script_and_style_urls(html: str) -> list[str]:
    import re

    return re.findall(r'(?:src|href)="(https://[^"]+)"', html)


async def test_pages_use_no_inline_script_or_style(client: ApiClient) -> None:
    """What the policy forbids must not be in the pages to begin with."""
    import re

    await client.login(await make_user(Role.moderator))
    for path in ("/", "/fragen", "/fragen/neu", "/fallberatungen", "/moderation", "/profil"):
        html = (await client.get(path)).text
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), path
        assert not re.search(r"\son[a-z]+\s*=", html), path
        assert not re.search(r"\sstyle\s*=", html), path
        assert "<style" not in html, path


async def test_https_adds_strict_transport_security(settings: Settings) -> None:
    app = create_app(settings.model_copy(update={"base_url": "https://fachaustausch.example"}))
    async with AsyncTestClient(app) as http:
        response = await http.get("/anmelden")
    assert response.headers["strict-transport-security"] == "max-age=31536000"
    assert_security_headers(response)


async def test_plain_http_sends_no_strict_transport_security(client: ApiClient) -> None:
    response = await client.get("/anmelden")
    assert "strict-transport-security" not in response.headers
    assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
