"""Piccolo migrations of the one app, run forwards at start-up and by `fachaustausch migrate`."""

from __future__ import annotations

import contextlib
import io
from typing import Any, cast

from piccolo.apps.migrations.tables import Migration
from piccolo.engine.sqlite import SQLiteEngine

from fachaustausch.database.context import current


async def migrate() -> list[str]:
    """Runs every pending migration on the current database (and, when any ran, refreshes
    the planner's statistics); returns the ids that ran."""
    from piccolo.apps.migrations.commands.forwards import ForwardsMigrationManager

    before = set(await _ran_migrations())
    manager = ForwardsMigrationManager(app_name="fachaustausch", migration_id="all")
    # Piccolo narrates every step on stdout; the callers report what ran in one line.
    with contextlib.redirect_stdout(io.StringIO()):
        result = await manager.run()
    if not result.success:
        raise RuntimeError(f"migration failed: {result.message}")
    after = await _ran_migrations()
    ran = [name for name in after if name not in before]
    if ran:
        db = current().engine
        if isinstance(db, SQLiteEngine):
            # WAL lets readers and the one writer work at the same time; it is a property
            # of the file and persists.
            await db.run_ddl("PRAGMA journal_mode=WAL")
        # Fresh statistics let the planner pick the keyset indexes. Only after a schema
        # change: on a large database ANALYZE at every start would slow start-up.
        await db.run_ddl("ANALYZE")
    return ran


async def _ran_migrations() -> list[str]:
    if not await Migration.table_exists().run():
        return []
    # Piccolo gives every table an `id` primary key: the order the migrations ran in.
    rows = await Migration.select(Migration.name).order_by(cast(Any, Migration).id).run()
    return [row["name"] for row in rows]
