"""Reading the toolbox: cornerstones, instruments, their origins and experts."""

from __future__ import annotations

from collections import defaultdict
from typing import Any, cast

from fachaustausch.accounts.models import AuthorityOut
from fachaustausch.accounts.policy import AccountStatus, AuthorityKind, Role
from fachaustausch.accounts.tables import UserInstrument
from fachaustausch.core.errors import NotFound
from fachaustausch.toolbox.models import (
    CornerstoneOut,
    ExpertOut,
    InstrumentOut,
    InstrumentSummaryOut,
)
from fachaustausch.toolbox.tables import Cornerstone, Instrument, InstrumentOrigin


async def list_instruments(cornerstone: str | None = None) -> list[InstrumentSummaryOut]:
    query = Instrument.select(
        Instrument.slug, Instrument.title, Instrument.cornerstone.slug.as_alias("cornerstone")
    ).order_by(Instrument.cornerstone.number, Instrument.position, Instrument.title)
    if cornerstone:
        if not await Cornerstone.exists().where(Cornerstone.slug == cornerstone).run():
            raise NotFound("Diesen Eckpunkt gibt es nicht.")
        query = query.where(Instrument.cornerstone.slug == cornerstone)
    return [InstrumentSummaryOut(**row) for row in await query.run()]


async def list_cornerstones() -> list[CornerstoneOut]:
    """All five cornerstones with their instruments: two queries whatever the size."""
    rows = await Cornerstone.select().order_by(Cornerstone.number).run()
    by_cornerstone: dict[str, list[InstrumentSummaryOut]] = defaultdict(list)
    for instrument in await list_instruments():
        by_cornerstone[instrument.cornerstone].append(instrument)
    return [
        CornerstoneOut(
            slug=r["slug"],
            number=r["number"],
            title=r["title"],
            statement=r["statement"],
            description=r["description"],
            instruments=by_cornerstone[r["slug"]],
        )
        for r in rows
    ]


async def get_instrument(slug: str) -> InstrumentOut:
    row = (
        await Instrument.select(
            Instrument.id,
            Instrument.slug,
            Instrument.title,
            Instrument.description,
            Instrument.origin_note,
            Instrument.cornerstone.slug.as_alias("cornerstone"),
            Instrument.cornerstone.number.as_alias("cornerstone_number"),
            Instrument.cornerstone.title.as_alias("cornerstone_title"),
        )
        .where(Instrument.slug == slug)
        .first()
        .run()
    )
    if not row:
        raise NotFound("Dieses Instrument gibt es nicht.")
    origins = (
        await InstrumentOrigin.select(
            InstrumentOrigin.authority.slug.as_alias("slug"),
            InstrumentOrigin.authority.name.as_alias("name"),
            InstrumentOrigin.authority.kind.as_alias("kind"),
            InstrumentOrigin.authority.land.as_alias("land"),
        )
        .where(InstrumentOrigin.instrument == row["id"])
        .order_by(InstrumentOrigin.authority.name)
        .run()
    )
    experts = (
        await UserInstrument.select(
            UserInstrument.user.id.as_alias("id"),
            UserInstrument.user.display_name.as_alias("display_name"),
            cast(Any, UserInstrument.user.authority).name.as_alias("authority"),
        )
        .where(
            (UserInstrument.instrument == row["id"])
            & (UserInstrument.user.status == AccountStatus.active)
            & (UserInstrument.user.role == Role.expert)
        )
        .order_by(UserInstrument.user.display_name)
        .run()
    )
    return InstrumentOut(
        slug=row["slug"],
        title=row["title"],
        description=row["description"],
        cornerstone=row["cornerstone"],
        cornerstone_number=row["cornerstone_number"],
        cornerstone_title=row["cornerstone_title"],
        origin_note=row["origin_note"],
        origins=[AuthorityOut(**o, kind_label=AuthorityKind(o["kind"]).label) for o in origins],
        experts=[ExpertOut(**e) for e in experts],
    )
