"""What a person or an authority contributed: the visible questions and answers with their
counts, for the profiles of people and authorities. Reads only; visibility follows
questions/visibility.py (hidden posts count for nobody here, moderators included, so a
profile says the same to everyone)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fachaustausch.questions.tables import Answer, Question

LIST_LIMIT = 20


@dataclass(frozen=True, slots=True)
class PostLink:
    question_id: int
    title: str
    created_at: datetime
    answer_id: int | None = None

    @property
    def url(self) -> str:
        anchor = f"#antwort-{self.answer_id}" if self.answer_id else ""
        return f"/fragen/{self.question_id}{anchor}"


@dataclass(frozen=True, slots=True)
class Contributions:
    question_count: int
    answer_count: int
    questions: tuple[PostLink, ...]
    answers: tuple[PostLink, ...]


def _visible_answer() -> Any:
    return (Answer.hidden == False) & (Answer.question.hidden == False)  # noqa: E712


async def _collect(question_where: Any, answer_where: Any) -> Contributions:
    question_where = question_where & (Question.hidden == False)  # noqa: E712
    answer_where = answer_where & _visible_answer()
    question_count = await Question.count().where(question_where).run()
    answer_count = await Answer.count().where(answer_where).run()
    questions = (
        await Question.select(Question.id, Question.title, Question.created_at)
        .where(question_where)
        .order_by(Question.created_at, ascending=False)
        .limit(LIST_LIMIT)
        .run()
    )
    answers = (
        await Answer.select(
            Answer.id,
            Answer.question.id.as_alias("question_id"),
            Answer.question.title.as_alias("title"),
            Answer.created_at,
        )
        .where(answer_where)
        .order_by(Answer.created_at, ascending=False)
        .limit(LIST_LIMIT)
        .run()
    )
    return Contributions(
        question_count=question_count,
        answer_count=answer_count,
        questions=tuple(PostLink(q["id"], q["title"], q["created_at"]) for q in questions),
        answers=tuple(
            PostLink(a["question_id"], a["title"], a["created_at"], a["id"]) for a in answers
        ),
    )


async def of_person(user_id: int) -> Contributions:
    return await _collect(Question.author == user_id, Answer.author == user_id)


async def of_authority(authority_id: int) -> Contributions:
    """Asked by its members, and answered by its members."""
    return await _collect(Question.authority == authority_id, Answer.authority == authority_id)
