"""Every API route of the foundation × every kind of caller, with the exact status code."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

import pytest

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.policy import AccountStatus, Role
from fachaustausch.accounts.tables import AccountSession, User
from fachaustausch.review import changes as review_changes
from fachaustausch.review.models import LegalChangeInput
from tests.factories import (
    ApiClient,
    UserRecord,
    answer_question,
    ask_question,
    assert_problem,
    make_user,
)

ROLES = ["anonymous", "pending", "suspended", "member", "expert", "moderator", "admin"]
_emails = itertools.count(1)


@dataclass
class Caller:
    client: ApiClient
    user: UserRecord | None
    token_id: int | None


async def _caller(client: ApiClient, role: str) -> Caller:
    """Signed in as `role`. Pending and suspended callers hold a session (and a token) from
    before their account lost its active state: the server must refuse both."""
    await client.csrf_token()
    if role == "anonymous":
        return Caller(client, None, None)
    account_role = Role(role) if role in Role.__members__ else Role.member
    user = await make_user(account_role)
    await client.login(user)
    token = await accounts.create_token(await user.principal(), "Matrix")
    if role in ("pending", "suspended"):
        status = AccountStatus(role)
        await User.update({User.status: status}).where(User.id == user.id).run()
        user = UserRecord(user.id, user.email, user.password, user.role, status)
    return Caller(client, user, token.id)


def _login_body(caller: Caller) -> dict[str, str]:
    if caller.user is None:
        return {"email": "niemand@nirgendwo.de", "password": "Kein Konto vorhanden 1"}
    return {"email": caller.user.email, "password": caller.user.password}


async def _pending_registration() -> int:
    pending = await make_user(status=AccountStatus.pending)
    return pending.id


def _register_body() -> dict[str, str]:
    return {
        "email": f"matrix{next(_emails)}@leipzig.de",
        "password": "Herbstlaub fällt leise auf den Rathausplatz",
        "display_name": "Neue Person",
        "authority": "leipzig",
    }


async def _own_session(caller: Caller) -> int:
    """The caller's own session (the one their sign-in began), else a number of none."""
    if caller.user is None:
        return 1
    row = (
        await AccountSession.select(AccountSession.id)
        .where(AccountSession.user == caller.user.id)
        .first()
    )
    return int(row["id"]) if row else 1


