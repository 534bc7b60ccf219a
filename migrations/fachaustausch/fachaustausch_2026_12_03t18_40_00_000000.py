"""Signed-in sessions an account's owner can list and end (issue 21).

Created from a frozen copy of the table's definition (below), so this migration keeps
creating what it created when the table changes later."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-12-03T18:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "account sessions"


class User(Table, tablename="app_user"):
    id = Serial(primary_key=True)


class AccountSession(Table, tablename="account_session"):
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    key_hash = Varchar(length=64, unique=True)
    session_version = Integer(default=0)
    browser = Varchar(length=80, default="")
    created_at = Timestamptz(default=TimestamptzNow())
    last_seen_at = Timestamptz(default=TimestamptzNow())


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="fachaustausch", description=DESCRIPTION)

    async def create() -> None:
        engine = engine_finder()
        assert engine is not None
        AccountSession._meta.db = engine
        await AccountSession.create_table().run()

    manager.add_raw(create)
    return manager
