"""The Inhaltspflege pages without JavaScript: the queue and its filters, the forms with
German messages that keep what was typed, and the changes in the law (issue 23)."""

from __future__ import annotations

import pytest

from fachaustausch.questions.tables import Answer
from fachaustausch.review.tables import LegalChange
from tests.factories import ApiClient, UserRecord
from tests.review.support import CHANGES, Thread, as_user, change_body, thread
from tests.web.helpers import post_form

pytestmark = pytest.mark.database


async def _signed_in(client: ApiClient, user: UserRecord) -> None:
    client.logout_local()
    await client.login(user)


async def _changed(client: ApiClient, t: Thread) -> None:
    await as_user(client, t.moderator)
    assert (await client.post(CHANGES, json=change_body("§ 18 AufenthG"))).status_code == 201


async def test_the_queue_lists_and_filters(client: ApiClient) -> None:
    t = await thread()
    await _changed(client, t)
    await _signed_in(client, t.expert)
    page = (await client.get("/inhaltspflege")).text
    assert "2 Beiträge zu prüfen" in page
    assert f'id="answer-{t.on_18}"' in page
    assert f'id="question-{t.question}"' in page
    assert "Zitiert: § 18 Abs. 1 Nr. 2 AufenthG" in page

    narrowed = (
        await client.get("/inhaltspflege", params={"vorschrift": "§ 18 Abs. 1 AufenthG"})
    ).text
    assert f'id="answer-{t.on_18}"' in narrowed
    assert f'id="question-{t.question}"' not in narrowed  # cites § 18 Abs. 2

    refused = await client.get("/inhaltspflege", params={"vorschrift": "§ 18"})
    assert refused.status_code == 422
    assert "fehlt ein bekanntes Gesetz" in refused.text
    assert 'value="§ 18"' in refused.text


async def test_confirm_from_the_queue(client: ApiClient) -> None:
    t = await thread()
    await _changed(client, t)
    await _signed_in(client, t.expert)
    response = await post_form(
        client, f"/inhaltspflege/antworten/{t.on_18}/bestaetigen", page="/inhaltspflege"
    )
    assert response.headers["location"] == "/inhaltspflege"
    page = (await client.get("/inhaltspflege")).text
    assert "als noch gültig vermerkt" in page
    assert f'id="answer-{t.on_18}"' not in page
    # Twice: the post is no longer due, said in German, nothing else changes.
    again = await post_form(
        client, f"/inhaltspflege/antworten/{t.on_18}/bestaetigen", page="/inhaltspflege"
    )
    assert again.headers["location"] == "/inhaltspflege"
    assert "steht nicht (mehr) zur Prüfung an" in (await client.get("/inhaltspflege")).text


async def test_the_outdated_form_keeps_what_was_typed(client: ApiClient) -> None:
    t = await thread()
    await _changed(client, t)
    await _signed_in(client, t.expert)
    url = f"/inhaltspflege/antworten/{t.on_18}/veraltet"
    assert (await client.get(url)).status_code == 200
    typed = {"reason": "Seit 2024 überholt.", "successor": "irgendeine Antwort"}
    response = await post_form(client, url, typed, page=url)
    assert response.status_code == 422
    assert "Nummer der neueren Antwort" in response.text
    assert "Seit 2024 überholt." in response.text
    assert 'value="irgendeine Antwort"' in response.text

    guarded = await post_form(
        client, url, {"reason": "Herr Mehmet Yılmaz, geb. 12.03.1985, ist betroffen."}, page=url
    )
    assert guarded.status_code == 422
    assert "Mehmet Yılmaz" in guarded.text  # kept in the form to correct it
    row = await Answer.select(Answer.outdated).where(Answer.id == t.on_18).first().run()
    assert row == {"outdated": False}

    done = await post_form(
        client,
        url,
        {"reason": "Seit 2024 überholt.", "successor": f"/fragen/{t.question}#antwort-{t.on_18a}"},
        page=url,
    )
    assert done.headers["location"] == "/inhaltspflege"
    row = (
        await Answer.select(Answer.outdated, Answer.outdated_successor_id)
        .where(Answer.id == t.on_18)
        .first()
        .run()
    )
    assert row == {"outdated": True, "outdated_successor_id": t.on_18a}
    # Questions are confirmed or edited, never marked outdated.
    assert (await client.get(f"/inhaltspflege/fragen/{t.question}/veraltet")).status_code == 404


async def test_the_changes_page_records_for_the_moderation_only(client: ApiClient) -> None:
    t = await thread()
    await _signed_in(client, t.member)
    page = (await client.get("/inhaltspflege/rechtsaenderungen")).text
    assert "Noch keine Rechtsänderung erfasst." in page
    assert "Rechtsänderung erfassen" not in page
    refused = await post_form(
        client,
        "/inhaltspflege/rechtsaenderungen",
        {"provisions": "§ 18 AufenthG", "effective_on": "2024-03-01", "title": "Ein Gesetz"},
        page="/inhaltspflege/rechtsaenderungen",
    )
    assert refused.status_code == 403

    await _signed_in(client, t.moderator)
    typed = {
        "provisions": "§ 18a AufenthG\nChancenkarte",
        "effective_on": "2024-03-01",
        "title": "Gesetz zur Weiterentwicklung der Fachkräfteeinwanderung",
        "note": "",
    }
    response = await post_form(
        client, "/inhaltspflege/rechtsaenderungen", typed, page="/inhaltspflege/rechtsaenderungen"
    )
    assert response.status_code == 422
    assert "keine erkennbare Vorschrift" in response.text
    assert "Gesetz zur Weiterentwicklung der Fachkräfteeinwanderung" in response.text
    assert await LegalChange.count() == 0

    typed["provisions"] = "§ 18a AufenthG\n§ 18b AufenthG"
    done = await post_form(
        client, "/inhaltspflege/rechtsaenderungen", typed, page="/inhaltspflege/rechtsaenderungen"
    )
    assert done.headers["location"] == "/inhaltspflege/rechtsaenderungen"
    page = (await client.get("/inhaltspflege/rechtsaenderungen")).text
    assert "§ 18a AufenthG, § 18b AufenthG" in page
    assert "1 Beitrag betroffen, davon 1 noch zu prüfen" in page
