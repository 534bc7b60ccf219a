"""The moderation's page per person: role, expertise, authority, suspension. Each form
goes through the same service as PATCH /api/v1/people/{handle}."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from fachaustausch.accounts import people
from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.policy import Role, require_moderator
from fachaustausch.accounts.stewardship import PersonChange, change_person
from fachaustausch.core.errors import DomainError
from fachaustausch.http.dependencies import Actor
from fachaustausch.toolbox import queries as toolbox
from fachaustausch.web.forms import Form, empty_form, read_form, validate

ROLE_OPTIONS = [(r.value, r.label) for r in Role]


class PersonAdminPages(Controller):
    path = "/moderation/personen"

    async def _page(
        self, actor: Actor, handle: str, form: Form[Any], status_code: int = 200
    ) -> Template:
        require_moderator(actor)
        person = await people.get_person(actor, handle)
        if not form.values:
            form.values = {
                "role": person.role.value,
                "authority": person.authority.slug,
                "instruments": [i.slug for i in person.instruments],
            }
        return Template(
            "people/admin.html",
            context={
                "person": person,
                "form": form,
                "role_options": ROLE_OPTIONS,
                "authority_options": [(a.slug, a.name) for a in await accounts.list_authorities()],
                "cornerstones": await toolbox.list_cornerstones(),
            },
            status_code=status_code,
        )

    @get("/{handle:str}", name="person_admin")
    async def page(self, actor: Actor, handle: FromPath[str]) -> Template:
        return await self._page(actor, handle, empty_form())

    @post("/{handle:str}")
    async def change(
        self, request: Request[Any, Any, Any], actor: Actor, handle: FromPath[str]
    ) -> Template | Redirect:
        values = await read_form(request)
        which = values.pop("aenderung", "")
        if which == "status":
            wanted = {"status": values.get("status"), "reason": values.get("reason", "")}
        else:
            chosen = values.get("instruments") or []
            wanted = {
                "role": values.get("role") or None,
                "authority": values.get("authority") or None,
                "expertise": [chosen] if isinstance(chosen, str) else chosen,
                "reason": values.get("reason", ""),
            }
        data, form = validate(PersonChange, wanted)
        form.values = values
        if data is None:
            return await self._page(actor, handle, form, status_code=422)
        try:
            await change_person(actor, handle, data)
        except DomainError as exc:
            return await self._page(actor, handle, form.fail(exc), exc.status_code)
        flash(request, "Die Änderung ist gespeichert.", category="success")
        return Redirect(f"/moderation/personen/{handle}", status_code=303)
