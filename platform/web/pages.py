"""The start page and the information pages (accessibility statement, Leichte Sprache)."""

from __future__ import annotations

from litestar import Controller, get
from litestar.response import Template

from fachaustausch.dependencies import Actor
from fachaustausch.security import PUBLIC
from fachaustausch.toolbox import service as toolbox


class InfoPages(Controller):
    opt = {PUBLIC: True}

    @get("/barrierefreiheit", name="accessibility")
    async def accessibility(self) -> Template:
        return Template("pages/barrierefreiheit.html")

    @get("/leichte-sprache", name="easy_language")
    async def easy_language(self) -> Template:
        return Template("pages/leichte_sprache.html")


class HomePage(Controller):
    @get("/", name="home")
    async def home(self, actor: Actor) -> Template:
        return Template(
            "home.html",
            context={"cornerstones": await toolbox.list_cornerstones(), "actor": actor},
        )
