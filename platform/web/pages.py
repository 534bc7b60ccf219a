"""The start page and the information pages anyone may read: accessibility statement,
Leichte Sprache, Impressum and privacy statement."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from fachaustausch.accounts.policy import Role
from fachaustausch.events import queries as events
from fachaustausch.http.dependencies import Actor, AppSettings
from fachaustausch.http.security import PUBLIC
from fachaustausch.questions import queries as questions
from fachaustausch.questions.models import Sort
from fachaustausch.questions.queries import QuestionFilters
from fachaustausch.toolbox import queries as toolbox

HOME_QUESTIONS = 5


class InfoPages(Controller):
    opt = {PUBLIC: True}

    @get("/barrierefreiheit", name="accessibility")
    async def accessibility(self) -> Template:
        return Template("pages/barrierefreiheit.html")

    @get("/leichte-sprache", name="easy_language")
    async def easy_language(self) -> Template:
        return Template("pages/leichte_sprache.html")

    @get("/impressum", name="imprint")
    async def imprint(self, settings: AppSettings) -> Template:
        return Template("pages/impressum.html", context={"settings": settings})

    @get("/datenschutz", name="privacy")
    async def privacy(self, settings: AppSettings) -> Template:
        return Template(
            "pages/datenschutz.html",
            context={
                "settings": settings,
                "session_hours": round(settings.session_max_age_seconds / 3600),
                "lock_minutes": max(1, round(settings.login_lock_seconds / 60)),
            },
        )


class HomePage(Controller):
    @get("/", name="home")
    async def home(self, actor: Actor) -> Template:
        # A fixed number of queries: each list is one page of the service's list.
        newest, _ = await questions.list_questions(
            actor, QuestionFilters(), Sort.newest, HOME_QUESTIONS
        )
        unanswered, _ = await questions.list_questions(
            actor, QuestionFilters(), Sort.unanswered, HOME_QUESTIONS
        )
        for_me = None
        if actor.role is Role.expert:
            for_me, _ = await questions.list_questions(
                actor, QuestionFilters(for_me=True), Sort.newest, HOME_QUESTIONS
            )
        return Template(
            "home.html",
            context={
                "cornerstones": await toolbox.list_cornerstones(),
                "actor": actor,
                "newest": newest,
                "unanswered": unanswered,
                "for_me": for_me,
                "upcoming_events": await events.upcoming(),
            },
        )
