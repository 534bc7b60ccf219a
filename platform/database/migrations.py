"""Piccolo migrations of the one app, run forwards at start-up and by `fachaustausch migrate`."""

from __future__ import annotations

import contextlib
import io

from piccolo.engine.sqlite import SQLiteEngine
from piccolo.table import Table

from fachaustausch.database.engine import engine


async def migrate() -> list[str]:
    """Runs every pending migration (and, when any ran, refreshes the planner's statistics);
    returns the ids that ran."""
    from piccolo.apps.migrations.commands.forwards import ForwardsMigrationManager
    from piccolo.apps.migrations.tables import Migration

    before = set(await _ran_migrations(Migration))
    manager = ForwardsMigrationManager(app_name="fachaustausch", migration_id="all")
    # Piccolo narrates every step on stdout; the callers report what ran in one line.
    with contextlib.redirect_stdout(io.StringIO()):
        result = await manager.run()
    if not result.success:
        raise RuntimeError(f"migration failed: {result.message}")
    after = await _ran_migrations(Migration)
    ran = [name for name in after if name not in before]
    if ran:
        db = engine()
        if isinstance(db, SQLiteEngine):
            # WAL lets readers and the one writer work at the same time; it is a property
            # of the file and persists.
            await db.run_ddl("PRAGMA journal_mode=WAL")
        # Fresh statistics let the planner pick the keyset indexes. Only after a schema
        # change: on a large database ANALYZE at every start would slow start-up.
        await db.run_ddl("ANALYZE")
    return ran


async def _ran_migrations(migration: type[Table]) -> list[str]:
    if not await migration.table_exists().run():
        return []
    rows = await migration.select().order_by(migration._meta.primary_key).run()
    return [row["name"] for row in rows]
