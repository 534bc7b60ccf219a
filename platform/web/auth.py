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
from fachaustausch.http.security import LOGIN_RATE_LIMIT, PUBLIC, SESSION_USER_KEY, client_address
from fachaustausch.http.sessions import rotate_session
from fachaustausch.web.forms import empty_form, read_form, validate


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
                    context={"form": form, "next": next_url},
                    status_code=exc.status_code,
                )
            rotate_session(request, {SESSION_USER_KEY: user.id})
            flash(request, f"Willkommen, {user.display_name}!", category="success")
            return Redirect(next_url)
        return Template(
            "auth/login.html", context={"form": form, "next": next_url}, status_code=422
        )

    @post("/abmelden", opt={PUBLIC: False})
    async def logout(self, request: Request[Any, Any, Any]) -> Redirect:
        request.clear_session()
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
