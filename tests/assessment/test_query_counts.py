"""The self-assessment's pages and endpoints cost the same number of queries however many
rounds, authorities, criterion versions and questions there are."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import Role
from tests.assessment.support import API, member_of, rate_and_submit
from tests.factories import ApiClient
from tests.querycount import count_queries
from tests.web.qa import ask

# Counted on the database itself: a cached read would hide a query that grows.
pytestmark = [pytest.mark.database, pytest.mark.uncached]

OTHERS = ["chemnitz", "dresden", "weimar", "potsdam", "kiel", "mainz", "essen"]


def _paths(round_id: int) -> list[str]:
    return [
        f"{API}/criteria",
        API,
        f"{API}/rounds/{round_id}",
        "/standortbestimmung",
        "/standortbestimmung/eckpunkt/1",
        "/standortbestimmung/zusammenfassung",
        f"/standortbestimmung/runden/{round_id}",
        f"/standortbestimmung/runden/{round_id}/bewertungen.csv",
    ]


async def _counts(client: ApiClient, paths: list[str]) -> dict[str, int]:
    counts = {}
    for path in paths:
        assert (await client.get(path)).status_code == 200, path
        with count_queries() as counter:
            response = await client.get(path)
        assert response.status_code == 200, path
        counts[path] = counter.count
    return counts


async def test_no_assessment_page_grows_with_the_data(client: ApiClient) -> None:
    def rate(c: dict[str, object]) -> tuple[int, int]:
        return (1, 5) if c["cornerstone"] == 1 else (5, 1)

    # Five authorities from the start: below five the average is not even computed.
    for authority in OTHERS[:4]:
        await member_of(client, authority)
        await rate_and_submit(client)
    member = await member_of(client, "leipzig")
    first = await rate_and_submit(client, rate)
    small = await _counts(client, _paths(first["id"]))

    for authority in OTHERS:
        await member_of(client, authority)
        await rate_and_submit(client)
    await member_of(client, "bamf", Role.moderator)
    for n in range(3):
        await client.put(
            f"{API}/criteria/{first['ratings'][5]['criterion_id']}",
            json={"text": f"Die ABH vergibt Termine, Fassung {n + 2}.", "instruments": []},
        )
    for n in range(15):
        await ask(member, f"Wie gestalten Sie das Leitbild im Fall {n}?")
    client.logout_local()
    await client.login(member)
    await rate_and_submit(client, rate)
    large = await _counts(client, _paths(first["id"]))

    grew = {path: (small[path], large[path]) for path in small if small[path] != large[path]}
    assert not grew, f"queries grew with the data (before, after): {grew}"
