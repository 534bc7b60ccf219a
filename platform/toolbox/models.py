"""Read models of the toolbox."""

from __future__ import annotations

from pydantic import BaseModel

from fachaustausch.accounts.models import AuthorityOut


class InstrumentSummaryOut(BaseModel):
    slug: str
    title: str
    cornerstone: str


class CornerstoneOut(BaseModel):
    slug: str
    number: int
    title: str
    statement: str
    description: str
    instruments: list[InstrumentSummaryOut]


class ExpertOut(BaseModel):
    id: int
    display_name: str
    authority: str


class InstrumentOut(BaseModel):
    slug: str
    title: str
    description: str
    cornerstone: str
    cornerstone_number: int
    cornerstone_title: str
    origin_note: str
    origins: list[AuthorityOut]
    experts: list[ExpertOut]
