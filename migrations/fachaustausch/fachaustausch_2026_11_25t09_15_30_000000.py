"""One participation per user and consultation."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-25T09:15:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "unique participant"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="fachaustausch", description=DESCRIPTION)

    async def create_indexes() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl(
            'CREATE UNIQUE INDEX participant_once ON participant (consultation, "user")'
        )

    manager.add_raw(create_indexes)
    return manager
