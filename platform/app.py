"""The composition root: create_app(settings) builds the whole Litestar application."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from litestar import Litestar, Request, Response
from litestar.channels import ChannelsPlugin
from litestar.channels.backends.base import ChannelsBackend
from litestar.channels.backends.memory import MemoryChannelsBackend
from litestar.channels.backends.redis import RedisChannelsPubSubBackend
from litestar.config.compression import CompressionConfig
from litestar.config.csrf import CSRFConfig
from litestar.di import Provide
from litestar.middleware import DefineMiddleware
from litestar.openapi import OpenAPIConfig
from litestar.plugins.flash import FlashConfig, FlashPlugin
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.static_files import create_static_files_router
from litestar.stores.base import Store
from litestar.stores.file import FileStore
from litestar.stores.memory import MemoryStore
from litestar.stores.redis import RedisStore
from litestar.stores.registry import StoreRegistry
from litestar.template.config import TemplateConfig
from pydantic import BaseModel
from redis.asyncio import Redis

from fachaustausch import piccolo_app  # noqa: F401 - routes every table to the current database
from fachaustausch.accounts import passwords
from fachaustausch.accounts.passwords import Hasher
from fachaustausch.api import api_router, health, openapi
from fachaustausch.api.problems import problem_for
from fachaustausch.api.reference import (
    DOCS_PATH,
    SCALAR_STATIC_PATH,
    ApiReferencePlugin,
    is_docs_page,
)
from fachaustausch.database import Database, use
from fachaustausch.http import serialization
from fachaustausch.http.app_context import AppContext
from fachaustausch.http.dependencies import (
    AppState,
    account_limits,
    provide_actor,
    provide_registration_limit,
    provide_settings,
    provide_throttle,
)
from fachaustausch.http.pagination import CursorCodec
from fachaustausch.http.request_body import AppRequest, ModelValidationPlugin
from fachaustausch.http.security import (
    PUBLIC,
    AuthenticationMiddleware,
    TokenAwareCSRFMiddleware,
    allowed_methods,
    require_account,
)
from fachaustausch.http.security_headers import SecurityHeaders
from fachaustausch.http.sessions import SessionConfig
from fachaustausch.notifications import live
from fachaustausch.notifications.unsubscribe import PATH as UNSUBSCRIBE_PATH
from fachaustausch.notifications.worker import NotificationWorker
from fachaustausch.process import collector, memory
from fachaustausch.search.backend import SearchUnavailable
from fachaustausch.search.factory import create_backend
from fachaustausch.search.worker import SearchWorker
from fachaustausch.settings import Environment, Settings
from fachaustausch.web import web_router
from fachaustausch.web.errors import error_page
from fachaustausch.web.templating import configure_environment

log = logging.getLogger(__name__)

STATIC_PATH = "/static"
# Paths that never need a session or a user: keeps static files cheap.
_NO_SESSION = [f"^{STATIC_PATH}/", "^/favicon.ico$"]
# The one-click unsubscribe (RFC 8058) is posted by mail clients, with no CSRF token: the
# signed link in it is the proof.
_NO_CSRF = [*_NO_SESSION, "^" + UNSUBSCRIBE_PATH.split("{")[0]]


def _stores(settings: Settings) -> tuple[StoreRegistry, RedisStore | None, Redis | None]:
    """The store registry, the Redis store whose connection pool the app must close, and its
    client (the account limits lock with it across instances)."""
    if settings.redis_url:
        client = Redis.from_url(settings.redis_url)
        redis = RedisStore(client, handle_client_shutdown=True)

        def from_redis(name: str) -> Store:
            return redis.with_namespace(f"fachaustausch:{name}")

        return StoreRegistry(default_factory=from_redis), redis, client
    if settings.environment is Environment.test:
        return StoreRegistry(default_factory=lambda _name: MemoryStore()), None, None

    def from_files(name: str) -> Store:
        path = settings.var_dir / "stores" / name
        path.mkdir(parents=True, exist_ok=True)
        return FileStore(path)

    return StoreRegistry(default_factory=from_files), None, None


def _handle_error(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """JSON problem details under /api and for JSON clients, an HTML page everywhere else
    (the API reference page included: anonymous visitors go to the login)."""
    path = request.url.path
    if (path.startswith("/api/") and not is_docs_page(path)) or path == "/health":
        return problem_for(request, exc)
    return error_page(request, exc)


# What an app is built with and cannot change afterwards: its routes, middleware and
# templates hold these. Everything else it runs with hangs off its state (`bind`).
_FIXED = ("resolved_secret_key", "base_url", "session_max_age_seconds", "frontend_dir")


def _runtime(
    settings: Settings, channels: ChannelsPlugin | None = None
) -> tuple[dict[str, Any], StoreRegistry, ChannelsPlugin]:
    """The app's state for `settings` (database, password hasher, limits, the notifications
    worker that publishes to `channels`, made here unless given), its stores and channels."""
    stores, redis_store, redis_client = _stores(settings)
    login_throttle, registration_limit = account_limits(settings, stores, redis_client)
    if channels is None:
        backend: ChannelsBackend = (
            RedisChannelsPubSubBackend(redis=redis_client)
            if redis_client is not None
            else MemoryChannelsBackend()
        )
        channels = ChannelsPlugin(backend=backend, arbitrary_channels_allowed=True)
    state = {
        "settings": settings,
        "database": Database.from_settings(settings),
        "passwords": Hasher.from_settings(settings),
        "cursors": CursorCodec(settings.resolved_secret_key),
        "login_throttle": login_throttle,
        "registration_limit": registration_limit,
        "notifications_worker": NotificationWorker(
            settings, publish=live.publisher(channels.publish)
        ),
        "redis_store": redis_store,
        "redis_client": redis_client,
        "fixed": tuple(getattr(settings, name) for name in _FIXED),
    }
    return state, stores, channels


def bind(app: Litestar, settings: Settings) -> None:
    """Points a stopped app at other settings: a new database, password hasher, stores and
    workers, so nothing of what it ran with before is shared. Building an app is mostly
    Litestar registering its routes; a test suite builds one and binds it per test. Only
    settings that differ in what the routes were built with are refused, and an app on
    Redis keeps the client its channels publish through."""
    if tuple(getattr(settings, name) for name in _FIXED) != app.state["fixed"]:
        raise ValueError(f"bind: these settings must equal the app's: {', '.join(_FIXED)}")
    if settings.redis_url or app.state["redis_client"] is not None:
        raise ValueError("bind: an app on Redis is built for its settings with create_app")
    state, stores, _ = _runtime(settings, app.plugins.get(ChannelsPlugin))
    app.state.update(state)
    app.stores = stores
    context = app.asgi_handler
    assert isinstance(context, AppContext)
    context.database = state["database"]
    context.hasher = state["passwords"]


def create_app(settings: Settings | None = None) -> Litestar:
    """The app for `settings`. It owns its database (engine, pool, read caches, prepared
    queries) and its password hasher, and makes them current for each request and for what
    its lifespan starts: two apps in one process share neither."""
    settings = settings or Settings()
    state, stores, channels = _runtime(settings)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        # Read from the state, as `bind` may have replaced what the app was built with.
        settings: Settings = app.state["settings"]
        database: Database = app.state["database"]
        notifier: NotificationWorker = app.state["notifications_worker"]
        redis_store: RedisStore | None = app.state["redis_store"]
        # What starts here (the search worker's task) inherits what is current.
        with use(database), passwords.use(app.state["passwords"]):
            await database.open()
            backend = create_backend(settings)
            try:
                await backend.configure()
            except SearchUnavailable as exc:
                # The platform runs without its search engine: writes queue in the outbox.
                log.warning("search engine unavailable at start-up: %s", exc)
            worker = SearchWorker(backend, settings.search_worker_interval_seconds)
            if settings.search_worker_enabled:
                worker.start()
            app.state.search = backend
            app.state.search_worker = worker
            if settings.notifications_worker_enabled:
                notifier.start(settings.notifications_worker_interval_seconds)
            collector.space_full_collections(settings.gc_full_collection_every)
            if settings.gc_freeze:
                frozen = collector.freeze_startup_objects()
                log.info("%d start-up objects frozen out of full garbage collections", frozen)
            trimmer = None
            if settings.malloc_trim_interval_seconds > 0:
                trim = memory.trim_periodically(settings.malloc_trim_interval_seconds)
                trimmer = asyncio.create_task(trim, name="malloc-trim")
            try:
                # Leaving the Redis store's context closes its connection pool.
                async with redis_store or contextlib.nullcontext():
                    yield
            finally:
                if trimmer is not None:
                    trimmer.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await trimmer
                await notifier.stop()
                await worker.stop()
                await backend.close()
                await database.close()

    template_config = TemplateConfig(
        directory=settings.frontend_dir / "templates",
        engine=JinjaTemplateEngine,
        engine_callback=lambda engine: configure_environment(engine.engine, settings),
    )
    session_config = SessionConfig(
        max_age=settings.session_max_age_seconds,
        secure=settings.base_url.startswith("https://"),
        samesite="lax",
        exclude=_NO_SESSION,
    )
    csrf_config = CSRFConfig(
        secret=settings.resolved_secret_key,
        cookie_secure=settings.base_url.startswith("https://"),
        exclude=_NO_CSRF,
    )

    app = Litestar(
        route_handlers=[
            api_router,
            web_router,
            health,
            create_static_files_router(
                path=STATIC_PATH,
                directories=[
                    settings.frontend_dir / "static",
                    settings.frontend_dir / "node_modules" / "@kern-ux" / "native" / "dist",
                ],
                opt={PUBLIC: True},
                cache_control=None,
            ),
            create_static_files_router(
                path=SCALAR_STATIC_PATH,
                directories=[
                    settings.frontend_dir
                    / "node_modules"
                    / "@scalar"
                    / "api-reference"
                    / "dist"
                    / "browser"
                ],
                opt={PUBLIC: True},
                cache_control=None,
                name="scalar",
            ),
        ],
        middleware=[
            session_config.middleware,
            DefineMiddleware(TokenAwareCSRFMiddleware, config=csrf_config),
            # OPTIONS authenticates like any method (Litestar skips it by default, for CORS
            # preflights, which this API does not serve): a signed-in client gets its Allow.
            DefineMiddleware(
                AuthenticationMiddleware, exclude=_NO_SESSION, exclude_http_methods=[]
            ),
        ],
        # A hook, not a guard: Litestar copies the route handler for every guard call.
        before_request=require_account,
        before_send=[SecurityHeaders(https=settings.base_url.startswith("https://"))],
        dependencies={
            "settings": Provide(provide_settings, sync_to_thread=False),
            "actor": Provide(provide_actor, sync_to_thread=False),
            "throttle": Provide(provide_throttle, sync_to_thread=False),
            "registrations": Provide(provide_registration_limit, sync_to_thread=False),
        },
        exception_handlers={Exception: _handle_error},
        type_encoders={BaseModel: serialization.dump},
        stores=stores,
        # Pages are long HTML that compresses well, which counts on slow office networks.
        # Level 6 is zlib's default: most of the saving for a fraction of level 9's time.
        compression_config=CompressionConfig(backend="gzip", gzip_compress_level=6),
        template_config=template_config,
        plugins=[
            FlashPlugin(config=FlashConfig(template_config=template_config)),
            ModelValidationPlugin(),
            channels,
        ],
        request_class=AppRequest,
        openapi_config=OpenAPIConfig(
            title="Fachaustausch Willkommensbehörden – API",
            version="1",
            description=(
                "JSON-API des Fachaustauschs. Anmeldung mit Sitzungs-Cookie oder "
                "`Authorization: Bearer <Zugangstoken>`."
            ),
            path=DOCS_PATH,
            render_plugins=[ApiReferencePlugin()],
            components=openapi.COMPONENTS,
            security=openapi.SECURITY,
        ),
        lifespan=[lifespan],
        state=AppState(state),
        debug=False,
    )
    app.state.allowed_methods = allowed_methods(app)
    openapi.document_errors(app)
    # Outermost: the router's own answers and the error pages run inside it too.
    app.asgi_handler = AppContext(app.asgi_handler, state["database"], state["passwords"])
    return app
