"""Reading consultations: the list, one thread, and the state the rules look at.

A consultation visible to participants only does not exist (404) for anyone else but
moderators (policy.ensure_visible); the list leaves out what the viewer may not see."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any, cast

from fachaustausch.accounts.policy import Principal
from fachaustausch.consultations.models import (
    ConsultationOut,
    ConsultationSummaryOut,
    ParticipantOut,
    PhaseOut,
    PostOut,
    TransitionOut,
    Visibility,
)
from fachaustausch.consultations.phases import ORDER, RULES, Method, Phase, PostKind, Role
from fachaustausch.consultations.policy import NOT_FOUND, State, allowed_actions, ensure_visible
from fachaustausch.consultations.tables import (
    Consultation,
    ConsultationInstrument,
    ConsultationPost,
    Participant,
    PhaseTransition,
)
from fachaustausch.core.errors import InvalidInput, NotFound
from fachaustausch.core.ids import MAX_ID
from fachaustausch.core.schemas import AuthorOut, CornerstoneTagOut, TagOut
from fachaustausch.database.row_lock import for_update
from fachaustausch.toolbox.tables import Cornerstone, Instrument

_SLUG = re.compile(r"[a-z0-9-]{1,120}")


def consultation_url(consultation_id: int) -> str:
    return f"/fallberatungen/{consultation_id}"


# --- the state the rules look at -------------------------------------------------------------


async def state_of(consultation_id: int, *, lock: bool = False) -> State:
    """The consultation's state; with `lock`, inside a write's transaction, its row stays
    locked until the write commits, so no other write changes the phase or the people in
    between (every write of a consultation takes this lock first)."""
    if not 1 <= consultation_id <= MAX_ID:
        raise NotFound(NOT_FOUND)
    query = Consultation.select(
        Consultation.id,
        Consultation.phase,
        Consultation.visibility,
        Consultation.case_giver,
        Consultation.hidden,
        Consultation.key_question,
        Consultation.method,
    ).where(Consultation.id == consultation_id)
    row = await (for_update(query) if lock else query).first().run()
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


async def visible_state(viewer: Principal, consultation_id: int, *, lock: bool = False) -> State:
    state = await state_of(consultation_id, lock=lock)
    ensure_visible(viewer, state)
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


async def get_consultation(viewer: Principal, consultation_id: int) -> ConsultationOut:
    """The whole thread, posts grouped by phase, in six queries."""
    state = await visible_state(viewer, consultation_id)
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
            handle=p["handle"],
            display_name=p["name"],
            authority_name=p["authority"],
            role=p["role"],
            role_label=Role(p["role"]).label,
            secretary=p["secretary"],
            joined_at=p["joined_at"],
        )
        for p in await Participant.select(
            user.id.as_alias("user_id"),
            user.handle.as_alias("handle"),
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
