"""At most one facilitator per consultation, as a partial unique index: the service checks
before it inserts, but two members joining as facilitator at the same moment both passed
that check. Where that already happened, the first to join stays facilitator and the
others become advisors (they keep their posts), so the index can be created."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-29T14:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "one facilitator per consultation"


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="fachaustausch", description=DESCRIPTION)

    async def create_index() -> None:
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl(
            "UPDATE participant SET role = 'advisor' WHERE role = 'facilitator' AND id NOT IN "
            "(SELECT MIN(id) FROM participant WHERE role = 'facilitator' GROUP BY consultation)"
        )
        await engine.run_ddl(
            "CREATE UNIQUE INDEX participant_one_facilitator ON participant (consultation) "
            "WHERE role = 'facilitator'"
        )

    manager.add_raw(create_index)
    return manager
