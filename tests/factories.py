"""Test data factories and an HTTP client that knows how to sign in."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any

from litestar.testing import AsyncTestClient

from fachaustausch.accounts import administration
from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.policy import AccountStatus, Principal, Role
from fachaustausch.accounts.tables import User

PASSWORD = "Lange Reise nach Weimar 2026"
_numbers = itertools.count(1)

# Experts belong to a model site, moderators and admins to the BAMF.
DEFAULT_AUTHORITY = {
    Role.member: "leipzig",
    Role.expert: "weimar",
    Role.moderator: "bamf",
    Role.admin: "bamf",
}


@dataclass(frozen=True)
class UserRecord:
    id: int
    email: str
    password: str
    role: Role
    status: AccountStatus

    async def principal(self) -> Principal:
        principal = await accounts.principal_by_id(self.id)
        assert principal is not None, "only active users act"
        return principal


async def make_user(
    role: Role = Role.member,
    *,
    status: AccountStatus = AccountStatus.active,
    authority: str | None = None,
    email: str | None = None,
    display_name: str | None = None,
    expertise: list[str] | None = None,
) -> UserRecord:
    n = next(_numbers)
    email = email or f"person{n}@{role.value}.example.de"
    user_id = await accounts.create_user(
        email=email,
        display_name=display_name or f"Person {n}",
        password=PASSWORD,
        role=role,
        authority_slug=authority or DEFAULT_AUTHORITY[role],
        check_password=False,
    )
    if status is not AccountStatus.active:
        await User.update({User.status: status}).where(User.id == user_id).run()
    if expertise:
        await administration.set_expertise(user_id, expertise)
    return UserRecord(user_id, email.lower(), PASSWORD, role, status)


class ApiClient:
    """The test client plus sign-in helpers; every other attribute is the client's."""

    def __init__(self, client: AsyncTestClient[Any]) -> None:
        self.http = client

    def __getattr__(self, name: str) -> Any:
        return getattr(self.http, name)

    async def csrf_token(self) -> str:
        """Fetches a page so the CSRF cookie is set, and sends it back as the header."""
        await self.http.get("/anmelden")
        token = self.http.cookies.get("csrftoken")
        assert token, "the CSRF middleware sets its cookie on safe requests"
        self.http.headers["x-csrftoken"] = token
        return token

    async def login(self, user: UserRecord) -> None:
        response = await self.http.post(
            "/api/v1/auth/login", json={"email": user.email, "password": user.password}
        )
        assert response.status_code == 200, response.text
        await self.csrf_token()

    async def login_token(self, user: UserRecord) -> str:
        created = await accounts.create_token(await user.principal(), "Test")
        self.http.headers["authorization"] = f"Bearer {created.token}"
        return created.token

    def logout_local(self) -> None:
        self.http.cookies.clear()
        self.http.headers.pop("authorization", None)
        self.http.headers.pop("x-csrftoken", None)


# --- assertions shared by the API tests ------------------------------------------------------

PROBLEM_MEDIA_TYPE = "application/problem+json"
# Texts of pydantic, msgspec and Litestar that must never reach a user.
ENGLISH_FRAGMENTS = (
    "Field required",
    "Input should",
    "String should",
    "Value error",
    "value_error",
    "Extra inputs",
    "Expected `",
    "Validation failed",
    "Not Found",
    "Internal Server Error",
    "Bad Request",
    "Unauthorized",
    "Forbidden",
    "Too Many Requests",
    "JSON is malformed",
    "Method Not Allowed",
)


def assert_german(text: str) -> None:
    for fragment in ENGLISH_FRAGMENTS:
        assert fragment not in text, f"English text {fragment!r} in {text!r}"


def assert_problem(
    response: Any,
    status: int,
    *,
    detail: str | None = None,
    fields: list[str] | None = None,
) -> dict[str, Any]:
    """An RFC 9457 problem with `status`, German texts, and optionally a detail fragment and
    exactly the given fields in `errors`."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].split(";")[0] == PROBLEM_MEDIA_TYPE
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["title"]
    assert body["detail"]
    assert_german(response.text)
    if detail is not None:
        assert detail in body["detail"], body["detail"]
    if fields is not None:
        assert [e["field"] for e in body.get("errors", [])] == fields, body
        for error in body["errors"]:
            assert error["message"], error
    return body


def sent_mails(mail_dir: Any) -> list[Any]:
    """The e-mails written to `mail_dir` (settings.mail_dir), parsed; files written within one
    second have no reliable order, so look mails up by subject (`mail_with_subject`)."""
    from email import policy
    from email.parser import BytesParser
    from pathlib import Path

    directory = Path(mail_dir)
    if not directory.exists():
        return []
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(p.read_bytes()) for p in sorted(directory.glob("*.eml"))]


def mail_with_subject(mail_dir: Any, subject: str) -> Any:
    [mail] = [m for m in sent_mails(mail_dir) if m["Subject"] == subject]
    return mail


# --- questions and answers --------------------------------------------------------------------

QUESTION_DEFAULTS: dict[str, Any] = {
    "title": "Wie organisieren Sie die Online-Terminvergabe?",
    "body": "Wir planen ein **Terminsystem**. Welche Erfahrungen haben Sie gemacht?",
    "cornerstone": "binnenorganisation",
    "instruments": ["terminsystem"],
}


async def ask_question(author: UserRecord, **changes: Any) -> int:
    """A question by `author` through the service (no HTTP); `changes` override the defaults."""
    from fachaustausch.questions import service as questions
    from fachaustausch.questions.models import QuestionInput

    data = QuestionInput(**{**QUESTION_DEFAULTS, **changes})
    return await questions.ask(await author.principal(), data)


async def answer_question(author: UserRecord, question_id: int, body: str = "Bei uns so.") -> int:
    from fachaustausch.questions import service as questions
    from fachaustausch.questions.models import AnswerInput

    return await questions.answer(await author.principal(), question_id, AnswerInput(body=body))


async def store_unchecked(target_type: str, target_id: int, **texts: str) -> None:
    """Writes texts straight into a stored post, past the personal-data guard: content as
    it was stored before the guard checked every text (rendered HTML kept in step)."""
    from fachaustausch.consultations.tables import Consultation, ConsultationPost
    from fachaustausch.core.markdown import render
    from fachaustausch.questions.tables import Answer, Comment, Question

    table: Any = {
        "question": Question,
        "answer": Answer,
        "comment": Comment,
        "consultation": Consultation,
        "consultation_post": ConsultationPost,
    }[target_type]
    values: dict[Any, Any] = {getattr(table, name): text for name, text in texts.items()}
    for name, html_name in (("body", "body_html"), ("summary", "summary_html")):
        if name in texts and hasattr(table, html_name):
            values[getattr(table, html_name)] = render(texts[name])
    await table.update(values).where(table.id == target_id).run()
