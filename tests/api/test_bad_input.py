"""Bad input answers 4xx problem details in German, never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.accounts.tables import User
from tests.factories import ApiClient, assert_problem, make_user

REGISTER = "/api/v1/auth/register"
LOGIN = "/api/v1/auth/login"
JSON = {"content-type": "application/json"}
GOOD = {
    "email": "neu@leipzig.de",
    "password": "Herbstlaub fällt leise auf den Rathausplatz",
    "display_name": "Neue Person",
    "authority": "leipzig",
}


def _with(**changes: Any) -> dict[str, Any]:
    return {**GOOD, **changes}


# (name, path, request kwargs, status, fields at fault or None)
BODY_CASES = [
    ("malformed JSON", REGISTER, {"content": b'{"email": ', "headers": JSON}, 400, None),
    ("invalid UTF-8", REGISTER, {"content": b'{"email": "\xff\xfe"}', "headers": JSON}, 400, None),
    ("invalid UTF-8 login", LOGIN, {"content": b"\xc3\x28", "headers": JSON}, 400, None),
    ("lone surrogate", LOGIN, {"content": b'{"email": "\\ud800"}', "headers": JSON}, 400, None),
    ("empty body", REGISTER, {"content": b"", "headers": JSON}, 422, ["body"]),
    ("null body", REGISTER, {"content": b"null", "headers": JSON}, 422, ["body"]),
    ("array", REGISTER, {"json": [GOOD]}, 422, ["body"]),
    ("string", LOGIN, {"json": "email"}, 422, ["body"]),
    ("number for email", REGISTER, {"json": _with(email=5)}, 422, ["email"]),
    (
        "object for password",
        LOGIN,
        {"json": {"email": "a@b.de", "password": {}}},
        422,
        ["password"],
    ),
    (
        "missing fields",
        REGISTER,
        {"json": {"email": "a@b.de"}},
        422,
        ["password", "display_name", "authority"],
    ),
    ("empty object login", LOGIN, {"json": {}}, 422, ["email", "password"]),
    ("unknown field", REGISTER, {"json": _with(role="admin")}, 422, ["role"]),
    (
        "unknown field login",
        LOGIN,
        {"json": {"email": "a@b.de", "password": "x", "x": 1}},
        422,
        ["x"],
    ),
    ("display_name 101", REGISTER, {"json": _with(display_name="x" * 101)}, 422, ["display_name"]),
    ("display_name 1", REGISTER, {"json": _with(display_name="x")}, 422, ["display_name"]),
    ("password 129", REGISTER, {"json": _with(password="x" * 129)}, 422, ["password"]),
    (
        "password 129 login",
        LOGIN,
        {"json": {"email": "a@b.de", "password": "x" * 129}},
        422,
        ["password"],
    ),
    ("email 300", REGISTER, {"json": _with(email="a" * 290 + "@leipzig.de")}, 422, ["email"]),
    (
        "email 300 login",
        LOGIN,
        {"json": {"email": "a" * 290 + "@x.de", "password": "x"}},
        422,
        ["email"],
    ),
    ("not an email", REGISTER, {"json": _with(email="kein-at-zeichen")}, 422, ["email"]),
    (
        "NUL in name",
        REGISTER,
        {"json": _with(display_name="Anna\x00Schmidt")},
        422,
        ["display_name"],
    ),
    ("NUL in email", REGISTER, {"json": _with(email="an\x00na@leipzig.de")}, 422, ["email"]),
    (
        "NUL in email login",
        LOGIN,
        {"json": {"email": "a\x00@b.de", "password": "x"}},
        422,
        ["email"],
    ),
    (
        "bad authority slug",
        REGISTER,
        {"json": _with(authority="Nicht Gültig!")},
        422,
        ["authority"],
    ),
    ("unknown authority", REGISTER, {"json": _with(authority="atlantis")}, 422, ["authority"]),
    ("form instead of JSON", REGISTER, {"data": {"email": "a@b.de"}}, 415, None),
]


@pytest.mark.parametrize(
    ("path", "kwargs", "status", "fields"),
    [case[1:] for case in BODY_CASES],
    ids=[case[0] for case in BODY_CASES],
)
async def test_bad_bodies_on_public_routes(
    client: ApiClient, path: str, kwargs: dict[str, Any], status: int, fields: list[str] | None
) -> None:
    response = await client.post(path, **kwargs)
    body = assert_problem(response, status, fields=fields)
    if fields:
        assert body["title"] == "Eingaben unvollständig oder fehlerhaft"
        if len(fields) == 1:
            message = body["errors"][0]["message"]
            assert body["detail"] in (
                f"Bitte prüfen Sie das Feld „{fields[0]}“: {message}",
                message,
            )
    assert await User.count() == 0


async def test_unknown_authority_message(client: ApiClient) -> None:
    body = assert_problem(await client.post(REGISTER, json=_with(authority="atlantis")), 422)
    assert body["errors"] == [{"field": "authority", "message": "Diese Behörde ist nicht bekannt."}]


async def test_field_messages_are_german(client: ApiClient) -> None:
    response = await client.post(REGISTER, json={"email": 5, "display_name": "x" * 101, "x": 1})
    body = assert_problem(response, 422)
    messages = {e["field"]: e["message"] for e in body["errors"]}
    assert messages == {
        "email": "Bitte geben Sie einen Text ein.",
        "password": "Bitte füllen Sie dieses Feld aus.",
        "display_name": "Bitte höchstens 100 Zeichen.",
        "authority": "Bitte füllen Sie dieses Feld aus.",
        "x": "Dieses Feld ist unbekannt.",
    }
    assert body["detail"] == "Bitte prüfen Sie die markierten Felder."


# (name, method, path, request kwargs, status, fields or None, detail fragment or None)
SIGNED_IN_CASES = [
    ("token name missing", "POST", "/api/v1/tokens", {"json": {}}, 422, ["name"], None),
    ("token name blank", "POST", "/api/v1/tokens", {"json": {"name": "  "}}, 422, ["name"], None),
    (
        "token name 101",
        "POST",
        "/api/v1/tokens",
        {"json": {"name": "x" * 101}},
        422,
        ["name"],
        None,
    ),
    ("token name number", "POST", "/api/v1/tokens", {"json": {"name": 7}}, 422, ["name"], None),
    ("token name NUL", "POST", "/api/v1/tokens", {"json": {"name": "a\x00b"}}, 422, ["name"], None),
    ("token array", "POST", "/api/v1/tokens", {"json": ["name"]}, 422, ["body"], None),
    (
        "token bad JSON",
        "POST",
        "/api/v1/tokens",
        {"content": b"{", "headers": JSON},
        400,
        None,
        None,
    ),
    ("token id abc", "DELETE", "/api/v1/tokens/abc", {}, 404, None, None),
    ("token id float", "DELETE", "/api/v1/tokens/1.5", {}, 404, None, None),
    ("token id huge", "DELETE", "/api/v1/tokens/99999999999999999999999", {}, 404, None, None),
    ("unknown kind", "GET", "/api/v1/authorities?kind=stadt", {}, 400, ["kind"], "erlaubten Werte"),
    ("empty kind", "GET", "/api/v1/authorities?kind=", {}, 400, ["kind"], None),
    ("NUL in land", "GET", "/api/v1/authorities?land=%00", {}, 400, ["land"], None),
    ("land too long", "GET", "/api/v1/authorities?land=" + "x" * 61, {}, 400, ["land"], None),
    (
        "unknown instrument",
        "GET",
        "/api/v1/instruments/gibt-es-nicht",
        {},
        404,
        None,
        "Dieses Instrument gibt es nicht.",
    ),
    ("NUL instrument", "GET", "/api/v1/instruments/a%00b", {}, 400, ["slug"], None),
    (
        "unknown cornerstone",
        "GET",
        "/api/v1/instruments?cornerstone=gibt-es-nicht",
        {},
        404,
        None,
        "Diesen Eckpunkt gibt es nicht.",
    ),
    (
        "NUL cornerstone",
        "GET",
        "/api/v1/instruments?cornerstone=%00",
        {},
        400,
        ["cornerstone"],
        None,
    ),
    (
        "unknown route",
        "GET",
        "/api/v1/gibt-es-nicht",
        {},
        404,
        None,
        "Die angeforderte Adresse gibt es nicht.",
    ),
    ("unknown nested route", "GET", "/api/v1/me/gibt/es/nicht", {}, 404, None, None),
    ("wrong method", "PUT", "/api/v1/me", {}, 405, None, "Methode"),
    ("approve abc", "POST", "/api/v1/moderation/registrations/abc/approve", {}, 404, None, None),
    (
        "approve huge",
        "POST",
        "/api/v1/moderation/registrations/3000000000/approve",
        {},
        404,
        None,
        "Diese Registrierung gibt es nicht.",
    ),
    (
        "reject reason number",
        "POST",
        "/api/v1/moderation/registrations/1/reject",
        {"json": {"reason": 1}},
        422,
        ["reason"],
        None,
    ),
    (
        "reject unknown field",
        "POST",
        "/api/v1/moderation/registrations/1/reject",
        {"json": {"grund": "x"}},
        422,
        ["grund"],
        None,
    ),
    (
        "reject reason 1001",
        "POST",
        "/api/v1/moderation/registrations/1/reject",
        {"json": {"reason": "x" * 1001}},
        422,
        ["reason"],
        None,
    ),
    (
        "reject array",
        "POST",
        "/api/v1/moderation/registrations/1/reject",
        {"json": []},
        422,
        ["body"],
        None,
    ),
]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "fields", "detail"),
    [case[1:] for case in SIGNED_IN_CASES],
    ids=[case[0] for case in SIGNED_IN_CASES],
)
async def test_bad_input_when_signed_in(
    client: ApiClient,
    method: str,
    path: str,
    kwargs: dict[str, Any],
    status: int,
    fields: list[str] | None,
    detail: str | None,
) -> None:
    await client.login(await make_user(Role.moderator))
    response = await client.request(method, path, **kwargs)
    assert_problem(response, status, fields=fields, detail=detail)


async def test_unknown_api_route_is_a_problem_even_anonymously(client: ApiClient) -> None:
    assert_problem(await client.get("/api/v1/gibt-es-nicht"), 404)
    assert_problem(await client.post("/api/v1/gibt-es-nicht", json={}), 404)
