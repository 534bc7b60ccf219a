"""The age rule: an accepted answer whose legal statements nobody reviewed for the set
number of months is due again, marked "age" (issue 23)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fachaustausch.core import clock
from fachaustausch.questions import service as questions
from fachaustausch.questions.tables import Answer
from fachaustausch.settings import Settings
from tests.factories import ApiClient
from tests.review.support import QUEUE, as_user, queue_keys, thread
from tests.web.qa import answer

pytestmark = pytest.mark.database


async def _written_months_ago(answer_id: int, months: int) -> None:
    at = clock.now() - timedelta(days=31 * months)
    await (
        Answer.update({Answer.created_at: at, Answer.updated_at: at})
        .where(Answer.id == answer_id)
        .run()
    )


async def test_an_old_accepted_answer_is_due_by_age_until_reviewed(client: ApiClient) -> None:
    t = await thread()
    await questions.accept(await t.member.principal(), t.plain)
    await _written_months_ago(t.plain, 25)
    old_but_not_accepted = await answer(t.author, t.question, "Auch eine alte Antwort.")
    await _written_months_ago(old_but_not_accepted, 30)

    await as_user(client, t.expert)
    assert await queue_keys(client) == {("answer", t.plain, "age")}
    response = await client.post(f"{QUEUE}/answer/{t.plain}", json={"action": "confirm"})
    assert response.status_code == 201, response.text
    assert response.json()["cause"] == "age"
    assert await queue_keys(client) == set()


async def test_a_young_or_recently_reviewed_accepted_answer_is_not_due(client: ApiClient) -> None:
    t = await thread()
    await questions.accept(await t.member.principal(), t.plain)
    await _written_months_ago(t.plain, 23)
    await as_user(client, t.expert)
    assert await queue_keys(client) == set()
    # Written long ago, but reviewed a year ago: the review counts, not the writing.
    await _written_months_ago(t.plain, 40)
    await (
        Answer.update({Answer.reviewed_at: clock.now() - timedelta(days=365)})
        .where(Answer.id == t.plain)
        .run()
    )
    assert await queue_keys(client) == set()


async def test_a_change_filter_leaves_out_what_is_due_by_age(client: ApiClient) -> None:
    t = await thread()
    await questions.accept(await t.member.principal(), t.plain)
    await _written_months_ago(t.plain, 25)
    await as_user(client, t.expert)
    assert await queue_keys(client, change=1) == set()
    assert await queue_keys(client, instrument="terminsystem") == {("answer", t.plain, "age")}
    assert await queue_keys(client, instrument="wegweiser") == set()


class TestTheMonthsAreASetting:
    @pytest.fixture
    def settings(self, settings: Settings) -> Settings:
        return settings.model_copy(update={"content_review_age_months": 36})

    async def test_after_36_months_only(self, client: ApiClient) -> None:
        t = await thread()
        await questions.accept(await t.member.principal(), t.plain)
        await _written_months_ago(t.plain, 25)
        await as_user(client, t.expert)
        assert await queue_keys(client) == set()
        await _written_months_ago(t.plain, 37)
        assert await queue_keys(client) == {("answer", t.plain, "age")}
