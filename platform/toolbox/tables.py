"""The toolbox: five cornerstones and the instruments of the model project."""

from typing import TYPE_CHECKING

from piccolo.columns import ForeignKey, Integer, OnDelete, Serial, Text, Varchar
from piccolo.columns.reference import LazyTableReference
from piccolo.table import Table

if TYPE_CHECKING:
    from fachaustausch.accounts.tables import Authority


class Cornerstone(Table):
    id: Serial
    number = Integer(unique=True)
    slug = Varchar(length=80, unique=True)
    title = Varchar(length=120)
    statement = Text()
    description = Text(default="")


class Instrument(Table):
    id: Serial
    slug = Varchar(length=120, unique=True)
    title = Varchar(length=200)
    cornerstone = ForeignKey(references=Cornerstone, on_delete=OnDelete.restrict, index=True)
    position = Integer(default=0)
    description = Text(default="")
    # Free text from the sources, e.g. "mehrere Standorte", shown beside the linked sites.
    origin_note = Varchar(length=200, default="")


class InstrumentOrigin(Table):
    """A model authority named in the sources as where an instrument was tried out."""

    id: Serial
    instrument = ForeignKey(references=Instrument, on_delete=OnDelete.cascade, index=True)
    authority: ForeignKey["Authority"] = ForeignKey(
        references=LazyTableReference("Authority", module_path="fachaustausch.accounts.tables"),
        on_delete=OnDelete.cascade,
    )


class InstrumentRedirect(Table):
    """A merged instrument's old slug, so old links keep working."""

    id: Serial
    old_slug = Varchar(length=120, unique=True)
    instrument = ForeignKey(references=Instrument, on_delete=OnDelete.cascade)
