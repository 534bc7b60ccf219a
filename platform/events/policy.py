"""Who may do what with an event. Services call these inside the write's transaction, with
the rows as they are then."""

from __future__ import annotations

from datetime import datetime

from fachaustausch.accounts.policy import Principal
from fachaustausch.core.errors import Conflict, PermissionDenied

MAY_NOT_CREATE = (
    "Veranstaltungen legen die Moderation (BAMF) und die Expertinnen und Experten der "
    "Modellstandorte an."
)
MAY_NOT_EDIT = "Diese Veranstaltung ändern nur ihr Veranstalter und die Moderation."
MAY_NOT_SEE_PARTICIPANTS = "Die Teilnehmendenliste sehen nur der Veranstalter und die Moderation."
NOT_A_COLLEAGUE = "Sie können nur sich selbst oder Kolleginnen und Kollegen Ihrer Behörde anmelden."
DEADLINE_PASSED = "Die Anmeldefrist ist abgelaufen."
CANCELLED = "Diese Veranstaltung ist abgesagt."


def may_create(actor: Principal) -> bool:
    return actor.is_moderator or actor.is_model_site_expert


def may_edit(actor: Principal, organiser_id: int) -> bool:
    """Moderators edit every event; an expert of a model site the ones they organise."""
    return actor.is_moderator or (actor.is_model_site_expert and actor.id == organiser_id)


def ensure_may_create(actor: Principal) -> None:
    if not may_create(actor):
        raise PermissionDenied(MAY_NOT_CREATE)


def ensure_may_edit(actor: Principal, organiser_id: int) -> None:
    if not may_edit(actor, organiser_id):
        raise PermissionDenied(MAY_NOT_EDIT)


def ensure_may_see_participants(actor: Principal, organiser_id: int) -> None:
    if not (actor.is_moderator or actor.id == organiser_id):
        raise PermissionDenied(MAY_NOT_SEE_PARTICIPANTS)


def registration_open(status: str, deadline: datetime, now: datetime) -> bool:
    return status == "scheduled" and now <= deadline


def ensure_registration_open(status: str, deadline: datetime, now: datetime) -> None:
    if status == "cancelled":
        raise Conflict(CANCELLED)
    if now > deadline:
        raise Conflict(DEADLINE_PASSED)


def ensure_may_register(actor: Principal, person_id: int, person_authority_id: int) -> None:
    """Oneself, or a colleague of one's own authority."""
    if person_id != actor.id and person_authority_id != actor.authority_id:
        raise PermissionDenied(NOT_A_COLLEAGUE)
