"""Criteria versioning by the moderation (an old round keeps the text it rated), and the
averages over authorities: shown from five submitting authorities up, to authorities per
cornerstone and to the BAMF moderation overall and per Land."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import Role
from tests.assessment.support import API, criteria, member_of, rate_and_submit
from tests.factories import ApiClient, assert_problem

# Queries, transactions and races: on SQLite and PostgreSQL.
pytestmark = pytest.mark.database

NEW_TEXT = "Die ABH bespricht ihre Ermessensentscheidungen regelmäßig im Team."


async def test_a_reworded_criterion_is_a_new_version_and_old_rounds_keep_their_text(
    client: ApiClient,
) -> None:
    await member_of(client, "leipzig")
    items = await criteria(client)
    target = items[1]
    first = await rate_and_submit(client)
    await member_of(client, "bamf", Role.moderator)
    edited = await client.put(
        f"{API}/criteria/{target['id']}",
        json={"text": NEW_TEXT, "instruments": ["kollegiale-fallberatung"]},
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["version"] == 2
    listed = {c["id"]: c for c in await criteria(client)}
    assert listed[target["id"]]["text"] == NEW_TEXT
    assert listed[target["id"]]["instruments"] == ["kollegiale-fallberatung"]
    await member_of(client, "leipzig")
    old = (await client.get(f"{API}/rounds/{first['id']}")).json()
    [rated] = [r for r in old["ratings"] if r["criterion_id"] == target["id"]]
    assert (rated["text"], rated["version"]) == (target["text"], 1)
    second = await rate_and_submit(client)
    [rated] = [r for r in second["ratings"] if r["criterion_id"] == target["id"]]
    assert (rated["text"], rated["version"]) == (NEW_TEXT, 2)


async def test_moderators_add_and_retire_criteria(client: ApiClient) -> None:
    await member_of(client, "bamf", Role.moderator)
    before = await criteria(client)
    added = await client.post(
        f"{API}/criteria",
        json={
            "cornerstone": 2,
            "text": "Die ABH informiert vorab über benötigte Unterlagen.",
            "instruments": ["terminsystem"],
        },
    )
    assert added.status_code == 201, added.text
    new_id = added.json()["id"]
    after = await criteria(client)
    assert [c["id"] for c in after if c["cornerstone"] == 2][-1] == new_id
    retired = await client.delete(f"{API}/criteria/{new_id}")
    assert retired.status_code == 204
    assert [c["id"] for c in await criteria(client)] == [c["id"] for c in before]
    assert_problem(await client.delete(f"{API}/criteria/{new_id}"), 409)
    # A member rates the checklist without the retired criterion and can submit.
    await member_of(client, "leipzig")
    result = await rate_and_submit(client)
    assert new_id not in [r["criterion_id"] for r in result["ratings"]]


async def test_criteria_edits_are_checked(client: ApiClient) -> None:
    await member_of(client, "leipzig")
    [first, *_] = await criteria(client)
    body = {"text": NEW_TEXT, "instruments": []}
    assert_problem(await client.put(f"{API}/criteria/{first['id']}", json=body), 403)
    assert_problem(await client.post(f"{API}/criteria", json={"cornerstone": 1, **body}), 403)
    await member_of(client, "bamf", Role.moderator)
    assert_problem(await client.put(f"{API}/criteria/999999", json=body), 404)
    assert_problem(
        await client.put(
            f"{API}/criteria/{first['id']}",
            json={"text": NEW_TEXT, "instruments": ["gibt-es-nicht"]},
        ),
        422,
        fields=["instruments.0"],
    )
    assert_problem(
        await client.put(
            f"{API}/criteria/{first['id']}",
            json={"text": "Frau Petrović, geb. 12.03.1985, prüft das.", "instruments": []},
        ),
        422,
        fields=["text"],
    )
    assert_problem(
        await client.post(f"{API}/criteria", json={"cornerstone": 6, **body}),
        422,
        fields=["cornerstone"],
    )


SACHSEN = ["leipzig", "chemnitz", "dresden"]


async def test_the_average_appears_only_from_five_authorities(client: ApiClient) -> None:
    for authority in ["leipzig", "weimar", "potsdam", "kiel"]:
        await member_of(client, authority)
        result = await rate_and_submit(client, lambda c: (2, 4))
    assert result["comparison"] == {"authorities": 4, "scores": None}
    await member_of(client, "bamf", Role.moderator)
    aggregate = (await client.get(f"{API}/aggregate")).json()
    assert aggregate["overall"] == {"authorities": 4, "scores": None}
    await member_of(client, "mainz")
    result = await rate_and_submit(client, lambda c: (4, 4))
    comparison = result["comparison"]
    assert comparison["authorities"] == 5
    # Each authority once: four at 2 and one at 4.
    assert [s["status"] for s in comparison["scores"]] == [(2 * 4 + 4) / 5] * 5
    assert [s["relevance"] for s in comparison["scores"]] == [4.0] * 5
    # A second round of the same authority replaces its first in the average.
    result = await rate_and_submit(client, lambda c: (2, 4))
    assert [s["status"] for s in result["comparison"]["scores"]] == [2.0] * 5


async def test_moderators_see_the_aggregate_per_land_only_from_five_authorities(
    client: ApiClient,
) -> None:
    for authority in ["leipzig", "chemnitz", "dresden", "weimar", "potsdam"]:
        await member_of(client, authority)
        await rate_and_submit(client)
    await member_of(client, "leipzig")
    assert_problem(await client.get(f"{API}/aggregate"), 403)
    await member_of(client, "bamf", Role.moderator)
    response = await client.get(f"{API}/aggregate")
    assert response.status_code == 200
    body = response.json()
    assert body["overall"]["authorities"] == 5
    assert [s["status"] for s in body["overall"]["scores"]] == [3.0] * 5
    lands = {land["land"]: land for land in body["lands"]}
    assert lands["Sachsen"] == {"land": "Sachsen", "authorities": 3, "scores": None}
    assert all(land["scores"] is None for land in body["lands"])


async def test_seeding_again_keeps_the_moderations_changes(client: ApiClient) -> None:
    from fachaustausch.assessment.seed import seed_criteria

    await member_of(client, "bamf", Role.moderator)
    [first, *_] = await criteria(client)
    await client.put(f"{API}/criteria/{first['id']}", json={"text": NEW_TEXT, "instruments": []})
    assert await seed_criteria() == 0
    [again, *_] = await criteria(client)
    assert (again["id"], again["text"], again["instruments"]) == (first["id"], NEW_TEXT, [])


async def test_a_land_with_five_submitting_authorities_shows_its_average(
    client: ApiClient,
) -> None:
    from fachaustausch.accounts.tables import Authority

    for slug in ("zwickau", "bautzen"):
        await Authority.insert(
            Authority(slug=slug, name=f"Landkreis {slug.title()}", kind="member", land="Sachsen")
        ).run()
    for authority in [*SACHSEN, "zwickau", "bautzen"]:
        await member_of(client, authority)
        await rate_and_submit(client, lambda c: (2, 5))
    await member_of(client, "bamf", Role.moderator)
    lands = {land["land"]: land for land in (await client.get(f"{API}/aggregate")).json()["lands"]}
    assert lands["Sachsen"]["authorities"] == 5
    assert [s["need"] for s in lands["Sachsen"]["scores"]] == [3.0] * 5  # (5−1)×(5−2)÷4
