"""Lists: keyset pagination for every sort (ties included), the filters, and the routing of
open questions to experts (`for_me`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.questions import service as questions
from fachaustausch.questions.tables import Question
from tests.factories import ApiClient, UserRecord, answer_question, ask_question, make_user

pytestmark = pytest.mark.database

BASE = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


async def _all_pages(client: ApiClient, limit: int = 7, **params: Any) -> list[int]:
    """Follows `next_cursor` to the end; every page but the last is full."""
    ids: list[int] = []
    cursor = None
    for _ in range(100):
        query = {**params, "limit": limit, **({"cursor": cursor} if cursor else {})}
        response = await client.get(f"/api/v1/questions?{urlencode(query)}")
        assert response.status_code == 200, response.text
        page = response.json()
        ids += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return ids
        assert len(page["items"]) == limit
    raise AssertionError("the pages never end")


async def _make_many(author: UserRecord, answerer: UserRecord) -> list[dict[str, Any]]:
    """25 questions with sort values that tie in groups (and timestamps with and without
    microseconds); every fourth one answered, one hidden."""
    rows = []
    for n in range(25):
        qid = await ask_question(author, title=f"Frage Nummer {n:02d} zur Organisation")
        answered = n % 4 == 1
        if answered:
            await answer_question(answerer, qid)
        values = {
            "created_at": BASE + timedelta(minutes=n // 3, microseconds=(n % 2) * 250_000),
            "last_activity_at": BASE + timedelta(hours=(n * 7) % 10),
            "score": (n % 5) - 2,
        }
        await (
            Question.update({getattr(Question, k): v for k, v in values.items()})
            .where(Question.id == qid)
            .run()
        )
        rows.append({"id": qid, "answered": answered, "hidden": n == 12, **values})
    await Question.update({Question.hidden: True}).where(Question.id == rows[12]["id"]).run()
    return rows


SORT_KEYS = {
    "newest": "created_at",
    "activity": "last_activity_at",
    "votes": "score",
    "unanswered": "created_at",
}


@pytest.mark.parametrize("role", [Role.member, Role.moderator])
@pytest.mark.parametrize("sort", list(SORT_KEYS))
async def test_keyset_pagination_covers_every_question_once_in_order(
    client: ApiClient, sort: str, role: Role
) -> None:
    author = await make_user(Role.member)
    rows = await _make_many(author, await make_user(Role.expert))
    await client.login_token(await make_user(role))
    expected_rows = [r for r in rows if role is Role.moderator or not r["hidden"]]
    if sort == "unanswered":
        expected_rows = [r for r in expected_rows if not r["answered"]]
    key = SORT_KEYS[sort]
    expected = [
        r["id"] for r in sorted(expected_rows, key=lambda r: (r[key], r["id"]), reverse=True)
    ]
    for limit in (7, 1, 100):
        ids = await _all_pages(client, limit=limit, sort=sort)
        assert len(ids) == len(set(ids))
        assert ids == expected, limit


async def test_pages_stay_stable_when_new_questions_arrive(client: ApiClient) -> None:
    author = await make_user(Role.member)
    first = [await ask_question(author) for _ in range(4)]
    await client.login_token(author)
    page = (await client.get("/api/v1/questions?limit=2")).json()
    assert [i["id"] for i in page["items"]] == first[:1:-1]
    await ask_question(author)  # a newer question does not shift the next page
    rest = (await client.get(f"/api/v1/questions?limit=2&cursor={page['next_cursor']}")).json()
    assert [i["id"] for i in rest["items"]] == [first[1], first[0]]
    assert rest["next_cursor"] is None


# --- filters ------------------------------------------------------------------------------

CORNERSTONES = ["binnenorganisation", "vernetzung"]
INSTRUMENT_SETS: list[list[str]] = [
    [],
    ["terminsystem"],
    ["spezialteams", "terminsystem"],
    ["verwaltungsinterne-vernetzung"],
]
DIRECTED: list[str | None] = [None, "weimar", "kiel"]


async def _filter_world() -> tuple[list[UserRecord], list[dict[str, Any]]]:
    leipzig = await make_user(Role.member, authority="leipzig")
    bremen = await make_user(Role.member, authority="bremen")
    kiel = await make_user(Role.expert, authority="kiel")
    answerer = await make_user(Role.expert, authority="essen")
    authors = [leipzig, bremen, kiel]
    rows = []
    for n in range(18):
        author = authors[n % 3]
        data = {
            "cornerstone": CORNERSTONES[n % 2],
            "instruments": INSTRUMENT_SETS[n % 4],
            "directed_to": DIRECTED[(n // 2) % 3],
        }
        qid = await ask_question(author, title=f"Frage Nummer {n:02d} zum Filtern", **data)
        status = "open"
        if n % 3 != 0:
            aid = await answer_question(answerer, qid)
            status = "answered"
            if n % 3 == 2:
                await questions.accept(await author.principal(), aid)
                status = "solved"
        rows.append(
            {
                "id": qid,
                "author": author.id,
                "authority": ["leipzig", "bremen", "kiel"][n % 3],
                "status": status,
                **data,
            }
        )
    return authors, rows


FILTERS: list[dict[str, str]] = [
    {},
    {"cornerstone": "vernetzung"},
    {"instrument": "terminsystem"},
    {"instrument": "spezialteams"},
    {"status": "open"},
    {"status": "answered"},
    {"status": "solved"},
    {"authority": "bremen"},
    {"directed_to": "weimar"},
    {"mine": "true"},
    {"mine": "false"},
    {"cornerstone": "binnenorganisation", "instrument": "terminsystem"},
    {"instrument": "terminsystem", "status": "open"},
    {"cornerstone": "vernetzung", "status": "solved", "directed_to": "kiel"},
    {"authority": "leipzig", "mine": "true"},
    {"instrument": "verwaltungsinterne-vernetzung", "authority": "kiel", "status": "solved"},
    {"directed_to": "essen"},
    {"authority": "bremen", "mine": "true"},
]
# Filters that exclude each other, or name an authority nobody directed a question to.
MATCH_NOTHING = [{"directed_to": "essen"}, {"authority": "bremen", "mine": "true"}]


def _matches(row: dict[str, Any], filters: dict[str, str], me: int) -> bool:
    return (
        row["cornerstone"] == filters.get("cornerstone", row["cornerstone"])
        and ("instrument" not in filters or filters["instrument"] in row["instruments"])
        and row["status"] == filters.get("status", row["status"])
        and row["authority"] == filters.get("authority", row["authority"])
        and ("directed_to" not in filters or row["directed_to"] == filters["directed_to"])
        and (filters.get("mine") != "true" or row["author"] == me)
    )


async def test_filters_combine(client: ApiClient) -> None:
    authors, rows = await _filter_world()
    me = authors[0]
    await client.login_token(me)
    for filters in FILTERS:
        expected = sorted((r["id"] for r in rows if _matches(r, filters, me.id)), reverse=True)
        for sort in ("newest", "votes"):
            ids = await _all_pages(client, limit=4, sort=sort, **filters)
            assert sorted(ids, reverse=True) == expected, (filters, sort)
            assert len(ids) == len(set(ids))
        assert bool(expected) is (filters not in MATCH_NOTHING), filters


async def test_list_items(client: ApiClient) -> None:
    author = await make_user(Role.member, authority="bremen")
    qid = await ask_question(
        author, directed_to="weimar", instruments=["spezialteams", "terminsystem"]
    )
    await client.login_token(author)
    [item] = (await client.get("/api/v1/questions")).json()["items"]
    assert item["id"] == qid
    assert item["url"] == f"/fragen/{qid}"
    assert item["directed_to"] == {"slug": "weimar", "name": item["directed_to"]["name"]}
    assert [i["slug"] for i in item["instruments"]] == ["spezialteams", "terminsystem"]
    assert item["cornerstone"]["slug"] == "binnenorganisation"
    assert item["author"]["authority"] == "bremen"
    assert "body" not in item
    assert item["excerpt"].startswith("Wir planen ein Terminsystem.")


# --- expert routing -------------------------------------------------------------------------


async def test_for_me_routes_open_questions_to_experts(client: ApiClient) -> None:
    expert = await make_user(
        Role.expert, authority="weimar", expertise=["terminsystem", "spezialteams"]
    )
    asker = await make_user(Role.member, authority="leipzig")
    answerer = await make_user(Role.expert, authority="essen")
    other = ["verwaltungsinterne-vernetzung"]

    tagged = await ask_question(asker, instruments=["terminsystem"])
    tagged_too = await ask_question(asker, instruments=[*other, "spezialteams"])
    directed = await ask_question(asker, instruments=other, directed_to="weimar")
    elsewhere = await ask_question(asker, instruments=other, directed_to="kiel")
    untagged = await ask_question(asker, instruments=[])
    answered = await ask_question(asker, instruments=["terminsystem"])
    await answer_question(answerer, answered)
    answered_directed = await ask_question(asker, directed_to="weimar", instruments=[])
    await answer_question(answerer, answered_directed)
    hidden = await ask_question(asker, instruments=["terminsystem"])
    await Question.update({Question.hidden: True}).where(Question.id == hidden).run()
    closed = await ask_question(asker, instruments=["terminsystem"])
    await Question.update({Question.closed_reason: "outdated"}).where(Question.id == closed).run()
    locked = await ask_question(asker, directed_to="weimar")
    await Question.update({Question.locked: True}).where(Question.id == locked).run()
    own = await ask_question(expert, instruments=["terminsystem"])
    assert {elsewhere, untagged, own}  # not routed

    await client.login_token(expert)
    expected = [directed, tagged_too, tagged]
    assert await _all_pages(client, limit=2, for_me="true") == expected
    assert await _all_pages(client, limit=2, for_me="true", sort="activity") == sorted(
        expected, reverse=True
    )
    filtered = await _all_pages(client, for_me="true", instrument="spezialteams")
    assert filtered == [tagged_too]

    # Once answered, a question drops out of the expert's list.
    await answer_question(answerer, tagged)
    assert await _all_pages(client, for_me="true") == [directed, tagged_too]

    # A member without instruments gets only questions directed to their authority: none.
    client.logout_local()
    await client.login_token(await make_user(Role.member, authority="leipzig"))
    assert await _all_pages(client, for_me="true") == []
    # Staff of a model site without instruments: what is directed to their authority.
    client.logout_local()
    await client.login_token(await make_user(Role.member, authority="weimar"))
    assert await _all_pages(client, for_me="true") == [directed]
