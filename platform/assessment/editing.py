"""The moderation's care of the checklist: adding, rewording, relinking and retiring
criteria. A change makes a new version; rounds keep pointing at the version they rated."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from fachaustausch import database
from fachaustausch.accounts.policy import AccountStatus, Principal, Role, require_moderator
from fachaustausch.accounts.tables import User
from fachaustausch.assessment.models import CriterionEdit, CriterionInput
from fachaustausch.assessment.tables import Criterion, CriterionInstrument, CriterionVersion
from fachaustausch.core import audit
from fachaustausch.core.errors import (
    Conflict,
    FieldError,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from fachaustausch.privacy.refusal import ensure_anonymous
from fachaustausch.toolbox.tables import Instrument

CRITERION_NOT_FOUND = "Dieses Kriterium gibt es nicht."
MODERATORS_ONLY = "Nur die Moderation (BAMF) pflegt die Checkliste."
RETIRED = "Dieses Kriterium ist schon aus der Checkliste genommen."


async def _check_moderator(actor: Principal) -> None:
    """Inside the transaction: the account is still an active moderator."""
    require_moderator(actor)
    row = await User.select(User.role, User.status).where(User.id == actor.id).first().run()
    if (
        row is None
        or row["status"] != AccountStatus.active
        or Role(row["role"]).rank < Role.moderator.rank
    ):
        raise PermissionDenied(MODERATORS_ONLY)


async def _instrument_ids(slugs: list[str]) -> list[int]:
    rows = (
        await Instrument.select(Instrument.id, Instrument.slug)
        .where(Instrument.slug.is_in(slugs or [""]))
        .run()
    )
    ids = {r["slug"]: r["id"] for r in rows}
    unknown = [
        FieldError(f"instruments.{i}", f"Das Instrument „{slug}“ gibt es nicht.")
        for i, slug in enumerate(slugs)
        if slug not in ids
    ]
    if unknown:
        raise InvalidInput(unknown[0].message, unknown)
    return [ids[slug] for slug in slugs]


async def _add_version(
    actor: Principal, criterion_id: int, number: int, text: str, instruments: list[int]
) -> None:
    [version] = await CriterionVersion.insert(
        CriterionVersion(
            criterion=criterion_id,
            number=number,
            text=text,
            created_at=datetime.now(UTC),
            author=actor.id,
        )
    ).run()
    if instruments:
        await CriterionInstrument.insert(
            *(CriterionInstrument(version=version["id"], instrument=i) for i in instruments)
        ).run()


async def add_criterion(actor: Principal, data: CriterionInput) -> int:
    require_moderator(actor)
    ensure_anonymous({"text": data.text})
    async with database.transaction():
        await _check_moderator(actor)
        instruments = await _instrument_ids(data.instruments)
        last = (
            await Criterion.select(Criterion.position)
            .where(Criterion.cornerstone == data.cornerstone)
            .order_by(Criterion.position, ascending=False)
            .first()
            .run()
        )
        [row] = await Criterion.insert(
            Criterion(
                key=f"kriterium-{data.cornerstone}-{secrets.token_hex(4)}",
                cornerstone=data.cornerstone,
                position=(last["position"] if last else 0) + 1,
                current_version=1,
            )
        ).run()
        await _add_version(actor, row["id"], 1, data.text, instruments)
        await audit.record(
            actor.id, "criterion_add", "criterion", row["id"], after=data.model_dump()
        )
    return int(row["id"])


async def _criterion(criterion_id: int) -> dict[str, object]:
    query = Criterion.select(Criterion.id, Criterion.current_version, Criterion.retired_at).where(
        Criterion.id == criterion_id
    )
    if not database.is_sqlite():
        # Two moderators editing at once: the second waits and numbers its version after.
        query = query.lock_rows()
    row = await query.first().run()
    if row is None:
        raise NotFound(CRITERION_NOT_FOUND)
    if row["retired_at"] is not None:
        raise Conflict(RETIRED)
    return row


async def edit_criterion(actor: Principal, criterion_id: int, data: CriterionEdit) -> bool:
    """Rewords or relinks a criterion as a new version; False when nothing changed."""
    require_moderator(actor)
    ensure_anonymous({"text": data.text})
    async with database.transaction():
        await _check_moderator(actor)
        row = await _criterion(criterion_id)
        number = int(str(row["current_version"]))
        version = (
            await CriterionVersion.select(CriterionVersion.id, CriterionVersion.text)
            .where(
                (CriterionVersion.criterion == criterion_id) & (CriterionVersion.number == number)
            )
            .first()
            .run()
        )
        assert version is not None, "a criterion always has its current version"
        linked = [
            r["slug"]
            for r in await CriterionInstrument.select(
                CriterionInstrument.instrument.slug.as_alias("slug")
            )
            .where(CriterionInstrument.version == version["id"])
            .order_by(CriterionInstrument.id)
            .run()
        ]
        if version["text"] == data.text and linked == data.instruments:
            return False
        instruments = await _instrument_ids(data.instruments)
        await _add_version(actor, criterion_id, number + 1, data.text, instruments)
        await (
            Criterion.update({Criterion.current_version: number + 1})
            .where(Criterion.id == criterion_id)
            .run()
        )
        await audit.record(
            actor.id,
            "criterion_edit",
            "criterion",
            criterion_id,
            before={"text": version["text"], "instruments": linked},
            after=data.model_dump(),
        )
    return True


async def retire_criterion(actor: Principal, criterion_id: int) -> None:
    """Takes a criterion out of the checklist; rounds that rated it keep it."""
    require_moderator(actor)
    async with database.transaction():
        await _check_moderator(actor)
        await _criterion(criterion_id)
        await (
            Criterion.update({Criterion.retired_at: datetime.now(UTC)})
            .where(Criterion.id == criterion_id)
            .run()
        )
        await audit.record(actor.id, "criterion_retire", "criterion", criterion_id)
