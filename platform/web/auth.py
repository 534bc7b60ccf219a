"""Login, logout, registration and the waiting page."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.models import LoginInput, RegistrationInput
from fachaustausch.accounts.policy import AuthorityKind
from fachaustausch.accounts.service import AccountPending
from fachaustausch.core.errors import DomainError
from fachaustausch.http.dependencies import AppSettings, Registrations, Throttle
from fachaustausch.http.security import (
    LOGIN_RATE_LIMIT,
    PUBLIC,
    client_address,
    end_session,
    start_session,
)
from fachaustausch.web import drafts
from fachaustausch.web.expired import EXPIRED
from fachaustausch.web.forms import empty_form, read_form, validate

SIGNED_IN = "Sie sind angemeldet."


def _back_to_the_form(request: Request[Any, Any, Any], draft: drafts.Draft) -> Redirect:
    drafts.keep(request.session, draft)
    flash(
        request,
        "Ihre Eingaben stehen wieder im Formular. Bitte prüfen Sie sie und senden Sie das "
        "Formular erneut ab.",
        category="info",
    )
    return Redirect(_safe_next(draft.page))


def _safe_next(target: str | None) -> str:
    # Only local paths: an open redirect would make phishing links look like ours.
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


class AuthPages(Controller):
    opt = {PUBLIC: True}

    @get("/anmelden", name="login")
    async def login_form(
        self, request: Request[Any, Any, Any], weiter: FromQuery[str | None] = None
    ) -> Template | Redirect:
        if request.scope.get("user") is not None:
            # Already signed in: the login form would be a dead end.
            return Redirect(_safe_next(weiter))
        return Template(
            "auth/login.html", context={"form": empty_form(), "next": _safe_next(weiter)}
        )

    @post("/anmelden", middleware=[LOGIN_RATE_LIMIT.middleware])
    async def login(
        self, request: Request[Any, Any, Any], throttle: Throttle
    ) -> Template | Redirect:
        values = await read_form(request)
        next_url = _safe_next(values.pop("weiter", None))
        # A form's input kept through an expired session (web/drafts.py).
        draft = drafts.Draft.from_field(values.pop(drafts.DRAFT_FIELD, None))
        again = {"next": next_url, "draft": draft, "expired": EXPIRED if draft else ""}
        data, form = validate(LoginInput, values)
        if data is not None:
            try:
                user = await accounts.authenticate(data, throttle)
            except AccountPending:
                return Redirect("/konto-wartet")
            except DomainError as exc:
                form.fail(exc)
                return Template(
                    "auth/login.html",
                    context={"form": form, **again},
                    status_code=exc.status_code,
                )
            await start_session(request, user)
            # The start page greets by name in its heading; the message only confirms.
            flash(request, SIGNED_IN, category="success")
            if draft is not None:
                return _back_to_the_form(request, draft)
            return Redirect(next_url)
        return Template("auth/login.html", context={"form": form, **again}, status_code=422)

    @post("/entwurf", opt={PUBLIC: False})
    async def restore_draft(self, request: Request[Any, Any, Any]) -> Redirect:
        """ "Zurück zum Formular" on the expiry page of a signed-in user whose CSRF cookie
        had run out: the draft goes into the session, for the form's page."""
        values = await read_form(request)
        draft = drafts.Draft.from_field(values.get(drafts.DRAFT_FIELD))
        if draft is None:
            return Redirect(_safe_next(values.get("weiter")))
        return _back_to_the_form(request, draft)

    @post("/abmelden", opt={PUBLIC: False})
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        await end_session(request)
        return Redirect("/anmelden")

    async def _authority_groups(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """Authorities for the picker, grouped by kind (model sites first)."""
        authorities = await accounts.list_authorities()
        return [
            (kind.label, [(a.slug, a.name) for a in authorities if a.kind is kind])
            for kind in AuthorityKind
            if any(a.kind is kind for a in authorities)
        ]

    @get("/registrieren", name="register")
    async def register_form(self) -> Template:
        return Template(
            "auth/register.html",
            context={"form": empty_form(), "authority_groups": await self._authority_groups()},
        )

    @post("/registrieren")
    async def register(
        self, request: Request[Any, Any, Any], settings: AppSettings, registrations: Registrations
    ) -> Template | Redirect:
        data, form = validate(RegistrationInput, await read_form(request))
        status, headers = 422, {}
        if data is not None:
            try:
                await accounts.register(data, settings, registrations, client_address(request))
            except DomainError as exc:
                form.fail(exc)
                status, headers = exc.status_code, exc.headers
            else:
                return Redirect("/registrierung-eingegangen")
        return Template(
            "auth/register.html",
            context={"form": form, "authority_groups": await self._authority_groups()},
            status_code=status,
            headers=headers,
        )

    @get("/registrierung-eingegangen")
    async def registered(self) -> Template:
        return Template("auth/registered.html")

    @get("/konto-wartet")
    async def pending(self) -> Template:
        return Template("auth/pending.html")
