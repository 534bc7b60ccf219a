"""Collegial case consultations: one function per action, each one transaction.

Who may write what in which phase comes from phases.RULES; every text passes the
personal-data guard before it is stored; a consultation visible to participants only does
not exist (404) for anyone else but moderators."""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from typing import Any, cast

import asyncpg

from fachaustausch import database
from fachaustausch.accounts.policy import AccountStatus, Principal
from fachaustausch.accounts.tables import User
from fachaustausch.consultations.models import (
    AllowedActions,
    ConsultationInput,
    ConsultationOut,
    ConsultationSummaryOut,
    ParticipantOut,
    PhaseOut,
    PostOut,
    TransitionOut,
    Visibility,
)
from fachaustausch.consultations.phases import (
    JOINABLE,
    ORDER,
    RULES,
    Method,
    Phase,
    PostKind,
    Refusal,
    Role,
    phases_where,
    post_refusal,
)
from fachaustausch.consultations.tables import (
    Consultation,
    ConsultationInstrument,
    ConsultationPost,
    Participant,
    PhaseTransition,
)
from fachaustausch.core import clock, events
from fachaustausch.core.errors import Conflict, FieldError, InvalidInput, NotFound, PermissionDenied
from fachaustausch.core.events import EventKind
from fachaustausch.core.ids import MAX_ID
from fachaustausch.core.markdown import render
from fachaustausch.core.outbox import EntityType, enqueue
from fachaustausch.core.schemas import AuthorOut, CornerstoneTagOut, TagOut
from fachaustausch.privacy.refusal import ensure_anonymous
from fachaustausch.toolbox.tables import Cornerstone, Instrument

NOT_FOUND = "Diese Fallberatung gibt es nicht."
_SLUG = re.compile(r"[a-z0-9-]{1,120}")


def consultation_url(consultation_id: int) -> str:
    return f"/fallberatungen/{consultation_id}"


# --- loading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class State:
    id: int
    phase: Phase
    visibility: Visibility
    case_giver_id: int
    hidden: bool
    key_question: str
    method: str
    roles: dict[int, Role]  # user id -> role

    def role_of(self, user_id: int) -> Role | None:
        return self.roles.get(user_id)

    @property
    def has_facilitator(self) -> bool:
        return Role.facilitator in self.roles.values()

    def mover(self) -> Role:
        """Who moves the phase on: the facilitator, or the case giver while none joined."""
        return Role.facilitator if self.has_facilitator else Role.case_giver


async def _state(consultation_id: int) -> State:
    if not 1 <= consultation_id <= MAX_ID:
        raise NotFound(NOT_FOUND)
    row = (
        await Consultation.select(
            Consultation.id,
            Consultation.phase,
            Consultation.visibility,
            Consultation.case_giver,
            Consultation.hidden,
            Consultation.key_question,
            Consultation.method,
        )
        .where(Consultation.id == consultation_id)
        .first()
        .run()
    )
    if not row:
        raise NotFound(NOT_FOUND)
    participants = (
        await Participant.select(Participant.user, Participant.role)
        .where(Participant.consultation == consultation_id)
        .run()
    )
    return State(
        id=row["id"],
        phase=Phase(row["phase"]),
        visibility=Visibility(row["visibility"]),
        case_giver_id=row["case_giver"],
        hidden=row["hidden"],
        key_question=row["key_question"],
        method=row["method"],
        roles={p["user"]: Role(p["role"]) for p in participants},
    )


def _ensure_visible(viewer: Principal, state: State) -> None:
    if viewer.is_moderator:
        return
    if state.hidden or (
        state.visibility is Visibility.participants and viewer.id not in state.roles
    ):
        raise NotFound(NOT_FOUND)


async def _visible_state(viewer: Principal, consultation_id: int) -> State:
    state = await _state(consultation_id)
    _ensure_visible(viewer, state)
    return state


def _visibility_clause(viewer: Principal) -> Any:
    mine = Participant.select(Participant.consultation).where(Participant.user == viewer.id)
    return (Consultation.hidden.eq(False)) & (
        (Consultation.visibility == Visibility.members) | Consultation.id.is_in(mine)
    )


# --- reading ----------------------------------------------------------------------------------

