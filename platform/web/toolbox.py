"""The toolbox pages: the five cornerstones and one page per instrument."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromPath
from litestar.response import Template

from fachaustausch.toolbox import service as toolbox


class ToolboxPages(Controller):
    path = "/werkzeugkoffer"

    @get("/", name="toolbox")
    async def overview(self) -> Template:
        return Template(
            "toolbox/overview.html", context={"cornerstones": await toolbox.list_cornerstones()}
        )

    @get("/{slug:str}", name="instrument")
    async def instrument(self, slug: FromPath[str]) -> Template:
        return Template(
            "toolbox/instrument.html", context={"instrument": await toolbox.get_instrument(slug)}
        )
