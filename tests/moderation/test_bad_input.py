"""Bad input to the moderation routes: German problem details (4xx), never a 500, and no
audit row."""

from __future__ import annotations

from typing import Any

import pytest

from fachaustausch.accounts.policy import Role
from tests.factories import ApiClient, answer_question, ask_question, assert_problem, make_user
from tests.moderation.support import ACTIONS, act, audit_count


@pytest.fixture
async def targets(client: ApiClient) -> dict[str, int]:
    await client.login(await make_user(Role.moderator))
    member = await make_user()
    qid = await ask_question(member)
    aid = await answer_question(await make_user(Role.expert), qid)
    return {"question": qid, "answer": aid, "user": member.id}


@pytest.mark.parametrize(
    ("action", "target_type", "extra"),
    [
        ("hide", "question", {}),
        ("hide", "answer", {}),
        ("lock", "question", {}),
        ("mark_outdated", "answer", {}),
        ("suspend", "user", {}),
        ("edit", "question", {"title": "Ein neuer Titel für die Frage"}),
        ("edit", "answer", {"body": "Neuer Text"}),
    ],
)
async def test_reason_is_required(
    client: ApiClient, targets: dict[str, int], action: str, target_type: str, extra: Any
) -> None:
    for reason in ({}, {"reason": ""}, {"reason": "   "}):
        response = await act(client, action, target_type, targets[target_type], **extra, **reason)
        assert_problem(response, 422, detail="Begründung", fields=["reason"])
    assert await audit_count() == 0


async def test_bad_actions(client: ApiClient, targets: dict[str, int]) -> None:
    qid = targets["question"]

    async def refused(status: int, fields: list[str] | None = None, **body: Any) -> None:
        response = await client.post(ACTIONS, json=body)
        assert_problem(response, status, fields=fields)

    base = {"target_type": "question", "target_id": qid, "reason": "Grund"}
    await refused(422, ["action"], **{**base, "action": "delete"})
    await refused(422, ["target_type"], **{**base, "action": "hide", "target_type": "kuchen"})
    await refused(422, ["target_type"], **{**base, "action": "hide", "target_type": "user"})
    await refused(422, ["target_type"], **{**base, "action": "lock", "target_type": "answer",
                                          "target_id": targets["answer"]})  # fmt: skip
    await refused(422, ["target_type"], **{**base, "action": "dismiss"})
    await refused(404, None, **{**base, "action": "hide", "target_id": 999_999})
    await refused(404, None, **{**base, "action": "hide", "target_id": 2**31 - 1})
    await refused(404, None, **{**base, "action": "dismiss", "target_type": "flag"})
    await refused(404, None, **{**base, "action": "suspend", "target_type": "user",
                                "target_id": 999_999})  # fmt: skip
    await refused(404, None, **{**base, "action": "approve", "target_type": "registration",
                                "target_id": 999_999})  # fmt: skip
    await refused(422, ["target_id"], **{**base, "action": "hide", "target_id": 2**31})
    await refused(422, ["target_id"], **{**base, "action": "hide", "target_id": 10**30})
    await refused(422, ["target_id"], **{**base, "action": "hide", "target_id": 0})
    await refused(422, ["target_id"], **{**base, "action": "hide", "target_id": "eins"})
    await refused(422, ["close_reason"], **{**base, "action": "close"})
    await refused(422, ["close_reason"], **{**base, "action": "close", "close_reason": "egal"})
    await refused(422, ["duplicate_of"], **{**base, "action": "close", "close_reason": "duplicate"})
    await refused(422, ["duplicate_of"], **{**base, "action": "close", "close_reason": "duplicate",
                                            "duplicate_of": qid})  # fmt: skip
    await refused(404, None, **{**base, "action": "close", "close_reason": "duplicate",
                                "duplicate_of": 999_999})  # fmt: skip
    await refused(422, ["cornerstone"], **{**base, "action": "retag"})
    await refused(
        422, ["cornerstone"], **{**base, "action": "retag", "cornerstone": "gibt-es-nicht"}
    )
    await refused(422, ["instruments.0"], **{**base, "action": "retag",
                                              "instruments": ["gibt-es-nicht"]})  # fmt: skip
    await refused(422, ["body"], **{**base, "action": "edit"})
    await refused(422, ["role"], **{**base, "action": "set_role", "target_type": "user",
                                    "target_id": targets["user"]})  # fmt: skip
    await refused(422, ["expertise.0"], **{**base, "action": "set_role", "target_type": "user",
                                         "target_id": targets["user"], "role": "member",
                                         "expertise": ["Kein Slug"]})  # fmt: skip
    await refused(422, ["reason"], **{**base, "action": "hide", "reason": "x" * 1001})
    await refused(422, ["unbekannt"], **{**base, "action": "hide", "unbekannt": 1})
    await refused(422, ["action"], **{k: v for k, v in base.items()})
    assert await audit_count() == 0


