"""The self-assessment through the API: the checklist, drafts that colleagues fill in
together, submitted rounds, the need formula and the recommendations."""

from __future__ import annotations

import asyncio

import pytest

from fachaustausch.assessment.seed_criteria import load_seed_criteria
from tests.assessment.support import API, criteria, member_of, rate_and_submit, ratings_for
from tests.factories import ApiClient, assert_problem

# Queries, transactions and races: on SQLite and PostgreSQL.
pytestmark = pytest.mark.database

PUBLISHED_FIRST = (
    "Das Selbstverständnis der ABH hat sich von reiner Ordnungsbehörde zur "
    "Willkommensbehörde entwickelt."
)


async def test_the_checklist_lists_every_seed_criterion_with_its_instruments(
    client: ApiClient,
) -> None:
    await member_of(client, "leipzig")
    items = await criteria(client)
    seed = load_seed_criteria()
    assert [(c["cornerstone"], c["text"], c["instruments"]) for c in items] == [
        (s.cornerstone, s.text, list(s.instruments)) for s in seed
    ]
    assert items[0]["text"] == PUBLISHED_FIRST
    assert set(items[0]) == {"id", "cornerstone", "text", "instruments"}


async def test_the_checklist_needs_a_sign_in(client: ApiClient) -> None:
    assert_problem(await client.get(f"{API}/criteria"), 401)


