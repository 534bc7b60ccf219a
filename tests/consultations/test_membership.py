"""Joining, inviting, and who sees a consultation: in lists, by id, and in search."""

from __future__ import annotations

import asyncio

import pytest

from fachaustausch.accounts.policy import AccountStatus
from fachaustausch.accounts.policy import Role as AccountRole
from fachaustausch.accounts.tables import User
from fachaustausch.consultations import service as consultations
from fachaustausch.consultations.models import Visibility
from fachaustausch.consultations.phases import JOINABLE, ORDER, Phase, Role
from fachaustausch.consultations.policy import ONE_FACILITATOR
from fachaustausch.consultations.tables import Participant
from fachaustausch.core.errors import Conflict
from fachaustausch.settings import Settings
from tests.consultations.support import API, act_as, put_in_phase, row_counts
from tests.factories import ApiClient, UserRecord, assert_problem, make_user
from tests.search.test_api import settled

pytestmark = pytest.mark.database

PRIVATE = Visibility.participants
NOT_FOUND = "Diese Fallberatung gibt es nicht."


async def _listed(client: ApiClient, **params: str) -> list[int]:
    response = await client.get(API, params=params)
    assert response.status_code == 200, response.text
    return [c["id"] for c in response.json()]


# --- members visibility -----------------------------------------------------------------------


@pytest.mark.parametrize("phase", ORDER, ids=[p.value for p in ORDER])
async def test_members_join_as_advisors_until_the_advice_starts(
    client: ApiClient, phase: Phase
) -> None:
    cast = await put_in_phase(phase)
    newcomer = await make_user(AccountRole.expert, authority="mainz")
    await act_as(client, newcomer)
    shown = (await client.get(cast.url)).json()
    response = await client.post(f"{cast.url}/join", json={"role": "advisor"})
    if phase in JOINABLE:
        assert phase in {Phase.casting, Phase.narration, Phase.key_question, Phase.method}
        assert shown["allowed"]["join_as"] == ["advisor"]  # the facilitator's place is taken
        assert response.status_code == 200, response.text
        assert response.json()["my_role"] == "advisor"
        assert response.json()["participant_count"] == 4
    else:
        assert shown["allowed"]["join_as"] == []
        assert_problem(response, 409, detail="Beitreten ist nur bis zum Beginn der Beratungsphase")
        assert await Participant.count().where(Participant.consultation == cast.id).run() == 3


async def test_joining_without_a_body_means_as_advisor(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.narration)
    await act_as(client, cast.outsider)
    response = await client.post(f"{cast.url}/join")
    assert response.status_code == 200, response.text
    assert response.json()["my_role"] == "advisor"


async def test_one_facilitator_at_most_and_nobody_joins_twice(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.casting, facilitator=False)
    first = await make_user(AccountRole.expert)
    await act_as(client, first)
    assert (await client.get(cast.url)).json()["allowed"]["join_as"] == ["advisor", "facilitator"]
    response = await client.post(f"{cast.url}/join", json={"role": "facilitator"})
    assert response.status_code == 200, response.text
    assert response.json()["allowed"]["advance"] is True
    before = await row_counts()
    again = await client.post(f"{cast.url}/join", json={"role": "advisor"})
    assert_problem(again, 409, detail="bereits teil")
    await act_as(client, cast.outsider)
    assert (await client.get(cast.url)).json()["allowed"]["join_as"] == ["advisor"]
    second = await client.post(f"{cast.url}/join", json={"role": "facilitator"})
    assert_problem(second, 409, detail="bereits eine Gesprächsleitung")
    await act_as(client, cast.advisor)
    assert_problem(await client.post(f"{cast.url}/join"), 409, detail="bereits teil")
    await act_as(client, cast.case_giver)
    assert_problem(await client.post(f"{cast.url}/join"), 409, detail="bereits teil")
    assert await row_counts() == before


async def test_nobody_joins_as_case_giver(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.casting)
    await act_as(client, cast.outsider)
    response = await client.post(f"{cast.url}/join", json={"role": "case_giver"})
    assert_problem(response, 422)


# --- participants visibility -------------------------------------------------------------------


