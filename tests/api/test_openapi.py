"""The OpenAPI document describes the answers the API really gives: its errors as RFC 9457
problem details, how to sign in, and each operation's own result (tests/api/
test_schemathesis.py sends requests against it)."""

from __future__ import annotations

from typing import Any

import pytest

from fachaustausch.accounts.policy import Role
from tests.factories import ApiClient, assert_problem, make_user

PROBLEM = {"$ref": "#/components/schemas/Problem"}
UNSAFE = {"post", "put", "patch", "delete"}
PUBLIC = {
    ("post", "/api/v1/auth/login"),
    ("post", "/api/v1/auth/register"),
    ("post", "/api/v1/auth/password-reset"),
    ("post", "/api/v1/auth/password-reset/confirm"),
    ("post", "/api/v1/auth/email-change/confirm"),
    ("get", "/health"),
}


@pytest.fixture
async def document(client: ApiClient) -> dict[str, Any]:
    await client.login(await make_user())
    response = await client.get("/api/docs/openapi.json")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]


async def test_every_error_is_a_problem_document(document: dict[str, Any]) -> None:
    operations = _operations(document)
    assert len(operations) >= 50
    for method, path, operation in operations:
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert response["content"] == {"application/problem+json": {"schema": PROBLEM}}, (
                    method,
                    path,
                    status,
                )
                assert response["description"], (method, path, status)


async def test_each_operation_lists_the_errors_of_its_kind(document: dict[str, Any]) -> None:
    for method, path, operation in _operations(document):
        statuses = {int(s) for s in operation["responses"]}
        where = (method, path, sorted(statuses))
        assert 401 in statuses, where  # an invalid token, even on public operations
        if (method, path) not in PUBLIC and method in UNSAFE:
            assert 403 in statuses, where  # the CSRF check of a session
        if "{" in path:
            assert {400, 404} <= statuses, where
        if "requestBody" in operation:
            assert {400, 415, 422} <= statuses, where


@pytest.mark.parametrize(
    ("method", "path", "statuses"),
    [
        ("post", "/api/v1/auth/login", {401, 403, 429}),
        ("post", "/api/v1/auth/register", {403, 429}),
        ("get", "/api/v1/moderation/queue", {403}),
        ("get", "/api/v1/moderation/audit", {403}),
        ("post", "/api/v1/moderation/actions", {404, 409}),
        ("post", "/api/v1/moderation/registrations/{user_id}/approve", {409, 422}),
        ("post", "/api/v1/flags", {404, 409}),
        ("post", "/api/v1/tokens", {409}),
        ("get", "/api/v1/questions", {422}),
        ("post", "/api/v1/consultations/{consultation_id}/posts", {409}),
        ("get", "/api/v1/instruments", {404}),
    ],
)
async def test_errors_of_the_domain_rules_are_listed(
    document: dict[str, Any], method: str, path: str, statuses: set[int]
) -> None:
    documented = {int(s) for s in document["paths"][path][method]["responses"]}
    assert statuses <= documented


async def test_an_instrument_is_documented_as_itself_or_a_redirect(
    document: dict[str, Any],
) -> None:
    responses = document["paths"]["/api/v1/instruments/{slug}"]["get"]["responses"]
    assert responses["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/InstrumentOut"
    }
    assert "Location" in responses["301"]["description"]
    assert "content" not in responses["301"]


async def test_signing_in_is_documented(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes["zugangstoken"] == {
        "type": "http",
        "scheme": "bearer",
        "description": schemes["zugangstoken"]["description"],
    }
    assert schemes["sitzung"]["in"] == "cookie"
    assert document["security"] == [{"zugangstoken": []}, {"sitzung": []}]
    for method, path, operation in _operations(document):
        if (method, path) in PUBLIC:
            assert operation["security"] == [{}], path  # no sign-in needed
        else:
            assert "security" not in operation, path  # the document's


async def test_the_problem_schema_matches_a_real_problem(
    document: dict[str, Any], client: ApiClient
) -> None:
    schema = document["components"]["schemas"]["Problem"]
    response = await client.post("/api/v1/questions", json={"title": "kurz"})
    body = assert_problem(response, 422)
    assert set(schema["required"]) <= set(body)
    assert set(body) <= set(schema["properties"])
    assert set(body["errors"][0]) == set(
        document["components"]["schemas"]["ProblemFieldError"]["properties"]
    )


# --- what schemathesis found ---------------------------------------------------------------


async def test_a_repeated_query_parameter_is_refused(client: ApiClient) -> None:
    """Litestar would take the last value; the document allows one."""
    await client.login(await make_user(Role.member))
    response = await client.get("/api/v1/authorities?land=Sachsen&land=Bayern")
    assert_problem(response, 400, fields=["land"], detail="nur einmal")
    response = await client.get("/api/v1/questions?limit=5&limit=500")
    assert_problem(response, 400, fields=["limit"])
    fine = await client.get("/api/v1/authorities?land=Sachsen&&kind=partner")
    assert fine.status_code == 200, fine.text


@pytest.mark.parametrize(
    "value", ["0.5", "1700000000", "2026-03-01", "2026-03-01T09:00:00", "2026-13-01T09:00:00Z"]
)
async def test_a_date_parameter_takes_rfc_3339_only(client: ApiClient, value: str) -> None:
    """A number was taken as seconds since 1970; the document says `format: date-time`."""
    await client.login(await make_user(Role.moderator))
    response = await client.get("/api/v1/moderation/audit", params={"until": value})
    assert_problem(response, 400, fields=["until"])


async def test_rfc_3339_dates_filter_the_audit_log(client: ApiClient) -> None:
    await client.login(await make_user(Role.moderator))
    for value in ("2026-03-01T09:00:00Z", "2026-03-01t09:00:00.5+01:00", "2026-03-01 09:00:00Z"):
        response = await client.get("/api/v1/moderation/audit", params={"since": value})
        assert response.status_code == 200, (value, response.text)
