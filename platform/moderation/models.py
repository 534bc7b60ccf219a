"""Inputs and read models of moderation: flags, the review queue, actions, the audit log."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, Field

from fachaustausch.accounts.policy import Role
from fachaustausch.core.ids import MAX_ID
from fachaustausch.core.schemas import Body, Instruments, Slug, Strict, Title
from fachaustausch.questions.models import CloseReason


class FlagReason(StrEnum):
    personal_data = "personal_data"
    outdated = "outdated"
    wrong = "wrong"
    off_topic = "off_topic"
    duplicate = "duplicate"
    inappropriate = "inappropriate"
    other = "other"

    @property
    def label(self) -> str:
        return FLAG_REASON_LABELS[self]


FLAG_REASON_LABELS = {
    FlagReason.personal_data: "enthält personenbezogene Daten",
    FlagReason.outdated: "veraltet",
    FlagReason.wrong: "fachlich falsch",
    FlagReason.off_topic: "gehört nicht hierher",
    FlagReason.duplicate: "Doppelung",
    FlagReason.inappropriate: "unangemessen",
    FlagReason.other: "anderer Grund",
}


class TargetType(StrEnum):
    question = "question"
    answer = "answer"
    comment = "comment"
    consultation = "consultation"
    consultation_post = "consultation_post"
    user = "user"
    flag = "flag"
    registration = "registration"

    @property
    def label(self) -> str:
        return {
            "question": "Frage",
            "answer": "Antwort",
            "comment": "Kommentar",
            "consultation": "Fallberatung",
            "consultation_post": "Beitrag in einer Fallberatung",
            "user": "Konto",
            "flag": "Meldung",
            "registration": "Registrierung",
        }[self.value]


# What members can flag.
FLAGGABLE = frozenset(
    {
        TargetType.question,
        TargetType.answer,
        TargetType.comment,
        TargetType.consultation_post,
        TargetType.user,
    }
)


class Action(StrEnum):
    hide = "hide"
    restore = "restore"
    lock = "lock"
    unlock = "unlock"
    close = "close"
    reopen = "reopen"
    mark_outdated = "mark_outdated"
    clear_outdated = "clear_outdated"
    retag = "retag"
    edit = "edit"
    approve = "approve"
    reject = "reject"
    suspend = "suspend"
    reactivate = "reactivate"
    set_role = "set_role"
    dismiss = "dismiss"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ACTION_LABELS = {
    Action.hide: "ausgeblendet",
    Action.restore: "wieder eingeblendet",
    Action.lock: "gesperrt",
    Action.unlock: "entsperrt",
    Action.close: "geschlossen",
    Action.reopen: "wieder geöffnet",
    Action.mark_outdated: "als veraltet markiert",
    Action.clear_outdated: "Veraltet-Markierung entfernt",
    Action.retag: "neu zugeordnet",
    Action.edit: "bearbeitet",
    Action.approve: "Registrierung freigeschaltet",
    Action.reject: "Registrierung abgelehnt",
    Action.suspend: "Konto gesperrt",
    Action.reactivate: "Konto reaktiviert",
    Action.set_role: "Rolle geändert",
    Action.dismiss: "Meldung verworfen",
}

# The toolbox's upkeep, the people pages, the account deletion and the self-assessment's
# criteria and the content review write these actions to the audit log too.
_OTHER_ACTION_LABELS = {
    "edit_instrument": "Instrument bearbeitet",
    "create_instrument": "Instrument angelegt",
    "merge_instrument": "Instrument zusammengeführt",
    "edit_cornerstone": "Eckpunkt bearbeitet",
    "set_authority": "Behörde geändert",
    "delete_account": "Konto gelöscht",
    "criterion_add": "Kriterium angelegt",
    "criterion_edit": "Kriterium bearbeitet",
    "criterion_retire": "Kriterium zurückgezogen",
    "record_legal_change": "Rechtsänderung erfasst",
    "review_confirm": "Inhaltspflege: als noch gültig bestätigt",
    "review_edit": "Inhaltspflege: bearbeitet und geprüft",
    "review_outdated": "Inhaltspflege: als veraltet markiert",
}


def action_label(action: str) -> str:
    if action in Action.__members__:
        return Action(action).label
    return _OTHER_ACTION_LABELS.get(action, action)


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL characters in text outright: refuse them here, in German.
    if "\x00" in value:
        raise ValueError("Der Text enthält ein unzulässiges Steuerzeichen (NUL).")
    return value


Reason = Annotated[str, AfterValidator(_no_nul), Field(max_length=1000)]
# Edits keep their reason with the revision, which holds at most this many characters.
EDIT_REASON_MAX = 300


class FlagInput(Strict):
    target_type: TargetType
    target_id: Annotated[int, Field(ge=1, le=MAX_ID)]
    reason: FlagReason
    text: Reason = ""


class ActionInput(Strict):
    action: Action
    target_type: TargetType
    target_id: Annotated[int, Field(ge=1, le=MAX_ID)]
    reason: Reason = ""
    # close
    close_reason: CloseReason | None = None
    duplicate_of: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    # retag
    cornerstone: Slug | None = None
    instruments: Instruments | None = None
    # edit
    title: Title | None = None
    body: Body | None = None
    # set_role
    role: Role | None = None
    expertise: list[Slug] | None = None


class FlagOut(BaseModel):
    id: int
    target_type: str
    target_id: int
    reason: str
    status: str


class FlagTargetOut(BaseModel):
    """What a member is about to report: its kind, a short excerpt and where it is."""

    target_type: str
    target_id: int
    label: str
    excerpt: str
    link: str | None


class QueueReasonCount(BaseModel):
    reason: str
    label: str
    count: int


class QueueItemOut(BaseModel):
    """All open flags of one target."""

    target_type: str
    target_label: str
    target_id: int
    title: str
    url: str | None
    hidden: bool
    flag_count: int
    reasons: list[QueueReasonCount]
    texts: list[str]
    # At least one of the flags was raised by the personal-data scan, not by a member.
    raised_by_system: bool
    flag_ids: list[int]
    first_flagged_at: datetime


class PendingUserOut(BaseModel):
    id: int
    email: str
    display_name: str
    authority_name: str
    created_at: datetime


class AuditEntryOut(BaseModel):
    id: int
    actor: str | None
    action: str
    action_label: str
    target_type: str
    target_id: int
    reason: str
    before: dict[str, Any]
    after: dict[str, Any]
    created_at: datetime


class QueueOut(BaseModel):
    flags: list[QueueItemOut]
    pending_registrations: list[PendingUserOut]
    # Content the three-flag rule hid and nobody has decided on yet.
    awaiting_review: int
    recent_actions: list[AuditEntryOut]


class AuditPageOut(BaseModel):
    items: list[AuditEntryOut]
    total: int
    page: int
    limit: int


class ActionResultOut(BaseModel):
    action: str
    target_type: str
    target_id: int
    detail: str
