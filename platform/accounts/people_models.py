"""Read models of the people and authority directories."""

from __future__ import annotations

from pydantic import BaseModel

from fachaustausch.accounts.models import AuthorityOut, ExpertiseOut
from fachaustausch.accounts.policy import AccountStatus, Role


class PersonOut(BaseModel):
    handle: str
    display_name: str
    authority: AuthorityOut
    role: Role
    role_label: str
    instruments: list[ExpertiseOut]


class PeoplePage(BaseModel):
    items: list[PersonOut]
    # The handle to continue after (`cursor=`), or null on the last page.
    next_cursor: str | None


class PostRefOut(BaseModel):
    question_id: int
    answer_id: int | None
    title: str
    url: str


class PersonProfileOut(PersonOut):
    # Only when the person allows it (a profile setting, off by default).
    email: str | None
    # Shown to moderators only; everyone else sees active people alone.
    status: AccountStatus | None
    question_count: int
    answer_count: int
    questions: list[PostRefOut]
    answers: list[PostRefOut]


class ExpertOut(BaseModel):
    handle: str
    display_name: str
    instruments: list[ExpertiseOut]


class AuthorityProfileOut(AuthorityOut):
    partners: list[AuthorityOut]
    experts: list[ExpertOut]
    member_count: int
    # Instruments the sources name this authority as the place where they were tried out.
    instruments: list[ExpertiseOut]
    question_count: int
    answer_count: int
    questions: list[PostRefOut]