_CASE_GIVER = cast(Any, Consultation.case_giver)
_SUMMARY_COLUMNS = (
    Consultation.id,
    Consultation.title,
    Consultation.phase,
    Consultation.visibility,
    Consultation.created_at,
    Consultation.closed_at,
    Consultation.cornerstone.slug.as_alias("cs_slug"),
    Consultation.cornerstone.number.as_alias("cs_number"),
    Consultation.cornerstone.title.as_alias("cs_title"),
    _CASE_GIVER.id.as_alias("cg_id"),
    _CASE_GIVER.display_name.as_alias("cg_name"),
    _CASE_GIVER.authority.slug.as_alias("cg_authority"),
    _CASE_GIVER.authority.name.as_alias("cg_authority_name"),
    _CASE_GIVER.authority.kind.as_alias("cg_authority_kind"),
)


async def _instruments_of(ids: list[int]) -> dict[int, list[TagOut]]:
    result: dict[int, list[TagOut]] = defaultdict(list)
    if not ids:
        return result
    for r in (
        await ConsultationInstrument.select(
            ConsultationInstrument.consultation.as_alias("cid"),
            ConsultationInstrument.instrument.slug.as_alias("slug"),
            ConsultationInstrument.instrument.title.as_alias("title"),
        )
        .where(ConsultationInstrument.consultation.is_in(ids))
        .order_by(ConsultationInstrument.id)
        .run()
    ):
        result[r["cid"]].append(TagOut(slug=r["slug"], title=r["title"]))
    return result


async def _participant_counts(ids: list[int]) -> dict[int, int]:
    if not ids:
        return {}
    counts: dict[int, int] = defaultdict(int)
    for r in (
        await Participant.select(Participant.consultation)
        .where(Participant.consultation.is_in(ids))
        .run()
    ):
        counts[r["consultation"]] += 1
    return counts


def _summary(
    row: dict[str, Any], instruments: list[TagOut], participants: int
) -> ConsultationSummaryOut:
    phase = Phase(row["phase"])
    return ConsultationSummaryOut(
        id=row["id"],
        title=row["title"],
        url=consultation_url(row["id"]),
        cornerstone=CornerstoneTagOut(
            slug=row["cs_slug"], number=row["cs_number"], title=row["cs_title"]
        ),
        instruments=instruments,
        phase=phase.value,
        phase_label=phase.label,
        visibility=Visibility(row["visibility"]),
        case_giver=AuthorOut(
            id=row["cg_id"],
            display_name=row["cg_name"],
            authority=row["cg_authority"],
            authority_name=row["cg_authority_name"],
            authority_kind=row["cg_authority_kind"],
        ),
        participant_count=participants,
        created_at=row["created_at"],
        closed_at=row["closed_at"],
    )


async def list_consultations(
    viewer: Principal,
    *,
    phase: Phase | None = None,
    cornerstone: str | None = None,
    instrument: str | None = None,
    mine: bool = False,
    limit: int = 50,
) -> list[ConsultationSummaryOut]:
    """Newest first; only what the viewer may see, in three queries."""
    # A filter that cannot be a slug names nothing; it must not reach the driver (PostgreSQL
    # refuses NUL bytes in text).
    if cornerstone and not _SLUG.fullmatch(cornerstone):
        raise InvalidInput.for_field("cornerstone", "Diesen Eckpunkt gibt es nicht.")
    if instrument and not _SLUG.fullmatch(instrument):
        raise InvalidInput.for_field("instrument", "Dieses Instrument gibt es nicht.")
    query = Consultation.select(*_SUMMARY_COLUMNS).order_by(Consultation.id, ascending=False)
    if not viewer.is_moderator:
        query = query.where(_visibility_clause(viewer))
    if phase is not None:
        query = query.where(Consultation.phase == phase)
    if cornerstone:
        if not await Cornerstone.exists().where(Cornerstone.slug == cornerstone).run():
            raise InvalidInput.for_field("cornerstone", "Diesen Eckpunkt gibt es nicht.")
        query = query.where(Consultation.cornerstone.slug == cornerstone)
    if instrument:
        iid = (
            await Instrument.select(Instrument.id)
            .where(Instrument.slug == instrument)
            .first()
            .run()
        )
        if not iid:
            raise InvalidInput.for_field("instrument", "Dieses Instrument gibt es nicht.")
        query = query.where(
            Consultation.id.is_in(
                ConsultationInstrument.select(ConsultationInstrument.consultation).where(
                    ConsultationInstrument.instrument == iid["id"]
                )
            )
        )
    if mine:
        query = query.where(
            Consultation.id.is_in(
                Participant.select(Participant.consultation).where(Participant.user == viewer.id)
            )
        )
    rows = await query.limit(limit).run()
    ids = [r["id"] for r in rows]
    instruments = await _instruments_of(ids)
    counts = await _participant_counts(ids)
    return [_summary(r, instruments.get(r["id"], []), counts.get(r["id"], 0)) for r in rows]


