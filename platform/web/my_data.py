"""A person's own data: export, who sees the e-mail address, the signed-in sessions and
access tokens (ending one, or all everywhere), and deleting the account."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from fachaustausch.accounts import deletion, export, sessions, visibility
from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.models import AccountDeletion
from fachaustausch.core.errors import DomainError
from fachaustausch.http.dependencies import Actor, AppSettings, Throttle
from fachaustausch.http.security import end_session
from fachaustausch.web.forms import Form, empty_form, read_form, validate


class MyDataPages(Controller):
    path = "/profil/daten"

    async def _page(
        self, actor: Actor, settings: AppSettings, form: Form[Any], status_code: int = 200
    ) -> Template:
        signed_in = await sessions.list_sessions(actor, settings.session_max_age_seconds)
        return Template(
            "people/my_data.html",
            context={
                "profile": await accounts.profile(actor),
                "tokens": await accounts.list_tokens(actor),
                "sessions_count": len(signed_in),
                "form": form,
            },
            status_code=status_code,
        )

    @get("/", name="my_data")
    async def page(self, actor: Actor, settings: AppSettings) -> Template:
        return await self._page(actor, settings, empty_form())

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

    @get("/anmeldungen", name="my_sessions")
    async def sessions_page(self, actor: Actor, settings: AppSettings) -> Template:
        return Template(
            "people/sessions.html",
            context={
                "sessions": await sessions.list_sessions(actor, settings.session_max_age_seconds),
                "tokens": await accounts.list_tokens(actor),
                "by_token": actor.token_id is not None,
            },
        )

    @post("/anmeldungen/{session_id:int}/beenden")
    async def end_one_session(
        self, request: Request[Any, Any, Any], actor: Actor, session_id: FromPath[int]
    ) -> Redirect:
        if session_id == actor.session_id:
            await end_session(request)
            return Redirect("/anmelden", status_code=303)
        await sessions.end_session(actor, session_id)
        flash(request, "Die Anmeldung wurde beendet.", category="success")
        return Redirect("/profil/daten/anmeldungen", status_code=303)

    @post("/anmeldungen/token/{token_id:int}/widerrufen")
    async def revoke_token(
        self, request: Request[Any, Any, Any], actor: Actor, token_id: FromPath[int]
    ) -> Redirect:
        await accounts.revoke_token(actor, token_id)
        flash(request, "Das Zugangstoken wurde widerrufen.", category="success")
        return Redirect("/profil/daten/anmeldungen", status_code=303)

    @post("/loeschen")
    async def delete(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        throttle: Throttle,
        settings: AppSettings,
    ) -> Template | Redirect:
        data, form = validate(AccountDeletion, await read_form(request))
        if data is None:
            return await self._page(actor, settings, form, status_code=422)
        try:
            await deletion.delete_account(actor, data.password, throttle)
        except DomainError as exc:
            return await self._page(actor, settings, form.fail(exc), exc.status_code)
        request.clear_session()
        return Redirect("/anmelden?geloescht=1", status_code=303)
