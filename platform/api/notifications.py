"""The inbox, its read marks, the settings per kind and follows of instruments and
cornerstones."""

from __future__ import annotations

from typing import Annotated, Literal

from litestar import Controller, delete, get, post, put
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_204_NO_CONTENT

from fachaustausch.api.openapi import errors
from fachaustausch.core.keyset import Position
from fachaustausch.http.dependencies import Actor, AppState
from fachaustausch.http.pagination import decode_position, encode_position
from fachaustausch.notifications import mentioning
from fachaustausch.notifications import service as notifications
from fachaustausch.notifications.models import (
    InboxOut,
    MentionSuggestionOut,
    ReadInput,
    ReadResultOut,
    SettingsInput,
    SettingsOut,
)

Limit = Annotated[int, QueryParameter(ge=1, le=100)]
Cursor = Annotated[str | None, QueryParameter(pattern=r"^[A-Za-z0-9_=.-]+$", max_length=500)]
TopicType = Literal["instrument", "cornerstone"]
Slug = Annotated[str, QueryParameter(pattern=r"^[a-z0-9-]+$", max_length=120)]
Query = Annotated[str, QueryParameter(max_length=40)]
ORDER = "newest"


class NotificationController(Controller):
    path = "/notifications"
    tags = ["Benachrichtigungen"]

    @get("/", operation_id="listNotifications", responses=errors(422))
    async def inbox(
        self, actor: Actor, state: AppState, limit: Limit = 30, cursor: Cursor = None
    ) -> InboxOut:
        """The caller's notifications, newest first, with the unread count; `next_cursor`
        fetches the next page. Notifications about content the caller can no longer see
        are left out."""
        position = decode_position(state.cursors, cursor, ORDER)
        items, last, unread = await notifications.inbox_page(
            actor, position.id if position else None, limit
        )
        next_cursor = encode_position(state.cursors, Position(None, last) if last else None, ORDER)
        return InboxOut(unread=unread, items=items, next_cursor=next_cursor)

    @post("/read", operation_id="markNotificationsRead", status_code=HTTP_200_OK)
    async def read(self, actor: Actor, data: JSONBody[ReadInput]) -> ReadResultOut:
        """Marks the given notifications (`ids`) or all of them (`all: true`) read; answers
        the unread count after."""
        unread = await notifications.mark_read(actor, None if data.all else data.ids)
        return ReadResultOut(unread=unread)

    @get("/settings", operation_id="getNotificationSettings")
    async def get_settings(self, actor: Actor) -> SettingsOut:
        """How each kind of notification reaches the caller: off, app, immediate, daily,
        weekly."""
        return await notifications.get_settings(actor)

    @put("/settings", operation_id="putNotificationSettings", responses=errors(422))
    async def put_settings(self, actor: Actor, data: JSONBody[SettingsInput]) -> SettingsOut:
        """Changes the named kinds; the others keep their delivery."""
        return await notifications.put_settings(actor, data.settings)

    @put(
        "/follows/{topic_type:str}/{slug:str}",
        operation_id="followTopic",
        status_code=HTTP_204_NO_CONTENT,
        responses=errors(404),
    )
    async def follow(
        self, actor: Actor, topic_type: FromPath[TopicType], slug: FromPath[str]
    ) -> None:
        """Follows an instrument or a cornerstone: its new questions notify the caller."""
        await notifications.set_following(actor, topic_type, slug, True)

    @delete(
        "/follows/{topic_type:str}/{slug:str}",
        operation_id="unfollowTopic",
        status_code=HTTP_204_NO_CONTENT,
        responses=errors(404),
    )
    async def unfollow(
        self, actor: Actor, topic_type: FromPath[TopicType], slug: FromPath[str]
    ) -> None:
        await notifications.set_following(actor, topic_type, slug, False)

    @get("/mention-suggestions", operation_id="suggestMentions")
    async def suggest(self, actor: Actor, q: Query = "") -> list[MentionSuggestionOut]:
        """People to mention while `@…` is typed: handle prefix or part of the name."""
        return [
            MentionSuggestionOut(
                handle=p.handle, display_name=p.display_name, authority_name=p.authority_name
            )
            for p in await mentioning.suggestions(q)
        ]
