"""A person's own data: export, who sees the e-mail address, signing out everywhere, and
deleting the account."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from fachaustausch.accounts import deletion, export, visibility
from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.models import AccountDeletion
from fachaustausch.core.errors import DomainError
from fachaustausch.http.dependencies import Actor, Throttle
from fachaustausch.web.forms import Form, empty_form, read_form, validate


class MyDataPages(Controller):
    path = "/profil/daten"

    async def _page(self, actor: Actor, form: Form[Any], status_code: int = 200) -> Template:
        return Template(
            "people/my_data.html",
            context={
                "profile": await accounts.profile(actor),
                "tokens": await accounts.list_tokens(actor),
                "form": form,
            },
            status_code=status_code,
        )

    @get("/", name="my_data")
    async def page(self, actor: Actor) -> Template:
        return await self._page(actor, empty_form())

    @get("/export.zip", name="my_data_export")
    async def download(self, actor: Actor) -> Response[bytes]:
        return Response(
            await export.export_archive(actor),
            media_type="application/zip",
            headers={
                "Content-Disposition": 'attachment; filename="fachaustausch-daten.zip"',
                "Cache-Control": "no-store",
            },
        )

    @post("/sichtbarkeit")
    async def show_email(self, request: Request[Any, Any, Any], actor: Actor) -> Redirect:
        values = await read_form(request)
        await visibility.set_show_email(actor, values.get("show_email") == "1")
        flash(request, "Ihre Einstellung ist gespeichert.", category="success")
        return Redirect("/profil/daten", status_code=303)

    @post("/abmelden")
    async def sign_out_everywhere(self, request: Request[Any, Any, Any], actor: Actor) -> Redirect:
        await deletion.sign_out_everywhere(actor)
        request.clear_session()
        return Redirect("/anmelden", status_code=303)

    @post("/loeschen")
    async def delete(
        self, request: Request[Any, Any, Any], actor: Actor, throttle: Throttle
    ) -> Template | Redirect:
        data, form = validate(AccountDeletion, await read_form(request))
        if data is None:
            return await self._page(actor, form, status_code=422)
        try:
            await deletion.delete_account(actor, data.password, throttle)
        except DomainError as exc:
            return await self._page(actor, form.fail(exc), exc.status_code)
        request.clear_session()
        return Redirect("/anmelden?geloescht=1", status_code=303)
