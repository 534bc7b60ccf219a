"""The people directory: search, profiles and (for the moderation) changes to a person."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, patch
from litestar.params import JSONBody, PathParameter, QueryParameter

from fachaustausch.accounts import people
from fachaustausch.accounts.people_models import PeoplePage, PersonProfileOut
from fachaustausch.accounts.stewardship import PersonChange, change_person
from fachaustausch.api.directory import NO_CONTROL_CHARACTERS, SLUG_PATTERN
from fachaustausch.api.openapi import errors
from fachaustausch.http.dependencies import Actor

HANDLE_PATTERN = r"^[a-z0-9][a-z0-9._-]{0,38}[a-z0-9]$"

Handle = Annotated[str, PathParameter(pattern=HANDLE_PATTERN, max_length=40)]


class PeopleController(Controller):
    path = "/people"
    tags = ["Personen"]

    @get("/", operation_id="listPeople")
    async def list_people(
        self,
        actor: Actor,
        q: Annotated[
            str | None, QueryParameter(pattern=NO_CONTROL_CHARACTERS, max_length=100)
        ] = None,
        authority: Annotated[
            str | None, QueryParameter(pattern=SLUG_PATTERN, max_length=80)
        ] = None,
        land: Annotated[
            str | None, QueryParameter(pattern=NO_CONTROL_CHARACTERS, max_length=60)
        ] = None,
        instrument: Annotated[
            str | None, QueryParameter(pattern=SLUG_PATTERN, max_length=120)
        ] = None,
        cursor: Annotated[str | None, QueryParameter(pattern=HANDLE_PATTERN, max_length=40)] = None,
    ) -> PeoplePage:
        """Active people, by handle; `q` matches name, handle or the authority's name.
        `next_cursor` goes into `cursor` for the next page."""
        return await people.search_people(
            q=q, authority=authority, land=land, instrument=instrument, after=cursor
        )

    @get("/{handle:str}", operation_id="getPerson", responses=errors(404))
    async def person(self, actor: Actor, handle: Handle) -> PersonProfileOut:
        return await people.get_person(actor, handle)

    @patch("/{handle:str}", operation_id="changePerson", responses=errors(403, 404, 409, 422))
    async def change(
        self, actor: Actor, handle: Handle, data: JSONBody[PersonChange]
    ) -> PersonProfileOut:
        """For the moderation: role, expertise (experts only), authority, and `status`
        `suspended` (with a `reason`) or `active`. Moderators act on members and experts;
        only the administration acts on moderators and administrators. Each change is
        audited."""
        return await change_person(actor, handle, data)
