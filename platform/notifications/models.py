"""Inputs and read models of the inbox and the settings."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, model_validator

from fachaustausch.core.schemas import Strict
from fachaustausch.notifications.kinds import Delivery, Kind


class TargetOut(BaseModel):
    type: str
    id: int


class NotificationOut(BaseModel):
    id: int
    kind: str
    read: bool
    created_at: datetime
    target: TargetOut
    text: str
    # Where the notification leads, relative to the site (the inbox link marks it read).
    url: str


class InboxOut(BaseModel):
    unread: int
    items: list[NotificationOut]
    next_cursor: str | None = None


class ReadInput(Strict):
    """Either `ids` (those of the caller's notifications) or `all: true`."""

    ids: list[int] = Field(default_factory=list, max_length=500)
    all: bool = False

    @model_validator(mode="after")
    def _one_of(self) -> ReadInput:
        if not self.ids and not self.all:
            raise ValueError("Bitte geben Sie „ids“ an oder „all“: true.")
        return self


class SettingOut(BaseModel):
    kind: Kind
    label: str
    delivery: Delivery
    default: Delivery


class SettingsOut(BaseModel):
    settings: list[SettingOut]


class SettingsInput(Strict):
    """The deliveries to change, by kind; kinds not named keep theirs."""

    settings: dict[Kind, Delivery]


class ReadResultOut(BaseModel):
    unread: int


class MentionSuggestionOut(BaseModel):
    handle: str
    display_name: str
    authority_name: str
