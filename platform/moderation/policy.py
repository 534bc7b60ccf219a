"""Moderation's own rules: what a member may report, what an action needs and which
targets it applies to. Rank rules on people are accounts' (accounts.policy
`check_action_on_person`); the actions call both. Each check raises the refusal with its
German reason."""

from __future__ import annotations

from fachaustausch.accounts.policy import Principal
from fachaustausch.core.errors import InvalidInput
from fachaustausch.moderation.models import (
    EDIT_REASON_MAX,
    FLAGGABLE,
    ActionInput,
    FlagInput,
    FlagReason,
    TargetType,
)

# Rows that can be hidden, in the order refusals name them; their owning domains hide
# them (moderation.targets).
HIDEABLE = (
    TargetType.question,
    TargetType.answer,
    TargetType.comment,
    TargetType.consultation,
    TargetType.consultation_post,
)

# A consultation itself cannot be flagged by members, but the personal-data scan flags it.
FLAG_RESOLVING = frozenset(FLAGGABLE | {TargetType.consultation})

# Moderators' reasons on content are shown with it or kept in its history, and must not carry
# case data either; nor those on accounts, kept in the audit log and shown to the member (the
# people pages' changes check theirs alike: accounts/stewardship.py). A registration's
# rejection reason goes by mail to the applicant, and its row is deleted.
GUARDED_REASONS = frozenset({*HIDEABLE, TargetType.flag, TargetType.user})

# Three members independently reporting personal data hide the post at once.
AUTO_HIDE_FLAGS = 3


def ensure_flaggable_kind(target_type: TargetType) -> None:
    if target_type not in FLAGGABLE:
        raise InvalidInput.for_field("target_type", "Dieser Eintrag kann nicht gemeldet werden.")


def ensure_not_oneself(actor: Principal, target_type: TargetType, target_id: int) -> None:
    if target_type is TargetType.user and target_id == actor.id:
        raise InvalidInput.for_field("target_id", "Sie können sich nicht selbst melden.")


def ensure_flag_text(data: FlagInput) -> None:
    if data.reason is FlagReason.other and not data.text.strip():
        raise InvalidInput.for_field("text", "Bitte beschreiben Sie kurz, was nicht stimmt.")


def require_reason(data: ActionInput) -> None:
    if not data.reason.strip():
        raise InvalidInput.for_field("reason", "Bitte geben Sie eine Begründung an.")


def require_edit_reason(data: ActionInput) -> None:
    """Edits and retags keep the reason with the revision (at most 300 characters)."""
    if len(" ".join(data.reason.split())) > EDIT_REASON_MAX:
        raise InvalidInput.for_field(
            "reason",
            f"Die Begründung einer Bearbeitung darf höchstens {EDIT_REASON_MAX} Zeichen lang sein.",
        )


def only(data: ActionInput, *allowed: TargetType) -> None:
    if data.target_type not in allowed:
        names = ", ".join(t.label for t in allowed)
        raise InvalidInput.for_field("target_type", f"„{data.action.label}“ gilt nur für: {names}.")


def check_close(data: ActionInput) -> None:
    """A close names its reason; a duplicate names another question."""
    if data.close_reason is None:
        raise InvalidInput.for_field("close_reason", "Bitte wählen Sie einen Grund zum Schließen.")
    if data.close_reason == "duplicate":
        if data.duplicate_of is None:
            raise InvalidInput.for_field(
                "duplicate_of", "Bitte nennen Sie die Frage, die doppelt ist."
            )
        if data.duplicate_of == data.target_id:
            raise InvalidInput.for_field(
                "duplicate_of", "Eine Frage kann kein Duplikat ihrer selbst sein."
            )