def allowed_actions(viewer: Principal, state: State) -> AllowedActions:
    role = state.role_of(viewer.id)
    closed = state.phase is Phase.closed
    join_as: list[str] = []
    may_join = state.visibility is Visibility.members or viewer.is_moderator
    if role is None and not closed and state.phase in JOINABLE and may_join:
        join_as.append(Role.advisor.value)
        if not state.has_facilitator:
            join_as.append(Role.facilitator.value)
    return AllowedActions(
        join_as=join_as,
        invite=role is Role.case_giver and not closed,
        advance=role is state.mover() and not closed,
        set_key_question=role is Role.case_giver and state.phase is Phase.key_question,
        set_method=role is state.mover() and state.phase is Phase.method,
        post_kinds=sorted(RULES[state.phase].posts[role]) if role else [],
    )


async def get_consultation(viewer: Principal, consultation_id: int) -> ConsultationOut:
    """The whole thread, posts grouped by phase, in six queries."""
    state = await _visible_state(viewer, consultation_id)
    row = (
        await Consultation.select(
            *_SUMMARY_COLUMNS,
            Consultation.summary,
            Consultation.summary_html,
            Consultation.key_question,
            Consultation.method,
            Consultation.hidden,
        )
        .where(Consultation.id == consultation_id)
        .first()
        .run()
    )
    assert row is not None
    user = cast(Any, Participant.user)
    participants = [
        ParticipantOut(
            user_id=p["user_id"],
            display_name=p["name"],
            authority_name=p["authority"],
            role=p["role"],
            role_label=Role(p["role"]).label,
            secretary=p["secretary"],
            joined_at=p["joined_at"],
        )
        for p in await Participant.select(
            user.id.as_alias("user_id"),
            user.display_name.as_alias("name"),
            user.authority.name.as_alias("authority"),
            Participant.role,
            Participant.secretary,
            Participant.joined_at,
        )
        .where(Participant.consultation == consultation_id)
        .order_by(Participant.id)
        .run()
    ]
    author = cast(Any, ConsultationPost.author)
    post_query = (
        ConsultationPost.select(
            ConsultationPost.id,
            ConsultationPost.phase,
            ConsultationPost.kind,
            ConsultationPost.body,
            ConsultationPost.body_html,
            ConsultationPost.created_at,
            ConsultationPost.hidden,
            author.id.as_alias("a_id"),
            author.display_name.as_alias("a_name"),
            author.authority.slug.as_alias("a_authority"),
            author.authority.name.as_alias("a_authority_name"),
            author.authority.kind.as_alias("a_authority_kind"),
        )
        .where(ConsultationPost.consultation == consultation_id)
        .order_by(ConsultationPost.id)
    )
    if not viewer.is_moderator:
        post_query = post_query.where(ConsultationPost.hidden.eq(False))
    posts_by_phase: dict[str, list[PostOut]] = defaultdict(list)
    for p in await post_query.run():
        posts_by_phase[p["phase"]].append(
            PostOut(
                id=p["id"],
                phase=p["phase"],
                kind=p["kind"],
                kind_label=PostKind(p["kind"]).label,
                author=AuthorOut(
                    id=p["a_id"],
                    display_name=p["a_name"],
                    authority=p["a_authority"],
                    authority_name=p["a_authority_name"],
                    authority_kind=p["a_authority_kind"],
                ),
                body=p["body"],
                body_html=p["body_html"],
                created_at=p["created_at"],
                hidden=p["hidden"],
            )
        )
    by = cast(Any, PhaseTransition.by)
    transitions = [
        TransitionOut(from_phase=t["from_phase"], to_phase=t["to_phase"], by=t["by"], at=t["at"])
        for t in await PhaseTransition.select(
            PhaseTransition.from_phase,
            PhaseTransition.to_phase,
            by.display_name.as_alias("by"),
            PhaseTransition.at,
        )
        .where(PhaseTransition.consultation == consultation_id)
        .order_by(PhaseTransition.id)
        .run()
    ]
    instruments = await _instruments_of([consultation_id])
    current = ORDER.index(state.phase)
    method = Method(row["method"]) if row["method"] else None
    summary = _summary(row, instruments.get(consultation_id, []), len(participants))
    role = state.role_of(viewer.id)
    return ConsultationOut(
        **summary.model_dump(),
        summary=row["summary"],
        summary_html=row["summary_html"],
        key_question=row["key_question"],
        method=row["method"],
        method_label=method.label if method else "",
        method_rules=method.rules if method else "",
        requires=RULES[state.phase].requires,
        participants=participants,
        phases=[
            PhaseOut(
                phase=phase.value,
                label=phase.label,
                number=phase.number,
                current=index == current,
                done=index < current,
                explanation=RULES[phase].explanation,
                posts=posts_by_phase.get(phase.value, []),
            )
            for index, phase in enumerate(ORDER)
            if phase is not Phase.closed
        ],
        transitions=transitions,
        my_role=role.value if role else None,
        allowed=allowed_actions(viewer, state),
        hidden=row["hidden"],
    )


