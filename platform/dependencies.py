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
from fachaustausch.security import principal
from fachaustausch.settings import Settings

LOGIN_THROTTLE_STORE = "login_throttle"


def provide_settings(state: State) -> Settings:
    settings: Settings = state.settings
    return settings


def provide_cursors(state: State) -> CursorCodec:
    codec: CursorCodec = state.cursors
    return codec


def provide_search(state: State) -> SearchBackend:
    backend: SearchBackend = state.search
    return backend


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
Cursors = NamedDependency[CursorCodec]
# Any, not SearchBackend: Litestar checks each injected value against its annotation, and
# on Python 3.11 an isinstance check against a runtime-checkable Protocol walks all its
# attributes (about 30 µs, several times per search). The services take a SearchBackend.
Search = NamedDependency[Any]
