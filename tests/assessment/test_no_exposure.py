"""No authority reads another's ratings through any route: every reader of every other
authority and role, on every API route and page of the self-assessment, gets "not found"
for the round and never sees the ratings' notes, the draft or the round list."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import Role
from tests.assessment.support import API, criteria, member_of, rate_and_submit, ratings_for
from tests.factories import ApiClient

# Queries, transactions and races: on SQLite and PostgreSQL.
pytestmark = pytest.mark.database

ROUND_NOTE = "Rundennotiz der Leipziger Behörde"
DRAFT_NOTE = "Entwurfsnotiz der Leipziger Behörde"

READERS = [
    ("chemnitz", Role.member),
    ("weimar", Role.expert),
    ("dresden", Role.member),
    ("bamf", Role.moderator),
    ("bamf", Role.admin),
]


def _routes(round_id: int) -> list[tuple[str, bool]]:
    """(path, names the other authority's round)."""
    return [
        (f"{API}/rounds/{round_id}", True),
        (f"/standortbestimmung/runden/{round_id}", True),
        (f"/standortbestimmung/runden/{round_id}/bewertungen.csv", True),
        (API, False),
        (f"{API}/criteria", False),
        (f"{API}/aggregate", False),
        ("/standortbestimmung", False),
        ("/standortbestimmung/zusammenfassung", False),
        *((f"/standortbestimmung/eckpunkt/{n}", False) for n in range(1, 6)),
    ]


@pytest.mark.parametrize(("authority", "role"), READERS)
async def test_no_other_authority_reads_the_ratings(
    client: ApiClient, authority: str, role: Role
) -> None:
    await member_of(client, "leipzig")
    items = await criteria(client)

    await client.put(
        f"{API}/draft",
        json={
            "ratings": [
                {**r, "note": ROUND_NOTE if i == 0 else ""}
                for i, r in enumerate(ratings_for(items, lambda c: (2, 5)))
            ]
        },
    )
    submitted = await client.post(f"{API}/rounds")
    assert submitted.status_code == 201
    round_id = submitted.json()["id"]
    await client.put(
        f"{API}/draft",
        json={"ratings": [{"criterion_id": items[0]["id"], "status": 1, "note": DRAFT_NOTE}]},
    )

    await member_of(client, authority, role)
    for path, names_the_round in _routes(round_id):
        response = await client.get(path, follow_redirects=False)
        if names_the_round:
            assert response.status_code == 404, (path, response.status_code)
        else:
            assert response.status_code in {200, 403}, (path, response.status_code)
        assert ROUND_NOTE not in response.text, path
        assert DRAFT_NOTE not in response.text, path
        if path == API:
            body = response.json()
            assert body["authority"] == authority
            assert body["draft"] == []
            assert body["rounds"] == []


async def test_the_own_authority_reads_its_ratings(client: ApiClient) -> None:
    await member_of(client, "weimar", Role.expert)
    result = await rate_and_submit(client)
    await member_of(client, "weimar")
    for path, _ in _routes(result["id"])[:3]:
        response = await client.get(path)
        assert response.status_code == 200, path
