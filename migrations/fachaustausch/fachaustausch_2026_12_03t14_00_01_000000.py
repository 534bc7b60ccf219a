"""Every account gets a handle: the existing accounts in the order they registered (so the
earlier of two namesakes keeps the plain name), then the unique index. NULL is left for
deleted accounts; both engines allow many NULLs under a unique index."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Serial, Varchar
from piccolo.engine import engine_finder
from piccolo.table import Table

from fachaustausch.notifications.mentions import handle_for

ID = "2026-12-03T14:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "handles of existing accounts, unique"


class User(Table, tablename="app_user", schema=None):
    id = Serial(primary_key=True)
    display_name = Varchar(length=100)
    handle = Varchar(length=40, null=True, default=None)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="fachaustausch", description=DESCRIPTION)

    async def backfill() -> None:
        rows = await User.select(User.id, User.display_name).order_by(User.id).run()
        taken: set[str] = set()
        for row in rows:
            handle = handle_for(row["display_name"], taken.__contains__)
            taken.add(handle)
            await User.update({User.handle: handle}).where(User.id == row["id"]).run()
        engine = engine_finder()
        assert engine is not None
        await engine.run_ddl("CREATE UNIQUE INDEX app_user_handle_key ON app_user (handle)")

    manager.add_raw(backfill)
    return manager
