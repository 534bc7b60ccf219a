"""Events of questions, answers and comments become notifications for those concerned who
may see them, and for nobody else."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.core.events import DomainEvent
from fachaustausch.notifications.tables import Notification
from fachaustausch.questions.tables import Follow
from fachaustausch.settings import Settings
from tests.factories import QUESTION_DEFAULTS, ApiClient, make_user
from tests.notifications.support import API, as_user, drain, inbox, kinds

pytestmark = pytest.mark.database


async def _ask(client: ApiClient, **changes: object) -> int:
    response = await client.post("/api/v1/questions", json={**QUESTION_DEFAULTS, **changes})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def _answer(client: ApiClient, question_id: int, body: str = "Bei uns so.") -> int:
    response = await client.post(f"/api/v1/questions/{question_id}/answers", json={"body": body})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def test_a_new_question_is_routed_to_the_experts_of_its_instrument(
    client: ApiClient, settings: Settings
) -> None:
    asker = await make_user(Role.member)
    expert = await make_user(Role.expert, expertise=["terminsystem"])
    other_expert = await make_user(Role.expert, expertise=["willkommenskultur-leitbild"])
    member = await make_user(Role.member)
    await as_user(client, asker)
    question_id = await _ask(client)

    await drain(settings)

    body = await inbox(client, expert)
    assert body["unread"] == 1
    [item] = body["items"]
    assert item["kind"] == "routed_question"
    assert item["target"] == {"type": "question", "id": question_id}
    assert item["read"] is False
    assert QUESTION_DEFAULTS["title"] in item["text"]
    assert set(item) >= {"id", "kind", "read", "created_at", "target", "text"}
    # Own action, no expertise, no relation: nothing.
    assert await kinds(client, asker) == []
    assert await kinds(client, other_expert) == []
    assert await kinds(client, member) == []


async def test_a_question_directed_to_an_authority_reaches_its_staff(
    client: ApiClient, settings: Settings
) -> None:
    asker = await make_user(Role.member)
    weimar = await make_user(Role.member, authority="weimar")
    await as_user(client, asker)
    await _ask(client, instruments=[], directed_to="weimar")
    await drain(settings)
    assert await kinds(client, weimar) == ["routed_question"]


async def test_an_answer_reaches_the_asker_and_followers_but_not_its_author(
    client: ApiClient, settings: Settings
) -> None:
    asker = await make_user(Role.member)
    follower = await make_user(Role.member)
    answerer = await make_user(Role.expert, expertise=["terminsystem"])
    await as_user(client, asker)
    question_id = await _ask(client)
    await as_user(client, follower)
    assert (await client.put(f"/api/v1/questions/{question_id}/follow")).status_code == 204
    await drain(settings)  # the routing notification of the question

    await as_user(client, answerer)
    answer_id = await _answer(client, question_id)
    await drain(settings)

    for person in (asker, follower):
        body = await inbox(client, person)
        assert [i["kind"] for i in body["items"]] == ["new_answer"]
        assert body["items"][0]["target"] == {"type": "answer", "id": answer_id}
        assert "Neue Antwort" in body["items"][0]["text"]
    assert await kinds(client, answerer) == ["routed_question"]


async def test_the_answer_request_writes_one_event_and_the_worker_the_fan_out(
    client: ApiClient, settings: Settings
) -> None:
    asker = await make_user(Role.member)
    followers = [await make_user(Role.member) for _ in range(3)]
    await as_user(client, asker)
    question_id = await _ask(client)
    await Follow.insert(*(Follow(user=f.id, question=question_id) for f in followers)).run()
    await drain(settings)
    before = await Notification.count()
    events_before = await DomainEvent.count()

    answerer = await make_user(Role.member)
    await as_user(client, answerer)
    await _answer(client, question_id)

    # The request: one event, no notification.
    assert await DomainEvent.count() == events_before + 1
    assert await Notification.count() == before
    await drain(settings)
    assert await Notification.count() == before + 1 + len(followers)


async def test_the_fan_out_of_five_hundred_followers_is_the_workers(
    client: ApiClient, settings: Settings
) -> None:
    asker = await make_user(Role.member)
    await as_user(client, asker)
    question_id = await _ask(client)
    people = [await make_user(Role.member) for _ in range(500)]
    await Follow.insert(*(Follow(user=p.id, question=question_id) for p in people)).run()
    await drain(settings)
    await as_user(client, await make_user(Role.member))
    await _answer(client, question_id)
    assert await Notification.count().where(Notification.kind == "new_answer") == 0

    await drain(settings)

    assert await Notification.count().where(Notification.kind == "new_answer") == 501


async def test_a_comment_reaches_the_author_of_the_post_and_an_accept_the_answerer(
    client: ApiClient, settings: Settings
) -> None:
    asker = await make_user(Role.member)
    answerer = await make_user(Role.member)
    commenter = await make_user(Role.member)
    await as_user(client, asker)
    question_id = await _ask(client, instruments=[])
    await as_user(client, answerer)
    answer_id = await _answer(client, question_id)
    await drain(settings)

    await as_user(client, commenter)
    response = await client.post(
        f"/api/v1/answers/{answer_id}/comments", json={"body": "Danke, hilfreich."}
    )
    assert response.status_code == 201, response.text
    await as_user(client, asker)
    response = await client.post(f"/api/v1/answers/{answer_id}/accept")
    assert response.status_code == 200, response.text
    # A comment on one's own question notifies nobody.
    response = await client.post(
        f"/api/v1/questions/{question_id}/comments", json={"body": "Nachtrag zur Frage."}
    )
    assert response.status_code == 201, response.text
    await drain(settings)

    assert await kinds(client, answerer) == ["answer_accepted", "comment"]
    assert await kinds(client, asker) == ["new_answer"]
    assert await kinds(client, commenter) == []


async def test_following_an_instrument_or_a_cornerstone_brings_its_new_questions(
    client: ApiClient, settings: Settings
) -> None:
    by_instrument = await make_user(Role.member)
    by_cornerstone = await make_user(Role.member)
    await as_user(client, by_instrument)
    assert (await client.put(f"{API}/follows/instrument/terminsystem")).status_code == 204
    assert (await client.put(f"{API}/follows/instrument/terminsystem")).status_code == 204
    await as_user(client, by_cornerstone)
    assert (await client.put(f"{API}/follows/cornerstone/binnenorganisation")).status_code == 204
    response = await client.put(f"{API}/follows/instrument/gibt-es-nicht")
    assert response.status_code == 404
    assert "Instrument" in response.json()["detail"]

    await as_user(client, await make_user(Role.member))
    await _ask(client)
    await drain(settings)

    assert await kinds(client, by_instrument) == ["followed_topic"]
    assert await kinds(client, by_cornerstone) == ["followed_topic"]
    await as_user(client, by_instrument)
    assert (await client.delete(f"{API}/follows/instrument/terminsystem")).status_code == 204
    await as_user(client, await make_user(Role.member))
    await _ask(client, title="Wie lange dauert die Terminvergabe bei Ihnen?")
    await drain(settings)
    assert await kinds(client, by_instrument) == ["followed_topic"]


async def test_a_kind_switched_off_brings_nothing(client: ApiClient, settings: Settings) -> None:
    expert = await make_user(Role.expert, expertise=["terminsystem"])
    await as_user(client, expert)
    response = await client.put(f"{API}/settings", json={"settings": {"routed_question": "off"}})
    assert response.status_code == 200, response.text
    await as_user(client, await make_user(Role.member))
    await _ask(client)
    await drain(settings)
    assert await kinds(client, expert) == []


async def test_content_hidden_before_the_worker_runs_notifies_nobody_of_it(
    client: ApiClient, settings: Settings
) -> None:
    asker = await make_user(Role.member)
    answerer = await make_user(Role.member)
    moderator = await make_user(Role.moderator)
    await as_user(client, asker)
    question_id = await _ask(client, instruments=[])
    await as_user(client, answerer)
    answer_id = await _answer(client, question_id)
    await as_user(client, moderator)
    hide = {"action": "hide", "target_type": "answer", "target_id": answer_id}
    response = await client.post(
        "/api/v1/moderation/actions", json={**hide, "reason": "Nicht sachlich."}
    )
    assert response.status_code == 200, response.text
    await drain(settings)

    assert await kinds(client, asker) == []
    # The author hears of the hiding, with the reason.
    body = await inbox(client, answerer)
    [item] = body["items"]
    assert item["kind"] == "moderation"
    assert "ausgeblendet" in item["text"]
    assert "Nicht sachlich." in item["text"]


async def test_notifications_disappear_while_their_content_is_hidden(
    client: ApiClient, settings: Settings
) -> None:
    asker = await make_user(Role.member)
    answerer = await make_user(Role.member)
    moderator = await make_user(Role.moderator)
    await as_user(client, asker)
    question_id = await _ask(client, instruments=[])
    await as_user(client, answerer)
    answer_id = await _answer(client, question_id)
    await drain(settings)
    assert (await inbox(client, asker))["unread"] == 1

    await as_user(client, moderator)
    action = {"target_type": "answer", "target_id": answer_id, "reason": "Prüfung."}
    response = await client.post("/api/v1/moderation/actions", json={**action, "action": "hide"})
    assert response.status_code == 200, response.text
    body = await inbox(client, asker)
    assert body == {"unread": 0, "items": [], "next_cursor": None}

    await as_user(client, moderator)
    response = await client.post("/api/v1/moderation/actions", json={**action, "action": "restore"})
    assert response.status_code == 200, response.text
    assert (await inbox(client, asker))["unread"] == 1
    await drain(settings)
    assert await kinds(client, answerer) == ["moderation", "moderation"]
    assert "wieder sichtbar" in (await inbox(client, answerer))["items"][0]["text"]


async def test_a_hidden_question_takes_its_answers_notifications_along(
    client: ApiClient, settings: Settings
) -> None:
    asker = await make_user(Role.member)
    follower = await make_user(Role.member)
    await as_user(client, asker)
    question_id = await _ask(client, instruments=[])
    await as_user(client, follower)
    await client.put(f"/api/v1/questions/{question_id}/follow")
    await as_user(client, await make_user(Role.member))
    await _answer(client, question_id)
    await drain(settings)
    assert await kinds(client, follower) == ["new_answer"]

    await as_user(client, await make_user(Role.moderator))
    response = await client.post(
        "/api/v1/moderation/actions",
        json={"action": "hide", "target_type": "question", "target_id": question_id,
              "reason": "Doppelt."},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    assert await kinds(client, follower) == []