async def test_a_participants_only_consultation_does_not_exist_for_others(
    client: ApiClient,
) -> None:
    cast = await put_in_phase(Phase.narration, visibility=PRIVATE)
    open_one = await put_in_phase(Phase.narration)
    await act_as(client, cast.outsider)
    assert_problem(await client.get(cast.url), 404, detail=NOT_FOUND)
    for params in (
        {},
        {"phase": "narration"},
        {"cornerstone": "binnenorganisation"},
        {"instrument": "terminsystem"},
        {"mine": "true"},
    ):
        listed = await _listed(client, **params)
        assert cast.id not in listed, params
        if params != {"mine": "true"}:
            assert open_one.id in listed, params
    before = await row_counts()
    for method, path, body in [
        ("POST", f"{cast.url}/join", {"role": "advisor"}),
        ("POST", f"{cast.url}/join", None),
        ("POST", f"{cast.url}/invite", {"user_id": cast.outsider.id}),
        ("POST", f"{cast.url}/posts", {"kind": "clarifying_question", "body": "Eine Frage."}),
        ("PUT", f"{cast.url}/key-question", {"key_question": "Wie geht es weiter?"}),
        ("PUT", f"{cast.url}/method", {"method": "resonance"}),
        ("POST", f"{cast.url}/advance", None),
    ]:
        response = await client.request(method, path, json=body)
        assert_problem(response, 404, detail=NOT_FOUND)
    assert await row_counts() == before


async def _invite(client: ApiClient, cid: int, user: UserRecord, role: str = "advisor") -> int:
    response = await client.post(f"{API}/{cid}/invite", json={"user_id": user.id, "role": role})
    status: int = response.status_code
    return status


async def test_the_case_giver_invites_and_the_invitee_sees_it(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.narration, visibility=PRIVATE, facilitator=False)
    await act_as(client, cast.case_giver)
    assert (await client.get(cast.url)).json()["allowed"]["invite"] is True
    response = await client.post(
        f"{cast.url}/invite", json={"user_id": cast.outsider.id, "role": "facilitator"}
    )
    assert response.status_code == 200, response.text
    invited = next(p for p in response.json()["participants"] if p["user_id"] == cast.outsider.id)
    assert invited["role"] == "facilitator"
    await act_as(client, cast.outsider)
    shown = await client.get(cast.url)
    assert shown.status_code == 200, shown.text
    assert shown.json()["my_role"] == "facilitator"
    assert shown.json()["allowed"]["advance"] is True
    assert cast.id in await _listed(client)
    assert cast.id in await _listed(client, mine="true")


async def test_only_the_case_giver_invites_and_only_active_accounts(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.narration, visibility=PRIVATE)
    guest = await make_user(AccountRole.member, authority="bremen")
    pending = await make_user(AccountRole.member, status=AccountStatus.pending)
    suspended = await make_user(AccountRole.member, status=AccountStatus.suspended)
    before = await row_counts()
    for role in (Role.advisor, Role.facilitator):
        await act_as(client, cast.by_role(role))
        response = await client.post(f"{cast.url}/invite", json={"user_id": guest.id})
        assert_problem(response, 403, detail="Nur die Fallgeberin oder der Fallgeber")
        assert (await client.get(cast.url)).json()["allowed"]["invite"] is False
    await act_as(client, cast.case_giver)
    for user_id in (pending.id, suspended.id, 999_999):
        response = await client.post(f"{cast.url}/invite", json={"user_id": user_id})
        assert_problem(response, 422, fields=["user_id"], detail="nicht aktiv")
    assert_problem(await client.post(f"{cast.url}/invite", json={"user_id": 2**63}), 422)
    assert_problem(await client.post(f"{cast.url}/invite", json={"user_id": 0}), 422)
    # Already in, or a second facilitator.
    assert await _invite(client, cast.id, cast.advisor) == 409
    assert await _invite(client, cast.id, guest, "facilitator") == 409
    assert await row_counts() == before
    assert await _invite(client, cast.id, guest) == 200


async def _handle(user: UserRecord) -> str:
    row = await User.select(User.handle).where(User.id == user.id).first()
    assert row is not None
    return str(row["handle"])


async def test_the_case_giver_invites_by_handle(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.narration, visibility=PRIVATE)
    pending = await make_user(AccountRole.member, status=AccountStatus.pending)
    await act_as(client, cast.case_giver)
    before = await row_counts()
    for handle in (await _handle(pending), "niemand.bekannt", "x" * 41, ""):
        response = await client.post(f"{cast.url}/invite", json={"handle": handle})
        assert_problem(response, 422, fields=["handle"])
    assert_problem(
        await client.post(f"{cast.url}/invite", json={"role": "advisor"}), 422, fields=["handle"]
    )
    assert await row_counts() == before
    handle = await _handle(cast.outsider)
    response = await client.post(
        f"{cast.url}/invite", json={"handle": handle.upper(), "role": "advisor"}
    )
    assert response.status_code == 200, response.text
    invited = [p for p in response.json()["participants"] if p["handle"] == handle]
    assert [(p["user_id"], p["role"]) for p in invited] == [(cast.outsider.id, "advisor")]
    again = await client.post(f"{cast.url}/invite", json={"handle": handle})
    assert_problem(again, 409)


