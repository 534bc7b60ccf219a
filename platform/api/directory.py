"""Authorities, cornerstones and instruments: the platform's reference data."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, get
from litestar.openapi import ResponseSpec
from litestar.params import FromQuery, PathParameter, QueryParameter
from litestar.response import Redirect

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.models import AuthorityOut
from fachaustausch.accounts.policy import AuthorityKind
from fachaustausch.api.openapi import errors
from fachaustausch.core.errors import NotFound
from fachaustausch.toolbox import queries as toolbox
from fachaustausch.toolbox import upkeep
from fachaustausch.toolbox.models import CornerstoneOut, InstrumentOut, InstrumentSummaryOut

# Checked before they reach the database: PostgreSQL refuses NUL characters outright.
SLUG_PATTERN = r"^[a-z0-9-]+$"
NO_CONTROL_CHARACTERS = r"^[^\x00-\x1f\x7f]*$"


class DirectoryController(Controller):
    tags = ["Verzeichnis"]

    @get("/authorities", operation_id="listAuthorities")
    async def authorities(
        self,
        kind: FromQuery[AuthorityKind | None] = None,
        land: Annotated[
            str | None, QueryParameter(pattern=NO_CONTROL_CHARACTERS, max_length=60)
        ] = None,
    ) -> list[AuthorityOut]:
        return await accounts.list_authorities(kind, land)

    @get("/cornerstones", operation_id="listCornerstones")
    async def cornerstones(self) -> list[CornerstoneOut]:
        return await toolbox.list_cornerstones()

    @get("/instruments", operation_id="listInstruments", responses=errors(404))
    async def instruments(
        self,
        cornerstone: Annotated[
            str | None, QueryParameter(pattern=SLUG_PATTERN, max_length=80)
        ] = None,
    ) -> list[InstrumentSummaryOut]:
        return await toolbox.list_instruments(cornerstone)

    @get(
        "/instruments/{slug:str}",
        operation_id="getInstrument",
        responses={
            301: ResponseSpec(
                None, description="Zusammengeführt: `Location` nennt die neue Adresse."
            )
        },
    )
    async def instrument(
        self, slug: Annotated[str, PathParameter(pattern=SLUG_PATTERN, max_length=80)]
    ) -> Response[InstrumentOut]:
        """A merged instrument's old slug answers 301 with the new address."""
        try:
            return Response(await toolbox.get_instrument(slug))
        except NotFound:
            if new_slug := await upkeep.resolve_slug(slug):
                return Redirect(f"/api/v1/instruments/{new_slug}", status_code=301)
            raise