# --- writing ----------------------------------------------------------------------------------


async def create(actor: Principal, data: ConsultationInput) -> int:
    ensure_anonymous({"title": data.title, "summary": data.summary})
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
    summary_html = render(data.summary)
    async with database.transaction():
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


async def join(actor: Principal, consultation_id: int, role: Role = Role.advisor) -> None:
    state = await _visible_state(actor, consultation_id)
    if state.role_of(actor.id) is not None:
        raise Conflict("Sie nehmen an dieser Fallberatung bereits teil.")
    if state.visibility is Visibility.participants and not actor.is_moderator:
        raise PermissionDenied("An dieser Fallberatung nimmt nur teil, wer eingeladen wurde.")
    if state.phase not in JOINABLE:
        raise Conflict(
            "Beitreten ist nur bis zum Beginn der Beratungsphase möglich; "
            f"die Fallberatung ist in der Phase „{state.phase.label}“."
        )
    await _add_participant(state, actor.id, role)


ONE_FACILITATOR = "Diese Fallberatung hat bereits eine Gesprächsleitung."


async def _add_participant(
    state: State, user_id: int, role: Role, invited_by: int | None = None
) -> None:
    if role is Role.facilitator and state.has_facilitator:
        raise Conflict(ONE_FACILITATOR)
    if role is Role.case_giver:
        raise PermissionDenied("Es gibt nur eine Fallgeberin oder einen Fallgeber.")
    already = "Diese Person nimmt bereits teil."
    try:
        async with database.transaction():
            if (
                await Participant.exists()
                .where((Participant.consultation == state.id) & (Participant.user == user_id))
                .run()
            ):
                raise Conflict(already)
            await Participant.insert(
                Participant(consultation=state.id, user=user_id, role=role)
            ).run()
            if invited_by is not None:
                await events.record(EventKind.consultation_invited, "consultation", state.id, invited_by, user_id=user_id)  # noqa: E501 # fmt: skip
    except (asyncpg.UniqueViolationError, sqlite3.IntegrityError):
        # Another request raced this one past the checks: the same person again (a double
        # click), or someone else joining as facilitator at the same moment (one
        # facilitator per consultation is a unique index too).
        joined = (
            await Participant.exists()
            .where((Participant.consultation == state.id) & (Participant.user == user_id))
            .run()
        )
        raise Conflict(
            already if joined or role is not Role.facilitator else ONE_FACILITATOR
        ) from None


async def invite(actor: Principal, consultation_id: int, user_id: int, role: Role) -> None:
    state = await _visible_state(actor, consultation_id)
    if state.role_of(actor.id) is not Role.case_giver:
        raise PermissionDenied("Nur die Fallgeberin oder der Fallgeber lädt Beteiligte ein.")
    if state.phase is Phase.closed:
        raise Conflict("Die Fallberatung ist abgeschlossen.")
    if (
        not await User.exists()
        .where((User.id == user_id) & (User.status == AccountStatus.active))
        .run()
    ):
        raise InvalidInput.for_field(
            "user_id", "Dieses Konto gibt es nicht oder es ist nicht aktiv."
        )
    await _add_participant(state, user_id, role, invited_by=actor.id)


