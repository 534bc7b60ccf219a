"""One open flag per reporter and target: a partial unique index (both engines have them)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-25T09:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one open flag per reporter and target"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="fachaustausch", description=DESCRIPTION)

    async def create_indexes() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl(
            "CREATE UNIQUE INDEX flag_open_once ON flag (reporter, target_type, target_id) "
            "WHERE status = 'open'"
        )

    manager.add_raw(create_indexes)
    return manager
