"""The signed-in user's own account (password, e-mail address) and access tokens."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from litestar import Controller, Request, Response, delete, get, patch, post, put
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_202_ACCEPTED
from pydantic import BaseModel

from fachaustausch.accounts import credentials, deletion, export, sessions, visibility
from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.models import (
    AccountDeletion,
    CreatedTokenOut,
    EmailChangeRequest,
    PasswordChange,
    ProfileSettings,
    SessionOut,
    TokenInput,
    TokenOut,
    UserOut,
)
from fachaustausch.api.openapi import errors
from fachaustausch.http.dependencies import Actor, AppSettings, Throttle
from fachaustausch.http.security import start_session
from fachaustausch.notifications.mail import send_later


class EmailChangeAccepted(BaseModel):
    detail: str


class MeController(Controller):
    path = "/me"
    tags = ["Konto"]

    @get("/", operation_id="getMe", responses=errors(404))
    async def me(self, actor: Actor) -> UserOut:
        return await accounts.profile(actor)

    @patch("/", operation_id="changeMySettings")
    async def settings(self, actor: Actor, data: JSONBody[ProfileSettings]) -> UserOut:
        """`show_email`: whether signed-in members see your e-mail address on your
        profile (off by default)."""
        await visibility.set_show_email(actor, data.show_email)
        return await accounts.profile(actor)

    @get(
        "/export",
        operation_id="exportMyData",
        media_type="application/zip",
    )
    async def export(self, actor: Actor) -> Response[bytes]:
        """Everything stored about you (DSGVO Art. 15, 20): a ZIP with `daten.json` and
        the same as a readable `uebersicht.html`."""
        return Response(
            await export.export_archive(actor),
            media_type="application/zip",
            headers={
                "Content-Disposition": 'attachment; filename="fachaustausch-daten.zip"',
                "Cache-Control": "no-store",
            },
        )

    @delete("/", operation_id="deleteMe", status_code=204, responses=errors(403, 422, 429))
    async def delete_me(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        data: JSONBody[AccountDeletion],
        throttle: Throttle,
    ) -> None:
        """Deletes your account (DSGVO Art. 17), confirmed with your password. Your posts
        stay, shown as by "ehemaliges Mitglied" of your authority; your name, e-mail
        address, handle, votes, follows, sessions and access tokens are removed."""
        await deletion.delete_account(actor, data.password, throttle)
        request.clear_session()

    @post("/sign-out-everywhere", operation_id="signOutEverywhere", status_code=204)
    async def sign_out_everywhere(self, request: Request[Any, Any, Any], actor: Actor) -> None:
        """Ends every session of your account, this one included, and revokes every
        access token."""
        await deletion.sign_out_everywhere(actor)
        request.clear_session()

    @get("/sessions", operation_id="listMySessions")
    async def list_sessions(self, actor: Actor, settings: AppSettings) -> list[SessionOut]:
        """Your signed-in browser sessions, the newest first; `current` marks the one this
        request came with (none for a request with an access token)."""
        return await sessions.list_sessions(actor, settings.session_max_age_seconds)

    @delete(
        "/sessions/{session_id:int}",
        operation_id="endMySession",
        status_code=204,
        responses=errors(404),
    )
    async def end_session(self, actor: Actor, session_id: FromPath[int]) -> None:
        """Ends one of your sessions: its browser is signed out at its next request."""
        await sessions.end_session(actor, session_id)

    @put("/password", operation_id="changePassword", status_code=204)
    async def change_password(
        self,
        request: Request[Any, Any, Any],
        actor: Actor,
        data: JSONBody[PasswordChange],
        settings: AppSettings,
        throttle: Throttle,
    ) -> Response[None]:
        """Changes the password; the current one is required. Every other session of the
        account ends; this one goes on (its cookie is renewed)."""
        version, mails = await credentials.change_password(
            actor, data.current_password, data.new_password, throttle, settings
        )
        await start_session(request, replace(actor, session_version=version))
        return Response(None, status_code=204, background=send_later(settings, mails))

    @post("/email", operation_id="changeEmail", status_code=HTTP_202_ACCEPTED)
    async def change_email(
        self,
        actor: Actor,
        data: JSONBody[EmailChangeRequest],
        settings: AppSettings,
        throttle: Throttle,
    ) -> Response[EmailChangeAccepted]:
        """Asks to change the e-mail address (the current password is required): a link
        goes to the new address, and the address changes when it is used
        (`POST /api/v1/auth/email-change/confirm`)."""
        mails = await credentials.request_email_change(
            actor, data.email, data.current_password, throttle, settings
        )
        accepted = EmailChangeAccepted(
            detail=f"Wir haben einen Bestätigungslink an {data.email} geschickt. Bis Sie ihn "
            "benutzen, bleibt Ihre bisherige Adresse eingetragen."
        )
        return Response(accepted, status_code=202, background=send_later(settings, mails))


class TokenController(Controller):
    path = "/tokens"
    tags = ["Konto"]

    @get("/", operation_id="listTokens")
    async def list_tokens(self, actor: Actor) -> list[TokenOut]:
        return await accounts.list_tokens(actor)

    @post("/", operation_id="createToken", responses=errors(409))
    async def create_token(self, actor: Actor, data: JSONBody[TokenInput]) -> CreatedTokenOut:
        """Creates a personal access token. The `token` value is shown only in this answer."""
        return await accounts.create_token(actor, data.name)

    @delete("/{token_id:int}", operation_id="revokeToken")
    async def revoke_token(self, actor: Actor, token_id: FromPath[int]) -> None:
        await accounts.revoke_token(actor, token_id)
