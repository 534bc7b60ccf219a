"""Event reminders and questions tagged with an event (issue 24).

`event_reminder` records that a person was reminded of an event, one row per event and
person (unique), so the reminder a day before goes out once even if the person withdraws
and registers again. `question.event_id` names the event a question came from; the events'
table is another domain's, so the column is a plain integer in the questions' table and
the foreign key lives in the database alone.

The table is created from a frozen copy of its definition, so this migration keeps
creating what it created when the table changes later."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import ForeignKey, OnDelete, Serial, Timestamptz
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-12-03T18:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "event reminders, questions tagged with an event"


class Event(Table, tablename="event", schema=None):
    id = Serial(primary_key=True)


class User(Table, tablename="app_user", schema=None):
    id = Serial(primary_key=True)


class EventReminder(Table, tablename="event_reminder"):
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow())


STATEMENTS = [
    'CREATE UNIQUE INDEX event_reminder_once ON event_reminder (event, "user")',
    "ALTER TABLE question ADD COLUMN event_id INTEGER NULL "
    "REFERENCES event (id) ON DELETE SET NULL",
    "CREATE INDEX question_event_id ON question (event_id)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="fachaustausch", description=DESCRIPTION)

    async def create() -> None:
        engine = engine_finder()
        assert engine is not None
        EventReminder._meta.db = engine
        await EventReminder.create_table().run()
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(create)
    return manager
