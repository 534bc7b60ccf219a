"""One consultation through all six phases with four people, over the HTTP API."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.consultations.phases import ORDER, Phase
from tests.consultations.support import API, CONSULTATION
from tests.factories import ApiClient, UserRecord, assert_problem, make_user
from tests.search.test_api import settled

pytestmark = pytest.mark.database


async def _as(client: ApiClient, user: UserRecord) -> None:
    client.logout_local()
    await client.login(user)


async def _post(client: ApiClient, cid: int, kind: str, body: str) -> dict[str, Any]:
    response = await client.post(f"{API}/{cid}/posts", json={"kind": kind, "body": body})
    assert response.status_code == 201, response.text
    post: dict[str, Any] = response.json()
    assert post["kind"] == kind
    return post


async def _advance(client: ApiClient, cid: int, to: Phase) -> dict[str, Any]:
    response = await client.post(f"{API}/{cid}/advance")
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    assert body["phase"] == to.value
    return body


@pytest.mark.search_worker
async def test_a_consultation_runs_through_all_six_phases(client: ApiClient) -> None:
    case_giver = await make_user(Role.member, display_name="Jana Becker")
    facilitator = await make_user(Role.expert, display_name="Katrin Vogel")
    advisor_a = await make_user(Role.member, authority="koeln", display_name="Ali Demir")
    advisor_b = await make_user(Role.expert, authority="mainz", display_name="Thomas Berger")
    reader = await make_user(Role.member, authority="bremen")

    # 1 Casting: the case giver starts; the others join.
    await _as(client, case_giver)
    created = await client.post(API, json=CONSULTATION)
    assert created.status_code == 201, created.text
    consultation = created.json()
    cid = consultation["id"]
    assert consultation["phase"] == "casting"
    assert consultation["my_role"] == "case_giver"
    assert consultation["allowed"]["advance"] is True  # no facilitator yet
    await _as(client, facilitator)
    joined = await client.post(f"{API}/{cid}/join", json={"role": "facilitator"})
    assert joined.status_code == 200, joined.text
    assert joined.json()["my_role"] == "facilitator"
    for advisor in (advisor_a, advisor_b):
        await _as(client, advisor)
        joined = await client.post(f"{API}/{cid}/join")
        assert joined.status_code == 200, joined.text
        assert joined.json()["my_role"] == "advisor"
    assert joined.json()["participant_count"] == 4

    # 2 Narration: story, a clarifying question, the answer.
    await _as(client, facilitator)
    await _advance(client, cid, Phase.narration)
    await _as(client, case_giver)
    await _post(
        client, cid, "narration", "Die Familie legt seit einem Jahr Fiktionsbescheinigungen vor."
    )
    await _as(client, advisor_a)
    await _post(client, cid, "clarifying_question", "Welche Unterlagen fehlen genau?")
    await _as(client, case_giver)
    await _post(client, cid, "clarification", "Die Geburtsurkunden der Kinder.")

    # 3 Key question, set by the case giver.
    await _as(client, facilitator)
    await _advance(client, cid, Phase.key_question)
    await _as(client, case_giver)
    key = "Wie können wir verlängern, solange die Urkunden fehlen?"
    response = await client.put(f"{API}/{cid}/key-question", json={"key_question": key})
    assert response.status_code == 200, response.text
    assert response.json()["key_question"] == key

    # 4 Method, chosen by the facilitator.
    await _as(client, facilitator)
    await _advance(client, cid, Phase.method)
    response = await client.put(f"{API}/{cid}/method", json={"method": "good_advice"})
    assert response.status_code == 200, response.text
    assert response.json()["method_label"] == "Gute Ratschläge"
    assert response.json()["method_rules"]

    # 5 Advice by both advisors, summary by the facilitator.
    await _advance(client, cid, Phase.advice)
    await _as(client, advisor_a)
    await _post(
        client, cid, "advice", "Ich an Ihrer Stelle würde eine Versicherung an Eides statt prüfen."
    )
    await _as(client, advisor_b)
    await _post(client, cid, "advice", "Ich an Ihrer Stelle würde die Botschaft früh einbinden.")
    await _as(client, facilitator)
    await _post(client, cid, "summary", "Zwei Wege: eidesstattliche Versicherung und Botschaft.")

    # 6 Conclusion by the case giver; then closed.
    await _advance(client, cid, Phase.conclusion)
    await _as(client, case_giver)
    await _post(client, cid, "conclusion", "Wir prüfen zuerst die eidesstattliche Versicherung.")
    await _as(client, facilitator)
    closed = await _advance(client, cid, Phase.closed)

    assert closed["closed_at"] is not None
    assert datetime.fromisoformat(closed["closed_at"]) >= datetime.fromisoformat(
        closed["created_at"]
    )
    transitions = closed["transitions"]
    assert [(t["from_phase"], t["to_phase"]) for t in transitions] == list(
        itertools.pairwise(ORDER)
    )
    assert len(transitions) == 6
    assert all(t["by"] == "Katrin Vogel" and t["at"] for t in transitions)
    times = [datetime.fromisoformat(t["at"]) for t in transitions]
    assert times == sorted(times)

    # Read-only for everyone, every kind of post; GET groups the posts by phase.
    for person in (case_giver, facilitator, advisor_a, advisor_b):
        await _as(client, person)
        for kind in ("narration", "advice", "summary", "conclusion", "clarifying_question"):
            refused = await client.post(
                f"{API}/{cid}/posts", json={"kind": kind, "body": "Noch was."}
            )
            assert_problem(refused, 409, detail="abgeschlossen")
        assert_problem(
            await client.post(f"{API}/{cid}/advance"), 409 if person == facilitator else 403
        )
        body = (await client.get(f"{API}/{cid}")).json()
        assert body["phase"] == "closed"
        assert body["allowed"] == {
            "join_as": [],
            "invite": False,
            "advance": False,
            "set_key_question": False,
            "set_method": False,
            "post_kinds": [],
        }
    kinds = {p["phase"]: [post["kind"] for post in p["posts"]] for p in body["phases"]}
    assert kinds == {
        "casting": [],
        "narration": ["narration", "clarifying_question", "clarification"],
        "key_question": [],
        "method": [],
        "advice": ["advice", "advice", "summary"],
        "conclusion": ["conclusion"],
    }
    assert all(p["done"] and not p["current"] for p in body["phases"])
    authors = [p["author"]["display_name"] for p in body["phases"][4]["posts"]]
    assert authors == ["Ali Demir", "Thomas Berger", "Katrin Vogel"]

    # A member who took no part finds the knowledge item.
    await _as(client, reader)
    body = (await client.get(f"{API}/{cid}")).json()
    assert body["allowed"]["join_as"] == []
    await settled()
    found = (
        await client.get("/api/v1/search", params={"q": "eidesstattliche Versicherung"})
    ).json()
    hits = [h for h in found["hits"] if h["type"] == "consultation"]
    assert [h["id"] for h in hits] == [cid]
    assert hits[0]["url"] == f"/fallberatungen/{cid}"
    assert found["facets"]["type"]["consultation"] == 1
