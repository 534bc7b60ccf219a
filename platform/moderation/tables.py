"""Flags (Meldungen) that members raise on content or users."""

from __future__ import annotations

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from fachaustausch.accounts.tables import User


class Flag(Table):
    """At most one open flag per reporter and target, and one flag ever per target from the
    personal-data scan (partial unique indexes, migrations)."""

    id: Serial
    target_type = Varchar(length=30, index=True)
    target_id = Integer(index=True)
    # None: raised by the system (`fachaustausch privacy scan`), not by a member.
    reporter = ForeignKey(references=User, on_delete=OnDelete.cascade, null=True)
    reason = Varchar(length=20)
    text = Text(default="")
    status = Varchar(length=10, default="open", index=True)  # open | resolved | dismissed
    created_at = Timestamptz(default=TimestamptzNow())
    resolved_by = ForeignKey(references=User, on_delete=OnDelete.set_null, null=True)
    resolved_at = Timestamptz(null=True, default=None)
    resolution = Varchar(length=40, default="")
