"""The profile page and personal access tokens."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.models import TokenInput
from fachaustausch.dependencies import Actor
from fachaustausch.errors import DomainError
from fachaustausch.web.forms import Form, empty_form, read_form, validate


class AccountPages(Controller):
    path = "/profil"

    async def _page(
        self, actor: Actor, form: Form[Any], created: Any = None, status_code: int = 200
    ) -> Template:
        return Template(
            "account/profile.html",
            context={
                "profile": await accounts.profile(actor),
                "tokens": await accounts.list_tokens(actor),
                "form": form,
                "created": created,
            },
            status_code=status_code,
        )

    @get("/", name="profile")
    async def profile(self, actor: Actor) -> Template:
        return await self._page(actor, empty_form())

    @post("/token")
    async def create_token(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        data, form = validate(TokenInput, await read_form(request))
        if data is None:
            return await self._page(actor, form, status_code=422)
        try:
            created = await accounts.create_token(actor, data.name)
        except DomainError as exc:
            return await self._page(actor, form.fail(exc), status_code=exc.status_code)
        # The secret is shown on this one response and never again.
        return await self._page(actor, empty_form(), created=created, status_code=201)

    @post("/token/{token_id:int}/widerrufen")
    async def revoke_token(
        self, request: Request[Any, Any, Any], actor: Actor, token_id: FromPath[int]
    ) -> Redirect:
        await accounts.revoke_token(actor, token_id)
        flash(request, "Das Zugangstoken wurde widerrufen.", category="success")
        return Redirect("/profil")
