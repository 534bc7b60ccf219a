"""Login, logout and registration."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED
from pydantic import BaseModel

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.models import LoginInput, RegistrationInput, UserOut
from fachaustausch.api.openapi import errors
from fachaustausch.http.dependencies import AppSettings, Registrations, Throttle
from fachaustausch.http.security import (
    LOGIN_RATE_LIMIT,
    PUBLIC,
    SESSION_USER_KEY,
    client_address,
    refuse_cross_site,
)
from fachaustausch.http.sessions import rotate_session


class RegistrationAccepted(BaseModel):
    detail: str


class AuthController(Controller):
    path = "/auth"
    tags = ["Anmeldung"]

    # Exempt from CSRF: nothing is at stake before a session exists, and API clients
    # have no CSRF cookie yet when they sign in.
    @post(
        "/login",
        operation_id="login",
        opt={PUBLIC: True, "exclude_from_csrf": True},
        status_code=200,
        middleware=[LOGIN_RATE_LIMIT.middleware],
        responses=errors(401, 403, 429),
    )
    async def login(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[LoginInput],
        throttle: Throttle,
        settings: AppSettings,
    ) -> UserOut:
        """Signs in with e-mail and password and starts a session (cookie)."""
        refuse_cross_site(request, settings.base_url)
        user = await accounts.authenticate(data, throttle)
        rotate_session(request, {SESSION_USER_KEY: user.id})
        return await accounts.profile(user)

    @post("/logout", operation_id="logout", status_code=204)
    async def logout(self, request: Request[Any, Any, Any]) -> None:
        request.clear_session()

    @post(
        "/register",
        operation_id="register",
        opt={PUBLIC: True, "exclude_from_csrf": True},
        status_code=HTTP_202_ACCEPTED,
        responses=errors(403, 429),
    )
    async def register(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[RegistrationInput],
        settings: AppSettings,
        registrations: Registrations,
    ) -> RegistrationAccepted:
        """Asks for an account. It stays pending until the BAMF moderation approves it."""
        refuse_cross_site(request, settings.base_url)
        await accounts.register(data, settings, registrations, client_address(request))
        return RegistrationAccepted(
            detail="Ihre Registrierung ist eingegangen. Sie erhalten eine E-Mail, sobald die "
            "Moderation des BAMF Ihr Konto freigeschaltet hat."
        )
