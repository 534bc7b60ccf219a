"""Server-side sessions that get a fresh id at sign-in and are never stored empty.

Litestar's backend keeps a session id for as long as the cookie lives and stores a session
for every visitor. Here an id planted before login dies at login (no session fixation), and
visitors without session data (API clients with tokens, the login page) leave nothing in the
store."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar.connection import ASGIConnection
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.middleware.session.server_side import (
    ServerSideSessionBackend,
    ServerSideSessionConfig,
)
from litestar.types import Empty, Message, ScopeSession
from litestar.utils.dataclass import extract_dataclass_items

# Set in a session by `rotate_session`; the backend swaps the id when it stores the session.
_ROTATE = "_rotate_id"


def rotate_session(connection: ASGIConnection[Any, Any, Any, Any], data: dict[str, Any]) -> None:
    """Replaces the session with `data` under a new id (call at sign-in)."""
    connection.set_session({**data, _ROTATE: True})


class RotatingSessionBackend(ServerSideSessionBackend):
    async def store_in_message(
        self,
        scope_session: ScopeSession,
        message: Message,
        connection: ASGIConnection[Any, Any, Any, Any],
    ) -> None:
        cookie_id = connection.cookies.get(self.config.key)
        has_cookie = bool(cookie_id) and cookie_id != "null"
        if (scope_session is Empty or not scope_session) and not has_cookie:
            return  # nothing to keep and nothing to clear
        if isinstance(scope_session, dict) and scope_session.pop(_ROTATE, False):
            store = self.config.get_store_from_app(connection.scope["app"])
            if cookie_id and has_cookie:
                await self.delete(cookie_id, store=store)
            session_id = self.generate_session_id()
            await self.set(session_id, self.serialize_data(scope_session, connection.scope), store)
            params = dict(
                extract_dataclass_items(
                    self.config, exclude_none=True, include=Cookie.__dict__.keys()
                )
            )
            MutableScopeHeaders.from_message(message).add(
                "Set-Cookie",
                Cookie(value=session_id, key=self.config.key, **params).to_header(header=""),
            )
            return
        if isinstance(scope_session, dict) and not scope_session:
            scope_session = Empty  # an emptied session is deleted, not stored empty
        await super().store_in_message(scope_session, message, connection)


@dataclass
class SessionConfig(ServerSideSessionConfig):
    _backend_class = RotatingSessionBackend
