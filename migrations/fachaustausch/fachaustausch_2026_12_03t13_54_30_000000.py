"""Composite rules of the self-assessment: one version number per criterion, one draft
rating per authority and criterion (colleagues' saves merge on it), one round number per
authority (of two submits at once, one wins), a version rated once per round, and an
instrument linked once per version."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-03T13:54:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "self-assessment unique indexes"

STATEMENTS = [
    "CREATE UNIQUE INDEX assessment_version_once"
    " ON assessment_criterion_version (criterion, number)",
    "CREATE UNIQUE INDEX assessment_draft_once ON assessment_draft_rating (authority, criterion)",
    "CREATE UNIQUE INDEX assessment_round_once ON assessment_round (authority, number)",
    "CREATE UNIQUE INDEX assessment_rating_once ON assessment_round_rating (round, version)",
    "CREATE UNIQUE INDEX assessment_link_once"
    " ON assessment_criterion_instrument (version, instrument)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="fachaustausch", description=DESCRIPTION)

    async def create_indexes() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(create_indexes)
    return manager
