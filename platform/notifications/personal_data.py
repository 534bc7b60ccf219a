"""A person's rows in notifications: read for their data export (DSGVO Art. 15, 20), and
forgotten when they delete their account (Art. 17), in the deletion's transaction."""

from __future__ import annotations

from typing import Any

from fachaustausch.core.events import DomainEvent
from fachaustausch.notifications.tables import (
    DigestRun,
    MailOutbox,
    Notification,
    NotificationSetting,
    TopicFollow,
)


async def of_person(user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Keyed by the export's German section names."""
    return {
        "benachrichtigungen": await Notification.select(
            Notification.kind,
            Notification.text,
            Notification.topic_title,
            Notification.created_at,
            Notification.read_at,
        )
        .where(Notification.user_id == user_id)
        .order_by(Notification.id),
        "benachrichtigungseinstellungen": await NotificationSetting.select(
            NotificationSetting.kind, NotificationSetting.delivery
        ).where(NotificationSetting.user_id == user_id),
        "gefolgte_themen": await TopicFollow.select(
            TopicFollow.topic_type, TopicFollow.topic_id, TopicFollow.created_at
        ).where(TopicFollow.user_id == user_id),
    }


async def forget_person(user_id: int, display_name: str, replacement: str) -> None:
    """Removes the person's notifications, settings, follows, digests and mails; in the
    notifications of others about what the person did, their name becomes `replacement`,
    and a mail that carries such a notification goes (its composed text names them): one
    not yet sent is not sent, the notification stays in the recipient's inbox. A mail being
    handed to the mail server at this moment is left to it."""
    await Notification.delete().where(Notification.user_id == user_id)
    await NotificationSetting.delete().where(NotificationSetting.user_id == user_id)
    await TopicFollow.delete().where(TopicFollow.user_id == user_id)
    await DigestRun.delete().where(DigestRun.user_id == user_id)
    await MailOutbox.delete().where(MailOutbox.user_id == user_id)
    if not display_name:
        return
    acted = [
        row["id"]
        for row in await DomainEvent.select(DomainEvent.id).where(DomainEvent.actor_id == user_id)
    ]
    if not acted:
        return
    naming = await Notification.select(
        Notification.id, Notification.user_id, Notification.text
    ).where(Notification.event_id.is_in(acted) & Notification.text.like(f"%{display_name}%"))
    if not naming:
        return
    for row in naming:
        await Notification.update(
            {Notification.text: row["text"].replace(display_name, replacement)}
        ).where(Notification.id == row["id"])
    named = {str(row["id"]) for row in naming}
    unsent = await MailOutbox.select(MailOutbox.id, MailOutbox.notification_ids).where(
        MailOutbox.user_id.is_in(sorted({row["user_id"] for row in naming}))
        & (MailOutbox.state != "sending")
    )
    dropped = [row["id"] for row in unsent if named & set(row["notification_ids"].split(","))]
    if dropped:
        await MailOutbox.delete().where(MailOutbox.id.is_in(dropped))
