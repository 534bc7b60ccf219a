"""Driving the HTML pages like a browser does: GET a page (which sets the CSRF cookie), then
POST the form with the token in `_csrf_token`, and read the answer as HTML."""

from __future__ import annotations

from typing import Any

import httpx

from tests.factories import ApiClient, UserRecord
from tests.web.html import Node, parse


async def csrf_token(client: ApiClient, page: str = "/anmelden") -> str:
    token = client.cookies.get("csrftoken")
    if not token:
        response = await client.get(page, follow_redirects=False)
        assert response.status_code in {200, 302, 303}, response.text
        token = client.cookies.get("csrftoken")
    assert token, "a GET sets the CSRF cookie"
    return str(token)


async def post_form(
    client: ApiClient, path: str, data: dict[str, Any] | None = None, *, page: str = "/anmelden"
) -> httpx.Response:
    """POSTs form data the way the page's own form does, without following redirects."""
    fields = dict(data or {})
    fields["_csrf_token"] = await csrf_token(client, page)
    response: httpx.Response = await client.post(path, data=fields, follow_redirects=False)
    return response


async def login_via_form(
    client: ApiClient, email: str, password: str, weiter: str | None = None
) -> httpx.Response:
    data = {"email": email, "password": password}
    if weiter is not None:
        data["weiter"] = weiter
    return await post_form(client, "/anmelden", data)


async def sign_in(client: ApiClient, user: UserRecord) -> None:
    response = await login_via_form(client, user.email, user.password)
    assert response.status_code in {302, 303}, response.text
    assert response.headers["location"] == "/"


async def get_page(client: ApiClient, path: str, status: int = 200) -> Node:
    response = await client.get(path, follow_redirects=False)
    assert response.status_code == status, (response.status_code, response.text[:2000])
    assert response.headers["content-type"].startswith("text/html")
    return parse(response.text)


def html(response: httpx.Response) -> Node:
    assert response.headers["content-type"].startswith("text/html"), response.headers
    return parse(response.text)


def flashes(page: Node) -> list[str]:
    return [alert.text for alert in page.find("main").find_all(cls="kern-alert")]


def field_error(page: Node, name: str) -> str:
    """The error message shown next to field `name`, checked to be wired for screen readers:
    the control is aria-invalid and its aria-describedby points at the message."""
    control = page.by_id(name)
    assert control.get("aria-invalid") == "true", f"{name} is not marked aria-invalid"
    described = control.get("aria-describedby").split()
    assert f"{name}-error" in described, f"{name} does not reference its error: {described}"
    message = page.by_id(f"{name}-error")
    assert "kern-error" in message.classes
    return message.text


def has_field_error(page: Node, name: str) -> bool:
    return bool(page.find_all(id=f"{name}-error")) or page.by_id(name).get("aria-invalid") == "true"
