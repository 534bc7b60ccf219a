"""Moderator pages: pending registrations."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.models import RejectInput
from fachaustausch.dependencies import Actor, AppSettings
from fachaustausch.errors import DomainError
from fachaustausch.web.forms import read_form, validate


class ModerationPages(Controller):
    path = "/moderation"

    @get("/registrierungen", name="registrations")
    async def registrations(self, actor: Actor) -> Template:
        return Template(
            "moderation/registrations.html",
            context={"pending": await accounts.pending_registrations(actor)},
        )

    @post("/registrierungen/{user_id:int}/freischalten")
    async def approve(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        user_id: FromPath[int],
        settings: AppSettings,
    ) -> Redirect:
        try:
            await accounts.approve_registration(actor, user_id, settings)
            flash(request, "Das Konto wurde freigeschaltet.", category="success")
        except DomainError as exc:
            if exc.status_code == 403:
                raise
            flash(request, exc.detail, category="warning")
        return Redirect("/moderation/registrierungen")

    @post("/registrierungen/{user_id:int}/ablehnen")
    async def reject(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        user_id: FromPath[int],
        settings: AppSettings,
    ) -> Redirect:
        data, form = validate(RejectInput, await read_form(request))
        try:
            if data is None:
                reason_error = form.errors.get("reason", form.message)
                flash(request, f"Begründung: {reason_error}", category="warning")
            else:
                await accounts.reject_registration(actor, user_id, data.reason, settings)
                flash(request, "Die Registrierung wurde abgelehnt.", category="success")
        except DomainError as exc:
            if exc.status_code == 403:
                raise
            flash(request, exc.detail, category="warning")
        return Redirect("/moderation/registrierungen")
