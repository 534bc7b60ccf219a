"""The toolbox pages: the five cornerstones and one page per instrument."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromPath
from litestar.response import Redirect, Template

from fachaustausch.core.errors import NotFound
from fachaustausch.events import queries as events
from fachaustausch.http.dependencies import Actor
from fachaustausch.notifications import service as notifications
from fachaustausch.questions import queries as questions
from fachaustausch.questions.models import Sort
from fachaustausch.questions.queries import QuestionFilters
from fachaustausch.toolbox import queries as toolbox
from fachaustausch.toolbox import upkeep

INSTRUMENT_QUESTIONS = 10


class ToolboxPages(Controller):
    path = "/werkzeugkoffer"

    @get("/", name="toolbox")
    async def overview(self, actor: Actor) -> Template:
        cornerstones = await toolbox.list_cornerstones()
        followed = await notifications.following_slugs(
            actor, "cornerstone", [c.slug for c in cornerstones]
        )
        return Template(
            "toolbox/overview.html", context={"cornerstones": cornerstones, "followed": followed}
        )

    @get("/{slug:str}", name="instrument")
    async def instrument(self, actor: Actor, slug: FromPath[str]) -> Template | Redirect:
        try:
            instrument = await toolbox.get_instrument(slug)
        except NotFound:
            # A merged instrument's old address leads to the instrument it became part of.
            current = await upkeep.resolve_slug(slug)
            if current is None:
                raise
            return Redirect(f"/werkzeugkoffer/{current}", status_code=301)
        items, more = await questions.list_questions(
            actor, QuestionFilters(instrument=slug), Sort.newest, INSTRUMENT_QUESTIONS
        )
        return Template(
            "toolbox/instrument.html",
            context={
                "instrument": instrument,
                "questions": items,
                "more_questions": bool(more),
                "following": await notifications.is_following(actor, "instrument", slug),
                "upcoming_events": await events.upcoming(instrument=instrument.slug),
            },
        )
