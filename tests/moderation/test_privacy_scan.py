"""The personal-data scan of stored posts (`fachaustausch privacy scan`, end to end in
tests/cli): which posts it looks at, and how its flags appear in the review queue."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.moderation import privacy_scan
from fachaustausch.moderation.models import TargetType
from fachaustausch.moderation.tables import Flag
from fachaustausch.questions.tables import Answer, Comment, Question
from fachaustausch.settings import Settings
from tests.consultations.support import start
from tests.factories import (
    ApiClient,
    answer_question,
    ask_question,
    make_user,
    store_unchecked,
)
from tests.moderation.support import act, as_user, flag
from tests.web.helpers import get_page, sign_in

pytestmark = pytest.mark.database

PERSONAL = "Herr Mehmet Yilmaz, Tel. 0361 123456"


async def _scan() -> list[tuple[str, int]]:
    hits = [hit async for hit in privacy_scan.refused_posts()]
    for hit in hits:
        await privacy_scan.flag(hit)
    return [(hit.target_type.value, hit.target_id) for hit in hits]


async def test_only_what_members_see_is_scanned(settings: Settings) -> None:
    member, expert = await make_user(), await make_user(Role.expert)
    visible = await ask_question(member)
    await store_unchecked("question", visible, body=PERSONAL)
    hidden_question = await ask_question(member)
    under_hidden = await answer_question(expert, hidden_question, "Bei uns so.")
    await store_unchecked("answer", under_hidden, body=PERSONAL)
    hidden_answer = await answer_question(expert, visible, "Bei uns anders.")
    await store_unchecked("answer", hidden_answer, body=PERSONAL)
    await Answer.update({Answer.hidden: True}).where(Answer.id == hidden_answer).run()
    await Question.update({Question.hidden: True}).where(Question.id == hidden_question).run()
    comment_rows = await Comment.insert(
        Comment(question=visible, answer=hidden_answer, body=PERSONAL, author=member.id)
    ).run()
    # A consultation for participants only is still on the platform: it is scanned.
    consultation = await start(member, visibility="participants")
    await store_unchecked("consultation", consultation, summary=PERSONAL)

    assert await _scan() == [("question", visible), ("consultation", consultation)]
    assert comment_rows  # the comment under the hidden answer was there, and left alone


async def test_the_flag_names_kinds_and_places_not_the_data(settings: Settings) -> None:
    question = await ask_question(await make_user())
    await store_unchecked("question", question, title="Frage zu Herrn Yilmaz", body=PERSONAL)
    [hit] = [hit async for hit in privacy_scan.refused_posts()]
    assert await privacy_scan.flag(hit) is True
    assert await privacy_scan.flag(hit) is False
    [row] = await Flag.select().run()
    assert row["reporter"] is None
    assert row["reason"] == "personal_data"
    assert row["text"] == (
        "Vom System gemeldet (automatische Prüfung auf personenbezogene Daten): "
        "Titel: Name (Zeichen 16–21); Text: Name (Zeichen 6–18), Telefonnummer (Zeichen 26–36)."
    )


async def test_the_queue_shows_system_flags_in_german(client: ApiClient) -> None:
    consultation = await start(await make_user())
    await store_unchecked("consultation", consultation, title="Fall Ayse Demir: Aufenthalt")
    assert await _scan() == [("consultation", consultation)]
    moderator = await make_user(Role.moderator)
    await as_user(client, moderator)
    queue = (await client.get("/api/v1/moderation/queue")).json()
    [item] = queue["flags"]
    assert (item["target_type"], item["target_id"]) == ("consultation", consultation)
    assert item["target_label"] == "Fallberatung"
    assert item["title"] == "Fall Ayse Demir: Aufenthalt"
    assert item["url"] == f"/fallberatungen/{consultation}"
    assert item["raised_by_system"] is True
    assert item["reasons"] == [
        {"reason": "personal_data", "label": "enthält personenbezogene Daten", "count": 1}
    ]
    assert item["texts"][0].startswith("Vom System gemeldet")

    client.logout_local()
    await sign_in(client, moderator)
    page = await get_page(client, "/moderation")
    entry = page.by_id(f"meldung-consultation-{consultation}")
    assert "vom System gemeldet" in entry.text
    assert "Fallberatung Nr." in entry.text

    # Hiding the consultation settles its flag.
    await client.csrf_token()
    hidden = await act(client, "hide", "consultation", consultation, reason="Name im Titel")
    assert hidden.status_code == 200, hidden.text
    assert (await client.get("/api/v1/moderation/queue")).json()["flags"] == []
    [row] = await Flag.select(Flag.status, Flag.resolution).run()
    assert row == {"status": "resolved", "resolution": "hide"}


async def test_system_flags_do_not_count_towards_hiding_by_members(client: ApiClient) -> None:
    question = await ask_question(await make_user())
    answer = await answer_question(await make_user(Role.expert), question, "Bei uns so.")
    await store_unchecked("answer", answer, body=PERSONAL)
    assert await _scan() == [("answer", answer)]
    for _ in range(2):
        await as_user(client, await make_user())
        assert (await flag(client, "answer", answer, "personal_data")).status_code == 201
    # Two members and the system: the rule needs three members.
    row = await Answer.select(Answer.hidden).where(Answer.id == answer).first().run()
    assert row == {"hidden": False}
    assert await Flag.count().where(Flag.target_type == TargetType.answer.value).run() == 3
