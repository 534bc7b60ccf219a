"""An authority's assessment: saving the draft its members fill in together, and submitting
it as a dated round. Every check runs inside the write's transaction."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fachaustausch import database
from fachaustausch.accounts.policy import AccountStatus, AuthorityKind, Principal
from fachaustausch.accounts.tables import Authority, User
from fachaustausch.assessment.models import DraftInput
from fachaustausch.assessment.tables import (
    AssessmentRound,
    Criterion,
    CriterionVersion,
    DraftRating,
    RoundRating,
)
from fachaustausch.core.errors import Conflict, FieldError, InvalidInput, PermissionDenied
from fachaustausch.privacy.refusal import PersonalDataFound, ensure_anonymous

NOT_A_MEMBER = "Die Standortbestimmung Ihrer Behörde bearbeiten nur ihre aktiven Mitglieder."
FEDERAL = "Die Standortbestimmung füllen die Ausländerbehörden aus, nicht das BAMF."
NO_DRAFT = (
    "Es liegt kein Entwurf vor, der eingereicht werden könnte; vielleicht hat ihn eine "
    "Kollegin oder ein Kollege gerade eingereicht."
)


def _check_notes(data: DraftInput) -> None:
    """The personal-data guard on every note, each finding reported at its rating."""
    errors: list[FieldError] = []
    for index, rating in enumerate(data.ratings):
        try:
            ensure_anonymous({"note": rating.note})
        except PersonalDataFound as exc:
            errors.extend(
                FieldError(f"ratings.{index}.note", e.message, e.details) for e in exc.errors
            )
    if errors:
        raise InvalidInput(
            "Eine Notiz enthält personenbezogene Daten. " + errors[0].message, errors
        )


async def check_member(actor: Principal) -> None:
    """Inside the transaction: the actor is still an active member of the authority the
    session names, and that authority is one that assesses itself."""
    row = (
        await User.select(User.status, User.authority, User.authority.kind.as_alias("kind"))
        .where(User.id == actor.id)
        .first()
        .run()
    )
    if row is None or row["status"] != AccountStatus.active:
        raise PermissionDenied(NOT_A_MEMBER)
    if row["authority"] != actor.authority_id:
        raise PermissionDenied(NOT_A_MEMBER)
    if row["kind"] == AuthorityKind.federal:
        raise PermissionDenied(FEDERAL)


async def _lock_authority(authority_id: int) -> None:
    """Serialises the writes of one authority's assessment on PostgreSQL; SQLite's write
    transaction holds the whole database already."""
    if not database.is_sqlite():
        await Authority.select(Authority.id).where(Authority.id == authority_id).lock_rows().run()


async def save_draft(actor: Principal, data: DraftInput) -> None:
    """Sets the given criteria's ratings in the authority's draft, criterion by criterion:
    a colleague's save of other criteria at the same time is kept as well."""
    ids = [r.criterion_id for r in data.ratings]
    seen: set[int] = set()
    for index, criterion_id in enumerate(ids):
        if criterion_id in seen:
            raise InvalidInput.for_field(
                f"ratings.{index}.criterion_id", "Jedes Kriterium darf nur einmal vorkommen."
            )
        seen.add(criterion_id)
    _check_notes(data)
    now = datetime.now(UTC)
    async with database.transaction():
        await check_member(actor)
        current = {
            r["id"]
            for r in await Criterion.select(Criterion.id)
            .where(Criterion.id.is_in(ids or [0]) & Criterion.retired_at.is_null())
            .run()
        }
        unknown = [
            FieldError(
                f"ratings.{i}.criterion_id",
                "Dieses Kriterium gibt es nicht (mehr) in der Checkliste.",
            )
            for i, criterion_id in enumerate(ids)
            if criterion_id not in current
        ]
        if unknown:
            raise InvalidInput(unknown[0].message, unknown)
        for rating in data.ratings:
            await (
                DraftRating.insert(
                    DraftRating(
                        authority=actor.authority_id,
                        criterion=rating.criterion_id,
                        status=rating.status,
                        relevance=rating.relevance,
                        note=rating.note,
                        updated_at=now,
                        updated_by=actor.id,
                    )
                )
                .on_conflict(
                    target=(DraftRating.authority, DraftRating.criterion),
                    action="DO UPDATE",
                    values=[
                        DraftRating.status,
                        DraftRating.relevance,
                        DraftRating.note,
                        DraftRating.updated_at,
                        DraftRating.updated_by,
                    ],
                )
                .run()
            )


async def _current_versions() -> list[dict[str, Any]]:
    rows = (
        await CriterionVersion.select(
            CriterionVersion.id,
            CriterionVersion.number,
            CriterionVersion.criterion.id.as_alias("criterion"),
            CriterionVersion.criterion.current_version.as_alias("current"),
        )
        .where(CriterionVersion.criterion.retired_at.is_null())
        .run()
    )
    return [r for r in rows if r["number"] == r["current"]]


async def submit_round(actor: Principal) -> int:
    """Makes the draft a dated round that keeps the criterion versions it rated, and clears
    the draft. Every current criterion needs both ratings. Of two submits at once, one
    makes the round and the other finds no draft (409)."""
    async with database.transaction():
        await check_member(actor)
        await _lock_authority(actor.authority_id)
        draft = {
            r["criterion"]: r
            for r in await DraftRating.select(
                DraftRating.criterion, DraftRating.status, DraftRating.relevance, DraftRating.note
            )
            .where(DraftRating.authority == actor.authority_id)
            .run()
        }
        versions = await _current_versions()
        if not any(v["criterion"] in draft for v in versions):
            raise Conflict(NO_DRAFT)
        missing = [
            FieldError(
                f"criteria.{v['criterion']}",
                "Bitte geben Sie für dieses Kriterium Stand und Relevanz an.",
            )
            for v in versions
            if (rating := draft.get(v["criterion"])) is None
            or rating["status"] is None
            or rating["relevance"] is None
        ]
        if missing:
            raise InvalidInput(
                f"Noch nicht alle Kriterien sind bewertet: {len(missing)} fehlen noch.", missing
            )
        last = (
            await AssessmentRound.select(AssessmentRound.number)
            .where(AssessmentRound.authority == actor.authority_id)
            .order_by(AssessmentRound.number, ascending=False)
            .first()
            .run()
        )
        [row] = await AssessmentRound.insert(
            AssessmentRound(
                authority=actor.authority_id,
                number=(last["number"] if last else 0) + 1,
                submitted_at=datetime.now(UTC),
                submitted_by=actor.id,
            )
        ).run()
        await RoundRating.insert(
            *(
                RoundRating(
                    round=row["id"],
                    version=v["id"],
                    status=draft[v["criterion"]]["status"],
                    relevance=draft[v["criterion"]]["relevance"],
                    note=draft[v["criterion"]]["note"],
                )
                for v in versions
            )
        ).run()
        await DraftRating.delete().where(DraftRating.authority == actor.authority_id).run()
    return int(row["id"])
