"""The inbox, the settings and the follows of instruments and cornerstones: one function
per user action, each checking what it depends on in its own transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from fachaustausch import database
from fachaustausch.accounts.policy import Principal
from fachaustausch.core import clock
from fachaustausch.core.errors import InvalidInput, NotFound
from fachaustausch.notifications import unsubscribe
from fachaustausch.notifications.audience import target_url
from fachaustausch.notifications.digests import BERLIN
from fachaustausch.notifications.fanout import deliveries
from fachaustausch.notifications.kinds import KINDS, Delivery, Kind, kinds_for
from fachaustausch.notifications.letters import DIGEST_KIND
from fachaustausch.notifications.models import (
    NotificationOut,
    SettingOut,
    SettingsOut,
    TargetOut,
)
from fachaustausch.notifications.tables import Notification, NotificationSetting, TopicFollow
from fachaustausch.notifications.visibility import visible
from fachaustausch.toolbox import audience as toolbox

PAGE_SIZE = 30
NOT_FOUND = "Diese Benachrichtigung gibt es nicht."


def _mine(viewer: Principal) -> Any:
    """The viewer's notifications that they may still see."""
    return Notification.user_id == viewer.id


def _query(viewer: Principal, query: Any) -> Any:
    query = query.where(_mine(viewer))
    return query if viewer.is_moderator else query.where(visible())


async def unread_count(viewer: Principal) -> int:
    return int(
        await _query(viewer, Notification.count().where(Notification.read_at.is_null())).run()
    )


def _out(row: dict[str, Any]) -> NotificationOut:
    return NotificationOut(
        id=row["id"],
        kind=row["kind"],
        read=row["read_at"] is not None,
        created_at=row["created_at"],
        target=TargetOut(type=row["target_type"], id=row["target_id"]),
        text=row["text"],
        url=f"/benachrichtigungen/{row['id']}",
    )


async def inbox(
    viewer: Principal, before: int | None = None, limit: int = PAGE_SIZE
) -> tuple[list[NotificationOut], int | None]:
    """Newest first; the id to continue before, when there are more."""
    query = Notification.select().order_by(Notification.id, ascending=False).limit(limit + 1)
    if before is not None:
        query = query.where(Notification.id < before)
    rows = await _query(viewer, query).run()
    items = [_out(r) for r in rows[:limit]]
    return items, (items[-1].id if len(rows) > limit else None)


async def inbox_page(
    viewer: Principal, before: int | None, limit: int
) -> tuple[list[NotificationOut], int | None, int]:
    """A page of the inbox, where the next begins, and the unread count."""
    items, last = await inbox(viewer, before, limit)
    return items, last, await unread_count(viewer)


def by_day(items: Sequence[NotificationOut]) -> list[tuple[date, list[NotificationOut]]]:
    """The inbox grouped by the (Berlin) day, newest day first."""
    days: dict[date, list[NotificationOut]] = {}
    for item in items:
        days.setdefault(item.created_at.astimezone(BERLIN).date(), []).append(item)
    return list(days.items())


async def mark_read(viewer: Principal, ids: Sequence[int] | None) -> int:
    """Marks the given notifications of the viewer (None: all) read; returns the unread
    count after. Ids of others' notifications are ignored, as if they did not exist."""
    condition = _mine(viewer) & Notification.read_at.is_null()
    if ids is not None:
        condition &= Notification.id.is_in(list(ids) or [0])
    async with database.transaction():
        await Notification.update({Notification.read_at: clock.now()}).where(condition).run()
    return await unread_count(viewer)


async def open_notification(viewer: Principal, notification_id: int) -> str:
    """Marks the notification, and every other of the viewer about the same question or
    consultation, read; returns where it leads."""
    rows = await _query(
        viewer, Notification.select().where(Notification.id == notification_id)
    ).run()
    if not rows:
        raise NotFound(NOT_FOUND)
    row = rows[0]
    if row["topic_type"]:
        await mark_topic_read(viewer, row["topic_type"], row["topic_id"])
    else:
        await mark_read(viewer, [notification_id])
    return target_url(row["target_type"], row["target_id"], row["topic_type"], row["topic_id"])


async def mark_topic_read(viewer: Principal, topic_type: str, topic_id: int) -> None:
    """Opening a question or consultation marks its notifications read. Most openings
    find nothing unread: then no write transaction is begun."""
    unread = (
        _mine(viewer)
        & Notification.read_at.is_null()
        & (Notification.topic_type == topic_type)
        & (Notification.topic_id == topic_id)
    )
    if not await Notification.exists().where(unread).run():
        return
    async with database.transaction():
        await (
            Notification.update({Notification.read_at: clock.now()})
            .where(
                _mine(viewer)
                & Notification.read_at.is_null()
                & (Notification.topic_type == topic_type)
                & (Notification.topic_id == topic_id)
            )
            .run()
        )


# --- settings ---------------------------------------------------------------------------------


