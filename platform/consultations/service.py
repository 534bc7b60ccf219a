"""Collegial case consultations, the writes: one function per action, each one transaction.

Every write reads the consultation's state inside its transaction with the row locked
(queries.state_of) and asks policy.py there, so a concurrent write (a phase moving on, a
second facilitator) is either seen or waited for, never missed. Every text passes the
personal-data guard before it is stored."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import asyncpg

from fachaustausch import database
from fachaustausch.accounts.policy import AccountStatus, Principal
from fachaustausch.accounts.tables import User
from fachaustausch.consultations import policy
from fachaustausch.consultations.models import ConsultationInput
from fachaustausch.consultations.phases import Method, Phase, PostKind, Role
from fachaustausch.consultations.policy import ONE_FACILITATOR, State
from fachaustausch.consultations.queries import visible_state
from fachaustausch.consultations.tables import (
    Consultation,
    ConsultationInstrument,
    ConsultationPost,
    Participant,
    PhaseTransition,
)
from fachaustausch.core import clock, events
from fachaustausch.core.errors import Conflict, FieldError, InvalidInput
from fachaustausch.core.events import EventKind
from fachaustausch.core.markdown import render
from fachaustausch.core.outbox import EntityType, enqueue
from fachaustausch.privacy.refusal import ensure_anonymous
from fachaustausch.toolbox.tables import Cornerstone, Instrument


def _personal_data_in(fields: dict[str, str]) -> InvalidInput | None:
    """The guard's refusal of `fields`, or None. Asked before the transaction, since it
    depends on the text alone; raised inside it after the rules, so that someone who may
    not write at all hears that first."""
    try:
        ensure_anonymous(fields)
    except InvalidInput as refusal:
        return refusal
    return None


async def create(actor: Principal, data: ConsultationInput) -> int:
    ensure_anonymous({"title": data.title, "summary": data.summary})
    summary_html = render(data.summary)
    async with database.transaction():
        cornerstone = (
            await Cornerstone.select(Cornerstone.id)
            .where(Cornerstone.slug == data.cornerstone)
            .first()
            .run()
        )
        if not cornerstone:
            raise InvalidInput.for_field("cornerstone", "Diesen Eckpunkt gibt es nicht.")
        instrument_ids: list[int] = []
        if data.instruments:
            found = {
                r["slug"]: r["id"]
                for r in await Instrument.select(Instrument.id, Instrument.slug)
                .where(Instrument.slug.is_in(data.instruments))
                .run()
            }
            missing = [i for i, slug in enumerate(data.instruments) if slug not in found]
            if missing:
                raise InvalidInput(
                    "Dieses Instrument gibt es nicht.",
                    [
                        FieldError(f"instruments.{i}", "Dieses Instrument gibt es nicht.")
                        for i in missing
                    ],
                )
            instrument_ids = [found[s] for s in data.instruments]
        rows = await Consultation.insert(
            Consultation(
                title=data.title,
                summary=data.summary,
                summary_html=summary_html,
                cornerstone=cornerstone["id"],
                visibility=data.visibility,
                case_giver=actor.id,
            )
        ).run()
        consultation_id = int(rows[0]["id"])
        await Participant.insert(
            Participant(consultation=consultation_id, user=actor.id, role=Role.case_giver)
        ).run()
        if instrument_ids:
            await ConsultationInstrument.insert(
                *(
                    ConsultationInstrument(consultation=consultation_id, instrument=i)
                    for i in instrument_ids
                )
            ).run()
    return consultation_id


# --- taking part -----------------------------------------------------------------------------


async def join(actor: Principal, consultation_id: int, role: Role = Role.advisor) -> None:
    async with _adding(consultation_id, actor.id, role):
        state = await visible_state(actor, consultation_id, lock=True)
        policy.ensure_may_join(actor, state)
        await _add_participant(state, actor.id, role)


UNKNOWN_PERSON = "Diese Person ist nicht bekannt oder nicht aktiv."


async def invite(
    actor: Principal, consultation_id: int, person: int | str | None, role: Role
) -> None:
    """Adds `person` as `role`: named by handle (what pages and clients show), or by
    account number (what API clients sent before handles existed)."""
    if person is None:
        raise InvalidInput.for_field("handle", "Bitte nennen Sie die Person, die Sie einladen.")
    field = "handle" if isinstance(person, str) else "user_id"
    if isinstance(person, str):
        # A handle names one account for good (deletion empties it, never reassigns it in
        # place), so the number is looked up once; whether it is active is asked below.
        row = await User.select(User.id).where(User.handle == person.strip().lower()).first()
        if row is None:
            raise InvalidInput.for_field(field, UNKNOWN_PERSON)
        user_id = int(row["id"])
    else:
        user_id = person
    async with _adding(consultation_id, user_id, role):
        state = await visible_state(actor, consultation_id, lock=True)
        policy.ensure_may_invite(actor, state)
        if (
            not await User.exists()
            .where((User.id == user_id) & (User.status == AccountStatus.active))
            .run()
        ):
            raise InvalidInput.for_field(field, UNKNOWN_PERSON)
        await _add_participant(state, user_id, role)
        await events.record(
            EventKind.consultation_invited, "consultation", state.id, actor.id, user_id=user_id
        )


async def _add_participant(state: State, user_id: int, role: Role) -> None:
    policy.ensure_role_free(state, user_id, role)
    await Participant.insert(Participant(consultation=state.id, user=user_id, role=role)).run()


@asynccontextmanager
async def _adding(consultation_id: int, user_id: int, role: Role) -> AsyncIterator[None]:
    """One transaction adding `user_id` as `role`. The row lock (PostgreSQL) and the write
    lock (SQLite) make concurrent joins wait for each other; the unique indexes (one person
    once, one facilitator) stay the last word, and their refusal reads like the rule's."""
    try:
        async with database.transaction():
            yield
    except (asyncpg.UniqueViolationError, sqlite3.IntegrityError):
        joined = (
            await Participant.exists()
            .where((Participant.consultation == consultation_id) & (Participant.user == user_id))
            .run()
        )
        raise Conflict(
            policy.ALREADY_PARTICIPATING
            if joined or role is not Role.facilitator
            else ONE_FACILITATOR
        ) from None


