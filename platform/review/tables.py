"""The content review's rows: the provisions each post cites, the changes in the law that
moderators record, the posts those changes put up for review, and each review's outcome.

The posts themselves, and what an answer shows of its review (outdated, its successor, the
date it was last reviewed), are the questions domain's: the review changes them only
through `questions.upkeep`."""

from __future__ import annotations

from piccolo.columns import (
    Boolean,
    Date,
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


class PostCitation(Table):
    """One provision a post cites, rewritten whenever the post's text changes."""

    id: Serial
    post_type = Varchar(length=10)  # question | answer
    post_id = Integer()
    question_id = Integer(index=True)
    law = Varchar(length=20)
    kind = Varchar(length=5)  # § | Art.
    section = Varchar(length=10)
    paragraph = Varchar(length=10, null=True, default=None)
    sentence = Varchar(length=10, null=True, default=None)
    number = Varchar(length=10, null=True, default=None)
    following = Boolean(default=False)
    through = Varchar(length=10, null=True, default=None)
    label = Varchar(length=120)


class LegalChange(Table):
    id: Serial
    title = Varchar(length=300)
    note = Text(default="")
    effective_on = Date()
    recorded_by = ForeignKey(references=User, on_delete=OnDelete.restrict)
    created_at = Timestamptz(default=TimestamptzNow())


class LegalChangeProvision(Table):
    """A provision a change concerns, as the moderator named it (section level or below)."""

    id: Serial
    change = ForeignKey(references=LegalChange, on_delete=OnDelete.cascade, index=True)
    law = Varchar(length=20)
    kind = Varchar(length=5)
    section = Varchar(length=10)
    paragraph = Varchar(length=10, null=True, default=None)
    sentence = Varchar(length=10, null=True, default=None)
    number = Varchar(length=10, null=True, default=None)
    label = Varchar(length=120)


class ReviewTask(Table):
    """A post a change in the law put up for review; open until someone reviews the post.
    One per post and change (unique index in the migration)."""

    id: Serial
    post_type = Varchar(length=10)
    post_id = Integer()
    question_id = Integer(index=True)
    change = ForeignKey(references=LegalChange, on_delete=OnDelete.cascade, index=True)
    # The post's citations the change concerns, as shown: "§ 18a Abs. 1 AufenthG, …".
    provisions = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    # Set by the review that closed it.
    review = Integer(null=True, default=None)


class ContentReview(Table):
    """One review of a post: confirmed as still valid, edited, or marked outdated."""

    id: Serial
    post_type = Varchar(length=10)
    post_id = Integer(index=True)
    question_id = Integer()
    action = Varchar(length=10)  # confirm | edit | outdated
    cause = Varchar(length=15)  # legal_change | age
    reviewer = ForeignKey(references=User, on_delete=OnDelete.restrict)
    reason = Text(default="")
    successor_id = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
