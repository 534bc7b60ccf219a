"""Growing delays and a temporary lock after failed logins, per e-mail address.

Kept in a Litestar store (file, memory or Redis), keyed by a hash of the address, and
counted for unknown addresses too, so the answers never reveal whether an account exists."""

from __future__ import annotations

import hashlib
import json
import math
import time
from dataclasses import dataclass

from litestar.stores.base import Store

from fachaustausch.errors import TooManyRequests


@dataclass(frozen=True)
class ThrottlePolicy:
    free_attempts: int = 3
    max_delay_seconds: int = 60
    lock_after: int = 10
    lock_seconds: int = 15 * 60


class LoginThrottle:
    def __init__(self, store: Store, policy: ThrottlePolicy) -> None:
        self.store = store
        self.policy = policy

    @staticmethod
    def _key(email: str) -> str:
        return "login:" + hashlib.sha256(email.encode()).hexdigest()

    async def _state(self, email: str) -> tuple[int, float]:
        raw = await self.store.get(self._key(email))
        if raw is None:
            return 0, 0.0
        data = json.loads(raw)
        return int(data["failures"]), float(data["blocked_until"])

    async def check(self, email: str) -> None:
        failures, blocked_until = await self._state(email)
        wait = blocked_until - time.time()
        if wait <= 0:
            return
        seconds = math.ceil(wait)
        if failures >= self.policy.lock_after:
            minutes = math.ceil(seconds / 60)
            raise TooManyRequests(
                "Zu viele fehlgeschlagene Anmeldeversuche: Die Anmeldung ist für "
                f"{minutes} Minute{'n' if minutes != 1 else ''} gesperrt.",
                seconds,
            )
        raise TooManyRequests(
            "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie "
            f"{seconds} Sekunde{'n' if seconds != 1 else ''} und versuchen Sie es erneut.",
            seconds,
        )

    async def failed(self, email: str) -> None:
        failures, _ = await self._state(email)
        failures += 1
        p = self.policy
        if failures >= p.lock_after:
            delay = p.lock_seconds
        elif failures >= p.free_attempts:
            delay = min(2 ** (failures - p.free_attempts), p.max_delay_seconds)
        else:
            delay = 0
        state = {"failures": failures, "blocked_until": time.time() + delay}
        await self.store.set(self._key(email), json.dumps(state), expires_in=p.lock_seconds)

    async def succeeded(self, email: str) -> None:
        await self.store.delete(self._key(email))
