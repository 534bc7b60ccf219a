"""Who may do what in the content review. Pure: the services call these inside their
transactions."""

from __future__ import annotations

from fachaustausch.accounts.policy import Principal, Role
from fachaustausch.core.errors import PermissionDenied


def may_review(actor: Principal) -> bool:
    """Experts and the moderation review posts; members read the outcome."""
    return actor.at_least(Role.expert)


def may_record_changes(actor: Principal) -> bool:
    return actor.is_moderator


def ensure_can_review(actor: Principal) -> None:
    if not may_review(actor):
        raise PermissionDenied(
            "Die Inhaltspflege ist Expertinnen und Experten sowie der Moderation vorbehalten."
        )


def ensure_can_record_changes(actor: Principal) -> None:
    if not may_record_changes(actor):
        raise PermissionDenied("Rechtsänderungen erfasst nur die Moderation (BAMF).")
