"""Who is concerned by a consultation or one of its posts, for the notifications: read-only,
with the rule of the service's `_ensure_visible` (hidden: nobody; participants-only: its
participants)."""

from __future__ import annotations

from dataclasses import dataclass

from fachaustausch.consultations.models import Visibility
from fachaustausch.consultations.tables import Consultation, ConsultationPost, Participant


@dataclass(frozen=True, slots=True)
class Case:
    id: int
    title: str
    case_giver_id: int
    hidden: bool
    participants_only: bool
    phase: str
    participant_ids: frozenset[int]

    def visible_to(self, user_id: int) -> bool:
        """What a member (not a moderator) may see."""
        if self.hidden:
            return False
        return not self.participants_only or user_id in self.participant_ids


async def case(consultation_id: int) -> Case | None:
    row = await (
        Consultation.select(
            Consultation.id,
            Consultation.title,
            Consultation.case_giver,
            Consultation.hidden,
            Consultation.visibility,
            Consultation.phase,
        )
        .where(Consultation.id == consultation_id)
        .first()
        .run()
    )
    if row is None:
        return None
    people = (
        await Participant.select(Participant.user)
        .where(Participant.consultation == consultation_id)
        .run()
    )
    return Case(
        id=row["id"],
        title=row["title"],
        case_giver_id=row["case_giver"],
        hidden=row["hidden"],
        participants_only=row["visibility"] == Visibility.participants,
        phase=row["phase"],
        participant_ids=frozenset(int(p["user"]) for p in people),
    )


@dataclass(frozen=True, slots=True)
class CasePost:
    id: int
    consultation_id: int
    author_id: int
    hidden: bool
    body: str
    phase: str


async def case_post(post_id: int) -> CasePost | None:
    row = await (
        ConsultationPost.select(
            ConsultationPost.id,
            ConsultationPost.consultation,
            ConsultationPost.author,
            ConsultationPost.hidden,
            ConsultationPost.body,
            ConsultationPost.phase,
        )
        .where(ConsultationPost.id == post_id)
        .first()
        .run()
    )
    if row is None:
        return None
    return CasePost(
        row["id"], row["consultation"], row["author"], row["hidden"], row["body"], row["phase"]
    )
