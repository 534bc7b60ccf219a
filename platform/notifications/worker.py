"""The notifications worker: records the due event reminders, expands domain events into
notifications, produces the due digests and sends the mail outbox. It runs as a task of the
app, or as `fachaustausch notifications send` for a separate worker process; several may
run at once (each event, digest and mail is claimed before it is handled)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from fachaustausch.events import reminders
from fachaustausch.notifications import digests, fanout, outbox
from fachaustausch.notifications.smtp import Transport, transport_for
from fachaustausch.settings import Settings

log = logging.getLogger(__name__)

# Told who has new notifications (the live unread count).
Publish = Callable[[Iterable[int]], Awaitable[None]]


@dataclass
class Round:
    events: int = 0
    digests: int = 0
    mails: int = 0

    @property
    def busy(self) -> bool:
        return bool(self.events or self.digests or self.mails)


class NotificationWorker:
    def __init__(
        self,
        settings: Settings,
        transport: Transport | None = None,
        publish: Publish | None = None,
    ) -> None:
        self.settings = settings
        self.transport = transport or transport_for(settings.smtp_url, settings.mail_dir)
        self.publish = publish
        self._task: asyncio.Task[None] | None = None

    async def step(self) -> Round:
        """One round; failures are logged, never raised (the rows stay for the next)."""
        done = Round()
        try:
            # Recorded first, so this very round expands them.
            await reminders.record_due()
            done.events, touched = await fanout.expand_pending(self.settings)
            if touched and self.publish is not None:
                await self.publish(touched)
            done.digests = await digests.produce_due(self.settings)
            done.mails = await outbox.send_due(self.transport)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("notifications worker round failed")
        return done

    async def drain(self) -> Round:
        """Rounds until nothing is left to do now (command line, tests)."""
        total = Round()
        while (done := await self.step()).busy:
            total.events += done.events
            total.digests += done.digests
            total.mails += done.mails
            if not done.events and not done.digests and done.mails < outbox.BATCH_SIZE:
                break
        return total

    async def run(self, interval: float) -> None:
        while True:
            if not (await self.step()).busy:
                await asyncio.sleep(interval)

    def start(self, interval: float) -> None:
        self._task = asyncio.create_task(self.run(interval), name="notifications-worker")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
