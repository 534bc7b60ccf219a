"""Daily and weekly digests: at the digest hour (Berlin time) of each day, or of each Monday,
the notifications a person chose to receive that way, still visible to them and not yet
mailed, become one mail in the outbox.

A digest run is recorded per person, period and slot (unique), in the transaction that
writes the mail and marks its notifications: two workers, or a worker that restarts, make
each digest once."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from fachaustausch import database
from fachaustausch.accounts import audience as accounts
from fachaustausch.core import clock
from fachaustausch.notifications import letters, outbox
from fachaustausch.notifications.tables import DigestRun, Notification
from fachaustausch.notifications.visibility import visible
from fachaustausch.settings import Settings

BERLIN = ZoneInfo("Europe/Berlin")
PERIODS = ("daily", "weekly")


def slot_start(period: str, now: datetime, hour: int) -> tuple[str, datetime]:
    """The latest slot that has begun at `now`: its name and its start."""
    local = now.astimezone(BERLIN)
    start = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if start > local:
        start -= timedelta(days=1)
    if period == "weekly":
        start -= timedelta(days=start.weekday())
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}", start
    return start.date().isoformat(), start


async def _produce(
    settings: Settings, user_id: int, period: str, slot: str, start: datetime
) -> bool:
    due = (
        (Notification.user_id == user_id)
        & (Notification.mail == period)
        & Notification.mailed.is_null()
        & (Notification.created_at < start)
    )
    person = (await accounts.people([user_id])).get(user_id)
    async with database.transaction():
        taken = (
            await DigestRun.insert(
                DigestRun(user_id=user_id, period=period, slot=slot, created_at=clock.now())
            )
            .on_conflict(target=(DigestRun.user_id, DigestRun.period, DigestRun.slot))
            .returning(DigestRun.id)
            .run()
        )
        if not taken:
            return False
        rows = (
            await Notification.select().where(due).where(visible()).order_by(Notification.id).run()
        )
        await Notification.update({Notification.mailed: clock.now()}).where(due).run()
        if not rows or person is None or not person.active:
            return False
        message = letters.digest(
            settings,
            to=person.email,
            name=person.display_name,
            user_id=user_id,
            period=period,
            letters=[
                letters.Letter(
                    r["id"],
                    r["kind"],
                    r["text"],
                    r["target_type"],
                    r["target_id"],
                    r["topic_type"],
                    r["topic_id"],
                    r["topic_title"],
                )
                for r in rows
            ],
        )
        await outbox.enqueue(user_id, message, [r["id"] for r in rows])
    return True


async def produce_due(settings: Settings, now: datetime | None = None) -> int:
    """Produces every digest whose slot has begun; returns how many mails it wrote."""
    now = now or clock.now()
    made = 0
    for period in PERIODS:
        slot, start = slot_start(period, now, settings.notifications_digest_hour)
        users = (
            await Notification.select(Notification.user_id)
            .where(
                (Notification.mail == period)
                & Notification.mailed.is_null()
                & (Notification.created_at < start)
            )
            .distinct()
            .run()
        )
        for row in users:
            if await _produce(settings, int(row["user_id"]), period, slot, start):
                made += 1
    return made
