"""Validated inputs and read models of events."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, model_validator

from fachaustausch.core.ids import MAX_ID
from fachaustausch.core.schemas import (
    AuthorOut,
    CornerstoneTagOut,
    Instruments,
    Slug,
    Strict,
    TagOut,
    Title,
    no_control_chars,
)
from fachaustausch.events.times import parse_local_iso
from fachaustausch.questions.models import EventQuestionOut


class Kind(StrEnum):
    training = "training"
    network_meeting = "network_meeting"
    site_visit = "site_visit"
    online = "online"

    @property
    def label(self) -> str:
        return KIND_LABELS[self]


KIND_LABELS = {
    Kind.training: "Schulung",
    Kind.network_meeting: "Netzwerktreffen",
    Kind.site_visit: "Besichtigung",
    Kind.online: "Online-Veranstaltung",
}

LANDS = (
    "Baden-Württemberg",
    "Bayern",
    "Berlin",
    "Brandenburg",
    "Bremen",
    "Hamburg",
    "Hessen",
    "Mecklenburg-Vorpommern",
    "Niedersachsen",
    "Nordrhein-Westfalen",
    "Rheinland-Pfalz",
    "Saarland",
    "Sachsen",
    "Sachsen-Anhalt",
    "Schleswig-Holstein",
    "Thüringen",
)
MAX_CAPACITY = 10_000
MAX_PROGRAMME = 40


def _local_time(value: object) -> object:
    # Reads the time with its offset; refuses one without (a German ValueError).
    if isinstance(value, str):
        return parse_local_iso(value)
    if isinstance(value, datetime):
        return parse_local_iso(value.isoformat())
    return value


def _land(value: str) -> str:
    if value and value not in LANDS:
        raise ValueError("Bitte wählen Sie eines der sechzehn Länder.")
    return value


def _https(value: str) -> str:
    if value and not value.startswith(("https://", "http://")):
        raise ValueError("Bitte geben Sie eine Web-Adresse an, die mit https:// beginnt.")
    return value


LocalTime = Annotated[datetime, BeforeValidator(_local_time)]
Description = Annotated[
    str, AfterValidator(no_control_chars), Field(min_length=1, max_length=20_000)
]
Place = Annotated[str, AfterValidator(no_control_chars), Field(max_length=500)]
OnlineUrl = Annotated[str, AfterValidator(_https), Field(max_length=500)]
Land = Annotated[str, AfterValidator(_land)]
Capacity = Annotated[int, Field(ge=1, le=MAX_CAPACITY)]
Materials = Annotated[str, AfterValidator(no_control_chars), Field(max_length=5_000)]


class ProgrammeItemInput(Strict):
    starts_at: LocalTime
    title: Annotated[str, AfterValidator(no_control_chars), Field(min_length=1, max_length=200)]


def _times_in_order(
    starts_at: datetime | None, ends_at: datetime | None, deadline: datetime | None
) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        raise ValueError("Das Ende muss nach dem Beginn liegen.")
    if starts_at and deadline and deadline > starts_at:
        raise ValueError("Die Anmeldefrist muss vor dem Beginn enden.")


class EventInput(Strict):
    kind: Kind
    title: Title
    description: Description
    starts_at: LocalTime
    ends_at: LocalTime
    place: Place = ""
    online_url: OnlineUrl = ""
    land: Land = ""
    capacity: Capacity
    registration_deadline: LocalTime
    cornerstone: Slug
    instruments: Instruments = []
    programme: Annotated[list[ProgrammeItemInput], Field(max_length=MAX_PROGRAMME)] = []

    @model_validator(mode="after")
    def _consistent(self) -> EventInput:
        _times_in_order(self.starts_at, self.ends_at, self.registration_deadline)
        if self.kind is Kind.online and not self.online_url:
            raise ValueError("Eine Online-Veranstaltung braucht den Link zur Teilnahme.")
        if self.kind is not Kind.online and not self.place:
            raise ValueError("Bitte geben Sie den Ort mit Adresse an.")
        return self


class EventPatch(Strict):
    """Only the fields sent change; the rest stays."""

    kind: Kind | None = None
    title: Title | None = None
    description: Description | None = None
    starts_at: LocalTime | None = None
    ends_at: LocalTime | None = None
    place: Place | None = None
    online_url: OnlineUrl | None = None
    land: Land | None = None
    capacity: Capacity | None = None
    registration_deadline: LocalTime | None = None
    cornerstone: Slug | None = None
    instruments: Instruments | None = None
    programme: Annotated[list[ProgrammeItemInput], Field(max_length=MAX_PROGRAMME)] | None = None
    materials: Materials | None = None
    status: Literal["cancelled"] | None = None


class RegistrationInput(Strict):
    # Absent: the viewer registers themself; otherwise a colleague of their own authority.
    user_id: Annotated[int, Field(ge=1, le=MAX_ID)] | None = None


class RegistrationOut(BaseModel):
    status: Literal["confirmed", "waiting"]
    position: int | None = None  # place on the waiting list, 1 = next to move up


class ProgrammeItemOut(BaseModel):
    starts_at: datetime
    time_label: str
    title: str


class EventSummaryOut(BaseModel):
    id: int
    url: str
    kind: Kind
    kind_label: str
    title: str
    starts_at: datetime
    ends_at: datetime
    time_label: str
    place: str
    land: str
    capacity: int
    confirmed_count: int
    waiting_count: int
    registration_deadline: datetime
    cornerstone: CornerstoneTagOut
    instruments: list[TagOut]
    organiser: AuthorOut
    status: Literal["scheduled", "cancelled"]


class AllowedOut(BaseModel):
    edit: bool
    cancel: bool
    register_self: bool
    participants: bool


class EventOut(EventSummaryOut):
    description: str
    description_html: str
    # Present only for confirmed participants, the organiser and the moderation.
    online_url: str | None
    programme: list[ProgrammeItemOut]
    materials: str
    materials_html: str
    # „Fragen aus dieser Veranstaltung“: the questions that name the event.
    questions: list[EventQuestionOut]
    my_registration: Literal["confirmed", "waiting"] | None
    my_position: int | None
    registration_open: bool
    past: bool
    sequence: int
    updated_at: datetime
    allowed: AllowedOut


class ParticipantOut(BaseModel):
    user_id: int
    display_name: str
    authority_name: str
    status: Literal["confirmed", "waiting"]
    position: int
    registered_at: datetime


class FeedOut(BaseModel):
    url: str
