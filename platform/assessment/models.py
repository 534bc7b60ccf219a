"""Validated inputs and read models of the self-assessment."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field

from fachaustausch.core.ids import MAX_ID
from fachaustausch.core.schemas import ReadModel, Slug, Strict, no_control_chars, one_line

NOTE_MAX = 1_000
CRITERION_TEXT_MIN, CRITERION_TEXT_MAX = 10, 300
MAX_CRITERION_INSTRUMENTS = 8
# More than the checklist will ever hold; bounds what one request may carry.
MAX_RATINGS_PER_SAVE = 200

Score = Annotated[int, Field(ge=1, le=5)]
Note = Annotated[str, AfterValidator(no_control_chars), Field(max_length=NOTE_MAX)]
CriterionText = Annotated[
    str,
    Field(min_length=CRITERION_TEXT_MIN, max_length=CRITERION_TEXT_MAX),
    BeforeValidator(one_line),
]


def _unique(values: list[str]) -> list[str]:
    if len(set(values)) != len(values):
        raise ValueError("Bitte wählen Sie jedes Instrument nur einmal.")
    return values


CriterionInstruments = Annotated[
    list[Slug], Field(max_length=MAX_CRITERION_INSTRUMENTS), AfterValidator(_unique)
]


class RatingInput(Strict):
    criterion_id: Annotated[int, Field(ge=1, le=MAX_ID)]
    # Either may stay open while the draft is worked on; submitting needs both.
    status: Score | None = None
    relevance: Score | None = None
    note: Note = ""


class DraftInput(Strict):
    ratings: Annotated[list[RatingInput], Field(max_length=MAX_RATINGS_PER_SAVE)]


class CriterionInput(Strict):
    cornerstone: Annotated[int, Field(ge=1, le=5)]
    text: CriterionText
    instruments: CriterionInstruments = []


class CriterionEdit(Strict):
    text: CriterionText
    instruments: CriterionInstruments = []


class CriterionOut(ReadModel):
    id: int
    cornerstone: int
    text: str
    instruments: list[str]


class CriterionListOut(ReadModel):
    items: list[CriterionOut]


class CriterionDetailOut(ReadModel):
    """A criterion as the moderation sees it: with its version and whether it is retired."""

    id: int
    key: str
    cornerstone: int
    position: int
    version: int
    version_id: int
    text: str
    instruments: list[str]
    retired: bool


class DraftRatingOut(ReadModel):
    criterion_id: int
    status: int | None
    relevance: int | None
    note: str


class RoundSummaryOut(ReadModel):
    id: int
    number: int
    submitted_at: datetime


class AssessmentOut(ReadModel):
    authority: str
    authority_name: str
    draft: list[DraftRatingOut]
    rounds: list[RoundSummaryOut]


class ScoreOut(ReadModel):
    cornerstone: int
    status: float | None
    relevance: float | None
    need: float | None


class RecommendationOut(ReadModel):
    instrument: str
    need: float
    reasons: list[int]


class RoundRatingOut(ReadModel):
    criterion_id: int
    cornerstone: int
    version: int
    text: str
    status: int
    relevance: int
    note: str
    need: float


class ComparisonOut(ReadModel):
    """The average over all authorities' latest rounds; scores only from five authorities."""

    authorities: int
    scores: list[ScoreOut] | None


class RoundOut(ReadModel):
    id: int
    number: int
    submitted_at: datetime
    authority: str
    authority_name: str
    scores: list[ScoreOut]
    ratings: list[RoundRatingOut]
    recommendations: list[RecommendationOut]
    previous: RoundSummaryOut | None
    previous_scores: list[ScoreOut] | None
    comparison: ComparisonOut


class LandAggregateOut(ReadModel):
    land: str
    authorities: int
    scores: list[ScoreOut] | None


class AggregateOut(ReadModel):
    overall: ComparisonOut
    lands: list[LandAggregateOut]
