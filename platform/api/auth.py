"""Login, logout, registration, and resetting a forgotten password."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, post
from litestar.params import JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED
from pydantic import BaseModel

from fachaustausch.accounts import credentials
from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.models import (
    EmailChangeConfirm,
    LoginInput,
    PasswordResetConfirm,
    PasswordResetRequest,
    RegistrationInput,
    UserOut,
)
from fachaustausch.api.openapi import errors
from fachaustausch.http.dependencies import AppSettings, Registrations, Throttle
from fachaustausch.http.security import (
    LOGIN_RATE_LIMIT,
    PUBLIC,
    RECOVERY_RATE_LIMIT,
    client_address,
    end_session,
    refuse_cross_site,
    start_session,
)
from fachaustausch.notifications.mail import send_later


class RegistrationAccepted(BaseModel):
    detail: str


class Done(BaseModel):
    detail: str


RESET_ACCEPTED = (
    "Wenn zu dieser Adresse ein Konto besteht, ist eine E-Mail mit einem Link zum Festlegen "
    "eines neuen Passworts unterwegs. Der Link gilt eine Stunde."
)


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
        await start_session(request, user)
        return await accounts.profile(user)

    @post("/logout", operation_id="logout", status_code=204)
    async def logout(self, request: Request[Any, Any, Any]) -> None:
        await end_session(request)

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

    # Reset by e-mail: exempt from CSRF like the login (no session exists yet); limited per
    # client address, and per mailbox in the service.
    @post(
        "/password-reset",
        operation_id="requestPasswordReset",
        opt={PUBLIC: True, "exclude_from_csrf": True},
        status_code=HTTP_202_ACCEPTED,
        middleware=[RECOVERY_RATE_LIMIT.middleware],
        responses=errors(403, 429),
    )
    async def request_password_reset(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[PasswordResetRequest],
        settings: AppSettings,
    ) -> Response[Done]:
        """Sends a link to set a new password, valid for one hour and once. Always 202:
        the answer does not tell whether the address has an account."""
        refuse_cross_site(request, settings.base_url)
        mails = await credentials.request_password_reset(data.email, settings)
        return Response(Done(detail=RESET_ACCEPTED), background=send_later(settings, mails))

    @post(
        "/password-reset/confirm",
        operation_id="confirmPasswordReset",
        opt={PUBLIC: True, "exclude_from_csrf": True},
        status_code=200,
        middleware=[RECOVERY_RATE_LIMIT.middleware],
        responses=errors(403, 429),
    )
    async def confirm_password_reset(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[PasswordResetConfirm],
        settings: AppSettings,
        throttle: Throttle,
    ) -> Response[Done]:
        """Sets the new password with the link's token. Every session of the account ends;
        sign in again with the new password."""
        refuse_cross_site(request, settings.base_url)
        mails = await credentials.reset_password(data.token, data.password, throttle, settings)
        return Response(
            Done(detail="Ihr Passwort ist geändert. Bitte melden Sie sich neu an."),
            background=send_later(settings, mails),
        )

    @post(
        "/email-change/confirm",
        operation_id="confirmEmailChange",
        opt={PUBLIC: True, "exclude_from_csrf": True},
        status_code=200,
        middleware=[RECOVERY_RATE_LIMIT.middleware],
        responses=errors(403, 429),
    )
    async def confirm_email_change(
        self,
        request: Request[Any, Any, Any],
        data: JSONBody[EmailChangeConfirm],
        settings: AppSettings,
    ) -> Done:
        """Sets the new e-mail address with the token from the mail sent to it."""
        refuse_cross_site(request, settings.base_url)
        email = await credentials.confirm_email_change(data.token)
        return Done(detail=f"Ihre E-Mail-Adresse ist jetzt {email}.")
