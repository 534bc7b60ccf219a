"""The domain-event log and the notifications: notifications, settings per kind, followed
instruments and cornerstones, the mail outbox and the digest runs (issue 20).

The tables are created from frozen copies of their definitions (below), so this migration
keeps creating what it created when the tables change later; Piccolo writes the DDL for
SQLite and PostgreSQL alike."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import JSON, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-12-03T14:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "domain events, notifications, their settings, topic follows, mail outbox"


class DomainEvent(Table, tablename="domain_event"):
    kind = Varchar(length=40)
    target_type = Varchar(length=30)
    target_id = Integer()
    actor_id = Integer(null=True, default=None)
    payload = JSON(default="{}")
    created_at = Timestamptz(default=TimestamptzNow())
    processed_at = Timestamptz(null=True, default=None)


class Notification(Table, tablename="notification"):
    user_id = Integer()
    event_id = Integer()
    kind = Varchar(length=30)
    target_type = Varchar(length=30)
    target_id = Integer()
    topic_type = Varchar(length=20, default="")
    topic_id = Integer(default=0)
    topic_title = Varchar(length=200, default="")
    text = Text()
    created_at = Timestamptz(default=TimestamptzNow())
    read_at = Timestamptz(null=True, default=None)
    mail = Varchar(length=10, default="app")
    mailed = Timestamptz(null=True, default=None)


class NotificationSetting(Table, tablename="notification_setting"):
    user_id = Integer()
    kind = Varchar(length=30)
    delivery = Varchar(length=10)


class TopicFollow(Table, tablename="topic_follow"):
    user_id = Integer()
    topic_type = Varchar(length=20)
    topic_id = Integer()
    created_at = Timestamptz(default=TimestamptzNow())


class MailOutbox(Table, tablename="mail_outbox"):
    user_id = Integer()
    recipient = Varchar(length=254)
    subject = Varchar(length=300)
    message_id = Varchar(length=200)
    message = Text()
    notification_ids = Text(default="")
    state = Varchar(length=12, default="pending")
    attempts = Integer(default=0)
    available_at = Timestamptz(default=TimestamptzNow())
    claimed_at = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    last_error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class DigestRun(Table, tablename="digest_run"):
    user_id = Integer()
    period = Varchar(length=10)
    slot = Varchar(length=20)
    created_at = Timestamptz(default=TimestamptzNow())


TABLES = [DomainEvent, Notification, NotificationSetting, TopicFollow, MailOutbox, DigestRun]

INDEXES = [
    # The worker's next events.
    "CREATE INDEX domain_event_pending ON domain_event (processed_at, id)",
    # The inbox (newest first) and the unread count of one person.
    "CREATE INDEX notification_inbox ON notification (user_id, id)",
    "CREATE INDEX notification_unread ON notification (user_id, read_at)",
    "CREATE INDEX notification_topic ON notification (user_id, topic_type, topic_id)",
    "CREATE INDEX notification_digest ON notification (mail, mailed)",
    "CREATE UNIQUE INDEX notification_setting_once ON notification_setting (user_id, kind)",
    "CREATE UNIQUE INDEX topic_follow_once ON topic_follow (user_id, topic_type, topic_id)",
    "CREATE INDEX topic_follow_topic ON topic_follow (topic_type, topic_id)",
    "CREATE UNIQUE INDEX mail_outbox_message_id ON mail_outbox (message_id)",
    "CREATE INDEX mail_outbox_due ON mail_outbox (state, available_at)",
    "CREATE UNIQUE INDEX digest_run_once ON digest_run (user_id, period, slot)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="fachaustausch", description=DESCRIPTION)

    async def create() -> None:
        engine = engine_finder()
        assert engine is not None
        for table in TABLES:
            table._meta.db = engine
            await table.create_table().run()
        for statement in INDEXES:
            await engine.run_ddl(statement)

    manager.add_raw(create)
    return manager
