"""Every moderation action on a person × the actor's rank × the target's rank: members and
experts may do none of them, moderators act on people ranked below them, administrators on
everyone. A refused action changes nothing and writes no audit row."""

from __future__ import annotations

from typing import Any

import pytest

from fachaustausch.accounts.policy import AccountStatus, Role
from fachaustausch.accounts.tables import User
from tests.factories import ApiClient, UserRecord, assert_problem, make_user
from tests.moderation.support import act, as_user, audit_count

RANKS = [Role.member, Role.expert, Role.moderator, Role.admin]
# The role each target gets by `set_role`, allowed at its authority (experts: model sites).
NEW_ROLE = {
    Role.member: Role.expert,
    Role.expert: Role.member,
    Role.moderator: Role.member,
    Role.admin: Role.moderator,
}
# The state each action needs its target in, and the state it leaves it in.
BEFORE = {
    "approve": AccountStatus.pending,
    "reject": AccountStatus.pending,
    "approve (route)": AccountStatus.pending,
    "reject (route)": AccountStatus.pending,
    "suspend": AccountStatus.active,
    "reactivate": AccountStatus.suspended,
    "set_role": AccountStatus.active,
}
NOT_A_MODERATOR = "Nur die Moderation (BAMF) darf diese Aktion ausführen."
OUTRANKED = {
    "approve": "Registrierungen für die Moderation bearbeitet nur die Administration.",
    "reject": "Registrierungen für die Moderation bearbeitet nur die Administration.",
    "approve (route)": "Registrierungen für die Moderation bearbeitet nur die Administration.",
    "reject (route)": "Registrierungen für die Moderation bearbeitet nur die Administration.",
    "suspend": "Konten der Moderation sperrt nur die Administration.",
    "reactivate": "Konten der Moderation entsperrt nur die Administration.",
    "set_role": "Rollen der Moderation ändert nur die Administration.",
}


def expected(actor: Role, target: Role) -> int:
    if actor.rank < Role.moderator.rank:
        return 403
    if actor is Role.admin or target.rank < actor.rank:
        return 200
    return 403


async def _target(action: str, role: Role) -> UserRecord:
    # A member who is to become an expert belongs to a model site.
    authority = "weimar" if action == "set_role" and role is Role.member else None
    return await make_user(role, status=BEFORE[action], authority=authority)


async def _do(client: ApiClient, action: str, target: UserRecord) -> Any:
    match action:
        case "approve (route)":
            return await client.post(f"/api/v1/moderation/registrations/{target.id}/approve")
        case "reject (route)":
            return await client.post(
                f"/api/v1/moderation/registrations/{target.id}/reject", json={"reason": "Test"}
            )
        case "approve" | "reject":
            return await act(client, action, "registration", target.id, reason="Test")
        case "set_role":
            return await act(
                client, "set_role", "user", target.id, role=NEW_ROLE[target.role].value
            )
    return await act(client, action, "user", target.id, reason="Test")


async def _state(user_id: int) -> dict[str, Any] | None:
    row: dict[str, Any] | None = (
        await User.select(User.status, User.role).where(User.id == user_id).first().run()
    )
    return row


@pytest.mark.parametrize("target_role", RANKS, ids=lambda r: f"target-{r.value}")
@pytest.mark.parametrize("actor_role", RANKS, ids=lambda r: f"actor-{r.value}")
@pytest.mark.parametrize("action", list(BEFORE))
async def test_action_on_a_person_by_rank(
    client: ApiClient, action: str, actor_role: Role, target_role: Role
) -> None:
    actor = await make_user(actor_role)
    await as_user(client, actor)
    target = await _target(action, target_role)
    before = await _state(target.id)
    audits = await audit_count()

    response = await _do(client, action, target)

    status = expected(actor_role, target_role)
    if status == 200:
        assert response.status_code in (200, 204), response.text
        assert await _state(target.id) != before
        assert await audit_count() == audits + 1
    else:
        detail = NOT_A_MODERATOR if actor_role.rank < Role.moderator.rank else OUTRANKED[action]
        assert_problem(response, 403, detail=detail)
        assert await _state(target.id) == before
        assert await audit_count() == audits


async def test_a_moderator_cannot_lift_a_suspension_the_administration_imposed(
    client: ApiClient,
) -> None:
    """The case that was found: the rank check existed for suspending only."""
    admin, moderator, colleague = (
        await make_user(Role.admin),
        await make_user(Role.moderator),
        await make_user(Role.moderator),
    )
    await as_user(client, admin)
    suspended = await act(client, "suspend", "user", colleague.id, reason="Missbrauch")
    assert suspended.status_code == 200, suspended.text
    await as_user(client, moderator)
    refused = await act(client, "reactivate", "user", colleague.id)
    assert_problem(refused, 403, detail=OUTRANKED["reactivate"])
    assert await _state(colleague.id) == {"status": "suspended", "role": "moderator"}


@pytest.mark.parametrize("action", ["suspend", "set_role"])
@pytest.mark.parametrize("role", [Role.moderator, Role.admin])
async def test_nobody_acts_on_their_own_account(client: ApiClient, action: str, role: Role) -> None:
    actor = await make_user(role)
    await as_user(client, actor)
    response = await act(client, action, "user", actor.id, reason="Test", role="member")
    assert_problem(response, 422, fields=["target_id"])
    assert await _state(actor.id) == {"status": "active", "role": role.value}


@pytest.mark.parametrize("new_role", [Role.moderator, Role.admin])
async def test_only_the_administration_makes_administrators(
    client: ApiClient, new_role: Role
) -> None:
    moderator = await make_user(Role.moderator)
    member = await make_user(Role.member)
    await as_user(client, moderator)
    response = await act(client, "set_role", "user", member.id, role=new_role.value)
    if new_role is Role.admin:
        assert_problem(response, 403, detail="vergibt nur die Administration")
        assert await _state(member.id) == {"status": "active", "role": "member"}
    else:
        # A moderator may appoint a moderator (at the BAMF only: the member is elsewhere).
        assert_problem(response, 422, fields=["role"], detail="BAMF")
