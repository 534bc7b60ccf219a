"""Moderation's targets by the domain that owns them: hiding and restoring goes to the
questions' or the consultations' upkeep, which change their own rows and search documents.
Call inside the action's transaction."""

from __future__ import annotations

from typing import cast

from fachaustausch.consultations import upkeep as consultations
from fachaustausch.moderation.models import TargetType
from fachaustausch.questions import upkeep as questions

_QUESTION_POSTS = frozenset({TargetType.question, TargetType.answer, TargetType.comment})


async def hidden_for_update(target_type: TargetType, target_id: int) -> bool | None:
    """Whether a hideable target is hidden, its row locked; None if there is none."""
    if target_type in _QUESTION_POSTS:
        return await questions.hidden_for_update(
            cast(questions.PostKind, target_type.value), target_id
        )
    return await consultations.hidden_for_update(
        cast(consultations.HideableKind, target_type.value), target_id
    )


async def set_hidden(target_type: TargetType, target_id: int, hidden: bool, reason: str) -> bool:
    """Hides or restores the target; False if it already was so."""
    if target_type in _QUESTION_POSTS:
        return await questions.set_hidden(
            cast(questions.PostKind, target_type.value), target_id, hidden, reason
        )
    return await consultations.set_hidden(
        cast(consultations.HideableKind, target_type.value), target_id, hidden, reason
    )