async def _request(caller: Caller, route: str) -> Any:
    c = caller.client
    match route:
        case "POST /auth/login":
            return await c.post("/api/v1/auth/login", json=_login_body(caller))
        case "POST /auth/logout":
            return await c.post("/api/v1/auth/logout")
        case "POST /auth/register":
            return await c.post("/api/v1/auth/register", json=_register_body())
        case "GET /me":
            return await c.get("/api/v1/me")
        case "GET /me/export":
            return await c.get("/api/v1/me/export")
        case "PATCH /me":
            return await c.patch("/api/v1/me", json={"show_email": True})
        case "POST /me/sign-out-everywhere":
            return await c.post("/api/v1/me/sign-out-everywhere")
        case "GET /me/sessions":
            return await c.get("/api/v1/me/sessions")
        case "DELETE /me/sessions/{id}":
            return await c.delete(f"/api/v1/me/sessions/{await _own_session(caller)}")
        case "DELETE /me":
            password = caller.user.password if caller.user else "Kein Konto vorhanden 1"
            return await c.request("DELETE", "/api/v1/me", json={"password": password})
        case "GET /tokens":
            return await c.get("/api/v1/tokens")
        case "POST /tokens":
            return await c.post("/api/v1/tokens", json={"name": "Neu"})
        case "DELETE /tokens/{id}":
            return await c.delete(f"/api/v1/tokens/{caller.token_id or 1}")
        case "GET /authorities":
            return await c.get("/api/v1/authorities")
        case "GET /authorities?kind&land":
            return await c.get("/api/v1/authorities", params={"kind": "partner", "land": "Hessen"})
        case "GET /authorities/{slug}":
            return await c.get("/api/v1/authorities/weimar")
        case "GET /people?q":
            return await c.get("/api/v1/people", params={"q": "person"})
        case "GET /people/{handle}":
            await make_user(display_name="Ziel Person")
            return await c.get("/api/v1/people/ziel.person")
        case "PATCH /people/{handle}":
            await make_user(display_name="Ziel Mitglied")
            return await c.patch(
                "/api/v1/people/ziel.mitglied", json={"status": "suspended", "reason": "Test"}
            )
        case "GET /cornerstones":
            return await c.get("/api/v1/cornerstones")
        case "GET /instruments":
            return await c.get("/api/v1/instruments")
        case "GET /instruments?cornerstone":
            return await c.get("/api/v1/instruments", params={"cornerstone": "vernetzung"})
        case "GET /instruments/{slug}":
            return await c.get("/api/v1/instruments/terminsystem")
        case "GET /moderation/registrations":
            return await c.get("/api/v1/moderation/registrations")
        case "POST /moderation/registrations/{id}/approve":
            user_id = await _pending_registration()
            return await c.post(f"/api/v1/moderation/registrations/{user_id}/approve")
        case "POST /moderation/registrations/{id}/reject":
            user_id = await _pending_registration()
            return await c.post(f"/api/v1/moderation/registrations/{user_id}/reject")
        case "GET /legal-changes":
            return await c.get("/api/v1/legal-changes")
        case "POST /legal-changes":
            return await c.post("/api/v1/legal-changes", json=_legal_change())
        case "GET /content-review":
            return await c.get("/api/v1/content-review")
        case "POST /content-review/{post_type}/{id}":
            answer_id = await _answer_up_for_review()
            return await c.post(
                f"/api/v1/content-review/answer/{answer_id}", json={"action": "confirm"}
            )
        case "GET /health":
            return await c.get("/health")
        case "GET /api/docs":
            return await c.get("/api/docs", follow_redirects=False)
        case "GET /api/docs/openapi.json":
            return await c.get("/api/docs/openapi.json")
    raise AssertionError(route)


def _legal_change() -> dict[str, object]:
    return {
        "provisions": ["§ 18a AufenthG"],
        "effective_on": "2024-03-01",
        "title": "Gesetz zur Weiterentwicklung der Fachkräfteeinwanderung",
        "note": "",
    }


async def _answer_up_for_review() -> int:
    """An answer citing § 18a AufenthG that a change of it put up for review."""
    author = await make_user()
    question_id = await ask_question(author)
    answer_id = await answer_question(author, question_id, "Das regelt § 18a AufenthG.")
    moderator = await make_user(Role.moderator)
    await review_changes.record_change(
        await moderator.principal(), LegalChangeInput.model_validate(_legal_change())
    )
    return answer_id


def _row(anonymous: int, inactive: int, member: int, moderator: int) -> dict[str, int]:
    """Status codes for anonymous, pending+suspended, member+expert, moderator+admin."""
    return {
        "anonymous": anonymous,
        "pending": inactive,
        "suspended": inactive,
        "member": member,
        "expert": member,
        "moderator": moderator,
        "admin": moderator,
    }


def _account(ok: int) -> dict[str, int]:
    return _row(401, 401, ok, ok)


