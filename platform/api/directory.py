"""Authorities, cornerstones and instruments: the platform's reference data."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromPath, FromQuery

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.models import AuthorityOut
from fachaustausch.accounts.policy import AuthorityKind
from fachaustausch.toolbox import service as toolbox
from fachaustausch.toolbox.models import CornerstoneOut, InstrumentOut, InstrumentSummaryOut


class DirectoryController(Controller):
    tags = ["Verzeichnis"]

    @get("/authorities", operation_id="listAuthorities")
    async def authorities(
        self, kind: FromQuery[AuthorityKind | None] = None, land: FromQuery[str | None] = None
    ) -> list[AuthorityOut]:
        return await accounts.list_authorities(kind, land)

    @get("/cornerstones", operation_id="listCornerstones")
    async def cornerstones(self) -> list[CornerstoneOut]:
        return await toolbox.list_cornerstones()

    @get("/instruments", operation_id="listInstruments")
    async def instruments(
        self, cornerstone: FromQuery[str | None] = None
    ) -> list[InstrumentSummaryOut]:
        return await toolbox.list_instruments(cornerstone)

    @get("/instruments/{slug:str}", operation_id="getInstrument")
    async def instrument(self, slug: FromPath[str]) -> InstrumentOut:
        return await toolbox.get_instrument(slug)
