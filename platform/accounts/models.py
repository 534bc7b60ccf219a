"""Validated inputs and the read models the accounts service hands out."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, Field

from fachaustausch.accounts.policy import AccountStatus, AuthorityKind, Role
from fachaustausch.core.schemas import Strict

# Deliberately simple: one @, a dot in the domain, no spaces or control characters (PostgreSQL
# refuses NUL outright). Delivery proves the rest.
_EMAIL = re.compile(r"^[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]{2,}$")


def _email(value: str) -> str:
    value = value.strip().lower()
    if len(value) > 254 or not _EMAIL.match(value):
        raise ValueError("Bitte geben Sie eine gültige E-Mail-Adresse ein.")
    return value


def _clean_text(value: str) -> str:
    value = " ".join(value.split())
    if "\x00" in value:
        raise ValueError("Der Text enthält unzulässige Steuerzeichen.")
    return value


Email = Annotated[str, Field(max_length=254), AfterValidator(_email)]
Password = Annotated[str, Field(max_length=128)]
DisplayName = Annotated[str, Field(min_length=2, max_length=100), AfterValidator(_clean_text)]
Slug = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-z0-9-]+$")]


class LoginInput(Strict):
    email: Email
    password: Password


class RegistrationInput(Strict):
    email: Email
    password: Password
    display_name: DisplayName
    authority: Slug


LinkToken = Annotated[str, Field(min_length=1, max_length=200)]


class PasswordResetRequest(Strict):
    email: Email


class PasswordResetConfirm(Strict):
    token: LinkToken
    password: Password


class PasswordChange(Strict):
    current_password: Password
    new_password: Password


class EmailChangeRequest(Strict):
    email: Email
    current_password: Password


class ProfileSettings(Strict):
    show_email: bool


class AccountDeletion(Strict):
    password: Password


class EmailChangeConfirm(Strict):
    token: LinkToken


class TokenInput(Strict):
    name: Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_clean_text)]


class RejectInput(Strict):
    reason: Annotated[str, Field(max_length=1000)] = ""


class AuthorityOut(BaseModel):
    slug: str
    name: str
    kind: AuthorityKind
    kind_label: str
    land: str


class ExpertiseOut(BaseModel):
    slug: str
    title: str


class UserOut(BaseModel):
    id: int
    email: str
    display_name: str
    handle: str
    # Whether other signed-in people see the e-mail address on the profile.
    show_email: bool = False
    role: Role
    role_label: str
    status: AccountStatus
    authority: AuthorityOut
    expertise: list[ExpertiseOut]
    created_at: datetime


class PendingRegistrationOut(BaseModel):
    id: int
    email: str
    display_name: str
    authority: AuthorityOut
    created_at: datetime


class TokenOut(BaseModel):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None


class SessionOut(BaseModel):
    """A signed-in session of one's own: `browser` is a short description (empty if the
    client named none), `current` marks the session the request came with."""

    id: int
    browser: str
    created_at: datetime
    last_seen_at: datetime
    current: bool


class CreatedTokenOut(TokenOut):
    # Shown exactly once; only its hash is stored.
    token: str