# --- writing in a phase ----------------------------------------------------------------------


async def post(actor: Principal, consultation_id: int, kind: PostKind, body: str) -> int:
    """Stores the post in the phase it was allowed in: the phase is read, and the rule
    asked, with the consultation locked against moving on until the post is stored."""
    personal_data = _personal_data_in({"body": body})
    body_html = render(body)
    async with database.transaction():
        state = await visible_state(actor, consultation_id, lock=True)
        policy.ensure_may_post(actor, state, kind)
        if personal_data is not None:
            raise personal_data
        rows = await ConsultationPost.insert(
            ConsultationPost(
                consultation=consultation_id,
                phase=state.phase,
                kind=kind,
                author=actor.id,
                body=body,
                body_html=body_html,
            )
        ).run()
        await events.record(
            EventKind.consultation_post_created, "consultation_post", rows[0]["id"], actor.id
        )
    return int(rows[0]["id"])


async def set_key_question(actor: Principal, consultation_id: int, text: str) -> None:
    personal_data = _personal_data_in({"key_question": text})
    async with database.transaction():
        state = await visible_state(actor, consultation_id, lock=True)
        policy.ensure_may_set_key_question(actor, state)
        if personal_data is not None:
            raise personal_data
        await (
            Consultation.update({Consultation.key_question: text})
            .where(Consultation.id == consultation_id)
            .run()
        )


async def set_method(actor: Principal, consultation_id: int, method: Method) -> None:
    async with database.transaction():
        state = await visible_state(actor, consultation_id, lock=True)
        policy.ensure_may_set_method(actor, state)
        await (
            Consultation.update({Consultation.method: method})
            .where(Consultation.id == consultation_id)
            .run()
        )


# --- moving on -------------------------------------------------------------------------------


async def _result_exists(state: State) -> bool:
    def posted(kind: PostKind) -> Any:
        return ConsultationPost.exists().where(
            (ConsultationPost.consultation == state.id)
            & (ConsultationPost.kind == kind)
            & ConsultationPost.hidden.eq(False)
        )

    match state.phase:
        case Phase.casting:
            return True  # the summary is required when the consultation is created
        case Phase.narration:
            return bool(await posted(PostKind.narration).run())
        case Phase.key_question:
            return bool(state.key_question)
        case Phase.method:
            return bool(state.method)
        case Phase.advice:
            return bool(await posted(PostKind.advice).run())
        case Phase.conclusion:
            return bool(await posted(PostKind.conclusion).run())
    return False


async def advance(actor: Principal, consultation_id: int) -> Phase:
    """Moves one phase on, never back; returns the new phase. A second advance sent at the
    same time waits for the first and is then judged on the new phase, whose result
    cannot exist yet."""
    async with database.transaction():
        state = await visible_state(actor, consultation_id, lock=True)
        policy.ensure_may_advance(actor, state)
        target = policy.ensure_result(state, await _result_exists(state))
        # The phase in the WHERE clause is the last guard should the lock ever be missing.
        changed = (
            await Consultation.update(
                {
                    Consultation.phase: target,
                    Consultation.closed_at: clock.now() if target is Phase.closed else None,
                }
            )
            .where((Consultation.id == consultation_id) & (Consultation.phase == state.phase))
            .returning(Consultation.id)
            .run()
        )
        if not changed:
            raise Conflict("Die Phase wurde inzwischen schon gewechselt. Bitte laden Sie neu.")
        await PhaseTransition.insert(
            PhaseTransition(
                consultation=consultation_id, from_phase=state.phase, to_phase=target, by=actor.id
            )
        ).run()
        await events.record(
            EventKind.consultation_phase_changed,
            "consultation",
            consultation_id,
            actor.id,
            phase=target.value,
        )
        if target is Phase.closed:
            # A closed consultation becomes a searchable knowledge item.
            await enqueue(EntityType.consultation, consultation_id)
    return target
