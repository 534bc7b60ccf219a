"""Collegial case consultations: the case, its participants, posts and phase changes."""

from __future__ import annotations

from piccolo.columns import (
    Boolean,
    ForeignKey,
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


class Consultation(Table):
    id: Serial
    title = Varchar(length=150)
    # The anonymised case summary the case giver writes in the casting phase.
    summary = Text()
    summary_html = Text()
    cornerstone = ForeignKey(references=Cornerstone, on_delete=OnDelete.restrict, index=True)
    visibility = Varchar(length=12, default="members")  # members | participants
    phase = Varchar(length=15, default="casting", index=True)
    key_question = Text(default="")
    method = Varchar(length=30, default="")
    case_giver = ForeignKey(references=User, on_delete=OnDelete.restrict, index=True)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    closed_at = Timestamptz(null=True, default=None)
    hidden = Boolean(default=False)
    hidden_reason = Text(default="")


class ConsultationInstrument(Table):
    id: Serial
    consultation = ForeignKey(references=Consultation, on_delete=OnDelete.cascade, index=True)
    instrument = ForeignKey(references=Instrument, on_delete=OnDelete.cascade, index=True)


class Participant(Table):
    """One per user and consultation (unique index in the migration)."""

    id: Serial
    consultation = ForeignKey(references=Consultation, on_delete=OnDelete.cascade, index=True)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    role = Varchar(length=15)  # case_giver | facilitator | advisor
    secretary = Boolean(default=False)
    joined_at = Timestamptz(default=TimestamptzNow())


class ConsultationPost(Table):
    id: Serial
    consultation = ForeignKey(references=Consultation, on_delete=OnDelete.cascade, index=True)
    phase = Varchar(length=15)
    kind = Varchar(length=30)
    author = ForeignKey(references=User, on_delete=OnDelete.restrict)
    body = Text()
    body_html = Text()
    created_at = Timestamptz(default=TimestamptzNow())
    hidden = Boolean(default=False)
    hidden_reason = Text(default="")


class PhaseTransition(Table):
    id: Serial
    consultation = ForeignKey(references=Consultation, on_delete=OnDelete.cascade, index=True)
    from_phase = Varchar(length=15)
    to_phase = Varchar(length=15)
    by = ForeignKey(references=User, on_delete=OnDelete.restrict)
    at = Timestamptz(default=TimestamptzNow())
