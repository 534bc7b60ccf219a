"""Consultations for the tests: started through the service, or put straight into a phase
by writing the tables (fast, and independent of the advance rules under test)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from fachaustausch.accounts.policy import Role as AccountRole
from fachaustausch.consultations import service as consultations
from fachaustausch.consultations.models import ConsultationInput, Visibility
from fachaustausch.consultations.phases import ORDER, Method, Phase, PostKind, Role
from fachaustausch.consultations.tables import (
    Consultation,
    ConsultationInstrument,
    ConsultationPost,
    Participant,
    PhaseTransition,
)
from fachaustausch.core.outbox import SearchOutbox
from tests.factories import UserRecord, make_user

API = "/api/v1/consultations"

CONSULTATION: dict[str, Any] = {
    "title": "Familie wartet seit Monaten auf die Verlängerung",
    "summary": "Eine syrische Familie in der Stadt Weimar hat eine Aufenthaltserlaubnis nach "
    "§ 25 Abs. 5 AufenthG. Für die Verlängerung fehlen Unterlagen aus dem Herkunftsland.",
    "cornerstone": "binnenorganisation",
    "instruments": ["terminsystem"],
    "visibility": "members",
}

# Texts per post kind that pass the personal-data guard.
BODIES = {kind: f"Anonymisierter Beitrag ({kind.label})." for kind in PostKind}

# Every table a consultation action may write: nothing may change when one is refused.
TABLES: list[Any] = [
    Consultation,
    ConsultationInstrument,
    Participant,
    ConsultationPost,
    PhaseTransition,
    SearchOutbox,
]


async def row_counts() -> dict[str, int]:
    return {t._meta.tablename: await t.count() for t in TABLES}


async def start(case_giver: UserRecord, **changes: Any) -> int:
    """A consultation in `casting` started through the service; `changes` override."""
    data = ConsultationInput(**{**CONSULTATION, **changes})
    return await consultations.create(await case_giver.principal(), data)


@dataclass(frozen=True)
class Cast:
    """A consultation and its people; `outsider` is an active member who did not join."""

    id: int
    case_giver: UserRecord
    facilitator: UserRecord | None
    advisor: UserRecord
    outsider: UserRecord

    def by_role(self, role: Role) -> UserRecord:
        person = {
            Role.case_giver: self.case_giver,
            Role.facilitator: self.facilitator,
            Role.advisor: self.advisor,
        }[role]
        assert person is not None, "this consultation has no facilitator"
        return person

    @property
    def url(self) -> str:
        return f"{API}/{self.id}"


async def _write_post(consultation_id: int, phase: Phase, kind: PostKind, author: int) -> None:
    await ConsultationPost.insert(
        ConsultationPost(
            consultation=consultation_id,
            phase=phase,
            kind=kind,
            author=author,
            body=BODIES[kind],
            body_html=f"<p>{BODIES[kind]}</p>",
        )
    ).run()


async def put_in_phase(
    phase: Phase,
    *,
    facilitator: bool = True,
    with_result: bool = False,
    visibility: Visibility = Visibility.members,
) -> Cast:
    """A consultation with case giver, (facilitator,) advisor, written straight into `phase`
    with the results of every earlier phase (and of `phase` itself with `with_result`)."""
    case_giver = await make_user(AccountRole.member)
    mover = await make_user(AccountRole.expert) if facilitator else None
    advisor = await make_user(AccountRole.member, authority="koeln")
    outsider = await make_user(AccountRole.member, authority="mainz")
    cid = await start(case_giver, visibility=visibility.value)
    for person, role in ((mover, Role.facilitator), (advisor, Role.advisor)):
        if person is not None:
            await Participant.insert(Participant(consultation=cid, user=person.id, role=role)).run()
    done = ORDER[: ORDER.index(phase) + (1 if with_result else 0)]
    by = (mover or case_giver).id
    values: dict[Any, Any] = {Consultation.phase: phase}
    if Phase.narration in done:
        await _write_post(cid, Phase.narration, PostKind.narration, case_giver.id)
    if Phase.key_question in done:
        values[Consultation.key_question] = "Wie kommen wir ohne die Unterlagen weiter?"
    if Phase.method in done:
        values[Consultation.method] = Method.good_advice
    if Phase.advice in done:
        await _write_post(cid, Phase.advice, PostKind.advice, advisor.id)
    if Phase.conclusion in done:
        await _write_post(cid, Phase.conclusion, PostKind.conclusion, case_giver.id)
    if phase is Phase.closed:
        values[Consultation.closed_at] = datetime.now(UTC)
    await Consultation.update(values).where(Consultation.id == cid).run()
    for before, after in itertools.pairwise(ORDER[: ORDER.index(phase) + 1]):
        await PhaseTransition.insert(
            PhaseTransition(consultation=cid, from_phase=before, to_phase=after, by=by)
        ).run()
    return Cast(cid, case_giver, mover, advisor, outsider)


async def phase_of(consultation_id: int) -> Phase:
    row = (
        await Consultation.select(Consultation.phase)
        .where(Consultation.id == consultation_id)
        .first()
        .run()
    )
    assert row is not None
    return Phase(row["phase"])


async def act_as(client: Any, user: UserRecord) -> None:
    """Switches the client to `user` with a bearer token (no password hashing: fast)."""
    client.logout_local()
    await client.login_token(user)
