"""Every moderation route × every kind of caller, with the exact status code: members and
experts are refused (403), anonymous callers too (401); moderators and admins succeed with
valid input. Only flagging is open to every active member."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from fachaustausch.accounts.policy import AccountStatus, Role
from tests.factories import ApiClient, UserRecord, ask_question, assert_problem, make_user

ROLES = ["anonymous", "member", "expert", "moderator", "admin"]
_slugs = itertools.count(1)


async def _request(client: ApiClient, route: str, caller: UserRecord | None) -> Any:
    c = client
    match route:
        case "POST /flags":
            author = await make_user(Role.member)
            qid = await ask_question(author)
            return await c.post(
                "/api/v1/flags",
                json={"target_type": "question", "target_id": qid, "reason": "wrong"},
            )
        case "GET /moderation/queue":
            return await c.get("/api/v1/moderation/queue")
        case "POST /moderation/actions":
            qid = await ask_question(await make_user(Role.member))
            return await c.post(
                "/api/v1/moderation/actions",
                json={
                    "action": "hide",
                    "target_type": "question",
                    "target_id": qid,
                    "reason": "Enthält ein Aktenzeichen.",
                },
            )
        case "GET /moderation/audit":
            return await c.get("/api/v1/moderation/audit")
        case "POST /instruments":
            n = next(_slugs)
            return await c.post(
                "/api/v1/instruments",
                json={
                    "title": f"Neues Instrument {n}",
                    "slug": f"neues-instrument-{n}",
                    "cornerstone": "vernetzung",
                },
            )
        case "PATCH /instruments/{slug}":
            return await c.patch(
                "/api/v1/instruments/terminsystem",
                json={"description": "Neu beschrieben.", "reason": "Präziser"},
            )
        case "POST /instruments/{slug}/merge":
            return await c.post(
                "/api/v1/instruments/mobiler-arbeitsplatz/merge",
                json={"into": "spezialteams", "reason": "Doppelt geführt"},
            )
        case "PATCH /cornerstones/{slug}":
            return await c.patch(
                "/api/v1/cornerstones/vernetzung",
                json={"statement": "Wir arbeiten vernetzt.", "reason": "Kürzer"},
            )
        case "GET /moderation/registrations":
            return await c.get("/api/v1/moderation/registrations")
        case "POST /moderation/registrations/{id}/approve":
            pending = await make_user(status=AccountStatus.pending)
            return await c.post(f"/api/v1/moderation/registrations/{pending.id}/approve")
        case "POST /moderation/registrations/{id}/reject":
            pending = await make_user(status=AccountStatus.pending)
            return await c.post(
                f"/api/v1/moderation/registrations/{pending.id}/reject",
                json={"reason": "Keine Behörde"},
            )
    raise AssertionError(route)


def _row(ok: int, *, members: int = 403) -> dict[str, int]:
    return {"anonymous": 401, "member": members, "expert": members, "moderator": ok, "admin": ok}


EXPECTED: dict[str, dict[str, int]] = {
    "POST /flags": _row(201, members=201),
    "GET /moderation/queue": _row(200),
    "POST /moderation/actions": _row(200),
    "GET /moderation/audit": _row(200),
    "POST /instruments": _row(201),
    "PATCH /instruments/{slug}": _row(200),
    "POST /instruments/{slug}/merge": _row(200),
    "PATCH /cornerstones/{slug}": _row(204),
    "GET /moderation/registrations": _row(200),
    "POST /moderation/registrations/{id}/approve": _row(204),
    "POST /moderation/registrations/{id}/reject": _row(204),
}

DETAILS = {
    401: "Bitte melden Sie sich an.",
    403: "Nur die Moderation (BAMF) darf diese Aktion ausführen.",
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", list(EXPECTED))
async def test_moderation_route_by_role(client: ApiClient, route: str, role: str) -> None:
    await client.csrf_token()
    caller = None
    if role != "anonymous":
        caller = await make_user(Role(role))
        await client.login(caller)
    response = await _request(client, route, caller)
    expected = EXPECTED[route][role]
    if expected >= 400:
        assert_problem(response, expected, detail=DETAILS[expected])
    else:
        assert response.status_code == expected, response.text


@pytest.mark.parametrize("role", ["anonymous", "member", "expert"])
async def test_refused_callers_change_nothing(client: ApiClient, role: str) -> None:
    """A refused action leaves no trace: the target is unchanged, no audit row is written."""
    from fachaustausch.core.audit import AuditLog
    from fachaustausch.questions.tables import Question

    await client.csrf_token()
    if role != "anonymous":
        await client.login(await make_user(Role(role)))
    qid = await ask_question(await make_user(Role.member))
    response = await client.post(
        "/api/v1/moderation/actions",
        json={"action": "hide", "target_type": "question", "target_id": qid, "reason": "x"},
    )
    assert response.status_code in (401, 403)
    assert await Question.select(Question.hidden).where(Question.id == qid).first().run() == {
        "hidden": False
    }
    assert await AuditLog.count().run() == 0


async def test_matrix_covers_every_moderation_route(app: Any) -> None:
    covered = {
        "/api/v1/flags",
        "/api/v1/moderation/queue",
        "/api/v1/moderation/actions",
        "/api/v1/moderation/audit",
        "/api/v1/instruments",
        "/api/v1/instruments/{slug:str}",
        "/api/v1/instruments/{slug:str}/merge",
        "/api/v1/cornerstones/{slug:str}",
        "/api/v1/moderation/registrations",
        "/api/v1/moderation/registrations/{user_id:int}/approve",
        "/api/v1/moderation/registrations/{user_id:int}/reject",
    }
    api_routes = {r.path for r in app.routes}
    assert covered <= api_routes, covered - api_routes
    moderation_routes = {p for p in api_routes if p.startswith("/api/v1/moderation")}
    assert moderation_routes <= covered, moderation_routes - covered
