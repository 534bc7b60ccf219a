"""Indexes for the question list filtered by cornerstone: (hidden, cornerstone, sort key, id).

Browsing an Eckpunkt (and an instrument within it) then reads the cornerstone's questions
in list order and stops after one page, instead of sorting every tagged question."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-25T13:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "question list by cornerstone indexes"

STATEMENTS = [
    "CREATE INDEX question_list_cornerstone_newest "
    "ON question (hidden, cornerstone, created_at, id)",
    "CREATE INDEX question_list_cornerstone_activity "
    "ON question (hidden, cornerstone, last_activity_at, id)",
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
