"""The moderation changes people: role, expertise, authority, suspension; rank rules and
the audit log, through the API and the page."""

from __future__ import annotations

import json

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.core.audit import AuditLog
from tests.factories import ApiClient, assert_problem, make_user

pytestmark = pytest.mark.database


async def _audit(target_id: int) -> list[dict[str, object]]:
    return (
        await AuditLog.select(AuditLog.action, AuditLog.reason, AuditLog.before, AuditLog.after)
        .where((AuditLog.target_type == "user") & (AuditLog.target_id == target_id))
        .order_by(AuditLog.id)
    )


async def test_a_moderator_makes_a_member_an_expert_at_a_model_site(client: ApiClient) -> None:
    member = await make_user(display_name="Jonas Rot", authority="leipzig")
    await client.login(await make_user(Role.moderator))
    response = await client.patch(
        "/api/v1/people/jonas.rot",
        json={"authority": "weimar", "role": "expert", "expertise": ["terminsystem"],
              "reason": "Wechsel nach Weimar"},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["role"] == "expert"
    assert body["authority"]["slug"] == "weimar"
    assert [i["slug"] for i in body["instruments"]] == ["terminsystem"]
    entries = await _audit(member.id)
    assert [e["action"] for e in entries] == ["set_authority", "set_role"]
    assert json.loads(str(entries[1]["after"]))["expertise"] == ["terminsystem"]


async def test_an_expert_must_belong_to_a_model_site(client: ApiClient) -> None:
    await make_user(display_name="Kai Blau", authority="leipzig")
    await client.login(await make_user(Role.moderator))
    response = await client.patch("/api/v1/people/kai.blau", json={"role": "expert"})
    assert_problem(response, 422, detail="Modellstandort", fields=["role"])


async def test_suspend_needs_a_reason_and_ends_access(client: ApiClient) -> None:
    member = await make_user(display_name="Lea Grau")
    await client.login(await make_user(Role.moderator))
    no_reason = await client.patch("/api/v1/people/lea.grau", json={"status": "suspended"})
    assert_problem(no_reason, 422, fields=["reason"])
    response = await client.patch(
        "/api/v1/people/lea.grau", json={"status": "suspended", "reason": "Missbrauch"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "suspended"
    [entry] = await _audit(member.id)
    assert entry["action"] == "suspend"
    assert entry["reason"] == "Missbrauch"
    again = await client.patch(
        "/api/v1/people/lea.grau", json={"status": "active", "reason": "Geklärt"}
    )
    assert again.json()["status"] == "active"


@pytest.mark.parametrize(
    ("actor_role", "target_role", "expected"),
    [
        (Role.member, Role.member, 403),
        (Role.expert, Role.member, 403),
        (Role.moderator, Role.moderator, 403),
        (Role.moderator, Role.admin, 403),
        (Role.admin, Role.moderator, 200),
    ],
)
async def test_rank_rules(
    client: ApiClient, actor_role: Role, target_role: Role, expected: int
) -> None:
    await make_user(target_role, display_name="Ziel Konto")
    await client.login(await make_user(actor_role))
    response = await client.patch(
        "/api/v1/people/ziel.konto", json={"status": "suspended", "reason": "Test"}
    )
    assert response.status_code == expected, response.text


async def test_nobody_changes_their_own_account(client: ApiClient) -> None:
    await client.login(await make_user(Role.admin, display_name="Mia Selbst"))
    response = await client.patch("/api/v1/people/mia.selbst", json={"role": "member"})
    assert_problem(response, 422)


async def test_the_moderation_page_changes_a_person_without_javascript(
    client: ApiClient,
) -> None:
    member = await make_user(display_name="Nora Weiss", authority="leipzig")
    await client.login(await make_user(Role.moderator))
    page = await client.get("/moderation/personen/nora.weiss")
    assert page.status_code == 200
    assert "Nora Weiss verwalten" in page.text
    token = await client.csrf_token()
    refused = await client.post(
        "/moderation/personen/nora.weiss",
        data={"_csrf_token": token, "aenderung": "status", "status": "suspended", "reason": ""},
    )
    assert refused.status_code == 422
    assert "Bitte geben Sie eine Begründung an." in refused.text
    done = await client.post(
        "/moderation/personen/nora.weiss",
        data={"_csrf_token": token, "aenderung": "status", "status": "suspended",
              "reason": "Auf eigenen Wunsch"},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303
    assert [e["action"] for e in await _audit(member.id)] == ["suspend"]


async def test_a_reason_with_personal_data_is_refused_and_kept(client: ApiClient) -> None:
    member = await make_user(display_name="Nora Weiss", authority="leipzig")
    await client.login(await make_user(Role.moderator))
    typed = "Hat die Akte von Herrn Mehmet Yilmaz eingestellt"
    response = await client.patch(
        "/api/v1/people/nora.weiss", json={"status": "suspended", "reason": typed}
    )
    [error] = assert_problem(response, 422, fields=["reason"])["errors"]
    assert [f["text"] for f in error["findings"]] == ["Mehmet Yilmaz"]
    token = await client.csrf_token()
    refused = await client.post(
        "/moderation/personen/nora.weiss",
        data={"_csrf_token": token, "aenderung": "status", "status": "suspended",
              "reason": typed},
    )  # fmt: skip
    assert refused.status_code == 422
    assert "Bitte entfernen Sie personenbezogene Daten" in refused.text
    assert f">{typed}</textarea>" in refused.text
    assert await _audit(member.id) == []
    assert (await client.get("/api/v1/people/nora.weiss")).json()["status"] == "active"


async def test_members_cannot_open_the_moderation_page(client: ApiClient) -> None:
    await make_user(display_name="Olaf Hell")
    await client.login(await make_user())
    assert (await client.get("/moderation/personen/olaf.hell")).status_code == 403
