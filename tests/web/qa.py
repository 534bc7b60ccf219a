"""Questions and answers for the page tests, made through the service (as the API would)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fachaustausch.questions import service as questions
from fachaustausch.questions.models import AnswerInput, QuestionInput
from fachaustausch.questions.tables import Question
from tests.factories import UserRecord


async def ask(
    author: UserRecord,
    title: str = "Wie organisieren Sie die Online-Terminvergabe?",
    *,
    body: str = "Wir planen ein **Terminsystem**. Welche Erfahrungen haben Sie gemacht?",
    cornerstone: str = "binnenorganisation",
    instruments: list[str] | None = None,
    directed_to: str | None = None,
    minutes_ago: int | None = None,
) -> int:
    question_id = await questions.ask(
        await author.principal(),
        QuestionInput(
            title=title,
            body=body,
            cornerstone=cornerstone,
            instruments=["terminsystem"] if instruments is None else instruments,
            directed_to=directed_to,
        ),
    )
    if minutes_ago is not None:
        # Spread creation times so "newest first" has a defined order.
        at = datetime.now(UTC) - timedelta(minutes=minutes_ago)
        values: dict[Any, Any] = {
            Question.created_at: at,
            Question.updated_at: at,
            Question.last_activity_at: at,
        }
        await Question.update(values).where(Question.id == question_id).run()
    return question_id


async def answer(author: UserRecord, question_id: int, body: str = "Bei uns: online.") -> int:
    return await questions.answer(await author.principal(), question_id, AnswerInput(body=body))
