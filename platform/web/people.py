"""The people and authority directories and the network map. The directory's search is a
plain GET form: it works without JavaScript."""

from __future__ import annotations

from urllib.parse import urlencode

from litestar import Controller, get
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from fachaustausch.accounts import people
from fachaustausch.accounts import service as accounts
from fachaustausch.http.dependencies import Actor
from fachaustausch.network.points import MapPoint
from fachaustausch.network.view import NetworkView, network_view

LAENDER = (
    "Baden-Württemberg", "Bayern", "Berlin", "Brandenburg", "Bremen", "Hamburg", "Hessen",
    "Mecklenburg-Vorpommern", "Niedersachsen", "Nordrhein-Westfalen", "Rheinland-Pfalz",
    "Saarland", "Sachsen", "Sachsen-Anhalt", "Schleswig-Holstein", "Thüringen",
)  # fmt: skip
MAX_QUERY = 100


def _clean(value: str | None, limit: int = MAX_QUERY) -> str:
    # Control characters never reach the database (PostgreSQL refuses NUL).
    text = "".join(c for c in (value or "") if c.isprintable()).strip()
    return text[:limit]


async def map_view(dom_id: str = "network-map") -> NetworkView:
    authorities, partners, _ = await people.network()
    points = [MapPoint(a.slug, a.name, a.kind.value, a.land) for a in authorities]
    return network_view(points, partners, dom_id)


class PeoplePages(Controller):
    @get("/personen", name="people")
    async def directory(
        self,
        actor: Actor,
        q: FromQuery[str | None] = None,
        behoerde: FromQuery[str | None] = None,
        land: FromQuery[str | None] = None,
        instrument: FromQuery[str | None] = None,
        ab: FromQuery[str | None] = None,
    ) -> Template:
        params = {
            "q": _clean(q),
            "behoerde": _clean(behoerde, 80),
            "land": _clean(land, 60),
            "instrument": _clean(instrument, 120),
        }
        page = await people.search_people(
            q=params["q"] or None,
            authority=params["behoerde"] or None,
            land=params["land"] or None,
            instrument=params["instrument"] or None,
            after=_clean(ab, 40) or None,
        )
        next_url = None
        if page.next_cursor:
            next_url = "/personen?" + urlencode(
                {**{k: v for k, v in params.items() if v}, "ab": page.next_cursor}
            )
        return Template(
            "people/directory.html",
            context={
                "params": params,
                "page": page,
                "next_url": next_url,
                "authorities": await accounts.list_authorities(),
                "laender": LAENDER,
                "instruments": await people.instrument_choices(),
            },
        )

    @get("/personen/konto/{user_id:int}", name="person_by_number")
    async def by_number(self, user_id: FromPath[int]) -> Redirect:
        """Author lines know the account number; the profile's address is the handle."""
        return Redirect(f"/personen/{await people.handle_of(user_id)}", status_code=302)

    @get("/personen/{handle:str}", name="person")
    async def person(self, actor: Actor, handle: FromPath[str]) -> Template:
        profile = await people.get_person(actor, _clean(handle, 40))
        return Template("people/person.html", context={"person": profile})

    @get("/behoerden", name="authorities")
    async def authorities(self, actor: Actor) -> Template:
        _, _, counts = await people.network()
        return Template(
            "people/authorities.html",
            context={"authorities": await accounts.list_authorities(), "counts": counts},
        )

    @get("/behoerden/{slug:str}", name="authority")
    async def authority(self, actor: Actor, slug: FromPath[str]) -> Template:
        profile = await people.authority_profile(_clean(slug, 80))
        return Template("people/authority.html", context={"authority": profile})

    @get("/netzwerk", name="network")
    async def network(self, actor: Actor) -> Template:
        return Template("people/network.html", context={"network": await map_view()})
