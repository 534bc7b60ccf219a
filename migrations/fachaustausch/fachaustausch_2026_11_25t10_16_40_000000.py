"""Indexes for the question list's keyset pagination: (hidden, sort key, id).

A single-column index on `hidden` (true for almost no row) led SQLite to scan and sort the
whole table for every page; with these the list reads just the page it shows."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-25T10:16:40:000000"
VERSION = "1.38.0"
DESCRIPTION = "question list keyset indexes"

STATEMENTS = [
    "CREATE INDEX question_list_newest ON question (hidden, created_at, id)",
    "CREATE INDEX question_list_activity ON question (hidden, last_activity_at, id)",
    "CREATE INDEX question_list_votes ON question (hidden, score, id)",
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