EXPECTED: dict[str, dict[str, int]] = {
    # login answers for the caller's own credentials; an unknown address for anonymous
    "POST /auth/login": _row(401, 403, 200, 200),
    "POST /auth/logout": _account(204),
    "POST /auth/register": _row(202, 202, 202, 202),
    "GET /me": _account(200),
    "GET /me/export": _account(200),
    "PATCH /me": _account(200),
    "POST /me/sign-out-everywhere": _account(204),
    "GET /me/sessions": _account(200),
    "DELETE /me/sessions/{id}": _account(204),
    "DELETE /me": _account(204),
    "GET /tokens": _account(200),
    "POST /tokens": _account(201),
    "DELETE /tokens/{id}": _account(204),
    "GET /authorities": _account(200),
    "GET /authorities?kind&land": _account(200),
    "GET /authorities/{slug}": _account(200),
    "GET /people?q": _account(200),
    "GET /people/{handle}": _account(200),
    "PATCH /people/{handle}": _row(401, 401, 403, 200),
    "GET /cornerstones": _account(200),
    "GET /instruments": _account(200),
    "GET /instruments?cornerstone": _account(200),
    "GET /instruments/{slug}": _account(200),
    "GET /moderation/registrations": _row(401, 401, 403, 200),
    "POST /moderation/registrations/{id}/approve": _row(401, 401, 403, 204),
    "POST /moderation/registrations/{id}/reject": _row(401, 401, 403, 204),
    "GET /legal-changes": _account(200),
    "POST /legal-changes": _row(401, 401, 403, 201),
    "GET /content-review": {**_row(401, 401, 403, 200), "expert": 200},
    "POST /content-review/{post_type}/{id}": {**_row(401, 401, 403, 201), "expert": 201},
    "GET /health": _row(200, 200, 200, 200),
    # The reference is a page: the login first (tests/api/test_api_reference.py).
    "GET /api/docs": _row(302, 302, 200, 200),
    "GET /api/docs/openapi.json": _account(200),
}

DETAILS = {
    401: "Bitte melden Sie sich an.",
    403: "Nur die Moderation (BAMF) darf diese Aktion ausführen.",
}
# Routes whose refusal names their own rule.
ROUTE_DETAILS = {
    ("POST /legal-changes", 403): "Rechtsänderungen erfasst nur die Moderation (BAMF).",
    ("GET /content-review", 403): "Expertinnen und Experten sowie der Moderation vorbehalten",
    ("POST /content-review/{post_type}/{id}", 403): (
        "Expertinnen und Experten sowie der Moderation vorbehalten"
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", list(EXPECTED))
async def test_route_by_role(client: ApiClient, route: str, role: str) -> None:
    caller = await _caller(client, role)
    response = await _request(caller, route)
    expected = EXPECTED[route][role]
    if expected >= 400:
        detail = ROUTE_DETAILS.get((route, expected), DETAILS.get(expected))
        if route == "POST /auth/login":
            detail = {
                "anonymous": "E-Mail-Adresse oder Passwort ist falsch.",
                "pending": "wartet noch auf die Freischaltung",
                "suspended": "Ihr Konto ist gesperrt",
            }[role]
        assert_problem(response, expected, detail=detail)
    else:
        assert response.status_code == expected, response.text
        if expected == 302:
            assert response.headers["location"] == "/anmelden?weiter=/api/docs"


async def test_matrix_routes_exist(app: Any) -> None:
    """The matrix names the foundation's API routes as the app registers them."""
    covered = {
        "/api/v1/auth/login",
        "/api/v1/auth/logout",
        "/api/v1/auth/register",
        "/api/v1/me",
        "/api/v1/me/export",
        "/api/v1/me/sign-out-everywhere",
        "/api/v1/me/sessions",
        "/api/v1/me/sessions/{session_id:int}",
        "/api/v1/tokens",
        "/api/v1/tokens/{token_id:int}",
        "/api/v1/authorities",
        "/api/v1/authorities/{slug:str}",
        "/api/v1/people",
        "/api/v1/people/{handle:str}",
        "/api/v1/cornerstones",
        "/api/v1/instruments",
        "/api/v1/instruments/{slug:str}",
        "/api/v1/moderation/registrations",
        "/api/v1/moderation/registrations/{user_id:int}/approve",
        "/api/v1/moderation/registrations/{user_id:int}/reject",
        "/api/v1/legal-changes",
        "/api/v1/content-review",
        "/api/v1/content-review/{post_type:str}/{post_id:int}",
    }
    api_routes = {r.path for r in app.routes if r.path.startswith("/api/v1")}
    assert covered <= api_routes
