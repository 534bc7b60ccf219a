"""Request-scoped values that api/ and web/ handlers receive by name."""

from __future__ import annotations

from typing import Any

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency

from fachaustausch.accounts.policy import Principal
from fachaustausch.accounts.throttle import LoginThrottle, ThrottlePolicy
from fachaustausch.pagination import CursorCodec
from fachaustausch.search.backend import SearchBackend
from fachaustausch.search.worker import SearchWorker
from fachaustausch.security import principal
from fachaustausch.settings import Settings

LOGIN_THROTTLE_STORE = "login_throttle"


class AppState(State):
    """The app's state with its types. Handlers that need the cursor codec or the search
    backend take `state: AppState` rather than a dependency: Litestar resolves two or more
    dependencies of one handler in an anyio task group, about 60 µs a request (a sixth of a
    repeated search); the state comes without one."""

    settings: Settings
    cursors: CursorCodec
    search: SearchBackend
    search_worker: SearchWorker


def provide_settings(state: AppState) -> Settings:
    return state.settings


def provide_actor(request: Request[Any, Any, Any]) -> Principal:
    return principal(request)


def provide_throttle(
    request: Request[Any, Any, Any], settings: NamedDependency[Settings]
) -> LoginThrottle:
    policy = ThrottlePolicy(
        free_attempts=settings.login_free_attempts,
        max_delay_seconds=settings.login_max_delay_seconds,
        lock_after=settings.login_lock_after,
        lock_seconds=settings.login_lock_seconds,
    )
    return LoginThrottle(request.app.stores.get(LOGIN_THROTTLE_STORE), policy)


# Handlers name what they need with these; Litestar injects by parameter name.
Actor = NamedDependency[Principal]
AppSettings = NamedDependency[Settings]
Throttle = NamedDependency[LoginThrottle]