async def get_settings(viewer: Principal) -> SettingsOut:
    chosen = await deliveries([viewer.id])
    return SettingsOut(
        settings=[
            SettingOut(
                kind=kind,
                label=KINDS[kind].label,
                delivery=chosen.get((viewer.id, kind), KINDS[kind].default),
                default=KINDS[kind].default,
            )
            for kind in kinds_for(viewer.is_moderator)
        ]
    )


async def _store(user_id: int, changes: dict[Kind, Delivery]) -> None:
    async with database.transaction():
        await (
            NotificationSetting.delete()
            .where(
                (NotificationSetting.user_id == user_id)
                & NotificationSetting.kind.is_in([str(k) for k in changes] or [""])
            )
            .run()
        )
        if changes:
            await NotificationSetting.insert(
                *(
                    NotificationSetting(user_id=user_id, kind=kind, delivery=delivery)
                    for kind, delivery in changes.items()
                )
            ).run()


async def put_settings(viewer: Principal, changes: dict[Kind, Delivery]) -> SettingsOut:
    allowed = set(kinds_for(viewer.is_moderator))
    refused = [k for k in changes if k not in allowed]
    if refused:
        raise InvalidInput.for_field(
            f"settings.{refused[0]}", "Diese Benachrichtigungen erhält nur die Moderation."
        )
    await _store(viewer.id, changes)
    return await get_settings(viewer)


async def unsubscribe_by_token(secret: str, token: str) -> str:
    """The one-click unsubscribe: the token's kind (or every digest kind) goes to in-app
    only. Returns the German label of what was unsubscribed; ValueError for a bad token."""
    user_id, kind = unsubscribe.read_token(secret, token, kinds={*map(str, Kind), DIGEST_KIND})
    if kind == DIGEST_KIND:
        chosen = await deliveries([user_id])
        changes = {
            k: Delivery.app for k in Kind if chosen.get((user_id, k), KINDS[k].default).digest
        }
        await _store(user_id, changes)
        return "die Zusammenfassungen per E-Mail"
    await _store(user_id, {Kind(kind): Delivery.app})
    return f"„{KINDS[Kind(kind)].label}“ per E-Mail"


# --- following instruments and cornerstones ---------------------------------------------------

TOPIC_NOT_FOUND = {
    "instrument": "Dieses Instrument gibt es nicht.",
    "cornerstone": "Diesen Eckpunkt gibt es nicht.",
}


async def _topic_id(topic_type: str, slug: str) -> int:
    found = await toolbox.topic(topic_type, slug)
    if found is None:
        raise NotFound(TOPIC_NOT_FOUND.get(topic_type, "Nicht gefunden."))
    return found[0]


def _follow_of(viewer: Principal, topic_type: str, topic_id: int) -> Any:
    return (
        (TopicFollow.user_id == viewer.id)
        & (TopicFollow.topic_type == topic_type)
        & (TopicFollow.topic_id == topic_id)
    )


async def is_following(viewer: Principal, topic_type: str, slug: str) -> bool:
    topic_id = await _topic_id(topic_type, slug)
    return bool(await TopicFollow.exists().where(_follow_of(viewer, topic_type, topic_id)).run())


async def set_following(viewer: Principal, topic_type: str, slug: str, follow: bool) -> None:
    topic_id = await _topic_id(topic_type, slug)
    async with database.transaction():
        if not follow:
            await TopicFollow.delete().where(_follow_of(viewer, topic_type, topic_id)).run()
            return
        # One statement: a double click cannot follow twice (unique index).
        await (
            TopicFollow.insert(
                TopicFollow(
                    user_id=viewer.id,
                    topic_type=topic_type,
                    topic_id=topic_id,
                    created_at=clock.now(),
                )
            )
            .on_conflict(target=(TopicFollow.user_id, TopicFollow.topic_type, TopicFollow.topic_id))
            .run()
        )


async def following_slugs(viewer: Principal, topic_type: str, slugs: Sequence[str]) -> set[str]:
    """Which of these instruments or cornerstones the viewer follows (two queries)."""
    ids = await toolbox.topic_ids(topic_type, list(slugs))
    followed = set(
        await TopicFollow.select(TopicFollow.topic_id)
        .where((TopicFollow.user_id == viewer.id) & (TopicFollow.topic_type == topic_type))
        .output(as_list=True)
        .run()
    )
    return {slug for slug, topic_id in ids.items() if topic_id in followed}


async def followed_topic_ids(user_id: int) -> dict[str, list[int]]:
    """The ids of the instruments and cornerstones a person follows, by topic type (for
    their calendar feed, which also holds the events of those topics)."""
    found: dict[str, list[int]] = {"instrument": [], "cornerstone": []}
    for row in (
        await TopicFollow.select(TopicFollow.topic_type, TopicFollow.topic_id)
        .where(TopicFollow.user_id == user_id)
        .order_by(TopicFollow.id)
        .run()
    ):
        found.setdefault(row["topic_type"], []).append(int(row["topic_id"]))
    return found
