"""The self-assessment's rows: versioned criteria and their instruments, each authority's
draft, and the submitted rounds with the criterion versions they rated."""

from typing import TYPE_CHECKING

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

if TYPE_CHECKING:
    from fachaustausch.accounts.tables import Authority, User
    from fachaustausch.toolbox.tables import Instrument


def _authority() -> LazyTableReference:
    return LazyTableReference("Authority", module_path="fachaustausch.accounts.tables")


def _user() -> LazyTableReference:
    return LazyTableReference("User", module_path="fachaustausch.accounts.tables")


class Criterion(Table, tablename="assessment_criterion"):
    """A criterion's lasting identity: ratings of drafts refer to it, and it points at the
    version its text and instruments currently have."""

    id: Serial
    # The seed's key; criteria added by moderators get one derived from their first text.
    key = Varchar(length=120, unique=True)
    cornerstone = Integer(index=True)
    position = Integer(default=0)
    current_version = Integer(default=1)
    retired_at = Timestamptz(null=True, default=None)


class CriterionVersion(Table, tablename="assessment_criterion_version"):
    """One wording of a criterion; never changed once written, so a round keeps the text
    its authority rated."""

    id: Serial
    criterion = ForeignKey(references=Criterion, on_delete=OnDelete.restrict, index=True)
    number = Integer(default=1)
    text = Text()
    created_at = Timestamptz(default=TimestamptzNow())
    author: ForeignKey["User"] = ForeignKey(
        references=_user(), on_delete=OnDelete.set_null, null=True, default=None
    )


class CriterionInstrument(Table, tablename="assessment_criterion_instrument"):
    """An instrument that addresses a criterion, as linked in one version."""

    id: Serial
    version = ForeignKey(references=CriterionVersion, on_delete=OnDelete.cascade, index=True)
    instrument: ForeignKey["Instrument"] = ForeignKey(
        references=LazyTableReference("Instrument", module_path="fachaustausch.toolbox.tables"),
        on_delete=OnDelete.cascade,
        index=True,
    )


class DraftRating(Table, tablename="assessment_draft_rating"):
    """An authority's rating of one criterion while its members work on the assessment;
    unique per authority and criterion, so colleagues' saves merge criterion by criterion."""

    id: Serial
    authority: ForeignKey["Authority"] = ForeignKey(
        references=_authority(), on_delete=OnDelete.cascade, index=True
    )
    criterion = ForeignKey(references=Criterion, on_delete=OnDelete.cascade)
    status = Integer(null=True, default=None)
    relevance = Integer(null=True, default=None)
    note = Text(default="")
    updated_at = Timestamptz(default=TimestamptzNow())
    updated_by: ForeignKey["User"] = ForeignKey(
        references=_user(), on_delete=OnDelete.set_null, null=True, default=None
    )


class AssessmentRound(Table, tablename="assessment_round"):
    """A submitted assessment; numbered per authority (unique), dated."""

    id: Serial
    authority: ForeignKey["Authority"] = ForeignKey(
        references=_authority(), on_delete=OnDelete.cascade, index=True
    )
    number = Integer(default=1)
    submitted_at = Timestamptz(default=TimestamptzNow())
    submitted_by: ForeignKey["User"] = ForeignKey(
        references=_user(), on_delete=OnDelete.set_null, null=True, default=None
    )


class RoundRating(Table, tablename="assessment_round_rating"):
    id: Serial
    round = ForeignKey(references=AssessmentRound, on_delete=OnDelete.cascade, index=True)
    version = ForeignKey(references=CriterionVersion, on_delete=OnDelete.restrict, index=True)
    status = Integer()
    relevance = Integer()
    note = Text(default="")
