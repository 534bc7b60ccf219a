"""Notification mails through a real SMTP server (aiosmtpd): at once and as a digest, never
twice after a crash, delayed but not lost while the server is down."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.core import clock
from fachaustausch.notifications import digests, fanout, outbox
from fachaustausch.notifications.smtp import SmtpTransport
from fachaustausch.notifications.tables import MailOutbox, Notification
from fachaustausch.settings import Settings
from tests.factories import ApiClient, answer_question, ask_question, make_user
from tests.notifications.conftest import HOST, SmtpServer, free_port
from tests.notifications.support import as_user, drain, inbox

pytestmark = pytest.mark.database


class Crash(BaseException):
    """The process dies: nothing after it runs."""


def _later(monkeypatch: pytest.MonkeyPatch, delta: timedelta) -> None:
    moment = clock.now() + delta
    monkeypatch.setattr(clock, "now", lambda: moment)


async def _states() -> list[str]:
    rows = await MailOutbox.select(MailOutbox.state).order_by(MailOutbox.id).run()
    return [r["state"] for r in rows]


async def test_a_routed_question_is_mailed_at_once_with_its_headers(
    client: ApiClient, settings: Settings, smtp_server: SmtpServer
) -> None:
    expert = await make_user(Role.expert, expertise=["terminsystem"], display_name="Eva Berg")
    await ask_question(await make_user(Role.member))

    await drain(settings, SmtpTransport.from_url(smtp_server.url()))

    base = settings.base_url.rstrip("/")
    [received] = smtp_server.received
    assert received.rcpt_tos == [expert.email]
    message = received.message
    assert message["To"] == expert.email
    assert message["Subject"].startswith("Neue Frage für Sie: „Wie organisieren Sie")
    [row] = await MailOutbox.select().run()
    assert row["state"] == "sent"
    assert message["Message-ID"] == row["message_id"]
    unsubscribe = message["List-Unsubscribe"].strip()
    assert unsubscribe.startswith(f"<{base}/benachrichtigungen/abbestellen/v1.")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text, html = (p.get_content() for p in message.iter_parts())
    [notification] = await Notification.select(Notification.id).run()
    assert f"{base}/benachrichtigungen/{notification['id']}" in text
    assert "Guten Tag Eva Berg," in text
    assert 'lang="de"' in html
    # Sent once: another round sends nothing.
    await drain(settings, SmtpTransport.from_url(smtp_server.url()))
    assert len(smtp_server.received) == 1

    # The one-click unsubscribe (RFC 8058): a POST without session or CSRF token.
    client.logout_local()
    path = unsubscribe.strip("<>").removeprefix(base)
    response = await client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200, response.text
    assert "nicht mehr" in response.text
    await as_user(client, expert)
    settings_now = (await client.get("/api/v1/notifications/settings")).json()["settings"]
    assert {s["kind"]: s["delivery"] for s in settings_now}["routed_question"] == "app"
    response = await client.post("/benachrichtigungen/abbestellen/v1.kaputt.kaputt")
    assert response.status_code == 400
    assert "ungültig" in response.text


async def test_a_daily_digest_groups_by_question(
    settings: Settings, smtp_server: SmtpServer
) -> None:
    asker = await make_user(Role.member, display_name="Jonas Weber")
    first = await ask_question(asker, instruments=[])
    second = await ask_question(asker, title="Wer prüft bei Ihnen die Ausweisdokumente?")
    for question_id in (first, first, second):
        await answer_question(await make_user(Role.member), question_id)
    transport = SmtpTransport.from_url(smtp_server.url())
    await drain(settings, transport)
    assert smtp_server.received == []  # answers go to the daily digest by default

    tomorrow = clock.now() + timedelta(days=1, hours=1)
    assert await digests.produce_due(settings, now=tomorrow) == 1
    assert await digests.produce_due(settings, now=tomorrow) == 0
    await drain(settings, transport)

    [received] = smtp_server.received
    message = received.message
    assert received.rcpt_tos == [asker.email]
    assert message["Subject"] == "Ihre tägliche Zusammenfassung: 3 neue Benachrichtigungen"
    text = next(message.iter_parts()).get_content()
    assert "hier ist Ihre tägliche Zusammenfassung: 3 neue Benachrichtigungen." in text
    assert text.count("== Frage: Wie organisieren Sie die Online-Terminvergabe? ==") == 1
    assert text.count("== Frage: Wer prüft bei Ihnen die Ausweisdokumente? ==") == 1
    assert text.count("- Neue Antwort auf") == 3
    assert message["List-Unsubscribe"] is not None
    assert await Notification.count().where(Notification.mailed.is_null()) == 0


async def test_a_crash_between_sending_and_marking_does_not_send_twice(
    settings: Settings, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    await make_user(Role.expert, expertise=["terminsystem"])
    await ask_question(await make_user(Role.member))
    transport = SmtpTransport.from_url(smtp_server.url())
    await fanout.expand_pending(settings)

    async def crash(row_id: int) -> None:
        raise Crash

    with monkeypatch.context() as patch:
        patch.setattr(outbox, "mark_sent", crash)
        with pytest.raises(Crash):
            await outbox.send_due(transport)
    assert len(smtp_server.received) == 1
    assert await _states() == ["sending"]

    # The restarted worker, at once and after the claim has lapsed: never again.
    await drain(settings, transport)
    _later(monkeypatch, outbox.SENDING_LEASE + timedelta(minutes=1))
    await drain(settings, transport)
    assert len(smtp_server.received) == 1
    assert await _states() == ["unconfirmed"]


async def test_an_smtp_outage_delays_the_mail_without_losing_it(
    settings: Settings, smtp_server: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    expert = await make_user(Role.expert, expertise=["terminsystem"])
    await ask_question(await make_user(Role.member))
    down = SmtpTransport.from_url(f"smtp://{HOST}:{free_port()}", timeout=2)
    up = SmtpTransport.from_url(smtp_server.url())

    await drain(settings, down)
    [row] = await MailOutbox.select().run()
    assert (row["state"], row["attempts"]) == ("pending", 1)
    assert "not usable" in row["last_error"]
    assert row["available_at"] > clock.now()
    # Still waiting for its next try when the server is back.
    await drain(settings, up)
    assert smtp_server.received == []

    _later(monkeypatch, outbox.backoff(1) + timedelta(seconds=1))
    await drain(settings, up)
    [received] = smtp_server.received
    assert received.rcpt_tos == [expert.email]
    assert await _states() == ["sent"]


async def test_a_mail_about_content_hidden_meanwhile_is_not_sent(
    client: ApiClient, settings: Settings, smtp_server: SmtpServer
) -> None:
    expert = await make_user(Role.expert, expertise=["terminsystem"])
    question_id = await ask_question(await make_user(Role.member))
    await fanout.expand_pending(settings)
    await as_user(client, await make_user(Role.moderator))
    response = await client.post(
        "/api/v1/moderation/actions",
        json={"action": "hide", "target_type": "question", "target_id": question_id,
              "reason": "Gehört nicht hierher."},
    )  # fmt: skip
    assert response.status_code == 200, response.text

    await drain(settings, SmtpTransport.from_url(smtp_server.url()))

    assert smtp_server.received == []
    assert await _states() == ["cancelled"]
    assert (await inbox(client, expert))["unread"] == 0


def test_digest_slots_follow_berlin_time() -> None:
    # 06:30 UTC on a Tuesday in winter is 07:30 in Berlin: today's slot has begun.
    tuesday = datetime.fromisoformat("2026-12-08T06:30:00+00:00")
    assert digests.slot_start("daily", tuesday, 7)[0] == "2026-12-08"
    assert digests.slot_start("daily", tuesday, 8)[0] == "2026-12-07"
    assert digests.slot_start("weekly", tuesday, 7)[0] == "2026-W50"
