"""Forgotten passwords, and changing the password or e-mail address in the profile.

The reset and confirmation pages are public (the link in the mail is the proof); sending
the forms is limited per client address. Mails go out after the answer (send_later)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from fachaustausch.accounts import credentials
from fachaustausch.accounts.models import (
    EmailChangeConfirm,
    EmailChangeRequest,
    PasswordChange,
    PasswordResetConfirm,
    PasswordResetRequest,
)
from fachaustausch.core.errors import DomainError, InvalidInput
from fachaustausch.http.dependencies import Actor, AppSettings, Throttle
from fachaustausch.http.security import PUBLIC, RECOVERY_RATE_LIMIT, start_session
from fachaustausch.notifications.mail import send_later
from fachaustausch.web.forms import Form, empty_form, read_form, validate

AnyRequest = Request[Any, Any, Any]
FORGOT = "/passwort-vergessen"


def _bad_link(exc: InvalidInput) -> bool:
    return any(error.field == "token" for error in exc.errors)


class RecoveryPages(Controller):
    opt = {PUBLIC: True}

    @get(FORGOT, name="forgot_password")
    async def forgot_form(self) -> Template:
        return Template("auth/forgot.html", context={"form": empty_form()})

    @post(FORGOT, middleware=[RECOVERY_RATE_LIMIT.middleware])
    async def forgot(self, request: AnyRequest, settings: AppSettings) -> Template | Redirect:
        data, form = validate(PasswordResetRequest, await read_form(request))
        if data is None:
            return Template("auth/forgot.html", context={"form": form}, status_code=422)
        mails = await credentials.request_password_reset(data.email, settings)
        # The same page whether or not the address has an account.
        return Redirect(f"{FORGOT}/gesendet", background=send_later(settings, mails))

    @get(f"{FORGOT}/gesendet")
    async def forgot_sent(self) -> Template:
        return Template("auth/forgot_sent.html")

    def _reset_page(self, token: str, form: Form[Any], status_code: int = 200) -> Template:
        return Template(
            "auth/reset.html", context={"form": form, "token": token}, status_code=status_code
        )

    def _link_refused(self, exc: InvalidInput, template: str) -> Template:
        return Template(template, context={"refused": exc.errors[0].message}, status_code=422)

    @get(credentials.RESET_PATH, name="reset_password")
    async def reset_form(self, token: FromQuery[str] = "") -> Template:
        try:
            await credentials.check_reset_link(token)
        except InvalidInput as exc:
            return self._link_refused(exc, "auth/reset.html")
        return self._reset_page(token, empty_form())

    @post(credentials.RESET_PATH, middleware=[RECOVERY_RATE_LIMIT.middleware])
    async def reset(
        self, request: AnyRequest, settings: AppSettings, throttle: Throttle
    ) -> Template | Redirect:
        values = await read_form(request)
        token = str(values.get("token", ""))
        data, form = validate(PasswordResetConfirm, values)
        if data is None:
            return self._reset_page(token, form, 422)
        try:
            mails = await credentials.reset_password(data.token, data.password, throttle, settings)
        except InvalidInput as exc:
            if _bad_link(exc):
                return self._link_refused(exc, "auth/reset.html")
            return self._reset_page(token, form.fail(exc), 422)
        flash(
            request,
            "Ihr Passwort ist geändert; alle bisherigen Anmeldungen sind beendet. "
            "Bitte melden Sie sich mit dem neuen Passwort an.",
            category="success",
        )
        return Redirect("/anmelden", background=send_later(settings, mails))

    @get(credentials.CONFIRM_EMAIL_PATH, name="confirm_email")
    async def confirm_email_form(self, token: FromQuery[str] = "") -> Template:
        # A page with a button, not the change itself: mail scanners open links.
        try:
            new_email = await credentials.check_email_link(token)
        except InvalidInput as exc:
            return self._link_refused(exc, "account/confirm_email.html")
        return Template(
            "account/confirm_email.html", context={"token": token, "new_email": new_email}
        )

    @post(credentials.CONFIRM_EMAIL_PATH, middleware=[RECOVERY_RATE_LIMIT.middleware])
    async def confirm_email(self, request: AnyRequest) -> Template | Redirect:
        data, _ = validate(EmailChangeConfirm, await read_form(request))
        try:
            if data is None:
                raise InvalidInput.for_field("token", credentials.INVALID_LINK)
            email = await credentials.confirm_email_change(data.token)
        except InvalidInput as exc:
            return self._link_refused(exc, "account/confirm_email.html")
        flash(request, f"Ihre E-Mail-Adresse ist jetzt {email}.", category="success")
        return Redirect("/profil" if request.scope.get("user") else "/anmelden")


class CredentialPages(Controller):
    path = "/profil"

    @get("/passwort", name="change_password")
    async def password_form(self) -> Template:
        return Template("account/password.html", context={"form": empty_form()})

    @post("/passwort")
    async def change_password(
        self, request: AnyRequest, actor: Actor, settings: AppSettings, throttle: Throttle
    ) -> Template | Redirect:
        data, form = validate(PasswordChange, await read_form(request))
        status = 422
        if data is not None:
            try:
                version, mails = await credentials.change_password(
                    actor, data.current_password, data.new_password, throttle, settings
                )
            except DomainError as exc:
                if exc.status_code not in (422, 429):
                    raise
                form.fail(exc)
                status = exc.status_code
            else:
                # Every other session has ended; this one starts anew with the new count.
                await start_session(request, replace(actor, session_version=version))
                flash(
                    request,
                    "Ihr Passwort ist geändert. Alle anderen Anmeldungen sind beendet.",
                    category="success",
                )
                return Redirect("/profil", background=send_later(settings, mails))
        return Template("account/password.html", context={"form": form}, status_code=status)

    @get("/email", name="change_email")
    async def email_form(self) -> Template:
        return Template("account/email.html", context={"form": empty_form()})

    @post("/email")
    async def change_email(
        self, request: AnyRequest, actor: Actor, settings: AppSettings, throttle: Throttle
    ) -> Template | Redirect:
        data, form = validate(EmailChangeRequest, await read_form(request))
        status = 422
        if data is not None:
            try:
                mails = await credentials.request_email_change(
                    actor, data.email, data.current_password, throttle, settings
                )
            except DomainError as exc:
                if exc.status_code not in (422, 429):
                    raise
                form.fail(exc)
                status = exc.status_code
            else:
                flash(
                    request,
                    f"Wir haben einen Bestätigungslink an {data.email} geschickt. Bis Sie ihn "
                    "benutzen, bleibt Ihre bisherige Adresse eingetragen.",
                    category="success",
                )
                return Redirect("/profil", background=send_later(settings, mails))
        return Template("account/email.html", context={"form": form}, status_code=status)
