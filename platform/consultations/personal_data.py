"""A person's rows in consultations: for their data export (DSGVO Art. 15, 20), and what
their account's deletion changes here (Art. 17): nothing but the search documents of the
consultations they wrote in, which are rebuilt through the outbox."""

from __future__ import annotations

from typing import Any

from fachaustausch import database
from fachaustausch.consultations.tables import Consultation, ConsultationPost, Participant
from fachaustausch.core import outbox
from fachaustausch.core.outbox import EntityType


async def of_person(user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Keyed by the export's German section names."""
    return {
        "fallberatungen": await Participant.select(
            Participant.consultation,
            Participant.consultation.title.as_alias("title"),
            Participant.role,
            Participant.joined_at,
        ).where(Participant.user == user_id),
        "fallberatungen_als_fallgeber": await Consultation.select(
            Consultation.id, Consultation.title, Consultation.summary, Consultation.created_at
        ).where(Consultation.case_giver == user_id),
        "fallberatungsbeitraege": await ConsultationPost.select(
            ConsultationPost.consultation,
            ConsultationPost.phase,
            ConsultationPost.kind,
            ConsultationPost.body,
            ConsultationPost.created_at,
        ).where(ConsultationPost.author == user_id),
    }


async def forget_person(user_id: int) -> None:
    """Runs in the deleting transaction (joins the caller's)."""
    async with database.transaction():
        touched = set(
            await ConsultationPost.select(ConsultationPost.consultation)
            .where(ConsultationPost.author == user_id)
            .output(as_list=True)
        )
        touched.update(
            await Consultation.select(Consultation.id)
            .where(Consultation.case_giver == user_id)
            .output(as_list=True)
        )
        for consultation_id in sorted(touched):
            await outbox.enqueue(EntityType.consultation, consultation_id)
