"""Validated inputs and read models of questions and answers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, model_validator

from fachaustausch.core.ids import MAX_ID
from fachaustausch.core.schemas import (
    AuthorOut,
    Body,
    CornerstoneTagOut,
    Instruments,
    ReadModel,
    Slug,
    Strict,
    TagOut,
    Title,
    no_control_chars,
    one_line,
)

COMMENT_MAX = 1_000
# The event (Veranstaltung) a question came from, by its id.
EventRef = Annotated[int, Field(ge=1, le=MAX_ID)]


class Status(StrEnum):
    open = "open"
    answered = "answered"
    solved = "solved"

    @property
    def label(self) -> str:
        return {"open": "offen", "answered": "beantwortet", "solved": "gelöst"}[self.value]


class Sort(StrEnum):
    newest = "newest"
    activity = "activity"
    votes = "votes"
    unanswered = "unanswered"


class CloseReason(StrEnum):
    duplicate = "duplicate"
    outdated = "outdated"
    off_topic = "off_topic"


CommentBody = Annotated[
    str, AfterValidator(no_control_chars), Field(min_length=1, max_length=COMMENT_MAX)
]
Reason = Annotated[str, Field(max_length=300), BeforeValidator(one_line)]


class QuestionInput(Strict):
    title: Title
    body: Body
    cornerstone: Slug
    instruments: Instruments = []
    directed_to: Slug | None = None
    event: EventRef | None = None


class QuestionEdit(Strict):
    title: Title | None = None
    body: Body | None = None
    cornerstone: Slug | None = None
    instruments: Instruments | None = None
    # Sent as null: the question no longer names an event; left out: unchanged.
    event: EventRef | None = None
    reason: Reason = ""

    @model_validator(mode="after")
    def _something_changes(self) -> QuestionEdit:
        if "event" in self.model_fields_set:
            return self
        if all(v is None for v in (self.title, self.body, self.cornerstone, self.instruments)):
            raise ValueError("Bitte ändern Sie mindestens Titel, Text oder Zuordnung.")
        return self


class AnswerInput(Strict):
    body: Body


class AnswerEdit(Strict):
    body: Body
    reason: Reason = ""


class CommentInput(Strict):
    body: CommentBody


def _vote_value(value: int) -> int:
    if value not in (-1, 0, 1):
        raise ValueError("Bitte geben Sie 1 (dafür), -1 (dagegen) oder 0 (zurückziehen) an.")
    return value


class VoteInput(Strict):
    # A strict integer: `true` or `1.0` are no votes. (A Literal would answer in English.)
    value: Annotated[
        int,
        Field(strict=True, json_schema_extra={"enum": [-1, 0, 1]}),
        AfterValidator(_vote_value),
    ]


# --- read models ---------------------------------------------------------------------------


class AuthorityRefOut(ReadModel):
    slug: str
    name: str


class QuestionSummaryOut(ReadModel):
    id: int
    title: str
    excerpt: str
    url: str
    cornerstone: CornerstoneTagOut
    instruments: list[TagOut]
    author: AuthorOut
    directed_to: AuthorityRefOut | None
    status: Status
    status_label: str
    score: int
    answer_count: int
    created_at: datetime
    last_activity_at: datetime
    hidden: bool
    locked: bool
    closed_reason: str


class EventQuestionOut(ReadModel):
    """A question as an event's page lists it („Fragen aus dieser Veranstaltung“)."""

    id: int
    title: str
    url: str
    status: Status
    status_label: str
    answer_count: int
    hidden: bool


class QuestionPageOut(ReadModel):
    items: list[QuestionSummaryOut]
    next_cursor: str | None


class CommentOut(ReadModel):
    id: int
    body: str
    body_html: str
    author: AuthorOut
    answer_id: int | None
    created_at: datetime
    hidden: bool


class Permissions(ReadModel):
    """What the viewer may do here; the pages show only these controls."""

    edit: bool = False
    answer: bool = False
    comment: bool = False
    vote: bool = False
    accept: bool = False
    follow: bool = False


class CitationOut(ReadModel):
    """A provision the post cites, with its page on the federal law portal."""

    label: str
    url: str


class AnswerOut(ReadModel):
    id: int
    question_id: int
    body: str
    body_html: str
    author: AuthorOut
    from_model_site: bool
    score: int
    accepted: bool
    outdated: bool
    outdated_reason: str
    # The newer answer that replaces an outdated one, if the review named one.
    outdated_successor_id: int | None
    # When the content review last found it current (None: never reviewed).
    reviewed_at: datetime | None
    citations: list[CitationOut]
    hidden: bool
    hidden_reason: str
    created_at: datetime
    updated_at: datetime
    edited: bool
    comments: list[CommentOut]
    my_vote: int
    can: Permissions


class QuestionOut(QuestionSummaryOut):
    body: str
    body_html: str
    updated_at: datetime
    edited: bool
    accepted_answer_id: int | None
    hidden_reason: str
    locked_reason: str
    closed_note: str
    duplicate_of: int | None
    reviewed_at: datetime | None
    citations: list[CitationOut]
    event_id: int | None  # the event the question came from
    answers: list[AnswerOut]
    comments: list[CommentOut]
    my_vote: int
    following: bool
    can: Permissions


class VoteOut(ReadModel):
    score: int
    my_vote: int


class EditorOut(ReadModel):
    id: int
    display_name: str


class RevisionOut(ReadModel):
    """A post's text before an edit; the newest first."""

    id: int
    title: str
    body: str
    editor: EditorOut
    reason: str
    created_at: datetime


class StatusCountsOut(ReadModel):
    all: int
    open: int
    answered: int
    solved: int
