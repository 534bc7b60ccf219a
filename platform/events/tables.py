"""Events (Veranstaltungen), their programme, registrations and calendar-feed tokens."""

from __future__ import annotations

from piccolo.columns import (
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from fachaustausch.accounts.tables import User
from fachaustausch.toolbox.tables import Cornerstone, Instrument


class Event(Table):
    id: Serial
    kind = Varchar(length=20, index=True)  # training | network_meeting | site_visit | online
    title = Varchar(length=150)
    description = Text()
    description_html = Text()
    starts_at = Timestamptz(index=True)
    ends_at = Timestamptz()
    # Place and address (an office's, never a person's), empty for an online event.
    place = Text(default="")
    # Shown only to confirmed participants, the organiser and the moderation.
    online_url = Varchar(length=500, default="")
    land = Varchar(length=60, default="", index=True)
    capacity = Integer()
    registration_deadline = Timestamptz()
    cornerstone = ForeignKey(references=Cornerstone, on_delete=OnDelete.restrict, index=True)
    organiser = ForeignKey(references=User, on_delete=OnDelete.restrict, index=True)
    status = Varchar(length=12, default="scheduled")  # scheduled | cancelled
    # Links to slides and minutes, shown after the event (Markdown).
    materials = Text(default="")
    materials_html = Text(default="")
    # Counts the edits, so calendar clients replace their older copy (RFC 5545 SEQUENCE).
    sequence = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class EventInstrument(Table):
    id: Serial
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, index=True)
    instrument = ForeignKey(references=Instrument, on_delete=OnDelete.cascade, index=True)


class ProgrammeItem(Table):
    id: Serial
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, index=True)
    starts_at = Timestamptz()
    title = Varchar(length=200)
    position = Integer(default=0)


class Registration(Table):
    """One per event and person (unique index in the migration)."""

    id: Serial
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    status = Varchar(length=12)  # confirmed | waiting
    # Order of arrival: the waiting list moves up by it.
    position = Integer()
    registered_by = ForeignKey(references=User, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow())


class EventReminder(Table):
    """That a confirmed participant was reminded of the event, one per event and person
    (unique index in the migration): the reminder goes out once, even to someone who
    withdraws and registers again."""

    id: Serial
    event = ForeignKey(references=Event, on_delete=OnDelete.cascade)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade)
    created_at = Timestamptz(default=TimestamptzNow())


class FeedToken(Table):
    """The secret of a person's calendar feed; only its hash is kept. A new one replaces the
    old, which revokes every address given out before."""

    id: Serial
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, unique=True)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
