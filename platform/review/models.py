"""Validated inputs and read models of the content review."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from fachaustausch.core.schemas import (
    Body,
    ReadModel,
    Strict,
    Title,
    no_control_chars,
    one_line,
)

PostType = Literal["question", "answer"]
POST_LABELS = {"question": "Frage", "answer": "Antwort"}


class Cause(StrEnum):
    legal_change = "legal_change"
    age = "age"

    @property
    def label(self) -> str:
        return {"legal_change": "Rechtsänderung", "age": "fällig nach Alter"}[self.value]


class Decision(StrEnum):
    confirm = "confirm"
    outdated = "outdated"


def _provisions_listed(values: list[str]) -> list[str]:
    if not values:
        raise ValueError("Bitte mindestens eine geänderte Vorschrift angeben.")
    return values


ChangeTitle = Annotated[str, BeforeValidator(one_line), Field(min_length=5, max_length=300)]
Note = Annotated[str, AfterValidator(no_control_chars), Field(max_length=4_000)]
ReviewReason = Annotated[str, BeforeValidator(one_line), Field(max_length=1_000)]
Provision = Annotated[str, BeforeValidator(one_line), Field(min_length=1, max_length=120)]


class LegalChangeInput(Strict):
    provisions: Annotated[list[Provision], Field(max_length=50), AfterValidator(_provisions_listed)]
    effective_on: date
    title: ChangeTitle
    note: Note = ""


class ReviewInput(Strict):
    action: Decision
    reason: ReviewReason = ""
    # The id of the newer answer that replaces an outdated one.
    successor: int | None = None


class ReviewEditInput(Strict):
    """An edit from the review: the post's new text (and a question's title)."""

    title: Title | None = None
    body: Body
    # Kept with the revision, as every edit's reason.
    reason: Annotated[str, BeforeValidator(one_line), Field(max_length=300)] = ""


# --- read models ---------------------------------------------------------------------------


class LegalChangeOut(ReadModel):
    id: int
    title: str
    note: str
    effective_on: date
    provisions: list[str]
    recorded_by: str
    created_at: datetime
    # How many posts the change put up for review, and how many of them are still open.
    posts: int
    open: int


class ReviewItemOut(ReadModel):
    post_type: PostType
    post_id: int
    question_id: int
    provisions: list[str]
    cause: Cause
    # The question's title, an excerpt of the post, its instruments (slugs) and the
    # changes that put it up (empty when due by age).
    question_title: str
    excerpt: str
    url: str
    instruments: list[str]
    changes: list[int]
    outdated: bool


class ReviewQueueOut(ReadModel):
    items: list[ReviewItemOut]


class ReviewOut(ReadModel):
    id: int
    post_type: PostType
    post_id: int
    action: str
    cause: Cause
    created_at: datetime
