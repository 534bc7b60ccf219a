"""Flags: the three-flag rule, one open flag per member and target; the review queue."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import AccountStatus, Role
from fachaustausch.moderation.tables import Flag
from fachaustausch.questions.tables import Answer, Question
from tests.factories import ApiClient, answer_question, ask_question, assert_problem, make_user
from tests.moderation.support import act, as_user, audit_rows, flag

pytestmark = pytest.mark.database


async def _hidden(table: type[Question] | type[Answer], row_id: int) -> bool:
    row = await table.select(table.hidden).where(table.id == row_id).first().run()
    assert row is not None
    return bool(row["hidden"])


async def test_three_personal_data_flags_hide_at_once_two_do_not(client: ApiClient) -> None:
    qid = await ask_question(await make_user())
    aid = await answer_question(await make_user(Role.expert), qid, "Herr M., geb. 1980, sagt …")
    reporters = [await make_user() for _ in range(3)]
    for reporter in reporters[:2]:
        await as_user(client, reporter)
        created = await flag(client, "answer", aid, "personal_data")
        assert created.status_code == 201, created.text
        assert created.json()["status"] == "open"
    assert await _hidden(Answer, aid) is False
    # Other reasons do not count towards the rule.
    await as_user(client, await make_user())
    assert (await flag(client, "answer", aid, "wrong")).status_code == 201
    assert await _hidden(Answer, aid) is False
    assert await audit_rows() == []

    await as_user(client, reporters[2])
    assert (await flag(client, "answer", aid, "personal_data")).status_code == 201
    assert await _hidden(Answer, aid) is True
    [row] = await audit_rows()
    assert (row["actor"], row["action"], row["target_type"], row["target_id"]) == (
        None, "hide", "answer", aid
    )  # fmt: skip
    assert (row["before"], row["after"]) == ({"hidden": False}, {"hidden": True})
    assert "personenbezogene Daten" in row["reason"]
    # Gone for the reporters and everyone else; the question is open again.
    detail = (await client.get(f"/api/v1/questions/{qid}")).json()
    assert detail["answers"] == []
    assert detail["status"] == "open"
    assert_problem(await flag(client, "answer", aid, "personal_data"), 404)

    # The queue shows it as awaiting review, with the reasons counted.
    await as_user(client, await make_user(Role.moderator))
    queue = (await client.get("/api/v1/moderation/queue")).json()
    assert queue["awaiting_review"] == 1
    [item] = queue["flags"]
    assert (item["target_type"], item["target_id"], item["hidden"]) == ("answer", aid, True)
    assert item["flag_count"] == 4
    assert {r["reason"]: r["count"] for r in item["reasons"]} == {"personal_data": 3, "wrong": 1}
    assert item["reasons"][0]["label"] == "enthält personenbezogene Daten"
    assert [r["action"] for r in queue["recent_actions"]] == ["hide"]
    assert queue["recent_actions"][0]["actor"] is None

    # Deciding resolves every flag on it.
    restored = await act(client, "restore", "answer", aid, reason="Keine echten Daten")
    assert restored.status_code == 200, restored.text
    queue = (await client.get("/api/v1/moderation/queue")).json()
    assert (queue["flags"], queue["awaiting_review"]) == ([], 0)
    statuses = await Flag.select(Flag.status, Flag.resolution).run()
    assert statuses == [{"status": "resolved", "resolution": "restore"}] * 4


async def test_three_flags_by_the_same_member_are_impossible(client: ApiClient) -> None:
    qid = await ask_question(await make_user())
    reporter = await make_user()
    await client.login(reporter)
    assert (await flag(client, "question", qid, "personal_data")).status_code == 201
    for reason in ("personal_data", "wrong"):
        again = await flag(client, "question", qid, reason)
        assert_problem(again, 409, detail="bereits gemeldet")
    assert await Flag.count().run() == 1
    assert await _hidden(Question, qid) is False
    # Another member may flag the same target; the reporter may flag another target.
    other = await ask_question(await make_user())
    assert (await flag(client, "question", other, "duplicate")).status_code == 201


async def test_after_a_decision_the_member_may_flag_again(client: ApiClient) -> None:
    qid = await ask_question(await make_user())
    reporter = await make_user()
    moderator = await make_user(Role.moderator)
    await client.login(reporter)
    assert (await flag(client, "question", qid, "outdated")).status_code == 201
    await as_user(client, moderator)
    locked = await act(client, "lock", "question", qid, reason="Veraltet, wird überarbeitet")
    assert locked.status_code == 200, locked.text
    await as_user(client, reporter)
    assert (await flag(client, "question", qid, "outdated")).status_code == 201
    # Dismissing the flag also frees the member to flag again.
    [open_flag] = await Flag.select(Flag.id).where(Flag.status == "open").run()
    await as_user(client, moderator)
    assert (await act(client, "dismiss", "flag", open_flag["id"])).status_code == 200
    await as_user(client, reporter)
    assert (await flag(client, "question", qid, "outdated")).status_code == 201


async def test_flag_input_rules(client: ApiClient) -> None:
    author = await make_user()
    qid = await ask_question(author)
    member = await make_user()
    await client.login(member)
    assert_problem(await flag(client, "question", qid, "other"), 422, fields=["text"])
    assert_problem(await flag(client, "question", qid, "other", text="   "), 422, fields=["text"])
    created = await flag(client, "question", qid, "other", text="Werbung für eine Firma")
    assert created.status_code == 201, created.text
    assert_problem(
        await flag(client, "user", member.id, "inappropriate"), 422, fields=["target_id"]
    )
    assert (await flag(client, "user", author.id, "inappropriate")).status_code == 201
    assert_problem(await flag(client, "question", 999_999, "wrong"), 404)
    assert_problem(await flag(client, "answer", 2**31 - 1, "wrong"), 404)
    assert_problem(await flag(client, "registration", 1, "wrong"), 422, fields=["target_type"])
    assert_problem(await flag(client, "flag", 1, "wrong"), 422, fields=["target_type"])
    for body in (
        {"target_type": "question", "target_id": qid, "reason": "langweilig"},
        {"target_type": "kuchen", "target_id": qid, "reason": "wrong"},
        {"target_type": "question", "target_id": 2**40, "reason": "wrong"},
        {"target_type": "question", "target_id": "x", "reason": "wrong"},
        {"target_type": "question", "target_id": qid, "reason": "other", "text": "x" * 1001},
        {"target_type": "question", "target_id": qid},
    ):
        response = await client.post("/api/v1/flags", json=body)
        assert 400 <= response.status_code < 500, body
        assert_problem(response, response.status_code)


async def test_hidden_posts_cannot_be_flagged_by_members(client: ApiClient) -> None:
    qid = await ask_question(await make_user())
    aid = await answer_question(await make_user(Role.expert), qid)
    moderator = await make_user(Role.moderator)
    await client.login(moderator)
    assert (await act(client, "hide", "question", qid, reason="PII")).status_code == 200
    await as_user(client, await make_user())
    assert_problem(await flag(client, "question", qid, "wrong"), 404)
    # An answer of a hidden question is as invisible as the question.
    assert_problem(await flag(client, "answer", aid, "wrong"), 404)
    assert await Flag.count().run() == 0


async def test_queue_lists_flags_registrations_and_actions(client: ApiClient) -> None:
    qid = await ask_question(await make_user(), title="Eine gemeldete Frage zur Vernetzung")
    troll = await make_user(display_name="Troll")
    pending = await make_user(status=AccountStatus.pending, display_name="Neu Dabei")
    for reason in ("wrong", "wrong", "off_topic"):
        await as_user(client, await make_user())
        assert (await flag(client, "question", qid, reason)).status_code == 201
    assert (await flag(client, "user", troll.id, "inappropriate")).status_code == 201
    flag_ids = [r["id"] for r in await Flag.select(Flag.id).order_by(Flag.id).run()]

    await as_user(client, await make_user(Role.moderator))
    queue = (await client.get("/api/v1/moderation/queue")).json()
    question_item, user_item = queue["flags"]
    assert question_item["target_type"] == "question"
    assert question_item["title"] == "Eine gemeldete Frage zur Vernetzung"
    assert question_item["url"] == f"/fragen/{qid}"
    assert question_item["flag_count"] == 3
    assert question_item["reasons"] == [
        {"reason": "wrong", "label": "fachlich falsch", "count": 2},
        {"reason": "off_topic", "label": "gehört nicht hierher", "count": 1},
    ]
    assert question_item["flag_ids"] == flag_ids[:3]
    assert (user_item["target_type"], user_item["title"]) == ("user", "Troll")
    assert [p["id"] for p in queue["pending_registrations"]] == [pending.id]
    assert queue["pending_registrations"][0]["display_name"] == "Neu Dabei"
    assert queue["awaiting_review"] == 0
    assert queue["recent_actions"] == []

    for flag_id in flag_ids[:3]:
        assert (await act(client, "dismiss", "flag", flag_id)).status_code == 200
    queue = (await client.get("/api/v1/moderation/queue")).json()
    assert [i["target_type"] for i in queue["flags"]] == ["user"]
    assert [a["action"] for a in queue["recent_actions"]] == ["dismiss"] * 3
    assert (await act(client, "approve", "registration", pending.id)).status_code == 200
    queue = (await client.get("/api/v1/moderation/queue")).json()
    assert queue["pending_registrations"] == []
    assert queue["recent_actions"][0]["action"] == "approve"
