"""The inbox, its live unread count, the notification settings and the unsubscribe page."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextvars import ContextVar
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.channels import ChannelsPlugin
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, ServerSentEvent, Template
from litestar.response.sse import ServerSentEventMessage
from litestar.types import ASGIApp, Receive, Scope, Send

from fachaustausch.accounts.policy import Principal
from fachaustausch.core.errors import InvalidInput
from fachaustausch.http.dependencies import Actor, AppSettings
from fachaustausch.http.security import PUBLIC
from fachaustausch.notifications import live
from fachaustausch.notifications import service as notifications
from fachaustausch.notifications.kinds import DELIVERY_LABELS, Delivery, Kind
from fachaustausch.web.forms import read_form

UNREAD_KEY = "notifications_unread"
_viewer: ContextVar[Principal | None] = ContextVar("notifications_viewer", default=None)


async def unread_count_into_page(response: Response[Any]) -> Response[Any]:
    """Gives every page the signed-in viewer's unread count for its header. After the
    handler, so a page that marked notifications read shows the count after it."""
    if isinstance(response, Template):
        viewer = _viewer.get()
        if viewer is not None:
            response.context[UNREAD_KEY] = await notifications.unread_count(viewer)
    return response


def remember_viewer(app: ASGIApp) -> ASGIApp:
    """Keeps who is signed in for `unread_count_into_page`, which sees only the response."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        user = scope.get("user")
        token = _viewer.set(user if isinstance(user, Principal) else None)
        try:
            await app(scope, receive, send)
        finally:
            _viewer.reset(token)

    return middleware


def _back(request: Request[Any, Any, Any], default: str) -> str:
    """Where a form came from, when it is a page of this site."""
    referer = request.headers.get("referer", "")
    base = str(request.base_url).rstrip("/")
    if referer.startswith(base + "/"):
        return referer[len(base) :]
    return default


class NotificationPages(Controller):
    path = "/benachrichtigungen"

    @get("/")
    async def inbox(self, actor: Actor, vor: FromQuery[int | None] = None) -> Template:
        items, last, unread = await notifications.inbox_page(actor, vor, 50)
        return Template(
            "notifications/inbox.html",
            context={"days": notifications.by_day(items), "unread": unread, "more": last},
        )

    @get("/{notification_id:int}")
    async def open(self, actor: Actor, notification_id: FromPath[int]) -> Redirect:
        """Opens the notification's target and marks it (and the others about the same
        question or consultation) read."""
        return Redirect(await notifications.open_notification(actor, notification_id))

    @post("/gelesen")
    async def mark_read(self, request: Request[Any, Any, Any], actor: Actor) -> Redirect:
        values = await read_form(request)
        if values.get("alle"):
            await notifications.mark_read(actor, None)
            flash(request, "Alle Benachrichtigungen sind als gelesen markiert.", "success")
        else:
            raw = values.get("id", [])
            ids = [int(i) for i in (raw if isinstance(raw, list) else [raw]) if str(i).isdigit()]
            await notifications.mark_read(actor, ids)
        return Redirect(_back(request, "/benachrichtigungen"))

    @get("/live")
    async def live_count(
        self, actor: Actor, channels: NamedDependency[ChannelsPlugin]
    ) -> ServerSentEvent:
        """The unread count, now and whenever a notification arrives (server-sent events)."""

        async def counts() -> AsyncIterator[ServerSentEventMessage]:
            yield _count_event(await notifications.unread_count(actor))
            async with channels.start_subscription([live.channel(actor.id)]) as subscriber:
                async for _ in subscriber.iter_events():
                    yield _count_event(await notifications.unread_count(actor))

        return ServerSentEvent(counts())

    @post("/folgen")
    async def follow(self, request: Request[Any, Any, Any], actor: Actor) -> Redirect:
        values = await read_form(request)
        topic_type = str(values.get("art", ""))
        if topic_type not in ("instrument", "cornerstone"):
            raise InvalidInput.for_field(
                "art", "Bitte wählen Sie ein Instrument oder einen Eckpunkt."
            )
        follow = values.get("folgen") == "ja"
        await notifications.set_following(actor, topic_type, str(values.get("slug", "")), follow)
        flash(
            request,
            "Sie folgen jetzt diesem Thema: neue Fragen erscheinen in Ihren Benachrichtigungen."
            if follow
            else "Sie folgen diesem Thema nicht mehr.",
            "success",
        )
        return Redirect(_back(request, "/werkzeugkoffer"))

    @get("/abbestellen/{token:str}", opt={PUBLIC: True})
    async def unsubscribe_page(self, token: FromPath[str]) -> Template:
        """Mail scanners follow links: the link shows a button, the POST unsubscribes."""
        return Template("notifications/unsubscribe.html", context={"token": token, "done": None})

    @post("/abbestellen/{token:str}", opt={PUBLIC: True}, status_code=200)
    async def unsubscribe(self, token: FromPath[str], settings: AppSettings) -> Template:
        """Also the RFC 8058 one-click POST of mail clients (no CSRF token: the signed link
        is the proof)."""
        try:
            what = await notifications.unsubscribe_by_token(settings.resolved_secret_key, token)
        except ValueError as exc:
            return Template(
                "notifications/unsubscribe.html",
                context={"token": token, "done": None, "error": str(exc)},
                status_code=400,
            )
        return Template("notifications/unsubscribe.html", context={"token": token, "done": what})


def _count_event(count: int) -> ServerSentEventMessage:
    return ServerSentEventMessage(data=str(count), event="unread")


class NotificationSettingsPages(Controller):
    path = "/profil/benachrichtigungen"

    @get("/")
    async def page(self, actor: Actor) -> Template:
        return Template(
            "notifications/settings.html",
            context={
                "settings": (await notifications.get_settings(actor)).settings,
                "deliveries": list(DELIVERY_LABELS.items()),
            },
        )

    @post("/")
    async def save(self, request: Request[Any, Any, Any], actor: Actor) -> Redirect:
        values = await read_form(request)
        changes = {}
        for kind in Kind:
            value = values.get(kind.value)
            if isinstance(value, str) and value in Delivery.__members__:
                changes[kind] = Delivery(value)
        await notifications.put_settings(actor, changes)
        flash(request, "Ihre Einstellungen sind gespeichert.", "success")
        return Redirect("/profil/benachrichtigungen")


__all__ = [
    "NotificationPages",
    "NotificationSettingsPages",
    "remember_viewer",
    "unread_count_into_page",
]
