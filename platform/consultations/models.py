"""Validated inputs and read models of collegial case consultations."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, Field

from fachaustausch.consultations.phases import Method, PostKind
from fachaustausch.core.ids import MAX_ID
from fachaustausch.core.schemas import (
    AuthorOut,
    CornerstoneTagOut,
    Instruments,
    Slug,
    Strict,
    TagOut,
    Title,
)


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Der Text enthält ein unzulässiges Steuerzeichen (NUL).")
    return value


class Visibility(StrEnum):
    members = "members"
    participants = "participants"

    @property
    def label(self) -> str:
        return {
            "members": "alle Mitglieder",
            "participants": "nur Beteiligte",
        }[self.value]


CaseText = Annotated[str, AfterValidator(_no_nul), Field(min_length=1, max_length=10_000)]


class ConsultationInput(Strict):
    title: Title
    summary: CaseText
    cornerstone: Slug
    instruments: Instruments = []
    visibility: Visibility = Visibility.members


class JoinInput(Strict):
    role: Literal["advisor", "facilitator"] = "advisor"


class InviteInput(Strict):
    """Whom to invite: `handle` (as the people directory shows it), or `user_id`, the
    account number that clients written before handles send."""

    handle: Annotated[str, AfterValidator(_no_nul), Field(min_length=1, max_length=40)] | None = (
        None
    )
    user_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None
    role: Literal["advisor", "facilitator"] = "advisor"

    @property
    def person(self) -> int | str | None:
        return self.handle if self.handle is not None else self.user_id


class PostInput(Strict):
    kind: PostKind
    body: CaseText


class KeyQuestionInput(Strict):
    key_question: Annotated[str, AfterValidator(_no_nul), Field(min_length=5, max_length=500)]


class MethodInput(Strict):
    method: Method


class ParticipantOut(BaseModel):
    user_id: int
    # None for a deleted account.
    handle: str | None
    display_name: str
    authority_name: str
    role: str
    role_label: str
    secretary: bool
    joined_at: datetime


class PostOut(BaseModel):
    id: int
    phase: str
    kind: str
    kind_label: str
    author: AuthorOut
    body: str
    body_html: str
    created_at: datetime
    hidden: bool


class PhaseOut(BaseModel):
    phase: str
    label: str
    number: int
    current: bool
    done: bool
    explanation: str
    posts: list[PostOut]


class TransitionOut(BaseModel):
    from_phase: str
    to_phase: str
    by: str
    at: datetime


class AllowedActions(BaseModel):
    """What the viewer may do now; pages show only these forms."""

    join_as: list[str]
    invite: bool
    advance: bool
    set_key_question: bool
    set_method: bool
    post_kinds: list[str]


class ConsultationSummaryOut(BaseModel):
    id: int
    title: str
    url: str
    cornerstone: CornerstoneTagOut
    instruments: list[TagOut]
    phase: str
    phase_label: str
    visibility: Visibility
    case_giver: AuthorOut
    participant_count: int
    created_at: datetime
    closed_at: datetime | None


class ConsultationOut(ConsultationSummaryOut):
    summary: str
    summary_html: str
    key_question: str
    method: str
    method_label: str
    method_rules: str
    requires: str
    participants: list[ParticipantOut]
    phases: list[PhaseOut]
    transitions: list[TransitionOut]
    my_role: str | None
    allowed: AllowedActions
    hidden: bool
