"""Changes in the law over HTTP: the moderation records one, and exactly the visible posts
citing an affected provision enter the review queue, their authors and the instrument's
experts told (issue 23)."""

from __future__ import annotations

import pytest

from fachaustausch.settings import Settings
from tests.factories import ApiClient, assert_problem, make_user
from tests.notifications.support import drain, inbox
from tests.review.support import CHANGES, as_user, change_body, queue_keys, thread
from tests.web.qa import answer

pytestmark = pytest.mark.database


async def test_a_change_of_18_puts_exactly_the_visible_posts_citing_18_up(
    client: ApiClient,
) -> None:
    t = await thread()
    await as_user(client, t.moderator)
    response = await client.post(CHANGES, json=change_body("§ 18 AufenthG"))
    assert response.status_code == 201, response.text
    change = response.json()
    assert change["provisions"] == ["§ 18 AufenthG"]
    assert (change["posts"], change["open"]) == (2, 2)

    await as_user(client, t.expert)
    assert await queue_keys(client) == {
        ("question", t.question, "legal_change"),
        ("answer", t.on_18, "legal_change"),
    }
    items = (await client.get("/api/v1/content-review")).json()["items"]
    answer_item = next(i for i in items if i["post_id"] == t.on_18)
    assert answer_item["question_id"] == t.question
    assert answer_item["provisions"] == ["§ 18 Abs. 1 Nr. 2 AufenthG"]


async def test_a_change_of_18a_reaches_18a_alone(client: ApiClient) -> None:
    t = await thread()
    await as_user(client, t.moderator)
    response = await client.post(CHANGES, json=change_body("§ 18a AufenthG"))
    assert response.status_code == 201, response.text
    await as_user(client, t.expert)
    assert await queue_keys(client) == {("answer", t.on_18a, "legal_change")}


async def test_the_author_and_the_instruments_experts_are_notified(
    client: ApiClient, settings: Settings
) -> None:
    t = await thread()
    other_expert = await make_user(expertise=None)  # a member: not asked
    await as_user(client, t.moderator)
    assert (await client.post(CHANGES, json=change_body("§ 18a AufenthG"))).status_code == 201
    await drain(settings)

    author_items = (await inbox(client, t.author))["items"]
    assert [i["kind"] for i in author_items] == ["content_review"]
    assert "§ 18a AufenthG" in author_items[0]["text"]
    assert "Gesetz zur Weiterentwicklung der Fachkräfteeinwanderung" in author_items[0]["text"]
    expert_kinds = [i["kind"] for i in (await inbox(client, t.expert))["items"]]
    assert "content_review" in expert_kinds
    assert (await inbox(client, other_expert))["items"] == []
    # The asker's question does not cite § 18a: no review request for them.
    asker_kinds = [i["kind"] for i in (await inbox(client, t.member))["items"]]
    assert "content_review" not in asker_kinds


async def test_changes_are_listed_for_everyone_signed_in(client: ApiClient) -> None:
    t = await thread()
    await as_user(client, t.moderator)
    await client.post(
        CHANGES, json=change_body("§ 18a AufenthG", "§ 81 AufenthG", "§ 81a AufenthG")
    )
    await as_user(client, t.member)
    listed = (await client.get(CHANGES)).json()
    assert [c["provisions"] for c in listed] == [
        ["§ 18a AufenthG", "§ 81 AufenthG", "§ 81a AufenthG"]
    ]
    assert listed[0]["recorded_by"]
    assert listed[0]["effective_on"] == "2024-03-01"


async def test_members_and_experts_cannot_record_changes(client: ApiClient) -> None:
    t = await thread()
    for user in (t.member, t.expert):
        await as_user(client, user)
        assert_problem(
            await client.post(CHANGES, json=change_body("§ 18 AufenthG")),
            403,
            detail="Rechtsänderungen erfasst nur die Moderation",
        )


async def test_unreadable_provisions_are_refused_per_item(client: ApiClient) -> None:
    t = await thread()
    await as_user(client, t.moderator)
    body = assert_problem(
        await client.post(CHANGES, json=change_body("§ 18a AufenthG", "§ 18a", "Chancenkarte")),
        422,
        fields=["provisions.1", "provisions.2"],
    )
    assert "bekanntes Gesetz" in body["errors"][0]["message"]
    assert_problem(await client.post(CHANGES, json=change_body()), 422)


async def test_title_and_note_pass_the_personal_data_guard(client: ApiClient) -> None:
    t = await thread()
    await as_user(client, t.moderator)
    body = assert_problem(
        await client.post(
            CHANGES,
            json=change_body(
                "§ 18a AufenthG", note="Betrifft Herrn Mehmet Yılmaz, geboren am 12.03.1985."
            ),
        ),
        422,
    )
    assert {e["field"] for e in body["errors"]} == {"note"}
    await as_user(client, t.expert)
    assert await queue_keys(client) == set()


async def test_ranges_and_ff_are_reached_by_the_sections_they_stand_for(
    client: ApiClient,
) -> None:
    t = await thread()
    ranged = await answer(t.author, t.question, "Siehe §§ 19 bis 21 AufenthG.")
    following = await answer(t.author, t.question, "Siehe § 19 ff. AufenthG.")
    other_law = await answer(t.author, t.question, "Siehe § 20 BeschV.")
    await as_user(client, t.moderator)
    assert (await client.post(CHANGES, json=change_body("§ 19a AufenthG"))).status_code == 201
    await as_user(client, t.expert)
    assert await queue_keys(client) == {
        ("answer", ranged, "legal_change"),
        ("answer", following, "legal_change"),
    }
    assert other_law not in {post_id for _, post_id, _ in await queue_keys(client)}
