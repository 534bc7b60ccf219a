"""Limits on the account actions anyone can try: sign-ins per e-mail address, registrations
per client address and registration mails per recipient.

Kept in a Litestar store (file, memory or Redis), keyed by hashes. Each check counts the
attempt in the same step, under `StoreGuard`, before the work it protects: concurrent
attempts are counted one after another, so thirty parallel wrong passwords get no further
than thirty consecutive ones."""

from __future__ import annotations

import asyncio
import hashlib
import json
import math
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from litestar.stores.base import Store
from redis.asyncio import Redis
from redis.exceptions import LockError

from fachaustausch.core.errors import TooManyRequests

BUSY = "Bitte versuchen Sie es gleich noch einmal."


class StoreGuard:
    """One read-modify-write of the limits at a time: an asyncio lock within this process
    and, when the stores live in Redis (several instances), a Redis lock across them."""

    def __init__(self, redis: Redis | None = None) -> None:
        self._local = asyncio.Lock()
        self._redis = redis

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        async with self._local:
            if self._redis is None:
                yield
                return
            lock = self._redis.lock(
                f"fachaustausch:guard:{key}", timeout=10, sleep=0.01, blocking_timeout=5
            )
            try:
                await lock.acquire()
            except LockError:
                raise TooManyRequests(BUSY, 1) from None
            try:
                yield
            finally:
                await lock.release()


def _hashed(prefix: str, value: str) -> str:
    return prefix + hashlib.sha256(value.encode()).hexdigest()


# --- sign-ins ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThrottlePolicy:
    free_attempts: int = 3
    max_delay_seconds: int = 60
    lock_after: int = 10
    lock_seconds: int = 15 * 60

    def delay_after(self, failures: int) -> int:
        if failures >= self.lock_after:
            return self.lock_seconds
        if failures >= self.free_attempts:
            return min(int(2 ** (failures - self.free_attempts)), self.max_delay_seconds)
        return 0


class LoginThrottle:
    """Growing delays and a temporary lock per e-mail address, counted for unknown addresses
    too, so the answers never reveal whether an account exists."""

    def __init__(self, store: Store, policy: ThrottlePolicy, guard: StoreGuard) -> None:
        self.store = store
        self.policy = policy
        self.guard = guard

    async def attempt(self, email: str) -> None:
        """Counts a sign-in as failed before its password is checked (`succeeded` clears the
        count), or refuses it while the address has to wait."""
        key = _hashed("login:", email)
        async with self.guard.hold(key):
            raw = await self.store.get(key)
            data = json.loads(raw) if raw is not None else {}
            failures = int(data.get("failures", 0))
            blocked_until = float(data.get("blocked_until", 0))
            wait = blocked_until - time.time()
            if wait > 0:
                raise self._refusal(failures, math.ceil(wait))
            failures += 1
            blocked_until = time.time() + self.policy.delay_after(failures)
            state = {"failures": failures, "blocked_until": blocked_until}
            await self.store.set(key, json.dumps(state), expires_in=self.policy.lock_seconds)

    def _refusal(self, failures: int, seconds: int) -> TooManyRequests:
        if failures >= self.policy.lock_after:
            minutes = math.ceil(seconds / 60)
            return TooManyRequests(
                "Zu viele fehlgeschlagene Anmeldeversuche: Die Anmeldung ist für "
                f"{minutes} Minute{'n' if minutes != 1 else ''} gesperrt.",
                seconds,
            )
        return TooManyRequests(
            "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie "
            f"{seconds} Sekunde{'n' if seconds != 1 else ''} und versuchen Sie es erneut.",
            seconds,
        )

    async def succeeded(self, email: str) -> None:
        await self.store.delete(_hashed("login:", email))


# --- registrations ------------------------------------------------------------------------------

HOUR = 60 * 60
DAY = 24 * HOUR


@dataclass(frozen=True)
class RegistrationPolicy:
    per_address_per_hour: int = 20
    mails_per_recipient_per_day: int = 3


class RegistrationLimit:
    """Every registration sends a mail to the address typed in: registrations per client
    address an hour, and mails per recipient a day (existing accounts included, so the limit
    reveals nothing), each over a sliding window."""

    def __init__(self, store: Store, policy: RegistrationPolicy, guard: StoreGuard) -> None:
        self.store = store
        self.policy = policy
        self.guard = guard

    async def count(self, client_address: str, email: str) -> None:
        """Counts a registration that is about to send a mail, or refuses it (429)."""
        address = _hashed("address:", client_address)
        recipient = _hashed("recipient:", email)
        async with self.guard.hold("registration"):
            now = time.time()
            sent_from = await self._history(address, HOUR, now)
            sent_to = await self._history(recipient, DAY, now)
            if len(sent_from) >= self.policy.per_address_per_hour:
                minutes = math.ceil((sent_from[0] + HOUR - now) / 60)
                raise TooManyRequests(
                    "Von Ihrem Netzwerk aus sind in der letzten Stunde zu viele Registrierungen "
                    f"eingegangen. Bitte versuchen Sie es in {minutes} "
                    f"Minute{'n' if minutes != 1 else ''} erneut.",
                    math.ceil(sent_from[0] + HOUR - now),
                )
            if len(sent_to) >= self.policy.mails_per_recipient_per_day:
                raise TooManyRequests(
                    "Für diese E-Mail-Adresse sind heute bereits mehrere Registrierungen "
                    "eingegangen. Bitte sehen Sie in Ihrem Postfach nach oder versuchen Sie es "
                    "morgen erneut.",
                    math.ceil(sent_to[0] + DAY - now),
                )
            await self.store.set(address, json.dumps([*sent_from, now]), expires_in=HOUR)
            await self.store.set(recipient, json.dumps([*sent_to, now]), expires_in=DAY)

    async def _history(self, key: str, window: int, now: float) -> list[float]:
        raw = await self.store.get(key)
        times = json.loads(raw) if raw is not None else []
        return [t for t in times if t > now - window]