def _ensure_participant(actor: Principal, state: State) -> Role:
    role = state.role_of(actor.id)
    if role is None:
        raise PermissionDenied("Bitte treten Sie der Fallberatung zuerst bei.")
    return role


def _ensure_open(state: State) -> None:
    if state.phase is Phase.closed:
        raise Conflict("Die Fallberatung ist abgeschlossen und kann nur noch gelesen werden.")


async def post(actor: Principal, consultation_id: int, kind: PostKind, body: str) -> int:
    state = await _visible_state(actor, consultation_id)
    # A closed consultation is read-only for everyone: no point in asking to join first.
    _ensure_open(state)
    role = _ensure_participant(actor, state)
    refusal = post_refusal(state.phase, role, kind)
    if refusal is Refusal.role:
        if role is Role.case_giver and state.phase is Phase.advice:
            raise PermissionDenied(
                "In der Beratungsphase hört die Fallgeberin oder der Fallgeber nur zu."
            )
        raise PermissionDenied(
            f"Als {role.label} schreiben Sie keinen Beitrag der Art „{kind.label}“."
        )
    if refusal is Refusal.phase:
        when = ", ".join(f"„{p.label}“" for p in phases_where(role, kind))
        raise Conflict(
            f"Einen Beitrag der Art „{kind.label}“ schreiben Sie in der Phase {when}, "
            f"nicht in der Phase „{state.phase.label}“."
        )
    ensure_anonymous({"body": body})
    body_html = render(body)
    async with database.transaction():
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
        await events.record(EventKind.consultation_post_created, "consultation_post", rows[0]["id"], actor.id)  # noqa: E501 # fmt: skip
    return int(rows[0]["id"])


async def set_key_question(actor: Principal, consultation_id: int, text: str) -> None:
    state = await _visible_state(actor, consultation_id)
    role = _ensure_participant(actor, state)
    if role is not Role.case_giver:
        raise PermissionDenied("Die Schlüsselfrage stellt die Fallgeberin oder der Fallgeber.")
    _ensure_open(state)
    if state.phase is not Phase.key_question:
        raise Conflict("Die Schlüsselfrage wird in der Phase „Schlüsselfrage“ festgelegt.")
    ensure_anonymous({"key_question": text})
    async with database.transaction():
        await (
            Consultation.update({Consultation.key_question: text})
            .where(Consultation.id == consultation_id)
            .run()
        )


async def set_method(actor: Principal, consultation_id: int, method: Method) -> None:
    state = await _visible_state(actor, consultation_id)
    role = _ensure_participant(actor, state)
    if role is not state.mover():
        raise PermissionDenied(
            "Die Methode wählt die Gesprächsleitung (oder die Fallgeberin bzw. der "
            "Fallgeber, solange niemand die Gesprächsleitung übernommen hat)."
        )
    _ensure_open(state)
    if state.phase is not Phase.method:
        raise Conflict("Die Methode wird in der Phase „Methodenwahl“ gewählt.")
    async with database.transaction():
        await (
            Consultation.update({Consultation.method: method})
            .where(Consultation.id == consultation_id)
            .run()
        )


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
    """Moves one phase on, never back; returns the new phase."""
    state = await _visible_state(actor, consultation_id)
    role = _ensure_participant(actor, state)
    if role is not state.mover():
        raise PermissionDenied(
            "Die Phase wechselt die Gesprächsleitung (oder die Fallgeberin bzw. der "
            "Fallgeber, solange niemand die Gesprächsleitung übernommen hat)."
        )
    _ensure_open(state)
    if not await _result_exists(state):
        raise Conflict(
            f"Die Phase „{state.phase.label}“ kann erst verlassen werden, wenn "
            f"{RULES[state.phase].requires} vorliegt."
        )
    target = state.phase.next
    assert target is not None
    async with database.transaction():
        # The phase in the WHERE clause makes a concurrent double click advance only once.
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
        await events.record(EventKind.consultation_phase_changed, "consultation", consultation_id, actor.id, phase=target.value)  # noqa: E501 # fmt: skip
        if target is Phase.closed:
            # A closed consultation becomes a searchable knowledge item.
            await enqueue(EntityType.consultation, consultation_id)
    return target
