"""Finding the person to invite to a consultation, by name or authority: a result list
that works without JavaScript (each result is an invitation form of its own); with it,
static/js/person-search.js shows the same results while one types."""

from __future__ import annotations

from litestar import Controller, get
from litestar.params import FromPath, FromQuery
from litestar.response import Template

from fachaustausch.accounts import people
from fachaustausch.consultations import queries as consultations
from fachaustausch.consultations.phases import Role
from fachaustausch.http.dependencies import Actor
from fachaustausch.web.people import _clean

ROLE_OPTIONS = [(r.value, r.label) for r in (Role.advisor, Role.facilitator)]


class InvitationPages(Controller):
    path = "/fallberatungen"

    @get("/{consultation_id:int}/einladen", name="invite_search")
    async def search(
        self, actor: Actor, consultation_id: FromPath[int], q: FromQuery[str | None] = None
    ) -> Template:
        consultation = await consultations.get_consultation(actor, consultation_id)
        query = _clean(q)
        found = await people.search_people(q=query) if query else None
        return Template(
            "people/invite.html",
            context={
                "c": consultation,
                "q": query,
                "found": found,
                "role_options": ROLE_OPTIONS,
            },
        )
