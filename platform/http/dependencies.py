"""Request-scoped values that api/ and web/ handlers receive by name."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.stores.registry import StoreRegistry
from redis.asyncio import Redis

from fachaustausch.accounts.passwords import Hasher
from fachaustausch.accounts.policy import Principal
from fachaustausch.accounts.throttle import (
    LoginThrottle,
    RegistrationLimit,
    RegistrationPolicy,
    StoreGuard,
    ThrottlePolicy,
)
from fachaustausch.database import Database
from fachaustausch.http.pagination import CursorCodec
from fachaustausch.http.security import principal
from fachaustausch.search.backend import SearchBackend
from fachaustausch.search.worker import SearchWorker
from fachaustausch.settings import Settings

LOGIN_THROTTLE_STORE = "login_throttle"
REGISTRATION_LIMIT_STORE = "registration_limit"


class AppState(State):
    """The app's state with its types. Handlers that need the cursor codec or the search
    backend take `state: AppState` rather than a dependency: Litestar resolves two or more
    dependencies of one handler in an anyio task group, a measurable share of a repeated
    search; the state comes without one."""

    settings: Settings
    database: Database  # the app's own, current during each request (app_context.py)
    passwords: Hasher
    cursors: CursorCodec
    search: SearchBackend
    allowed_methods: dict[str, str]  # the Allow header by path template (security.py)
    login_throttle: LoginThrottle
    registration_limit: RegistrationLimit
    search_worker: SearchWorker


def provide_settings(state: AppState) -> Settings:
    return state.settings


def provide_actor(request: Request[Any, Any, Any]) -> Principal:
    return principal(request)


def provide_throttle(state: AppState) -> LoginThrottle:
    return state.login_throttle


def provide_registration_limit(state: AppState) -> RegistrationLimit:
    return state.registration_limit


def account_limits(
    settings: Settings, stores: StoreRegistry, redis: Redis | None
) -> tuple[LoginThrottle, RegistrationLimit]:
    """One of each per app: their guard serialises the counting (accounts/throttle.py)."""
    guard = StoreGuard(redis)
    login = ThrottlePolicy(
        free_attempts=settings.login_free_attempts,
        max_delay_seconds=settings.login_max_delay_seconds,
        lock_after=settings.login_lock_after,
        lock_seconds=settings.login_lock_seconds,
    )
    registration = RegistrationPolicy(
        per_address_per_hour=settings.registrations_per_address_per_hour,
        mails_per_recipient_per_day=settings.registration_mails_per_recipient_per_day,
    )
    return (
        LoginThrottle(stores.get(LOGIN_THROTTLE_STORE), login, guard),
        RegistrationLimit(stores.get(REGISTRATION_LIMIT_STORE), registration, guard),
    )


# Handlers name what they need with these; Litestar injects by parameter name.
Actor = NamedDependency[Principal]
AppSettings = NamedDependency[Settings]
Throttle = NamedDependency[LoginThrottle]
Registrations = NamedDependency[RegistrationLimit]
