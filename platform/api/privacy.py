"""The personal-data guard as a service: check a text before posting it."""

from __future__ import annotations

from typing import Annotated

from litestar import post
from litestar.params import JSONBody
from pydantic import BaseModel, Field

from fachaustausch.http.dependencies import Actor
from fachaustausch.privacy import guard


class PrivacyCheckInput(BaseModel):
    text: Annotated[str, Field(max_length=50_000)]


class FindingOut(BaseModel):
    kind: str
    start: int
    end: int
    text: str
    message: str


class PrivacyCheckOut(BaseModel):
    ok: bool
    findings: list[FindingOut]
    explanation: str


@post("/privacy/check", operation_id="checkPersonalData", status_code=200, tags=["Datenschutz"])
async def check_personal_data(actor: Actor, data: JSONBody[PrivacyCheckInput]) -> PrivacyCheckOut:
    """Finds personal data of the people a case is about (names, file and AZR numbers,
    dates of birth, addresses, phone numbers, e-mail addresses, IBANs, passport numbers).
    Every text a user writes is refused with the same findings; check a text here first."""
    findings = guard.check(data.text)
    return PrivacyCheckOut(
        ok=not findings,
        findings=[
            FindingOut(kind=f.kind, start=f.start, end=f.end, text=f.text, message=f.message)
            for f in findings
        ],
        explanation=guard.explain(findings),
    )