async def test_a_draft_keeps_ratings_and_notes_and_merges_colleagues_saves(
    client: ApiClient,
) -> None:
    await member_of(client, "leipzig")
    items = await criteria(client)
    first, second = items[0]["id"], items[1]["id"]
    response = await client.put(
        f"{API}/draft",
        json={"ratings": [{"criterion_id": first, "status": 2, "relevance": 5, "note": "Ziel"}]},
    )
    assert response.status_code == 200, response.text
    # A colleague of the same authority saves another criterion and a half rating.
    await member_of(client, "leipzig")
    response = await client.put(
        f"{API}/draft", json={"ratings": [{"criterion_id": second, "status": 4}]}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["authority"] == "leipzig"
    assert body["draft"] == [
        {"criterion_id": first, "status": 2, "relevance": 5, "note": "Ziel"},
        {"criterion_id": second, "status": 4, "relevance": None, "note": ""},
    ]
    assert body["rounds"] == []


async def test_concurrent_saves_of_two_colleagues_lose_no_rating(client: ApiClient) -> None:
    await member_of(client, "leipzig")
    items = await criteria(client)
    # Six saves of single criteria at once, as colleagues' browsers would send them.
    saves = [
        client.put(
            f"{API}/draft",
            json={"ratings": [{"criterion_id": c["id"], "status": 1 + i % 5, "relevance": 3}]},
        )
        for i, c in enumerate(items[:6])
    ]
    answers = await asyncio.gather(*saves)
    assert [a.status_code for a in answers] == [200] * 6
    draft = (await client.get(API)).json()["draft"]
    assert {d["criterion_id"]: d["status"] for d in draft} == {
        c["id"]: 1 + i % 5 for i, c in enumerate(items[:6])
    }


@pytest.mark.parametrize(
    ("rating", "field"),
    [
        ({"status": 6, "relevance": 3}, "ratings.0.status"),
        ({"status": 0, "relevance": 3}, "ratings.0.status"),
        ({"status": 3, "relevance": "viel"}, "ratings.0.relevance"),
        ({"status": 3, "relevance": 3, "note": "x" * 1001}, "ratings.0.note"),
    ],
)
async def test_a_rating_outside_the_scale_is_refused_in_german(
    client: ApiClient, rating: dict[str, object], field: str
) -> None:
    await member_of(client, "leipzig")
    [first, *_] = await criteria(client)
    response = await client.put(
        f"{API}/draft", json={"ratings": [{"criterion_id": first["id"], **rating}]}
    )
    assert_problem(response, 422, fields=[field])


async def test_an_unknown_or_repeated_criterion_is_refused(client: ApiClient) -> None:
    await member_of(client, "leipzig")
    [first, *_] = await criteria(client)
    unknown = await client.put(
        f"{API}/draft", json={"ratings": [{"criterion_id": 999999, "status": 3}]}
    )
    assert_problem(unknown, 422, fields=["ratings.0.criterion_id"])
    twice = await client.put(
        f"{API}/draft",
        json={"ratings": [{"criterion_id": first["id"]}, {"criterion_id": first["id"]}]},
    )
    assert_problem(twice, 422, fields=["ratings.1.criterion_id"])


async def test_a_note_with_personal_data_is_refused_and_nothing_is_kept(
    client: ApiClient,
) -> None:
    await member_of(client, "leipzig")
    [first, *_] = await criteria(client)
    response = await client.put(
        f"{API}/draft",
        json={
            "ratings": [
                {
                    "criterion_id": first["id"],
                    "status": 2,
                    "relevance": 4,
                    "note": "Frau Petrović, geb. 12.03.1985, beschwerte sich.",
                }
            ]
        },
    )
    body = assert_problem(response, 422, fields=["ratings.0.note"])
    assert "personenbezogene Daten" in body["detail"]
    assert (await client.get(API)).json()["draft"] == []


async def test_the_bamf_does_not_assess_itself(client: ApiClient) -> None:
    await member_of(client, "bamf")
    [first, *_] = await criteria(client)
    response = await client.put(
        f"{API}/draft", json={"ratings": [{"criterion_id": first["id"], "status": 3}]}
    )
    assert_problem(response, 403)


async def test_submitting_needs_every_criterion_rated_twice(client: ApiClient) -> None:
    await member_of(client, "leipzig")
    items = await criteria(client)
    assert_problem(await client.post(f"{API}/rounds"), 409, detail="kein Entwurf")
    ratings = ratings_for(items)
    ratings[-1]["relevance"] = None
    await client.put(f"{API}/draft", json={"ratings": ratings})
    body = assert_problem(await client.post(f"{API}/rounds"), 422, detail="1 fehlen")
    assert [e["field"] for e in body["errors"]] == [f"criteria.{items[-1]['id']}"]


async def test_a_submitted_round_is_dated_kept_and_clears_the_draft(client: ApiClient) -> None:
    await member_of(client, "leipzig")
    first = await rate_and_submit(client)
    assert first["number"] == 1
    assert first["authority"] == "leipzig"
    assert first["previous"] is None
    mine = (await client.get(API)).json()
    assert mine["draft"] == []
    assert [r["id"] for r in mine["rounds"]] == [first["id"]]
    second = await rate_and_submit(client, lambda c: (4, 3))
    assert second["number"] == 2
    assert second["previous"]["id"] == first["id"]
    assert [s["status"] for s in second["previous_scores"]] == [3.0] * 5
    assert [s["status"] for s in second["scores"]] == [4.0] * 5
    shown = await client.get(f"{API}/rounds/{first['id']}")
    assert shown.status_code == 200
    assert [s["status"] for s in shown.json()["scores"]] == [3.0] * 5


async def test_of_two_submits_at_once_exactly_one_makes_a_round(client: ApiClient) -> None:
    await member_of(client, "leipzig")
    items = await criteria(client)
    await client.put(f"{API}/draft", json={"ratings": ratings_for(items)})
    answers = await asyncio.gather(client.post(f"{API}/rounds"), client.post(f"{API}/rounds"))
    assert sorted(a.status_code for a in answers) == [201, 409]
    assert len((await client.get(API)).json()["rounds"]) == 1


async def test_the_need_is_relevance_minus_one_times_five_minus_status_over_four(
    client: ApiClient,
) -> None:
    await member_of(client, "leipzig")
    items = await criteria(client)
    cornerstone_one = [c["id"] for c in items if c["cornerstone"] == 1]
    given = {cornerstone_one[0]: (1, 5), cornerstone_one[1]: (3, 4), cornerstone_one[2]: (5, 5)}
    result = await rate_and_submit(client, lambda c: given.get(c["id"], (2, 1)))
    needs = {r["criterion_id"]: r["need"] for r in result["ratings"]}
    assert needs[cornerstone_one[0]] == 4.0  # (5 − 1) × (5 − 1) ÷ 4
    assert needs[cornerstone_one[1]] == 1.5  # (4 − 1) × (5 − 3) ÷ 4
    assert needs[cornerstone_one[2]] == 0.0  # already very good
    assert needs[cornerstone_one[3]] == 0.0  # not relevant
    [one, *others] = result["scores"]
    assert one == {
        "cornerstone": 1,
        "status": (1 + 3 + 5 + 2) / 4,
        "relevance": (5 + 4 + 5 + 1) / 4,
        "need": (4.0 + 1.5 + 0 + 0) / 4,
    }
    assert all(s["need"] == 0.0 for s in others)


async def test_recommendations_are_the_instruments_of_the_largest_need_ranked(
    client: ApiClient,
) -> None:
    await member_of(client, "leipzig")
    items = await criteria(client)
    by_key = {c["id"]: c for c in items}
    strongest, weaker = items[0]["id"], items[4]["id"]
    rated = {strongest: (1, 5), weaker: (3, 3)}
    result = await rate_and_submit(client, lambda c: rated.get(c["id"], (5, 1)))
    recommendations = result["recommendations"]
    expected = [
        {"instrument": slug, "need": 4.0, "reasons": [strongest]}
        for slug in sorted(by_key[strongest]["instruments"])
    ] + [
        {"instrument": slug, "need": 1.0, "reasons": [weaker]}  # (3 − 1) × (5 − 3) ÷ 4
        for slug in sorted(by_key[weaker]["instruments"])
        if slug not in by_key[strongest]["instruments"]
    ]
    assert recommendations == expected[:5]
