"""JSON bodies: only as JSON (415 otherwise, so a cross-site form cannot log someone in),
never nested deeper than the decoder goes (400, not a 500), validated as strictly as the
models declare; the CSRF-exempt login and registration refuse other sites (403)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from litestar import Litestar
from litestar.routes import HTTPRoute

from fachaustausch.accounts.policy import Role
from fachaustausch.accounts.tables import User
from fachaustausch.settings import Settings
from tests.factories import (
    ApiClient,
    answer_question,
    ask_question,
    assert_problem,
    make_user,
    sent_mails,
)

LOGIN = "/api/v1/auth/login"
REGISTER = "/api/v1/auth/register"
REGISTRATION = {
    "email": "neu@leipzig.de",
    "password": "Herbstlaub fällt leise auf den Rathausplatz",
    "display_name": "Neue Person",
    "authority": "leipzig",
}
UNSUPPORTED = "Bitte senden Sie die Daten als JSON"
TOO_DEEP = "zu tief verschachtelt"
CROSS_SITE = "nicht von einer anderen Website aus"
_PARAM = re.compile(r"\{(\w+):(\w+)\}")


def _json_routes(app: Litestar) -> list[tuple[str, str]]:
    """(method, concrete path) of every API handler that takes a JSON body."""
    found: list[tuple[str, str]] = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute) or not route.path.startswith("/api/"):
            continue
        for handler in route.route_handlers:
            if "data" in handler.parsed_fn_signature.parameters:
                path = _PARAM.sub(lambda m: "1" if m.group(2) == "int" else "x", route.path)
                found.extend((method, path) for method in handler.http_methods)
    return found


# --- content types ---------------------------------------------------------------------------


async def test_login_with_text_plain_is_refused_and_starts_no_session(client: ApiClient) -> None:
    """What a cross-site HTML form can send (enctype="text/plain") without a preflight."""
    user = await make_user()
    body = f'{{"email": "{user.email}", "password": "{user.password}"}}'
    response = await client.post(LOGIN, content=body, headers={"content-type": "text/plain"})
    assert_problem(response, 415, detail=UNSUPPORTED)
    assert "set-cookie" not in response.headers
    assert (await client.get("/api/v1/me")).status_code == 401


@pytest.mark.parametrize(
    "content_type",
    [
        "text/plain",
        "text/plain; charset=utf-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "application/xml",
        None,
    ],
)
async def test_registration_needs_json(
    client: ApiClient, settings: Settings, content_type: str | None
) -> None:
    import json

    headers = {"content-type": content_type} if content_type else {}
    response = await client.post(REGISTER, content=json.dumps(REGISTRATION), headers=headers)
    assert_problem(response, 415, detail=UNSUPPORTED)
    assert await User.count().where(User.email == REGISTRATION["email"]).run() == 0
    assert sent_mails(settings.mail_dir) == []


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "Application/JSON"]
)
async def test_json_in_its_spellings_is_accepted(client: ApiClient, content_type: str) -> None:
    import json

    user = await make_user()
    body = json.dumps({"email": user.email, "password": user.password})
    response = await client.post(LOGIN, content=body, headers={"content-type": content_type})
    assert response.status_code == 200, response.text


async def test_every_json_endpoint_refuses_other_content_types(
    app: Litestar, client: ApiClient
) -> None:
    await client.login(await make_user(Role.admin))
    routes = _json_routes(app)
    assert len(routes) > 20  # the API's JSON handlers were found
    for method, path in routes:
        response = await client.request(
            method, path, content=b'{"x": 1}', headers={"content-type": "text/plain"}
        )
        assert_problem(response, 415, detail=UNSUPPORTED)


async def test_an_empty_optional_body_needs_no_content_type(client: ApiClient) -> None:
    """Rejecting a registration takes an optional reason: no body, no type to check."""
    await client.login(await make_user(Role.moderator))
    pending = await make_user()
    await User.update({User.status: "pending"}).where(User.id == pending.id).run()
    response = await client.post(f"/api/v1/moderation/registrations/{pending.id}/reject")
    assert response.status_code == 204, response.text


# --- nesting ---------------------------------------------------------------------------------

DEEP = b"[" * 1000 + b"]" * 1000
DEEP_IN_A_FIELD = b'{"email": ' + b"[" * 1000 + b"]" * 1000 + b"}"


@pytest.mark.parametrize("body", [DEEP, DEEP_IN_A_FIELD, b'{"a":' * 1000 + b"1" + b"}" * 1000])
@pytest.mark.parametrize("path", [LOGIN, REGISTER])
async def test_deep_nesting_without_an_account_is_a_bad_request(
    client: ApiClient, path: str, body: bytes
) -> None:
    response = await client.post(path, content=body, headers={"content-type": "application/json"})
    assert_problem(response, 400, detail=TOO_DEEP)


async def test_deep_nesting_is_a_bad_request_on_every_json_endpoint(
    app: Litestar, client: ApiClient
) -> None:
    await client.login(await make_user(Role.admin))
    for method, path in _json_routes(app):
        response = await client.request(
            method, path, content=DEEP, headers={"content-type": "application/json"}
        )
        assert_problem(response, 400, detail=TOO_DEEP)


async def test_moderate_nesting_is_an_ordinary_field_error(client: ApiClient) -> None:
    body = b'{"email": ' + b"[" * 100 + b"]" * 100 + b', "password": "x"}'
    response = await client.post(LOGIN, content=body, headers={"content-type": "application/json"})
    assert_problem(response, 422, fields=["email"])


# --- strict votes ----------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["true", "false", "1.0", '"1"', '"-1"', "1e0", "null", "[1]"])
async def test_votes_are_strict_integers(client: ApiClient, value: str) -> None:
    author = await make_user()
    question = await ask_question(author)
    answer = await answer_question(await make_user(Role.expert), question)
    await client.login(await make_user())
    for path in (f"/api/v1/questions/{question}/vote", f"/api/v1/answers/{answer}/vote"):
        response = await client.post(
            path,
            content=b'{"value": ' + value.encode() + b"}",
            headers={"content-type": "application/json"},
        )
        assert_problem(response, 422, fields=["value"])
    question_page = (await client.get(f"/api/v1/questions/{question}")).json()
    assert question_page["score"] == 0


async def test_integer_votes_still_count(client: ApiClient) -> None:
    question = await ask_question(await make_user())
    await client.login(await make_user())
    response = await client.post(f"/api/v1/questions/{question}/vote", json={"value": -1})
    assert response.status_code == 200, response.text
    assert response.json() == {"score": -1, "my_vote": -1}


# --- other sites -----------------------------------------------------------------------------


async def _login(client: ApiClient, headers: dict[str, str]) -> Any:
    user = await make_user()
    return await client.post(
        LOGIN, json={"email": user.email, "password": user.password}, headers=headers
    )


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": "https://angreifer.example"},
        {"origin": "http://127.0.0.1:8000.angreifer.example"},
        {"origin": "null"},
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "cross-site", "origin": "http://testserver.local"},
    ],
)
async def test_login_and_registration_from_another_site_are_refused(
    client: ApiClient, settings: Settings, headers: dict[str, str]
) -> None:
    response = await _login(client, headers)
    assert_problem(response, 403, detail=CROSS_SITE)
    assert "set-cookie" not in response.headers
    registered = await client.post(REGISTER, json=REGISTRATION, headers=headers)
    assert_problem(registered, 403, detail=CROSS_SITE)
    assert sent_mails(settings.mail_dir) == []


@pytest.mark.parametrize(
    "headers",
    [
        {},  # API clients outside a browser
        {"origin": "http://127.0.0.1:8000"},  # the configured base URL
        {"origin": "http://testserver.local"},  # the address the request came to
        {"sec-fetch-site": "same-origin", "origin": "http://testserver.local"},
        {"sec-fetch-site": "none"},  # typed into the address bar
    ],
)
async def test_login_from_the_platform_itself_works(
    client: ApiClient, headers: dict[str, str]
) -> None:
    response = await _login(client, headers)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/v1/auth/password-reset", {"email": "jemand@abh-beispiel.de"}),
        (
            "/api/v1/auth/password-reset/confirm",
            {"token": "x" * 43, "password": "ein-sehr-langes-Passwort-2026"},
        ),
        ("/api/v1/auth/email-change/confirm", {"token": "x" * 43}),
    ],
)
async def test_account_recovery_from_another_site_is_refused(
    client: ApiClient, settings: Settings, path: str, body: dict[str, str]
) -> None:
    """The recovery endpoints act without a session, like the login: exempt from CSRF, so
    they refuse a request another site's page sends."""
    response = await client.post(path, json=body, headers={"sec-fetch-site": "cross-site"})
    assert_problem(response, 403, detail=CROSS_SITE)
    assert sent_mails(settings.mail_dir) == []