async def test_long_and_odd_reasons_never_fail(client: ApiClient, targets: dict[str, int]) -> None:
    """Actions take reasons up to 1000 characters, but edits keep theirs with the revision
    (300 at most): longer ones are a German 422, never a 500; NUL characters are refused."""
    qid = targets["question"]
    long = "Sehr ausführliche Begründung. " * 33  # 990 characters
    for action, target_type, target_id, extra in (
        ("retag", "question", qid, {"cornerstone": "vernetzung"}),
        ("edit", "question", qid, {"title": "Ein neuer Titel für die Frage"}),
        ("edit", "answer", targets["answer"], {"body": "Neu"}),
    ):
        response = await act(client, action, target_type, target_id, reason=long, **extra)
        assert_problem(response, 422, detail="300 Zeichen", fields=["reason"])
        response = await act(client, action, target_type, target_id, reason=long[:300], **extra)
        assert response.status_code == 200, response.text
    response = await act(client, "hide", "question", qid, reason=long)
    assert response.status_code == 200, response.text
    for field in ("reason", "title", "body"):
        body = {"reason": "Grund", "title": "Ein neuer Titel der Frage", field: "mit \x00 NUL"}
        response = await act(client, "edit", "question", qid, **body)
        assert_problem(response, 422, fields=[field])
    response = await client.post(
        "/api/v1/flags",
        json={"target_type": "question", "target_id": qid, "reason": "other", "text": "a\x00b"},
    )
    assert_problem(response, 422, fields=["text"])


async def test_invalid_json(client: ApiClient, targets: dict[str, int]) -> None:
    for path in (ACTIONS, "/api/v1/flags", "/api/v1/instruments",
                 "/api/v1/instruments/terminsystem/merge"):  # fmt: skip
        for content in (b"{", b"[]", b"null", b"\xff\xfe", b'{"action": "hide"'):
            response = await client.post(
                path, content=content, headers={"content-type": "application/json"}
            )
            assert 400 <= response.status_code < 500, (path, content, response.text)
            assert_problem(response, response.status_code)
    response = await client.patch(
        "/api/v1/instruments/terminsystem",
        content=b"{",
        headers={"content-type": "application/json"},
    )
    assert_problem(response, 400)


async def test_audit_filters(client: ApiClient, targets: dict[str, int]) -> None:
    for params in (
        {"since": "gestern"},
        {"until": "2026-13-45"},
        {"actor_id": "x"},
        {"target_id": "eins"},
        {"page": "0"},
        {"limit": "201"},
        {"page": "10001"},
    ):
        response = await client.get("/api/v1/moderation/audit", params=params)
        assert_problem(response, 400)
    for params in ({"target_id": str(2**31)}, {"actor_id": str(10**20)}, {"target_id": "-1"}):
        response = await client.get("/api/v1/moderation/audit", params=params)
        assert response.status_code in (200, 400), (params, response.text)
        if response.status_code == 400:
            assert_problem(response, 400)
        else:
            assert response.json()["items"] == []
    odd = await client.get("/api/v1/moderation/audit", params={"action": "a\x00b' OR 1=1 --"})
    assert odd.status_code in (200, 400), odd.text


async def test_toolbox_upkeep_refusals(client: ApiClient, targets: dict[str, int]) -> None:
    async def create(**body: Any) -> Any:
        data = {"title": "Neues Instrument", "cornerstone": "vernetzung", **body}
        return await client.post("/api/v1/instruments", json=data)

    assert_problem(await create(slug="terminsystem"), 409, detail="terminsystem")
    assert_problem(await create(cornerstone="gibt-es-nicht"), 422, fields=["cornerstone"])
    assert_problem(await create(slug="Mit Leerzeichen"), 422, fields=["slug"])
    assert_problem(await create(title="(a)"), 422, fields=["slug"])
    assert_problem(await create(title="!!!!"), 422, fields=["slug"])
    assert_problem(await create(description="a\x00b"), 422, fields=["description"])
    assert_problem(await create(title="Ab"), 422, fields=["title"])

    async def edit(slug: str, **body: Any) -> Any:
        return await client.patch(f"/api/v1/instruments/{slug}", json=body)

    assert_problem(await edit("terminsystem"), 422, fields=["title"])
    assert_problem(await edit("terminsystem", reason="nur Grund"), 422, fields=["title"])
    assert_problem(await edit("gibt-es-nicht", title="Neuer Titel"), 404)
    assert_problem(await edit("terminsystem", description="a\x00b"), 422, fields=["description"])
    assert_problem(await edit("terminsystem", origin_note="a\x00b"), 422, fields=["origin_note"])
    assert_problem(await edit("terminsystem", title="Neu", reason="a\x00b"), 422, fields=["reason"])
    for slug in ("a%00b", "x" * 300, "GROSS", "%E2%9C%93"):
        response = await client.patch(f"/api/v1/instruments/{slug}", json={"title": "Neuer Titel"})
        assert response.status_code in (400, 404), (slug, response.text)
        assert_problem(response, response.status_code)
        response = await client.post(
            f"/api/v1/instruments/{slug}/merge", json={"into": "terminsystem", "reason": "x"}
        )
        assert response.status_code in (400, 404), (slug, response.text)
        response = await client.patch(f"/api/v1/cornerstones/{slug}", json={"title": "Neu Titel"})
        assert response.status_code in (400, 404), (slug, response.text)
    response = await client.post(
        "/api/v1/instruments/terminsystem/merge", json={"into": "spezialteams", "reason": "a\x00"}
    )
    assert_problem(response, 422, fields=["reason"])

    async def cornerstone(slug: str, **body: Any) -> Any:
        return await client.patch(f"/api/v1/cornerstones/{slug}", json=body)

    assert_problem(await cornerstone("vernetzung"), 422, fields=["title"])
    assert_problem(await cornerstone("gibt-es-nicht", title="Neuer Titel"), 404)
    assert_problem(await cornerstone("vernetzung", statement="a\x00b"), 422, fields=["statement"])
    assert_problem(await cornerstone("vernetzung", title="x" * 121), 422, fields=["title"])
    assert await audit_count() == 0
    # Not a refusal: a slug made from a taken title is made unique (test_toolbox_upkeep_pages).
    made = await create(title="Terminsystem")
    assert made.status_code == 201, made.text
    assert made.json()["slug"] == "terminsystem-2"
