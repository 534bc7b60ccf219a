"""The mail outbox: a row per composed message, sent by the worker, never lost and never
sent twice.

A row goes pending → sending → sent. The worker claims a row (`sending`, in its own
committed statement) before it talks to the server, and marks it `sent` after the server
accepted it. A delivery that fails puts the row back to `pending` with a growing delay (or
`failed` when the server refused it for good). A crash between the server's acceptance and
the mark leaves the row in `sending`: nobody can tell whether it went out, so after
`SENDING_LEASE` it becomes `unconfirmed` and is never sent again. The message, with its
Message-ID, is stored whole, so a retry sends exactly what was composed."""

from __future__ import annotations

import logging
from datetime import timedelta
from email import message_from_string, policy
from email.message import EmailMessage
from typing import Any

from fachaustausch.core import clock
from fachaustausch.notifications.smtp import DeliveryFailed, Transport
from fachaustausch.notifications.tables import MailOutbox, Notification
from fachaustausch.notifications.visibility import visible

log = logging.getLogger(__name__)

MAX_BACKOFF_SECONDS = 3600
SENDING_LEASE = timedelta(minutes=10)
BATCH_SIZE = 50


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** (attempts - 1), MAX_BACKOFF_SECONDS))


async def enqueue(user_id: int, message: EmailMessage, notification_ids: list[int]) -> None:
    """Call inside the transaction that made the notifications the mail carries."""
    await MailOutbox.insert(
        MailOutbox(
            user_id=user_id,
            recipient=str(message["To"]),
            subject=str(message["Subject"])[:300],
            message_id=str(message["Message-ID"]),
            message=message.as_string(policy=policy.SMTP),
            notification_ids=",".join(str(i) for i in notification_ids),
            created_at=clock.now(),
            available_at=clock.now(),
        )
    ).run()


def _parse(text: str) -> EmailMessage:
    return message_from_string(text, policy=policy.default)


async def _still_visible(row: dict[str, Any]) -> bool:
    """A mail about content that was hidden meanwhile is not sent."""
    ids = [int(i) for i in str(row["notification_ids"]).split(",") if i]
    if not ids:
        return True
    return bool(
        await Notification.exists()
        .where(Notification.id.is_in(ids) & (Notification.user_id == row["user_id"]))
        .where(visible())
        .run()
    )


async def _claim(row_id: int) -> bool:
    rows = (
        await MailOutbox.update({MailOutbox.state: "sending", MailOutbox.claimed_at: clock.now()})
        .where((MailOutbox.id == row_id) & (MailOutbox.state == "pending"))
        .returning(MailOutbox.id)
        .run()
    )
    return bool(rows)


async def mark_sent(row_id: int) -> None:
    await (
        MailOutbox.update({MailOutbox.state: "sent", MailOutbox.sent_at: clock.now()})
        .where(MailOutbox.id == row_id)
        .run()
    )


async def _failed(row: dict[str, Any], exc: DeliveryFailed) -> None:
    attempts = int(row["attempts"]) + 1
    state = "pending" if exc.temporary else "failed"
    await (
        MailOutbox.update(
            {
                MailOutbox.state: state,
                MailOutbox.attempts: attempts,
                MailOutbox.available_at: clock.now() + backoff(attempts),
                MailOutbox.last_error: exc.reason[:500],
            }
        )
        .where(MailOutbox.id == row["id"])
        .run()
    )
    log.warning("mail %s to %s not sent (%s): %s", row["id"], row["recipient"], state, exc.reason)


async def _expire_unconfirmed() -> None:
    await (
        MailOutbox.update({MailOutbox.state: "unconfirmed"})
        .where(
            (MailOutbox.state == "sending") & (MailOutbox.claimed_at < clock.now() - SENDING_LEASE)
        )
        .run()
    )


async def send_due(transport: Transport, limit: int = BATCH_SIZE) -> int:
    """Sends the due pending mails; returns how many went out. Failures are recorded on
    their rows, never raised."""
    await _expire_unconfirmed()
    rows = (
        await MailOutbox.select(
            MailOutbox.id,
            MailOutbox.user_id,
            MailOutbox.recipient,
            MailOutbox.message,
            MailOutbox.notification_ids,
            MailOutbox.attempts,
        )
        .where((MailOutbox.state == "pending") & (MailOutbox.available_at <= clock.now()))
        .order_by(MailOutbox.id)
        .limit(limit)
        .run()
    )
    sent = 0
    for row in rows:
        if not await _still_visible(row):
            await (
                MailOutbox.update({MailOutbox.state: "cancelled"})
                .where((MailOutbox.id == row["id"]) & (MailOutbox.state == "pending"))
                .run()
            )
            continue
        if not await _claim(row["id"]):
            continue  # another worker has it
        try:
            await transport.send(_parse(row["message"]))
        except DeliveryFailed as exc:
            await _failed(row, exc)
            if exc.temporary:
                # The server is down or busy: the other mails would fail alike.
                break
            continue
        await mark_sent(row["id"])
        sent += 1
    return sent


async def backlog() -> int:
    return int(await MailOutbox.count().where(MailOutbox.state == "pending").run())
