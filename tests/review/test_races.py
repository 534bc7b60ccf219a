"""Two reviewers acting on one post at once: exactly one outcome is recorded, and the other
is told in German that the post is no longer due (issue 23)."""

from __future__ import annotations

import asyncio

import pytest

from fachaustausch.accounts import service as accounts
from fachaustausch.core.audit import AuditLog
from fachaustausch.questions.tables import Answer
from fachaustausch.review.tables import ContentReview
from tests.factories import ApiClient, UserRecord, assert_problem
from tests.review.support import CHANGES, QUEUE, as_user, change_body, thread
from tests.web.qa import answer

pytestmark = pytest.mark.database


async def _bearer(user: UserRecord) -> dict[str, str]:
    token = await accounts.create_token(await user.principal(), "Prüfung")
    return {"authorization": f"Bearer {token.token}"}


async def test_confirm_and_outdated_at_once_record_one_outcome(client: ApiClient) -> None:
    t = await thread()
    answers = [
        await answer(t.author, t.question, f"Nach § 18 Abs. {n} AufenthG gilt Folgendes.")
        for n in (2, 3, 4)
    ]
    await as_user(client, t.moderator)
    assert (await client.post(CHANGES, json=change_body("§ 18 AufenthG"))).status_code == 201
    client.logout_local()
    expert, moderator = await _bearer(t.expert), await _bearer(t.moderator)
    for answer_id in answers:
        url = f"{QUEUE}/answer/{answer_id}"
        confirmed, outdated = await asyncio.gather(
            client.post(url, json={"action": "confirm"}, headers=expert),
            client.post(url, json={"action": "outdated", "reason": "Überholt."}, headers=moderator),
        )
        statuses = sorted([confirmed.status_code, outdated.status_code])
        assert statuses == [201, 409], [confirmed.text, outdated.text]
        loser = confirmed if confirmed.status_code == 409 else outdated
        assert_problem(loser, 409, detail="steht nicht (mehr) zur Prüfung an")

        reviews = await ContentReview.select().where(ContentReview.post_id == answer_id).run()
        assert len(reviews) == 1
        audited = (
            await AuditLog.select(AuditLog.action)
            .where((AuditLog.target_type == "answer") & (AuditLog.target_id == answer_id))
            .run()
        )
        assert len(audited) == 1
        row = await Answer.select(Answer.outdated).where(Answer.id == answer_id).first().run()
        assert row is not None
        assert row["outdated"] == (reviews[0]["action"] == "outdated")
