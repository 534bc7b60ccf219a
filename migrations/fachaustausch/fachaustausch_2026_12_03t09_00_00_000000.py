"""Flags the system raises: `fachaustausch privacy scan` reports stored posts with personal
data as flags without a reporter (the column has always been nullable). At most one such
flag per target, whatever became of it, so running the scan again adds none, and a flag a
moderator dismissed is not raised again."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-03T09:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one system flag per target"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="fachaustausch", description=DESCRIPTION)

    async def create_index() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl(
            "CREATE UNIQUE INDEX flag_system_once ON flag (target_type, target_id) "
            "WHERE reporter IS NULL"
        )

    manager.add_raw(create_index)
    return manager
