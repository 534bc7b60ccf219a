"""Moderation: pending registrations (further moderator tools build on this)."""

from __future__ import annotations

from litestar import Controller, get, post

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.models import PendingRegistrationOut, RejectInput
from fachaustausch.accounts.policy import Principal
from fachaustausch.settings import Settings


class ModerationController(Controller):
    path = "/moderation"
    tags = ["Moderation"]

    @get("/registrations", operation_id="listPendingRegistrations")
    async def registrations(self, actor: Principal) -> list[PendingRegistrationOut]:
        return await accounts.pending_registrations(actor)

    @post(
        "/registrations/{user_id:int}/approve", operation_id="approveRegistration", status_code=204
    )
    async def approve(self, actor: Principal, user_id: int, settings: Settings) -> None:
        await accounts.approve_registration(actor, user_id, settings)

    @post("/registrations/{user_id:int}/reject", operation_id="rejectRegistration", status_code=204)
    async def reject(
        self, actor: Principal, user_id: int, settings: Settings, data: RejectInput | None = None
    ) -> None:
        await accounts.reject_registration(actor, user_id, data.reason if data else "", settings)
