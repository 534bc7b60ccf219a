"""Notifications, their settings, followed instruments and cornerstones, and the mail
outbox.

People are named by their user id, without a foreign key: this package builds on no
domain's tables (import contracts). Accounts are never deleted once active, and only an
active account receives anything."""

from __future__ import annotations

from piccolo.columns import Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class Notification(Table):
    """One per recipient and event. `topic_*` is the question or consultation the target
    belongs to: the inbox and digests group by it, and opening it marks the rows read."""

    id: Serial
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
    # How the recipient wanted it by mail when it was made: app | immediate | daily | weekly;
    # `mailed` once a mail or a digest carries it (or it was dropped as no longer visible).
    mail = Varchar(length=10, default="app")
    mailed = Timestamptz(null=True, default=None)


class NotificationSetting(Table):
    """A person's choice for one kind (unique per user and kind, migration); no row means
    the kind's default."""

    id: Serial
    user_id = Integer()
    kind = Varchar(length=30)
    delivery = Varchar(length=10)


class TopicFollow(Table):
    """Someone follows an instrument or a cornerstone: new questions tagged with it reach
    them (unique per user, topic type and id, migration)."""

    id: Serial
    user_id = Integer()
    topic_type = Varchar(length=20)  # instrument | cornerstone
    topic_id = Integer()
    created_at = Timestamptz(default=TimestamptzNow())


class MailOutbox(Table):
    """One e-mail to send. `state`: pending → sending → sent, or failed for good. A row
    found in `sending` by a later run was claimed by a worker that never reported back: it
    may have been delivered, so it becomes `unconfirmed` and is never sent again."""

    id: Serial
    user_id = Integer()
    recipient = Varchar(length=254)
    subject = Varchar(length=300)
    message_id = Varchar(length=200)
    # The whole message as composed (RFC 5322 text): a retry sends the same bytes.
    message = Text()
    # The notifications it carries (comma-separated ids): checked for visibility at send.
    notification_ids = Text(default="")
    state = Varchar(length=12, default="pending")
    attempts = Integer(default=0)
    available_at = Timestamptz(default=TimestamptzNow())
    claimed_at = Timestamptz(null=True, default=None)
    sent_at = Timestamptz(null=True, default=None)
    last_error = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class DigestRun(Table):
    """That a person's digest for one period and slot was produced (unique, migration):
    two workers produce it once."""

    id: Serial
    user_id = Integer()
    period = Varchar(length=10)  # daily | weekly
    slot = Varchar(length=20)  # the date (daily) or ISO week (weekly) it is for
    created_at = Timestamptz(default=TimestamptzNow())
