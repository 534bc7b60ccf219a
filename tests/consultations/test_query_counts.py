"""The thread costs the same, small number of queries however many posts it has."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import Role as AccountRole
from fachaustausch.consultations import service as consultations
from fachaustausch.consultations.phases import Phase, PostKind
from fachaustausch.consultations.tables import Consultation
from tests.consultations.support import act_as, put_in_phase
from tests.factories import ApiClient, make_user
from tests.querycount import count_queries

# Counted on the database itself: a cached read would hide a query that grows.
pytestmark = [pytest.mark.database, pytest.mark.uncached]

# Signing in included.
MAX_DETAIL_QUERIES = 12
MAX_LIST_QUERIES = 8


def _requests_own(statements: list[str]) -> list[str]:
    """The in-app search worker polls the outbox on the same engine, at its own pace: its
    statements are not the request's."""
    return [s for s in statements if "search_outbox" not in s]


async def _detail_queries(client: ApiClient, url: str, posts: int) -> int:
    with count_queries() as counter:
        response = await client.get(url)
    assert response.status_code == 200, response.text
    assert sum(len(p["posts"]) for p in response.json()["phases"]) == posts
    statements = _requests_own(counter.statements)
    assert len(statements) <= MAX_DETAIL_QUERIES, statements
    return len(statements)


async def test_detail_query_count_is_constant(client: ApiClient) -> None:
    small = await put_in_phase(Phase.advice, with_result=True)  # one narration, one advice
    # More advisors join while the method is chosen; then the advice starts.
    large = await put_in_phase(Phase.method, with_result=True)
    assert large.facilitator is not None
    advisors = [await make_user(AccountRole.member) for _ in range(3)]
    for advisor in advisors:
        await consultations.join(await advisor.principal(), large.id)
    await (
        Consultation.update({Consultation.phase: Phase.advice})
        .where(Consultation.id == large.id)
        .run()
    )
    people = [large.advisor, large.facilitator, *advisors]
    for n in range(29):
        author = await people[n % len(people)].principal()
        kind = PostKind.summary if author.id == large.facilitator.id else PostKind.advice
        await consultations.post(author, large.id, kind, f"Beratungsbeitrag Nummer {n}.")
    await act_as(client, await make_user(AccountRole.moderator))
    assert (await client.get("/api/v1/me")).status_code == 200  # token use recorded: not counted
    one = await _detail_queries(client, small.url, 2)
    many = await _detail_queries(client, large.url, 30)
    assert one == many


async def test_list_query_count_is_constant(client: ApiClient) -> None:
    viewer = await make_user(AccountRole.member)
    await act_as(client, viewer)
    assert (await client.get("/api/v1/me")).status_code == 200
    await put_in_phase(Phase.narration)
    with count_queries() as few:
        assert len((await client.get("/api/v1/consultations")).json()) == 1
    for _ in range(4):
        await put_in_phase(Phase.narration)
    with count_queries() as more:
        assert len((await client.get("/api/v1/consultations")).json()) == 5
    counted = [_requests_own(c.statements) for c in (few, more)]
    assert len(counted[0]) == len(counted[1]) <= MAX_LIST_QUERIES, counted
