"""Writes the checklist's starting criteria (criteria.json) into the database.

Idempotent: a criterion whose key exists already is left as it is, since moderators may
have reworded, relinked or retired it since; only missing ones are added, each with its
first version and instrument links."""

from __future__ import annotations

from fachaustausch import database
from fachaustausch.assessment.seed_criteria import load_seed_criteria
from fachaustausch.assessment.tables import Criterion, CriterionInstrument, CriterionVersion
from fachaustausch.toolbox.tables import Instrument


async def seed_criteria() -> int:
    """Adds the seed criteria that are missing; returns how many were added. Call after
    the toolbox is seeded: the links name its instruments."""
    criteria = load_seed_criteria()
    added = 0
    async with database.transaction():
        existing = {r["key"] for r in await Criterion.select(Criterion.key).run()}
        rows = await Instrument.select(Instrument.id, Instrument.slug).run()
        instruments = {r["slug"]: r["id"] for r in rows}
        for seed in criteria:
            if seed.key in existing:
                continue
            missing = [slug for slug in seed.instruments if slug not in instruments]
            if missing:
                raise ValueError(f"criterion {seed.key!r}: unknown instruments {missing}")
            [row] = await Criterion.insert(
                Criterion(
                    key=seed.key,
                    cornerstone=seed.cornerstone,
                    position=seed.position,
                    current_version=1,
                )
            ).run()
            [version] = await CriterionVersion.insert(
                CriterionVersion(criterion=row["id"], number=1, text=seed.text)
            ).run()
            if seed.instruments:
                await CriterionInstrument.insert(
                    *(
                        CriterionInstrument(version=version["id"], instrument=instruments[slug])
                        for slug in seed.instruments
                    )
                ).run()
            added += 1
    return added
