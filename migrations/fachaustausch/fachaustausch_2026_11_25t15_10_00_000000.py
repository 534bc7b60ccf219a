"""Index for the comments of one answer: reading an answer on its own (after answering,
editing, accepting or commenting) looks its comments up by answer, which without it
scans every comment."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-25T15:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "comment by answer index"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="fachaustausch", description=DESCRIPTION)

    async def create_index() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl("CREATE INDEX comment_answer ON comment (answer)")

    manager.add_raw(create_index)
    return manager
