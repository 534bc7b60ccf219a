"""Authentication for every request: a bearer token or the session cookie, never both.

Shared by api/ and web/; the rules of who may do what live in the domain services."""

from __future__ import annotations

from typing import Any

from litestar import Litestar, Request, Response
from litestar.connection import ASGIConnection
from litestar.enums import HttpMethod, ScopeType
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult
from litestar.middleware.csrf import CSRFMiddleware
from litestar.middleware.rate_limit import RateLimitConfig
from litestar.routes import HTTPRoute
from litestar.types import Receive, Scope, Send

from fachaustausch.accounts import queries as accounts
from fachaustausch.accounts import sessions as account_sessions
from fachaustausch.accounts.policy import Principal
from fachaustausch.core.errors import NotAuthenticated, PermissionDenied
from fachaustausch.http.sessions import rotate_session
from fachaustausch.http.user_agents import describe_browser

SESSION_USER_KEY = "user_id"
# The random key of the session's row (accounts/sessions.py): the session is valid while the
# row is there and of the account's session version, so its owner can end it from anywhere,
# and a password change, sign-out everywhere or deletion ends every one at once.
SESSION_KEY = "session_key"
PUBLIC = "public"  # handler opt: reachable without an account

# Sign-ins per client address, on top of the per-account throttle (accounts/throttle.py).
# Middleware of the login handlers alone: as the app's middleware, it built a Request and
# asked whether it was a login on every request, a noticeable share of a cached read.
LOGIN_RATE_LIMIT = RateLimitConfig(rate_limit=("minute", 30))
# Password-reset requests and the use of their links per client address, counted apart from
# the sign-ins (a store of its own: the limit's key is the address alone).
RECOVERY_RATE_LIMIT = RateLimitConfig(rate_limit=("minute", 10), store="recovery_rate_limit")


def bearer_token(authorization: str) -> str | None:
    """The token of an `Authorization: Bearer …` header's value, else None."""
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


class AuthenticationMiddleware(AbstractAuthenticationMiddleware):
    """Attaches the active Principal, or None, to `request.user`. Refusing anonymous users
    is require_account's job, so public routes run through here too."""

    async def authenticate_request(
        self, connection: ASGIConnection[Any, Any, Any, Any]
    ) -> AuthenticationResult:
        token = bearer_token(connection.headers.get("authorization", ""))
        if token is not None:
            principal = await accounts.principal_by_token(token)
            if principal is None:
                raise NotAuthenticated("Das Zugangstoken ist ungültig oder wurde widerrufen.")
            return AuthenticationResult(user=principal, auth="token")
        session = connection.scope.get("session") or {}
        if not isinstance(session, dict):
            session = {}
        user_id = session.get(SESSION_USER_KEY)
        if isinstance(user_id, int):
            key = session.get(SESSION_KEY)
            principal = (
                await accounts.principal_by_session(user_id, key) if isinstance(key, str) else None
            )
            if principal is None:
                # Ended, or the account suspended or deleted since the login: it ends here.
                connection.clear_session()
            return AuthenticationResult(user=principal, auth="session")
        return AuthenticationResult(user=None, auth=None)


class TokenAwareCSRFMiddleware(CSRFMiddleware):
    """Litestar's double-submit CSRF check, skipped for bearer-token requests: a browser
    never attaches such a header on its own, so they cannot be forged cross-site."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == ScopeType.HTTP and _has_bearer_token(scope):
            await self.app(scope, receive, send)
            return
        await super().__call__(scope, receive, send)


def _has_bearer_token(scope: Scope) -> bool:
    # ASGI servers send header names in lower case; only this one is decoded.
    for name, value in scope["headers"]:
        if name == b"authorization":
            return bearer_token(value.decode("latin-1")) is not None
    return False


async def require_account(request: Request[Any, Any, Any]) -> Response[None] | None:
    """Nothing is public: every route but those marked `public` needs an active account.
    Runs before every handler (Litestar's `before_request`; see app.py).

    It also answers OPTIONS itself: Litestar 2's own answer lists only the methods of the
    first handler registered on a path (litestar#4169), e.g. POST but not GET."""
    if request.scope.get("user") is None and not request.route_handler.opt.get(PUBLIC):
        raise NotAuthenticated()
    if request.method == HttpMethod.OPTIONS:
        allowed: dict[str, str] = request.app.state.allowed_methods
        return Response(
            None, status_code=204, headers={"Allow": allowed[request.scope["path_template"]]}
        )
    return None


def allowed_methods(app: Litestar) -> dict[str, str]:
    """The `Allow` header of each path (its template, as in the scope)."""
    return {
        route.path_format: ", ".join(sorted(route.methods))
        for route in app.routes
        if isinstance(route, HTTPRoute)
    }


def client_address(request: Request[Any, Any, Any]) -> str:
    """The client's address as the server saw it (behind a proxy, uvicorn's
    `--forwarded-allow-ips` decides whether X-Forwarded-For counts), as rate limits use it."""
    return request.client.host if request.client else "unknown"


def refuse_cross_site(request: Request[Any, Any, Any], base_url: str) -> None:
    """For the JSON login and registration, which need no CSRF token (no session exists yet):
    a browser on another site may not sign someone in to an account of its choosing. Clients
    outside a browser send neither header and pass."""
    if request.headers.get("sec-fetch-site") == "cross-site":
        raise PermissionDenied(CROSS_SITE)
    origin = request.headers.get("origin")
    if origin is not None and origin not in (_origin(base_url), _origin(str(request.base_url))):
        raise PermissionDenied(CROSS_SITE)


CROSS_SITE = (
    "Anmeldung und Registrierung sind nur über die Seiten des Fachaustauschs selbst möglich, "
    "nicht von einer anderen Website aus."
)


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}"


async def start_session(
    connection: ASGIConnection[Any, Any, Any, Any], user: Principal, **data: Any
) -> None:
    """Signs `user` in: a new session id (see sessions.py) holding the account and the key
    of a new session row, plus `data`. The session this browser held before ends."""
    session = connection.scope.get("session")
    previous = session.get(SESSION_KEY) if isinstance(session, dict) else None
    key = await account_sessions.open_session(
        user,
        describe_browser(connection.headers.get("user-agent", "")),
        previous if isinstance(previous, str) else None,
    )
    rotate_session(connection, {SESSION_USER_KEY: user.id, SESSION_KEY: key, **data})


async def end_session(connection: ASGIConnection[Any, Any, Any, Any]) -> None:
    """Signs out: the session's row goes, and its data with it."""
    user = connection.scope.get("user")
    if isinstance(user, Principal):
        await account_sessions.end_current(user)
    connection.clear_session()


def principal(connection: ASGIConnection[Any, Any, Any, Any]) -> Principal:
    """The signed-in user of a route that is not public (see `require_account`)."""
    user = connection.scope.get("user")
    if not isinstance(user, Principal):
        raise NotAuthenticated()
    return user
