"""What a question derives from its posts and tags, the same for the questions' own writes
and for upkeep (moderation, the toolbox's merge): its status and counts from the visible
answers, the excerpt the lists show, and the ids of its cornerstone and instruments."""

from __future__ import annotations

import html
import re

from fachaustausch.core.errors import FieldError, InvalidInput
from fachaustausch.questions.models import Status
from fachaustausch.questions.queries import UNKNOWN_INSTRUMENT
from fachaustausch.questions.queries.filters import cornerstone_id
from fachaustausch.questions.tables import Answer, Question
from fachaustausch.toolbox.tables import Instrument

EXCERPT_LENGTH = 240

_INLINE_TAGS = re.compile(r"</?(?:a|strong|em|s|del|code)\b[^>]*>")
_TAGS = re.compile(r"<[^>]+>")


def excerpt(body_html: str) -> str:
    """Plain text from the rendered body: markup gone, words and punctuation kept together
    (`ein **Terminsystem**.` gives `ein Terminsystem.`)."""
    text = html.unescape(_TAGS.sub(" ", _INLINE_TAGS.sub("", body_html)))
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1].rstrip() + "…"


async def tag_ids(cornerstone: str, instruments: list[str]) -> tuple[int, list[int]]:
    """Resolves slugs, refusing unknown ones with the field that named them."""
    cornerstone_ref = await cornerstone_id(cornerstone)
    if not instruments:
        return cornerstone_ref, []
    rows = (
        await Instrument.select(Instrument.id, Instrument.slug)
        .where(Instrument.slug.is_in(instruments))
        .run()
    )
    ids = {r["slug"]: r["id"] for r in rows}
    missing = [i for i, slug in enumerate(instruments) if slug not in ids]
    if missing:
        errors = [FieldError(f"instruments.{i}", UNKNOWN_INSTRUMENT) for i in missing]
        raise InvalidInput(f"{UNKNOWN_INSTRUMENT} ({instruments[missing[0]]})", errors)
    return cornerstone_ref, [ids[slug] for slug in instruments]


async def refresh_question(question_id: int) -> None:
    """Derives answer count, status and accepted answer from the visible answers, after
    they changed (answering, accepting, or hiding and restoring one in moderation); runs
    in the caller's transaction."""
    visible = (Answer.question == question_id) & Answer.hidden.eq(False)
    count = await Answer.count().where(visible).run()
    accepted = (
        await Answer.select(Answer.id).where(visible & Answer.accepted.eq(True)).first().run()
    )
    status = Status.solved if accepted else Status.answered if count else Status.open
    await (
        Question.update(
            {
                Question.answer_count: count,
                Question.status: status,
                Question.accepted_answer_id: accepted["id"] if accepted else None,
            }
        )
        .where(Question.id == question_id)
        .run()
    )