async def test_moderators_see_everything(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.advice, visibility=PRIVATE)
    moderator = await make_user(AccountRole.moderator)
    await act_as(client, moderator)
    shown = await client.get(cast.url)
    assert shown.status_code == 200, shown.text
    assert shown.json()["my_role"] is None
    assert shown.json()["allowed"]["post_kinds"] == []
    assert cast.id in await _listed(client)
    assert cast.id in await _listed(client, phase="advice")


@pytest.mark.search_worker
async def test_search_finds_a_closed_private_consultation_for_its_people_only(
    client: ApiClient,
) -> None:
    private = await put_in_phase(Phase.conclusion, visibility=PRIVATE, with_result=True)
    public = await put_in_phase(Phase.conclusion, with_result=True)
    for cast in (private, public):
        assert cast.facilitator is not None
        await act_as(client, cast.facilitator)
        response = await client.post(f"{cast.url}/advance")
        assert response.status_code == 200, response.text
        assert response.json()["phase"] == "closed"
    await settled()

    async def found() -> tuple[list[int], int, dict[str, int]]:
        body = (await client.get("/api/v1/search", params={"q": "Verlängerung"})).json()
        ids = [h["id"] for h in body["hits"] if h["type"] == "consultation"]
        return ids, body["total"], body["facets"]["type"]

    await act_as(client, private.outsider)
    assert await found() == ([public.id], 1, {"consultation": 1})
    for params in ({"type": "consultation"}, {"cornerstone": "binnenorganisation"},
                   {"instrument": "terminsystem"}):  # fmt: skip
        response = await client.get("/api/v1/search", params={"q": "Verlängerung", **params})
        assert response.status_code == 200, response.text
        body = response.json()
        assert [h["id"] for h in body["hits"]] == [public.id], params
        assert body["total"] == 1, params
    for person in (private.case_giver, private.advisor, await make_user(AccountRole.moderator)):
        await act_as(client, person)
        ids, total, facets = await found()
        assert sorted(ids) == sorted([private.id, public.id])
        assert (total, facets) == (2, {"consultation": 2})


async def test_joining_twice_at_once_adds_one_participant(settings: Settings) -> None:
    """A double click on "Beitreten": one request joins, the other is told so, none fails."""
    cast = await put_in_phase(Phase.narration)
    joiner = await (await make_user(AccountRole.member, authority="essen")).principal()
    results = await asyncio.gather(
        *(consultations.join(joiner, cast.id, Role.advisor) for _ in range(6)),
        return_exceptions=True,
    )
    failures = [r for r in results if r is not None]
    assert len(failures) == 5
    assert all(isinstance(f, Conflict) for f in failures), failures
    assert {f.detail for f in failures if isinstance(f, Conflict)} <= {
        "Diese Person nimmt bereits teil.",
        "Sie nehmen an dieser Fallberatung bereits teil.",
    }
    rows = (
        await Participant.select(Participant.role)
        .where((Participant.consultation == cast.id) & (Participant.user == joiner.id))
        .run()
    )
    assert rows == [{"role": "advisor"}]


async def test_two_members_joining_as_facilitator_at_once_give_one_facilitator(
    settings: Settings,
) -> None:
    """The first to lock the consultation joins; the others then find the role taken (the
    unique index would refuse them too) and are told so."""
    cast = await put_in_phase(Phase.casting, facilitator=False)
    joiners = [
        await (await make_user(AccountRole.expert, authority=slug)).principal()
        for slug in ("essen", "mainz", "kiel", "weimar", "potsdam")
    ]
    results = await asyncio.gather(
        *(consultations.join(joiner, cast.id, Role.facilitator) for joiner in joiners),
        return_exceptions=True,
    )
    failures = [r for r in results if r is not None]
    assert len(failures) == len(joiners) - 1
    assert all(isinstance(f, Conflict) for f in failures), failures
    assert {f.detail for f in failures if isinstance(f, Conflict)} == {ONE_FACILITATOR}
    facilitators = (
        await Participant.select(Participant.user)
        .where((Participant.consultation == cast.id) & (Participant.role == "facilitator"))
        .run()
    )
    assert len(facilitators) == 1
    [winner] = [j for j, r in zip(joiners, results, strict=True) if r is None]
    assert facilitators == [{"user": winner.id}]
