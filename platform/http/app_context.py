"""What each request runs with: the app's own database and password hasher.

An app owns both (app.py); this wrapper, outside everything Litestar runs for a request
(routing, middleware, handlers, error pages, the hooks before sending), makes them current
and resets them afterwards. It is plain ASGI: two context variables set and reset."""

from __future__ import annotations

from litestar.types import ASGIApp, Receive, Scope, Send

from fachaustausch.accounts import passwords
from fachaustausch.accounts.passwords import Hasher
from fachaustausch.database import Database
from fachaustausch.database.context import make_current, reset


class AppContext:
    __slots__ = ("app", "database", "hasher")

    def __init__(self, app: ASGIApp, database: Database, hasher: Hasher) -> None:
        self.app = app
        self.database = database
        self.hasher = hasher

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        database = make_current(self.database)
        hasher = passwords.make_current(self.hasher)
        try:
            await self.app(scope, receive, send)
        finally:
            passwords.reset(hasher)
            reset(database)
