"""Questions, answers, comments, votes, revisions and follows."""

from __future__ import annotations

from piccolo.columns import (
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    SmallInt,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from fachaustausch.accounts.tables import Authority, User
from fachaustausch.toolbox.tables import Cornerstone, Instrument


class Question(Table):
    id: Serial
    title = Varchar(length=150)
    body = Text()
    body_html = Text()
    # Plain-text start of the body for lists, so they never load whole bodies.
    excerpt = Varchar(length=300, default="")
    cornerstone = ForeignKey(references=Cornerstone, on_delete=OnDelete.restrict, index=True)
    author = ForeignKey(references=User, on_delete=OnDelete.restrict, index=True)
    # The author's authority when asking: it stays if the author moves on.
    authority = ForeignKey(references=Authority, on_delete=OnDelete.restrict, index=True)
    directed_to = ForeignKey(references=Authority, on_delete=OnDelete.set_null, null=True)
    status = Varchar(length=10, default="open", index=True)  # open | answered | solved
    # No foreign key: answer references question, and the cycle would block table creation.
    accepted_answer_id = Integer(null=True, default=None)
    score = Integer(default=0, index=True)
    answer_count = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    updated_at = Timestamptz(default=TimestamptzNow())
    last_activity_at = Timestamptz(default=TimestamptzNow(), index=True)
    hidden = Boolean(default=False)
    hidden_reason = Text(default="")
    locked = Boolean(default=False)
    locked_reason = Text(default="")
    # Closed questions take no answers: duplicate | outdated | off_topic, empty while open.
    closed_reason = Varchar(length=20, default="")
    closed_note = Text(default="")
    duplicate_of = Integer(null=True, default=None)
    # When the content review last found the question's legal statements current.
    reviewed_at = Timestamptz(null=True, default=None)
    # The event (Veranstaltung) the question came from. A plain integer: the events' table
    # is theirs; the migration adds the foreign key in the database.
    event_id = Integer(null=True, default=None)


class QuestionInstrument(Table):
    id: Serial
    question = ForeignKey(references=Question, on_delete=OnDelete.cascade, index=True)
    instrument = ForeignKey(references=Instrument, on_delete=OnDelete.cascade, index=True)


class Answer(Table):
    id: Serial
    question = ForeignKey(references=Question, on_delete=OnDelete.cascade, index=True)
    body = Text()
    body_html = Text()
    author = ForeignKey(references=User, on_delete=OnDelete.restrict, index=True)
    authority = ForeignKey(references=Authority, on_delete=OnDelete.restrict)
    # "Antwort eines Modellstandorts": decided when written, kept if the author's role changes.
    from_model_site = Boolean(default=False)
    score = Integer(default=0)
    accepted = Boolean(default=False)
    hidden = Boolean(default=False)
    hidden_reason = Text(default="")
    outdated = Boolean(default=False)
    outdated_reason = Text(default="")
    # The newer answer that replaces an outdated one (no foreign key: it may be hidden or
    # gone later, and the page then shows no link).
    outdated_successor_id = Integer(null=True, default=None)
    # When the content review last found the answer current (confirmed or edited).
    reviewed_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
    updated_at = Timestamptz(default=TimestamptzNow())


class Comment(Table):
    id: Serial
    # Always the question, also for comments on an answer: one query loads a whole page.
    question = ForeignKey(references=Question, on_delete=OnDelete.cascade, index=True)
    answer = ForeignKey(references=Answer, on_delete=OnDelete.cascade, null=True)
    body = Text()
    author = ForeignKey(references=User, on_delete=OnDelete.restrict)
    hidden = Boolean(default=False)
    hidden_reason = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Vote(Table):
    """One per user and post (unique index in the migration); value +1 or -1."""

    id: Serial
    user = ForeignKey(references=User, on_delete=OnDelete.cascade)
    target_type = Varchar(length=10)  # question | answer
    target_id = Integer()
    value = SmallInt()
    created_at = Timestamptz(default=TimestamptzNow())


class Revision(Table):
    """The text a post had before an edit."""

    id: Serial
    target_type = Varchar(length=10, index=True)  # question | answer
    target_id = Integer(index=True)
    title = Varchar(length=150, default="")
    body = Text()
    editor = ForeignKey(references=User, on_delete=OnDelete.restrict)
    reason = Varchar(length=300, default="")
    created_at = Timestamptz(default=TimestamptzNow())


class Follow(Table):
    id: Serial
    user = ForeignKey(references=User, on_delete=OnDelete.cascade)
    question = ForeignKey(references=Question, on_delete=OnDelete.cascade, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
