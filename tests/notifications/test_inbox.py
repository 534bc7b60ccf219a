"""The inbox through the API and the pages: paging, read marks, settings, the header badge,
opening a notification."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.core import clock
from fachaustausch.notifications import digests
from fachaustausch.notifications.tables import Notification
from fachaustausch.settings import Settings
from tests.factories import ApiClient, answer_question, ask_question, assert_problem, make_user
from tests.notifications.support import API, as_user, drain, inbox

pytestmark = pytest.mark.database


async def _answered(settings: Settings, times: int) -> tuple[object, int]:
    asker = await make_user(Role.member)
    question_id = await ask_question(asker, instruments=[])
    for _ in range(times):
        await answer_question(await make_user(Role.member), question_id)
    await drain(settings)
    return asker, question_id


async def test_the_inbox_pages_newest_first_and_marks_read(
    client: ApiClient, settings: Settings
) -> None:
    asker, _ = await _answered(settings, 5)
    first = await inbox(client, asker)  # type: ignore[arg-type]
    assert first["unread"] == 5
    response = await client.get(API, params={"limit": 2})
    page = response.json()
    ids = [i["id"] for i in page["items"]]
    assert ids == sorted(ids, reverse=True)
    assert page["next_cursor"]
    seen = list(ids)
    while page["next_cursor"]:
        page = (await client.get(API, params={"limit": 2, "cursor": page["next_cursor"]})).json()
        seen += [i["id"] for i in page["items"]]
    assert seen == [i["id"] for i in first["items"]]
    assert_problem(await client.get(API, params={"cursor": "abc.def"}), 422, fields=["cursor"])

    response = await client.post(f"{API}/read", json={"ids": seen[:2]})
    assert response.status_code == 200, response.text
    assert response.json() == {"unread": 3}
    items = (await client.get(API)).json()["items"]
    assert [i["read"] for i in items] == [True, True, False, False, False]
    assert (await client.post(f"{API}/read", json={"all": True})).json() == {"unread": 0}
    assert_problem(await client.post(f"{API}/read", json={}), 422)
    assert_problem(await client.post(f"{API}/read", json={"ids": ["x"]}), 422, fields=["ids.0"])


async def test_nobody_reads_or_marks_anothers_notifications(
    client: ApiClient, settings: Settings
) -> None:
    asker, _ = await _answered(settings, 1)
    [row] = await Notification.select(Notification.id).run()
    stranger = await make_user(Role.member)
    await as_user(client, stranger)
    assert (await client.get(API)).json()["items"] == []
    assert (await client.post(f"{API}/read", json={"ids": [row["id"]]})).json() == {"unread": 0}
    assert (await inbox(client, asker))["unread"] == 1  # type: ignore[arg-type]
    await as_user(client, stranger)
    response = await client.get(f"/benachrichtigungen/{row['id']}", follow_redirects=False)
    assert response.status_code == 404


async def test_settings_per_kind_with_defaults(client: ApiClient) -> None:
    member = await make_user(Role.member)
    await as_user(client, member)
    body = (await client.get(f"{API}/settings")).json()
    chosen = {s["kind"]: s["delivery"] for s in body["settings"]}
    assert chosen["routed_question"] == "immediate"
    assert chosen["mention"] == "immediate"
    assert chosen["new_answer"] == "daily"
    assert "new_flag" not in chosen  # moderators only

    response = await client.put(
        f"{API}/settings", json={"settings": {"new_answer": "weekly", "comment": "off"}}
    )
    assert response.status_code == 200, response.text
    chosen = {s["kind"]: s["delivery"] for s in response.json()["settings"]}
    assert (chosen["new_answer"], chosen["comment"], chosen["mention"]) == (
        "weekly", "off", "immediate",
    )  # fmt: skip
    assert_problem(
        await client.put(f"{API}/settings", json={"settings": {"new_answer": "hourly"}}), 422
    )
    assert_problem(
        await client.put(f"{API}/settings", json={"settings": {"new_flag": "app"}}),
        422,
        detail="nur die Moderation",
    )


async def test_the_pages_show_the_inbox_by_day_and_the_badge_everywhere(
    client: ApiClient, settings: Settings
) -> None:
    asker, question_id = await _answered(settings, 2)
    client.logout_local()
    await client.login(asker)  # type: ignore[arg-type]

    home = await client.get("/")
    assert "data-unread-count>2</span>" in home.text
    page = await client.get("/benachrichtigungen")
    assert page.status_code == 200
    assert "Sie haben 2 ungelesene Benachrichtigungen." in page.text
    assert page.text.count('<a class="kern-link" href="/benachrichtigungen/') == 2
    assert clock.now().astimezone(digests.BERLIN).strftime("%d.%m.%Y") in page.text
    assert "Alle als gelesen markieren" in page.text

    [first, _] = await Notification.select(Notification.id).order_by(Notification.id).run()
    opened = await client.get(f"/benachrichtigungen/{first['id']}", follow_redirects=False)
    assert opened.status_code in (302, 303)
    assert opened.headers["location"].startswith(f"/fragen/{question_id}#antwort-")
    # Opening one marks every notification about the same question read.
    assert "data-unread-count>0</span>" in (await client.get("/")).text


async def test_the_read_forms_and_the_settings_page(client: ApiClient, settings: Settings) -> None:
    asker, _ = await _answered(settings, 2)
    client.logout_local()
    await client.login(asker)  # type: ignore[arg-type]
    [first, _] = await Notification.select(Notification.id).order_by(Notification.id).run()
    response = await client.post("/benachrichtigungen/gelesen", data={"id": str(first["id"])})
    assert response.status_code == 200  # followed the redirect back to the inbox
    assert "Sie haben eine ungelesene Benachrichtigung." in response.text
    response = await client.post("/benachrichtigungen/gelesen", data={"alle": "1"})
    assert "Sie haben keine ungelesenen Benachrichtigungen." in response.text

    page = await client.get("/profil/benachrichtigungen")
    assert page.status_code == 200
    assert 'name="new_answer" value="daily" checked' in page.text
    response = await client.post(
        "/profil/benachrichtigungen", data={"new_answer": "weekly", "comment": "off"}
    )
    assert response.status_code == 200
    assert "Ihre Einstellungen sind gespeichert." in response.text
    assert 'name="new_answer" value="weekly" checked' in response.text
    assert 'name="comment" value="off" checked' in response.text


async def test_following_an_instrument_from_its_page(client: ApiClient, settings: Settings) -> None:
    member = await make_user(Role.member)
    client.logout_local()
    await client.login(member)
    response = await client.post(
        "/benachrichtigungen/folgen",
        data={"art": "instrument", "slug": "terminsystem", "folgen": "ja"},
        headers={"referer": "http://testserver.local/werkzeugkoffer/terminsystem"},
    )
    assert response.status_code == 200, response.text
    assert "Sie folgen jetzt diesem Thema" in response.text
    await ask_question(await make_user(Role.member))
    await drain(settings)
    assert [i["kind"] for i in (await inbox(client, member))["items"]] == ["followed_topic"]


async def test_the_toolbox_pages_offer_following(client: ApiClient) -> None:
    client.logout_local()
    await client.login(await make_user(Role.member))
    page = await client.get("/werkzeugkoffer/terminsystem")
    assert "Folgen<span" in page.text
    await client.post(
        "/benachrichtigungen/folgen",
        data={"art": "instrument", "slug": "terminsystem", "folgen": "ja"},
    )
    assert "Nicht mehr folgen<span" in (await client.get("/werkzeugkoffer/terminsystem")).text
    overview = await client.get("/werkzeugkoffer")
    assert overview.text.count('name="art" value="cornerstone"') == 5


async def test_opening_the_question_marks_its_notifications_read(
    client: ApiClient, settings: Settings
) -> None:
    asker, question_id = await _answered(settings, 2)
    client.logout_local()
    await client.login(asker)  # type: ignore[arg-type]
    assert "data-unread-count>2</span>" in (await client.get("/fragen")).text
    page = await client.get(f"/fragen/{question_id}")
    assert "data-unread-count>0</span>" in page.text
    assert (await client.get(API)).json()["unread"] == 0
