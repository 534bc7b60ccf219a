"""Events (Veranstaltungen): the list, one event, its registration and participants, and the
secret address of one's calendar feed."""

from __future__ import annotations

from typing import Literal

from litestar import Controller, Response, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from fachaustausch.api.openapi import errors
from fachaustausch.events import queries as events
from fachaustausch.events import service
from fachaustausch.events.feeds import feed_url
from fachaustausch.events.models import (
    EventInput,
    EventOut,
    EventPatch,
    EventSummaryOut,
    FeedOut,
    Kind,
    ParticipantOut,
    RegistrationInput,
    RegistrationOut,
)
from fachaustausch.http.dependencies import Actor, AppSettings


class EventController(Controller):
    path = "/events"
    tags = ["Veranstaltungen"]

    @get("/", operation_id="listEvents", responses=errors(422))
    async def list_events(
        self,
        when: FromQuery[Literal["upcoming", "past"]] = "upcoming",
        kind: FromQuery[Kind | None] = None,
        cornerstone: FromQuery[str | None] = None,
        instrument: FromQuery[str | None] = None,
        land: FromQuery[str | None] = None,
    ) -> list[EventSummaryOut]:
        """Upcoming events soonest first, or past ones latest first, filtered by kind,
        cornerstone, instrument and Land."""
        return await events.list_events(
            when=when, kind=kind, cornerstone=cornerstone, instrument=instrument, land=land
        )

    @post("/", operation_id="createEvent", status_code=HTTP_201_CREATED)
    async def create(self, actor: Actor, data: JSONBody[EventInput]) -> EventOut:
        """Moderators and experts of model sites create events (403 for others). Times are
        local times in ISO 8601 with their offset; one without is refused (422)."""
        event_id = await service.create(actor, data)
        return await events.get_event(actor, event_id)

    @get("/{event_id:int}", operation_id="getEvent")
    async def get_event(self, actor: Actor, event_id: FromPath[int]) -> EventOut:
        """The event with `my_registration`; the online link only for confirmed
        participants, the organiser and the moderation."""
        return await events.get_event(actor, event_id)

    @patch("/{event_id:int}", operation_id="updateEvent", responses=errors(409))
    async def update(
        self, actor: Actor, event_id: FromPath[int], data: JSONBody[EventPatch]
    ) -> EventOut:
        """Changes the fields sent; `"status": "cancelled"` cancels the event."""
        await service.update(actor, event_id, data)
        return await events.get_event(actor, event_id)

    @post(
        "/{event_id:int}/registration",
        operation_id="registerForEvent",
        status_code=HTTP_201_CREATED,
        responses=errors(409),
    )
    async def register(
        self,
        actor: Actor,
        event_id: FromPath[int],
        data: JSONBody[RegistrationInput | None] = None,
    ) -> RegistrationOut:
        """Registers the viewer, or with `user_id` a colleague of their own authority:
        `confirmed` while places are left, else `waiting`. 409 after the deadline."""
        user_id = data.user_id if data else None
        status = await service.register(actor, event_id, user_id)
        return RegistrationOut(status="confirmed" if status == "confirmed" else "waiting")

    @delete(
        "/{event_id:int}/registration",
        operation_id="withdrawFromEvent",
        status_code=HTTP_204_NO_CONTENT,
        responses=errors(409),
    )
    async def withdraw(
        self, actor: Actor, event_id: FromPath[int], user_id: FromQuery[int | None] = None
    ) -> None:
        """Withdraws the viewer (or a colleague); the first waiting moves up."""
        await service.withdraw(actor, event_id, user_id)

    @get("/{event_id:int}/participants", operation_id="listEventParticipants")
    async def participants(self, actor: Actor, event_id: FromPath[int]) -> list[ParticipantOut]:
        """Confirmed, then waiting in order; for the organiser and the moderation."""
        return await events.participants(actor, event_id)

    @get(
        "/{event_id:int}/participants.csv",
        operation_id="exportEventParticipants",
        media_type="text/csv",
    )
    async def participants_csv(self, actor: Actor, event_id: FromPath[int]) -> Response[str]:
        """The confirmed participants' names and authorities as CSV."""
        body = await events.participants_csv(actor, event_id)
        return Response(
            body,
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="teilnehmende-{event_id}.csv"'},
        )


class CalendarFeedController(Controller):
    path = "/calendar-feed"
    tags = ["Veranstaltungen"]

    @post("/", operation_id="renewCalendarFeed", status_code=HTTP_201_CREATED)
    async def renew(self, actor: Actor, settings: AppSettings) -> FeedOut:
        """A new secret address for the viewer's calendar feed; the old one stops working."""
        token = await service.renew_feed_token(actor)
        return FeedOut(url=feed_url(settings.base_url, token))

    @delete("/", operation_id="revokeCalendarFeed", status_code=HTTP_204_NO_CONTENT)
    async def revoke(self, actor: Actor) -> None:
        """The feed's address stops working."""
        await service.revoke_feed_token(actor)
