"""Every moderator action writes exactly one audit row (actor, action, target, reason, before,
after) and has its effect; no route changes or deletes an audit row."""

from __future__ import annotations

from typing import Any

import pytest

from fachaustausch.accounts.policy import AccountStatus, Role
from fachaustausch.accounts.tables import User
from fachaustausch.moderation import actions as moderation_actions
from fachaustausch.moderation.models import Action, ActionInput, TargetType
from fachaustausch.moderation.tables import Flag
from fachaustausch.questions.tables import Revision
from fachaustausch.settings import Settings
from tests.factories import (
    ApiClient,
    UserRecord,
    answer_question,
    ask_question,
    assert_problem,
    make_user,
    store_unchecked,
)
from tests.moderation.support import act, as_user, audit_count, audit_rows, flag

pytestmark = pytest.mark.database


@pytest.fixture
async def moderator(client: ApiClient) -> UserRecord:
    moderator = await make_user(Role.moderator)
    await client.login(moderator)
    return moderator


async def _one_row(
    client: ApiClient,
    moderator: UserRecord,
    action: str,
    target_type: str,
    target_id: int,
    *,
    before: dict[str, Any],
    after: dict[str, Any],
    audit_target: tuple[str, int] | None = None,
    **body: Any,
) -> dict[str, Any]:
    """Runs the action, checks it wrote exactly one row with these values; returns the
    action's answer."""
    count = await audit_count()
    response = await act(client, action, target_type, target_id, **body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    assert result["action"] == action
    assert result["detail"]
    assert await audit_count() == count + 1
    row = (await audit_rows())[-1]
    expected_type, expected_id = audit_target or (target_type, target_id)
    assert row["actor"] == moderator.id
    assert row["action"] == action
    assert (row["target_type"], row["target_id"]) == (expected_type, expected_id)
    assert row["reason"] == body.get("reason", "").strip()
    assert row["before"] == before
    assert row["after"] == after
    return result


async def _question(client: ApiClient, qid: int) -> dict[str, Any]:
    response = await client.get(f"/api/v1/questions/{qid}")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_hide_and_restore(client: ApiClient, moderator: UserRecord) -> None:
    qid = await ask_question(await make_user())
    await _one_row(client, moderator, "hide", "question", qid, reason="PII",
                   before={"hidden": False}, after={"hidden": True})  # fmt: skip
    await _one_row(client, moderator, "restore", "question", qid, reason="geprüft",
                   before={"hidden": True}, after={"hidden": False})  # fmt: skip
    # Repeating an action that changes nothing is a conflict, not a second row.
    count = await audit_count()
    assert_problem(await act(client, "restore", "question", qid), 409)
    assert await audit_count() == count


async def test_lock_refuses_answers_and_unlock_allows_them(
    client: ApiClient, moderator: UserRecord
) -> None:
    author = await make_user()
    qid = await ask_question(author)
    await _one_row(client, moderator, "lock", "question", qid, reason="Hitzige Debatte",
                   before={"locked": False}, after={"locked": True})  # fmt: skip
    detail = await _question(client, qid)
    assert (detail["locked"], detail["locked_reason"]) == (True, "Hitzige Debatte")
    await as_user(client, await make_user(Role.expert))
    assert_problem(
        await client.post(f"/api/v1/questions/{qid}/answers", json={"body": "Antwort"}),
        409,
        detail="gesperrt",
    )
    assert (await _question(client, qid))["can"]["answer"] is False
    await as_user(client, moderator)
    await _one_row(client, moderator, "unlock", "question", qid,
                   before={"locked": True}, after={"locked": False})  # fmt: skip
    await as_user(client, author)
    answered = await client.post(f"/api/v1/questions/{qid}/answers", json={"body": "Nachtrag"})
    assert answered.status_code == 201, answered.text


@pytest.mark.parametrize("close_reason", ["duplicate", "outdated", "off_topic"])
async def test_close_refuses_answers_and_reopen(
    client: ApiClient, moderator: UserRecord, close_reason: str
) -> None:
    author = await make_user()
    original = await ask_question(author, title="Die erste Frage zur Terminvergabe")
    qid = await ask_question(author)
    duplicate_of = original if close_reason == "duplicate" else None
    extra: dict[str, Any] = {"duplicate_of": duplicate_of} if duplicate_of else {}
    await _one_row(
        client, moderator, "close", "question", qid, reason="Schon beantwortet",
        close_reason=close_reason, **extra,
        before={"closed_reason": "", "duplicate_of": None},
        after={"closed_reason": close_reason, "duplicate_of": duplicate_of},
    )  # fmt: skip
    detail = await _question(client, qid)
    assert detail["closed_reason"] == close_reason
    assert detail["duplicate_of"] == duplicate_of
    assert detail["closed_note"] == "Schon beantwortet"
    await as_user(client, await make_user(Role.expert))
    assert_problem(
        await client.post(f"/api/v1/questions/{qid}/answers", json={"body": "Antwort"}),
        409,
        detail="geschlossen",
    )
    await as_user(client, moderator)
    assert_problem(await act(client, "close", "question", qid, close_reason="outdated"), 409)
    await _one_row(
        client, moderator, "reopen", "question", qid, reason="Doch neu",
        before={"closed_reason": close_reason, "duplicate_of": duplicate_of},
        after={"closed_reason": "", "duplicate_of": None},
    )  # fmt: skip
    await as_user(client, author)
    assert (
        await client.post(f"/api/v1/questions/{qid}/answers", json={"body": "Nachtrag"})
    ).status_code == 201


async def test_mark_outdated_shows_on_the_answer(client: ApiClient, moderator: UserRecord) -> None:
    asker = await make_user()
    qid = await ask_question(asker)
    aid = await answer_question(await make_user(Role.expert), qid)
    reason = "Die Rechtslage hat sich 2026 geändert."
    await _one_row(client, moderator, "mark_outdated", "answer", aid, reason=reason,
                   before={"outdated": False}, after={"outdated": True})  # fmt: skip
    await as_user(client, asker)
    [answer] = (await _question(client, qid))["answers"]
    assert (answer["outdated"], answer["outdated_reason"]) == (True, reason)
    await as_user(client, moderator)
    await _one_row(client, moderator, "clear_outdated", "answer", aid,
                   before={"outdated": True}, after={"outdated": False})  # fmt: skip
    [answer] = (await _question(client, qid))["answers"]
    assert (answer["outdated"], answer["outdated_reason"]) == (False, "")


async def test_retag(client: ApiClient, moderator: UserRecord) -> None:
    qid = await ask_question(await make_user())
    await _one_row(
        client, moderator, "retag", "question", qid, reason="Passt besser",
        cornerstone="vernetzung", instruments=["verwaltungsinterne-vernetzung"],
        before={"cornerstone": "binnenorganisation", "instruments": ["terminsystem"]},
        after={"cornerstone": "vernetzung", "instruments": ["verwaltungsinterne-vernetzung"]},
    )  # fmt: skip
    detail = await _question(client, qid)
    assert detail["cornerstone"]["slug"] == "vernetzung"
    assert [i["slug"] for i in detail["instruments"]] == ["verwaltungsinterne-vernetzung"]
    # Only the instruments: the cornerstone stays.
    await _one_row(
        client, moderator, "retag", "question", qid, reason="Ergänzt",
        instruments=["verwaltungsinterne-vernetzung", "spezialteams"],
        before={"cornerstone": "vernetzung", "instruments": ["verwaltungsinterne-vernetzung"]},
        after={
            "cornerstone": "vernetzung",
            "instruments": ["verwaltungsinterne-vernetzung", "spezialteams"],
        },
    )  # fmt: skip


async def test_edit_with_reason_keeps_a_revision(client: ApiClient, moderator: UserRecord) -> None:
    author = await make_user()
    qid = await ask_question(author, title="Ursprünglicher Titel der Frage", body="Alter Text")
    await _one_row(
        client, moderator, "edit", "question", qid, reason="Aktenzeichen entfernt",
        title="Bereinigter Titel der Frage",
        before={"title": "Ursprünglicher Titel der Frage", "body": "Alter Text"},
        after={"title": "Bereinigter Titel der Frage", "body": "Alter Text"},
    )  # fmt: skip
    detail = await _question(client, qid)
    assert detail["title"] == "Bereinigter Titel der Frage"
    [revision] = (await client.get(f"/api/v1/questions/{qid}/revisions")).json()
    assert revision["title"] == "Ursprünglicher Titel der Frage"
    assert revision["reason"] == "Aktenzeichen entfernt"
    assert revision["editor"]["id"] == moderator.id

    # Written before the guard checked answers: only the moderator can clean it up now.
    aid = await answer_question(await make_user(Role.expert), qid, "Rufen Sie uns an.")
    await store_unchecked("answer", aid, body="Rufen Sie Frau X an.")
    await _one_row(
        client, moderator, "edit", "answer", aid, reason="Name entfernt",
        body="Rufen Sie die Servicestelle an.",
        before={"body": "Rufen Sie Frau X an."}, after={"body": "Rufen Sie die Servicestelle an."},
    )  # fmt: skip
    [answer] = (await _question(client, qid))["answers"]
    assert answer["body"] == "Rufen Sie die Servicestelle an."
    [revision] = (await client.get(f"/api/v1/answers/{aid}/revisions")).json()
    assert (revision["body"], revision["reason"]) == ("Rufen Sie Frau X an.", "Name entfernt")
    assert await Revision.count().run() == 2


async def test_approve_and_reject_registrations(client: ApiClient, moderator: UserRecord) -> None:
    pending = await make_user(status=AccountStatus.pending)
    await _one_row(
        client, moderator, "approve", "registration", pending.id,
        before={"status": "pending"}, after={"status": "active", "email": pending.email},
    )  # fmt: skip
    other = await make_user(status=AccountStatus.pending)
    await _one_row(
        client, moderator, "reject", "user", other.id, reason="Keine Behörde",
        audit_target=("registration", other.id),
        before={"status": "pending", "email": other.email}, after={"status": "deleted"},
    )  # fmt: skip
    assert await User.exists().where(User.id == other.id).run() is False
    assert_problem(await act(client, "approve", "registration", pending.id), 409)


async def test_suspend_keeps_content_and_refuses_login(
    client: ApiClient, moderator: UserRecord
) -> None:
    member = await make_user()
    qid = await ask_question(member)
    await _one_row(client, moderator, "suspend", "user", member.id, reason="Wiederholt PII",
                   before={"status": "active"}, after={"status": "suspended"})  # fmt: skip
    client.logout_local()
    refused = await client.post(
        "/api/v1/auth/login", json={"email": member.email, "password": member.password}
    )
    assert_problem(refused, 403, detail="gesperrt")
    await as_user(client, moderator)
    assert (await _question(client, qid))["author"]["id"] == member.id
    await as_user(client, await make_user())
    assert (await _question(client, qid))["hidden"] is False
    await as_user(client, moderator)
    await _one_row(client, moderator, "reactivate", "user", member.id,
                   before={"status": "suspended"}, after={"status": "active"})  # fmt: skip
    await as_user(client, member)
    assert (await client.get("/api/v1/me")).status_code == 200


async def test_suspend_ends_running_sessions(client: ApiClient, settings: Settings) -> None:
    member = await make_user()
    await client.login(member)
    assert (await client.get("/api/v1/me")).status_code == 200
    moderator = await make_user(Role.moderator)
    await moderation_actions.act(
        await moderator.principal(),
        ActionInput(action=Action.suspend, target_type=TargetType.user, target_id=member.id,
                    reason="Spam"),
        settings,
    )  # fmt: skip
    assert_problem(await client.get("/api/v1/me"), 401)


async def test_set_role_with_expertise(client: ApiClient, moderator: UserRecord) -> None:
    member = await make_user(authority="weimar")
    await _one_row(
        client, moderator, "set_role", "user", member.id, reason="Modellstandort Weimar",
        role="expert", expertise=["terminsystem", "spezialteams"],
        before={"role": "member", "expertise": []},
        after={"role": "expert", "expertise": ["spezialteams", "terminsystem"]},
    )  # fmt: skip
    instrument = (await client.get("/api/v1/instruments/terminsystem")).json()
    assert member.id in [e["id"] for e in instrument["experts"]]
    await _one_row(
        client, moderator, "set_role", "user", member.id, role="member",
        before={"role": "expert", "expertise": ["spezialteams", "terminsystem"]},
        after={"role": "member", "expertise": []},
    )  # fmt: skip


async def test_expert_role_needs_a_model_site(client: ApiClient, moderator: UserRecord) -> None:
    member = await make_user(authority="leipzig")
    count = await audit_count()
    response = await act(client, "set_role", "user", member.id, role="expert")
    assert_problem(response, 422, detail="Modellstandort", fields=["role"])
    response = await act(client, "set_role", "user", member.id, role="moderator")
    assert_problem(response, 422, detail="BAMF", fields=["role"])
    response = await act(client, "set_role", "user", member.id, role="admin")
    assert_problem(response, 403)
    assert await audit_count() == count
    assert (await User.select(User.role).where(User.id == member.id).first().run()) == {
        "role": "member"
    }


async def test_moderators_cannot_change_moderators_or_admins(
    client: ApiClient, moderator: UserRecord
) -> None:
    admin = await make_user(Role.admin)
    other = await make_user(Role.moderator)
    for target in (admin, other):
        assert_problem(await act(client, "set_role", "user", target.id, role="member"), 403)
        assert_problem(await act(client, "suspend", "user", target.id, reason="Test"), 403)
    assert await audit_count() == 0
    await as_user(client, admin)
    response = await act(client, "set_role", "user", other.id, role="member")
    assert response.status_code == 200, response.text


async def test_dismiss_flag(client: ApiClient, moderator: UserRecord) -> None:
    reporter = await make_user()
    qid = await ask_question(await make_user())
    await as_user(client, reporter)
    flag_id = (await flag(client, "question", qid, "off_topic")).json()["id"]
    await as_user(client, moderator)
    await _one_row(client, moderator, "dismiss", "flag", flag_id, reason="Passt schon",
                   before={"status": "open"}, after={"status": "dismissed"})  # fmt: skip
    row = await Flag.select(Flag.status, Flag.resolved_by).where(Flag.id == flag_id).first().run()
    assert row == {"status": "dismissed", "resolved_by": moderator.id}
    assert_problem(await act(client, "dismiss", "flag", flag_id), 409)


async def test_toolbox_upkeep_writes_one_audit_row_each(
    client: ApiClient, moderator: UserRecord
) -> None:
    created = await client.post(
        "/api/v1/instruments",
        json={
            "title": "Digitale Akte",
            "slug": "digitale-akte",
            "cornerstone": "binnenorganisation",
        },
    )
    assert created.status_code == 201, created.text
    [row] = await audit_rows(action="create_instrument")
    assert row["actor"] == moderator.id
    assert row["after"] == {
        "slug": "digitale-akte", "title": "Digitale Akte", "cornerstone": "binnenorganisation"
    }  # fmt: skip
    new_id = row["target_id"]

    edited = await client.patch(
        "/api/v1/instruments/digitale-akte",
        json={"description": "Akten elektronisch führen.", "reason": "Beschreibung fehlte"},
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["description"] == "Akten elektronisch führen."
    [row] = await audit_rows(action="edit_instrument")
    assert (row["actor"], row["target_type"], row["target_id"]) == (
        moderator.id,
        "instrument",
        new_id,
    )
    assert row["reason"] == "Beschreibung fehlte"
    assert row["before"] == {"description": ""}
    assert row["after"] == {"description": "Akten elektronisch führen."}

    cornerstone = await client.patch(
        "/api/v1/cornerstones/vernetzung",
        json={"title": "Vernetzung und Kooperation", "reason": "Klarer"},
    )
    assert cornerstone.status_code == 204, cornerstone.text
    [row] = await audit_rows(action="edit_cornerstone")
    assert (
        row["before"] == {"title": "Vernetzung"} or row["before"]["title"] != row["after"]["title"]
    )
    assert row["after"] == {"title": "Vernetzung und Kooperation"}
    assert (row["actor"], row["reason"]) == (moderator.id, "Klarer")

    merged = await client.post(
        "/api/v1/instruments/digitale-akte/merge",
        json={"into": "terminsystem", "reason": "Doppelt"},
    )
    assert merged.status_code == 200, merged.text
    assert merged.json()["slug"] == "terminsystem"
    [row] = await audit_rows(action="merge_instrument")
    assert (row["actor"], row["target_id"], row["reason"]) == (moderator.id, new_id, "Doppelt")
    assert row["before"] == {"slug": "digitale-akte", "title": "Digitale Akte"}
    assert row["after"] == {"merged_into": "terminsystem", "questions": 0}
    assert await audit_count() == 4

    listed = (await client.get("/api/v1/moderation/audit")).json()
    assert listed["total"] == 4
    assert [i["action"] for i in listed["items"]] == [
        "merge_instrument", "edit_cornerstone", "edit_instrument", "create_instrument"
    ]  # fmt: skip
    assert listed["items"][0]["action_label"] == "Instrument zusammengeführt"


async def test_audit_log_filters(client: ApiClient, moderator: UserRecord) -> None:
    qid = await ask_question(await make_user())
    await act(client, "lock", "question", qid, reason="Streit")
    await act(client, "unlock", "question", qid)
    other = await ask_question(await make_user())
    await act(client, "hide", "question", other, reason="PII")

    async def audit(**params: Any) -> list[tuple[str, int]]:
        response = await client.get("/api/v1/moderation/audit", params=params)
        assert response.status_code == 200, response.text
        return [(i["action"], i["target_id"]) for i in response.json()["items"]]

    assert await audit() == [("hide", other), ("unlock", qid), ("lock", qid)]
    assert await audit(action="lock") == [("lock", qid)]
    assert await audit(target_type="question", target_id=qid) == [("unlock", qid), ("lock", qid)]
    assert await audit(actor_id=moderator.id, limit=1, page=2) == [("unlock", qid)]
    assert await audit(since="2000-01-01T00:00:00Z", until="2999-01-01T00:00:00Z") == await audit()
    assert await audit(since="2999-01-01T00:00:00Z") == []
    assert await audit(until="2000-01-01T00:00:00+01:00") == []
    first = (await client.get("/api/v1/moderation/audit")).json()["items"][0]
    assert first["actor"] is not None
    assert first["reason"] == "PII"


async def test_no_route_changes_or_deletes_audit_rows(
    client: ApiClient, moderator: UserRecord
) -> None:
    qid = await ask_question(await make_user())
    await act(client, "hide", "question", qid, reason="PII")
    spec = (await client.get("/api/docs/openapi.json")).json()
    assert set(spec["paths"]["/api/v1/moderation/audit"]) == {"get"}
    for path, operations in spec["paths"].items():
        if "audit" in path:
            assert not {"put", "patch", "delete"} & set(operations), path
    for method in ("PUT", "PATCH", "DELETE"):
        for path in ("/api/v1/moderation/audit", "/api/v1/moderation/audit/1"):
            response = await client.request(method, path, json={"reason": "weg damit"})
            assert response.status_code in (404, 405), (method, path, response.text)
            assert_problem(response, response.status_code)
        response = await client.request(method, "/api/v1/moderation/audit")
        assert_problem(response, 405)
    [row] = await audit_rows()
    assert row["reason"] == "PII"
