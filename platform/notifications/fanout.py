"""Expands domain events into notifications, off the request path.

Each event is expanded in one transaction that also marks it processed, so it becomes its
notifications (and their immediate mails) exactly once: a crash before the commit leaves the
event for the next run, and of two workers only the one whose mark succeeds writes."""

from __future__ import annotations

from typing import Any

from fachaustausch import database
from fachaustausch.accounts import audience as accounts
from fachaustausch.core import clock
from fachaustausch.core.events import DomainEvent
from fachaustausch.notifications import letters, outbox
from fachaustausch.notifications.audience import expand
from fachaustausch.notifications.kinds import KINDS, Delivery, Kind
from fachaustausch.notifications.tables import Notification, NotificationSetting
from fachaustausch.settings import Settings

BATCH_SIZE = 50


async def deliveries(user_ids: list[int]) -> dict[tuple[int, str], Delivery]:
    """The stored choices of these people (no entry: the kind's default)."""
    if not user_ids:
        return {}
    rows = (
        await NotificationSetting.select()
        .where(NotificationSetting.user_id.is_in(sorted(set(user_ids))))
        .run()
    )
    return {(r["user_id"], r["kind"]): Delivery(r["delivery"]) for r in rows}


async def _expand_one(settings: Settings, event: dict[str, Any]) -> set[int]:
    """Writes the event's notifications; returns who got one."""
    expansion = await expand(event)
    recipients: dict[int, tuple[Kind, str]] = {}
    people: dict[int, accounts.Person] = {}
    chosen: dict[tuple[int, str], Delivery] = {}
    if expansion is not None:
        candidates = {
            user: value
            for user, value in expansion.recipients.items()
            if user != event["actor_id"] and expansion.visible_to(user)
        }
        people = await accounts.people(candidates)
        chosen = await deliveries(list(candidates))
        for user, (kind, text) in candidates.items():
            person = people.get(user)
            if person is None or not person.active:
                continue
            if KINDS[kind].moderators_only and not person.is_moderator:
                continue
            if chosen.get((user, kind), KINDS[kind].default) is Delivery.off:
                continue
            recipients[user] = (kind, text)
    now = clock.now()
    async with database.transaction():
        claimed = (
            await DomainEvent.update({DomainEvent.processed_at: now})
            .where((DomainEvent.id == event["id"]) & DomainEvent.processed_at.is_null())
            .returning(DomainEvent.id)
            .run()
        )
        if not claimed or expansion is None:
            return set()
        for user, (kind, text) in recipients.items():
            delivery = chosen.get((user, kind), KINDS[kind].default)
            letter = letters.Letter(
                id=0,
                kind=kind,
                text=text,
                target_type=expansion.target_type,
                target_id=expansion.target_id,
                topic_type=expansion.topic_type,
                topic_id=expansion.topic_id,
                topic_title=expansion.topic_title[:200],
            )
            rows = (
                await Notification.insert(
                    Notification(
                        user_id=user,
                        event_id=event["id"],
                        kind=kind,
                        target_type=letter.target_type,
                        target_id=letter.target_id,
                        topic_type=letter.topic_type,
                        topic_id=letter.topic_id,
                        topic_title=letter.topic_title,
                        text=text,
                        created_at=now,
                        mail=delivery,
                        mailed=now if delivery is Delivery.immediate else None,
                    )
                )
                .returning(Notification.id)
                .run()
            )
            if delivery is Delivery.immediate:
                person = people[user]
                message = letters.single(
                    settings,
                    to=person.email,
                    name=person.display_name,
                    user_id=user,
                    letter=_with_id(letter, rows[0]["id"]),
                )
                await outbox.enqueue(user, message, [rows[0]["id"]])
    return set(recipients)


def _with_id(letter: letters.Letter, notification_id: int) -> letters.Letter:
    return letters.Letter(
        notification_id,
        letter.kind,
        letter.text,
        letter.target_type,
        letter.target_id,
        letter.topic_type,
        letter.topic_id,
        letter.topic_title,
    )


async def expand_pending(settings: Settings, limit: int = BATCH_SIZE) -> tuple[int, set[int]]:
    """Expands up to `limit` unprocessed events, oldest first; returns how many, and who
    received a notification."""
    events = (
        await DomainEvent.select()
        .where(DomainEvent.processed_at.is_null())
        .order_by(DomainEvent.id)
        .limit(limit)
        .output(load_json=True)
        .run()
    )
    touched: set[int] = set()
    for event in events:
        if not isinstance(event["payload"], dict):
            event["payload"] = {}
        touched |= await _expand_one(settings, event)
    return len(events), touched
