"""The event pages (Veranstaltungen): the list with its filters, one event with its
registration, the organiser's forms and participant list, the `.ics` files and the personal
calendar feed. Every action is a plain form POST that redirects back (post/redirect/get);
the events service decides who may do what."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from fachaustausch.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fachaustausch.events import feeds, service
from fachaustausch.events import queries as events
from fachaustausch.events.calendar import event_calendar, feed_calendar
from fachaustausch.events.feeds import feed_url
from fachaustausch.events.models import KIND_LABELS, LANDS, EventPatch, Kind
from fachaustausch.events.policy import MAY_NOT_EDIT, ensure_may_create, may_create
from fachaustausch.http.dependencies import Actor, AppSettings
from fachaustausch.http.security import PUBLIC
from fachaustausch.notifications import service as notifications
from fachaustausch.toolbox import queries as toolbox
from fachaustausch.web.event_forms import form_page, read_event_form, relocate, values_of
from fachaustausch.web.forms import Form, read_form

AnyRequest = Request[Any, Any, Any]
ICS = "text/calendar; charset=utf-8"
# The kind filter speaks German in the address bar.
KIND_PARAMS = {
    "schulung": Kind.training,
    "netzwerktreffen": Kind.network_meeting,
    "besichtigung": Kind.site_visit,
    "online": Kind.online,
}
REGISTERED = {
    "confirmed": "Sie sind angemeldet. Ihr Platz ist bestätigt.",
    "waiting": "Die Veranstaltung ist ausgebucht. Sie stehen auf der Warteliste und rücken "
    "automatisch nach, sobald ein Platz frei wird.",
}


def _domain(settings: Any) -> str:
    return str(settings.base_url).split("://", 1)[-1].split("/", 1)[0]


def _page(event_id: int, anchor: str = "") -> str:
    return events.event_url(event_id) + (f"#{anchor}" if anchor else "")


def _ics(body: bytes, filename: str) -> Response[bytes]:
    return Response(
        body,
        media_type=ICS,
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


class EventPages(Controller):
    path = "/veranstaltungen"

    @get("/", name="events")
    async def list_page(
        self,
        actor: Actor,
        zeit: FromQuery[str | None] = None,
        art: FromQuery[str | None] = None,
        eckpunkt: FromQuery[str | None] = None,
        instrument: FromQuery[str | None] = None,
        land: FromQuery[str | None] = None,
    ) -> Template:
        if art and art not in KIND_PARAMS:
            raise InvalidInput.for_field("art", "Diese Art von Veranstaltung gibt es nicht.")
        past = zeit == "vergangen"
        items = await events.list_events(
            when="past" if past else "upcoming",
            kind=KIND_PARAMS[art] if art else None,
            cornerstone=eckpunkt or None,
            instrument=instrument or None,
            land=land or None,
        )
        params = {
            "art": art or "",
            "eckpunkt": eckpunkt or "",
            "instrument": instrument or "",
            "land": land or "",
        }
        filters = {k: v for k, v in params.items() if v}
        return Template(
            "events/list.html",
            context={
                "items": items,
                "past": past,
                "may_create": may_create(actor),
                "params": params,
                "filtered": bool(filters),
                "upcoming_url": "/veranstaltungen?" + urlencode(filters),
                "past_url": "/veranstaltungen?" + urlencode({**filters, "zeit": "vergangen"}),
                "kind_options": [(param, KIND_LABELS[kind]) for param, kind in KIND_PARAMS.items()],
                "cornerstones": await toolbox.list_cornerstones(),
                "lands": LANDS,
            },
        )

    # --- creating and editing ------------------------------------------------------------------

    @get("/neu", name="event_new")
    async def new_form(self, actor: Actor) -> Template:
        ensure_may_create(actor)
        return await form_page(Form(values={"kind": "training", "capacity": "20"}))

    @post("/neu")
    async def create(self, request: AnyRequest, actor: Actor) -> Template | Redirect:
        data, form = read_event_form(await read_form(request))
        if data is not None:
            try:
                event_id = await service.create(actor, data)
            except InvalidInput as exc:
                relocate(form.fail(exc))
            else:
                flash(request, "Die Veranstaltung ist angelegt.", category="success")
                return Redirect(_page(event_id))
        return await form_page(form, status_code=422)

    @get("/{event_id:int}/bearbeiten", name="event_edit")
    async def edit_form(self, actor: Actor, event_id: FromPath[int]) -> Template:
        event = await events.get_event(actor, event_id)
        if not event.allowed.edit:
            raise PermissionDenied(MAY_NOT_EDIT)
        return await form_page(Form(values=values_of(event)), event=event)

    @post("/{event_id:int}/bearbeiten")
    async def edit(
        self, request: AnyRequest, actor: Actor, event_id: FromPath[int]
    ) -> Template | Redirect:
        raw = await read_form(request)
        data, form = read_event_form(raw)
        if data is not None:
            patch = EventPatch(
                **data.model_dump(exclude={"programme"}),
                programme=data.programme,
                materials=(raw.get("materials") or "").replace("\r\n", "\n"),
            )
            try:
                await service.update(actor, event_id, patch)
            except Conflict as exc:
                flash(request, exc.detail, category="warning")
                return Redirect(_page(event_id))
            except InvalidInput as exc:
                relocate(form.fail(exc))
            else:
                flash(
                    request,
                    "Die Änderungen sind gespeichert.",
                    category="success",
                )
                return Redirect(_page(event_id))
        event = await events.get_event(actor, event_id)
        return await form_page(form, event=event, status_code=422)

    @post("/{event_id:int}/absagen")
    async def cancel(self, request: AnyRequest, actor: Actor, event_id: FromPath[int]) -> Redirect:
        try:
            await service.cancel(actor, event_id)
        except Conflict as exc:
            flash(request, exc.detail, category="warning")
        else:
            flash(request, "Die Veranstaltung ist abgesagt.", category="success")
        return Redirect(_page(event_id))

    # --- registration --------------------------------------------------------------------------

    @post("/{event_id:int}/anmelden")
    async def register(
        self, request: AnyRequest, actor: Actor, event_id: FromPath[int]
    ) -> Redirect:
        try:
            status = await service.register(actor, event_id)
        except Conflict as exc:
            flash(request, exc.detail, category="warning")
        else:
            flash(request, REGISTERED[status], category="success")
        return Redirect(_page(event_id, "anmeldung"))

    @post("/{event_id:int}/abmelden")
    async def withdraw(
        self, request: AnyRequest, actor: Actor, event_id: FromPath[int]
    ) -> Redirect:
        try:
            await service.withdraw(actor, event_id)
        except Conflict as exc:
            flash(request, exc.detail, category="warning")
        else:
            flash(request, "Ihre Anmeldung ist zurückgezogen.", category="success")
        return Redirect(_page(event_id, "anmeldung"))

    @get("/{event_id:int}/teilnehmende", name="event_participants")
    async def participants(self, actor: Actor, event_id: FromPath[int]) -> Template:
        people = await events.participants(actor, event_id)
        event = await events.get_event(actor, event_id)
        return Template(
            "events/participants.html",
            context={
                "event": event,
                "confirmed": [p for p in people if p.status == "confirmed"],
                "waiting": [p for p in people if p.status == "waiting"],
            },
        )

    @get("/{event_id:int}/teilnehmende.csv", name="event_participants_csv")
    async def participants_csv(self, actor: Actor, event_id: FromPath[int]) -> Response[str]:
        return Response(
            await events.participants_csv(actor, event_id),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="teilnehmende-{event_id}.csv"'},
        )

    # --- the personal calendar feed ------------------------------------------------------------

    @get("/kalender", name="event_feed")
    async def feed_page(self, actor: Actor) -> Template:
        return Template(
            "events/feed.html", context={"has_feed": await feeds.has_feed(actor), "url": None}
        )

    @post("/kalender")
    async def renew_feed(self, actor: Actor, settings: AppSettings) -> Template:
        # The address is shown once, on this answer: only its hash is stored.
        token = await service.renew_feed_token(actor)
        return Template(
            "events/feed.html",
            context={"has_feed": True, "url": feed_url(settings.base_url, token)},
        )

    @post("/kalender/widerrufen")
    async def revoke_feed(self, request: AnyRequest, actor: Actor) -> Redirect:
        await service.revoke_feed_token(actor)
        flash(request, "Die Kalender-Adresse ist widerrufen.", category="success")
        return Redirect("/veranstaltungen/kalender")

    @get("/kalender/{name:str}", name="event_feed_file", opt={PUBLIC: True})
    async def feed_file(self, settings: AppSettings, name: FromPath[str]) -> Response[bytes]:
        """The subscribed calendar: the secret in the address is the only key, as calendar
        clients send no session."""
        token = name.removesuffix(".ics")
        user_id = await feeds.feed_owner(token) if name.endswith(".ics") else None
        if user_id is None:
            raise NotFound("Diese Kalender-Adresse gibt es nicht (mehr).")
        followed = await notifications.followed_topic_ids(user_id)
        entries = await feeds.feed_entries(user_id, settings.base_url, followed)
        body = feed_calendar(
            entries, name="Veranstaltungen – Fachaustausch", domain=_domain(settings)
        )
        return _ics(body, "veranstaltungen.ics")

    # --- one event -----------------------------------------------------------------------------

    @get("/{ref:str}", name="event")
    async def event(
        self, actor: Actor, settings: AppSettings, ref: FromPath[str]
    ) -> Template | Response[bytes]:
        # `/veranstaltungen/7` is the page and `/veranstaltungen/7.ics` its calendar file;
        # the router cannot tell a parameter's suffix, so one handler answers both.
        number = ref.removesuffix(".ics")
        if not number.isdigit() or len(number) > 12:
            raise NotFound(events.NOT_FOUND)
        event_id = int(number)
        if ref.endswith(".ics"):
            entry = await feeds.calendar_entry(actor, event_id, settings.base_url)
            return _ics(
                event_calendar(entry, domain=_domain(settings)),
                f"veranstaltung-{event_id}.ics",
            )
        event = await events.get_event(actor, event_id)
        return Template("events/event.html", context={"e": event, "actor": actor})
