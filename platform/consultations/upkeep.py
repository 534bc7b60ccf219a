"""Keeping consultations in order: the consultations domain's writes that moderation
dispatches to (hiding and restoring a consultation or one of its posts) and the toolbox's
merge of one instrument into another.

The caller decides whether a change is allowed; these functions change the rows and keep
the search document in step. They run in the caller's transaction: `database.transaction()`
here only joins the one the caller has open, so the caller's checks, these writes and its
audit row commit together. `hidden_for_update` locks the row on PostgreSQL
(database.row_lock) for the check the caller makes before it writes."""

from __future__ import annotations

from typing import Any, Literal

from fachaustausch import database
from fachaustausch.consultations.tables import (
    Consultation,
    ConsultationInstrument,
    ConsultationPost,
)
from fachaustausch.core.ids import possible_id
from fachaustausch.core.outbox import EntityType, enqueue
from fachaustausch.database.links import move_links
from fachaustausch.database.row_lock import for_update

HideableKind = Literal["consultation", "consultation_post"]
_TABLES: dict[str, Any] = {"consultation": Consultation, "consultation_post": ConsultationPost}


async def hidden_for_update(kind: HideableKind, target_id: int) -> bool | None:
    """Whether the consultation or post is hidden, the row locked; None if there is none."""
    if not possible_id(target_id):
        return None
    table = _TABLES[kind]
    row = await for_update(table.select(table.hidden).where(table.id == target_id)).first().run()
    return bool(row["hidden"]) if row else None


async def set_hidden(kind: HideableKind, target_id: int, hidden: bool, reason: str) -> bool:
    """Hides (with the reason members are shown) or restores a consultation or a post;
    False if it already was so."""
    table = _TABLES[kind]
    async with database.transaction():
        changed = (
            await table.update(
                {table.hidden: hidden, table.hidden_reason: reason.strip() if hidden else ""}
            )
            .where((table.id == target_id) & (table.hidden != hidden))
            .returning(table.id)
            .run()
        )
        if not changed:
            return False
        await enqueue(EntityType.consultation, await _consultation_of(kind, target_id))
    return True


async def move_instrument_tags(source_instrument_id: int, target_instrument_id: int) -> list[int]:
    """An instrument merged into another: its consultations are tagged with the target (and
    their search documents follow). Returns the consultations' ids."""
    async with database.transaction():
        consultation_ids = await move_links(
            ConsultationInstrument,
            ConsultationInstrument.consultation,
            ConsultationInstrument.instrument,
            source_instrument_id,
            target_instrument_id,
        )
        for consultation_id in consultation_ids:
            await enqueue(EntityType.consultation, consultation_id)
    return consultation_ids


async def _consultation_of(kind: HideableKind, target_id: int) -> int:
    if kind == "consultation":
        return target_id
    row = (
        await ConsultationPost.select(ConsultationPost.consultation)
        .where(ConsultationPost.id == target_id)
        .first()
        .run()
    )
    assert row is not None
    return int(row["consultation"])
