"""Reviewing over HTTP: "noch gültig", "veraltet" and an edit from the queue, each audited
and shown to readers (issue 23)."""

from __future__ import annotations

from typing import Any

import pytest

from fachaustausch.core.audit import AuditLog
from fachaustausch.questions.tables import Revision
from tests.factories import ApiClient, assert_problem
from tests.review.support import CHANGES, QUEUE, Thread, as_user, change_body, queue_keys, thread
from tests.web.qa import answer

pytestmark = pytest.mark.database


async def _changed(client: ApiClient, t: Thread, provision: str = "§ 18 AufenthG") -> None:
    await as_user(client, t.moderator)
    assert (await client.post(CHANGES, json=change_body(provision))).status_code == 201
    await as_user(client, t.expert)


async def _audit(action: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = await AuditLog.select().where(AuditLog.action == action).run()
    return rows


async def _answer(client: ApiClient, question_id: int, answer_id: int) -> dict[str, Any]:
    detail = (await client.get(f"/api/v1/questions/{question_id}")).json()
    found: dict[str, Any] = next(a for a in detail["answers"] if a["id"] == answer_id)
    return found


async def test_confirm_records_who_and_when_and_shows_the_date(client: ApiClient) -> None:
    t = await thread()
    await _changed(client, t)
    response = await client.post(f"{QUEUE}/answer/{t.on_18}", json={"action": "confirm"})
    assert response.status_code == 201, response.text
    assert response.json()["cause"] == "legal_change"
    assert await queue_keys(client) == {("question", t.question, "legal_change")}

    [entry] = await _audit("review_confirm")
    assert (entry["actor"], entry["target_type"], entry["target_id"]) == (
        t.expert.id, "answer", t.on_18,
    )  # fmt: skip
    await as_user(client, t.member)
    shown = await _answer(client, t.question, t.on_18)
    assert shown["reviewed_at"] is not None
    assert shown["outdated"] is False
    page = (await client.get(f"/fragen/{t.question}")).text
    assert "Rechtsstand geprüft am" in page


async def test_outdated_with_a_successor_warns_readers(client: ApiClient) -> None:
    t = await thread()
    newer = await answer(t.expert, t.question, "Seit März 2024 gilt § 18a AufenthG n. F.")
    await _changed(client, t)
    response = await client.post(
        f"{QUEUE}/answer/{t.on_18}",
        json={"action": "outdated", "reason": "Seit März 2024 überholt.", "successor": newer},
    )
    assert response.status_code == 201, response.text
    [entry] = await _audit("review_outdated")
    assert entry["reason"] == "Seit März 2024 überholt."

    await as_user(client, t.member)
    shown = await _answer(client, t.question, t.on_18)
    assert shown["outdated"] is True
    assert shown["outdated_reason"] == "Seit März 2024 überholt."
    assert shown["outdated_successor_id"] == newer
    page = (await client.get(f"/fragen/{t.question}")).text
    assert "Diese Antwort ist veraltet" in page
    assert f'href="/antworten/{newer}"' in page
    followed = await client.get(f"/antworten/{newer}", follow_redirects=False)
    assert followed.headers["location"] == f"/fragen/{t.question}#antwort-{newer}"


@pytest.mark.parametrize(
    ("successor", "message"),
    [("own", "eigene Nachfolgerin"), ("hidden", "gibt es nicht"), ("missing", "gibt es nicht")],
)
async def test_the_successor_must_be_another_visible_answer(
    client: ApiClient, successor: str, message: str
) -> None:
    t = await thread()
    await _changed(client, t)
    target = {"own": t.on_18, "hidden": t.hidden, "missing": 999_999}[successor]
    body = {"action": "outdated", "reason": "Überholt.", "successor": target}
    assert_problem(
        await client.post(f"{QUEUE}/answer/{t.on_18}", json=body),
        422,
        detail=message,
        fields=["successor"],
    )
    assert await _audit("review_outdated") == []


async def test_outdated_needs_a_reason_that_passes_the_guard(client: ApiClient) -> None:
    t = await thread()
    await _changed(client, t)
    url = f"{QUEUE}/answer/{t.on_18}"
    assert_problem(await client.post(url, json={"action": "outdated"}), 422, fields=["reason"])
    refused = assert_problem(
        await client.post(
            url,
            json={"action": "outdated", "reason": "Frau Ayşe Demir, geb. 01.02.1990, betroffen."},
        ),
        422,
    )
    assert {e["field"] for e in refused["errors"]} == {"reason"}
    assert_problem(
        await client.post(f"{QUEUE}/question/{t.question}", json={"action": "outdated",
                                                                   "reason": "Überholt."}),
        422,
        fields=["action"],
    )  # fmt: skip


async def test_an_edit_from_the_queue_is_a_revision_and_counts_as_reviewed(
    client: ApiClient,
) -> None:
    t = await thread()
    await _changed(client, t)
    client.logout_local()
    await client.login(t.expert)
    response = await client.post(
        f"/inhaltspflege/antworten/{t.on_18}/bearbeiten",
        data={"body": "Maßgeblich ist jetzt § 18a AufenthG.", "reason": "an neues Recht angepasst"},
        follow_redirects=False,
    )
    assert response.status_code in (302, 303), response.text
    revisions = await Revision.select().where(Revision.target_id == t.on_18).run()
    assert [r["reason"] for r in revisions] == ["an neues Recht angepasst"]
    [entry] = await _audit("review_edit")
    assert entry["target_id"] == t.on_18
    await as_user(client, t.expert)
    assert ("answer", t.on_18, "legal_change") not in await queue_keys(client)
    shown = await _answer(client, t.question, t.on_18)
    assert shown["reviewed_at"] is not None
    assert shown["citations"] == [
        {
            "label": "§ 18a AufenthG",
            "url": "https://www.gesetze-im-internet.de/aufenthg_2004/__18a.html",
        }
    ]
    # The stored citations follow the edit: a change of § 18a now reaches the answer.
    await _changed(client, t, "§ 18a AufenthG")
    assert ("answer", t.on_18, "legal_change") in await queue_keys(client)


async def test_a_post_not_due_gives_a_german_conflict(client: ApiClient) -> None:
    t = await thread()
    await as_user(client, t.expert)
    assert_problem(
        await client.post(f"{QUEUE}/answer/{t.plain}", json={"action": "confirm"}),
        409,
        detail="steht nicht (mehr) zur Prüfung an",
    )
    assert_problem(await client.post(f"{QUEUE}/answer/{t.hidden}", json={"action": "confirm"}), 404)


async def test_members_can_neither_see_the_queue_nor_review(client: ApiClient) -> None:
    t = await thread()
    await _changed(client, t)
    await as_user(client, t.member)
    denied = "Expertinnen und Experten sowie der Moderation vorbehalten"
    assert_problem(await client.get(QUEUE), 403, detail=denied)
    assert_problem(
        await client.post(f"{QUEUE}/answer/{t.on_18}", json={"action": "confirm"}),
        403,
        detail=denied,
    )
    client.logout_local()
    await client.login(t.member)
    assert (await client.get("/inhaltspflege")).status_code == 403
    assert "Inhaltspflege</a>" not in (await client.get("/fragen")).text
