"""Parallel wrong passwords for one account get no more password checks than consecutive
ones: each attempt is counted before its password is checked, one after another (within an
instance by a lock, across instances sharing Redis by a Redis lock)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any, cast

import httpx
import pytest
from litestar.stores.redis import RedisStore
from redis.asyncio import Redis

from fachaustausch.accounts import passwords
from fachaustausch.accounts.policy import Role
from fachaustausch.accounts.throttle import LoginThrottle, StoreGuard, ThrottlePolicy
from fachaustausch.app import create_app
from fachaustausch.core.errors import TooManyRequests
from fachaustausch.settings import Settings
from tests.factories import UserRecord, make_user

LOGIN = "/api/v1/auth/login"
WRONG = "Das ist nicht das Passwort"
FREE_ATTEMPTS = 3  # the default before delays start
# .ci/run starts Redis on 127.0.0.1:6379 when it is not running; keys are per test.
REDIS_URL = "redis://127.0.0.1:6379/13"
NAMESPACE = "fachaustausch-throttle-test"


@pytest.fixture
def password_checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every full password check, by the password it was given."""
    checked: list[str] = []
    verify: Callable[[str, str], Awaitable[bool]] = passwords.verify_password

    async def counting(password_hash: str, password: str) -> bool:
        checked.append(password)
        return await verify(password_hash, password)

    monkeypatch.setattr(passwords, "verify_password", counting)
    return checked


@asynccontextmanager
async def serving(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app on this test's event loop: Litestar's test client sends one request at a time
    (it blocks its caller's loop until the answer), which would hide any race."""
    app = create_app(settings)
    async with (
        app.lifespan(),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=cast(Any, app)), base_url="http://testserver"
        ) as http,
    ):
        yield http


async def _attempts(http: httpx.AsyncClient, user: UserRecord, tries: list[str]) -> list[int]:
    responses = await asyncio.gather(
        *(http.post(LOGIN, json={"email": user.email, "password": p}) for p in tries)
    )
    return [r.status_code for r in responses]


async def test_thirty_parallel_wrong_passwords_get_three_checks(
    settings: Settings, password_checks: list[str]
) -> None:
    async with serving(settings) as http:
        user = await make_user()
        statuses = await _attempts(http, user, [WRONG] * 30)
    assert len(password_checks) == FREE_ATTEMPTS
    assert sorted(statuses) == [401] * FREE_ATTEMPTS + [429] * (30 - FREE_ATTEMPTS)


async def test_the_right_password_among_parallel_wrong_ones_waits_its_turn(
    settings: Settings, password_checks: list[str]
) -> None:
    """Whatever the order, no more than the free attempts reach the hasher."""
    async with serving(settings) as http:
        user = await make_user(Role.member)
        statuses = await _attempts(http, user, [WRONG] * 10 + [user.password] + [WRONG] * 10)
    assert len(password_checks) <= FREE_ATTEMPTS
    assert statuses.count(401) + statuses.count(200) == len(password_checks)
    assert set(statuses) <= {200, 401, 429}


# --- several instances ------------------------------------------------------------------------


def _instance(redis: Redis, *, shared_lock: bool) -> LoginThrottle:
    """One app instance's throttle: its own guard, the store in the shared Redis."""
    store = RedisStore(redis, namespace=NAMESPACE)
    return LoginThrottle(store, ThrottlePolicy(), StoreGuard(redis if shared_lock else None))


async def _passed(throttles: list[LoginThrottle], email: str, attempts: int) -> int:
    async def one(throttle: LoginThrottle) -> bool:
        try:
            await throttle.attempt(email)
        except TooManyRequests:
            return False
        return True

    results = await asyncio.gather(*(one(throttles[n % len(throttles)]) for n in range(attempts)))
    return sum(results)


async def test_instances_sharing_redis_count_one_after_another() -> None:
    async with Redis.from_url(REDIS_URL) as redis:
        throttles = [_instance(redis, shared_lock=True) for _ in range(3)]
        assert await _passed(throttles, f"{uuid.uuid4().hex}@leipzig.de", 30) == FREE_ATTEMPTS


async def test_without_the_redis_lock_instances_would_race() -> None:
    """A canary for the test above: its instances really do interleave."""
    async with Redis.from_url(REDIS_URL) as redis:
        throttles = [_instance(redis, shared_lock=False) for _ in range(3)]
        assert await _passed(throttles, f"{uuid.uuid4().hex}@leipzig.de", 30) > FREE_ATTEMPTS
