"""One registration per event and person: the service checks before it inserts, and the
unique index keeps a double click from registering twice."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-03T14:17:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "one registration per event and person"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="fachaustausch", description=DESCRIPTION)

    async def create_index() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl(
            'CREATE UNIQUE INDEX registration_once ON registration (event, "user")'
        )

    manager.add_raw(create_index)
    return manager
