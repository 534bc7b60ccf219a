"""Keeping the toolbox: moderators edit cornerstone and instrument texts, add instruments,
and merge one instrument into another. Each change is one transaction with its audit row."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Annotated, Any

from pydantic import AfterValidator, Field

from fachaustausch import database
from fachaustausch.accounts import administration
from fachaustausch.accounts.policy import Principal, require_moderator
from fachaustausch.consultations import upkeep as consultation_upkeep
from fachaustausch.core import audit
from fachaustausch.core.errors import Conflict, InvalidInput, NotFound
from fachaustausch.core.outbox import EntityType, enqueue
from fachaustausch.core.schemas import Strict
from fachaustausch.database.links import move_links
from fachaustausch.events import upkeep as event_upkeep
from fachaustausch.privacy.refusal import ensure_anonymous
from fachaustausch.questions import upkeep as question_upkeep
from fachaustausch.toolbox.tables import (
    Cornerstone,
    Instrument,
    InstrumentOrigin,
    InstrumentRedirect,
)


def _one_line(value: str) -> str:
    if "\x00" in value:
        raise ValueError("Der Text enthält ein unzulässiges Steuerzeichen (NUL).")
    return " ".join(value.split())


def _no_nul(value: str) -> str:
    # PostgreSQL refuses NUL characters in text outright: refuse them here, in German.
    if "\x00" in value:
        raise ValueError("Der Text enthält ein unzulässiges Steuerzeichen (NUL).")
    return value


InstrumentTitle = Annotated[str, AfterValidator(_one_line), Field(min_length=3, max_length=200)]
Description = Annotated[str, AfterValidator(_no_nul), Field(max_length=5000)]
OriginNote = Annotated[str, AfterValidator(_no_nul), Field(max_length=200)]
UpkeepReason = Annotated[str, AfterValidator(_no_nul), Field(max_length=1000)]
SlugText = Annotated[str, Field(min_length=3, max_length=120, pattern=r"^[a-z0-9-]+$")]


class InstrumentEdit(Strict):
    title: InstrumentTitle | None = None
    description: Description | None = None
    origin_note: OriginNote | None = None
    reason: UpkeepReason = ""


class InstrumentCreate(Strict):
    title: InstrumentTitle
    slug: SlugText | None = None
    cornerstone: Annotated[str, Field(max_length=80, pattern=r"^[a-z0-9-]+$")]
    description: Description = ""
    origin_note: OriginNote = ""


class InstrumentMerge(Strict):
    into: SlugText
    reason: Annotated[str, AfterValidator(_no_nul), Field(min_length=1, max_length=1000)]


class CornerstoneEdit(Strict):
    title: Annotated[str, AfterValidator(_one_line), Field(min_length=3, max_length=120)] | None = (
        None
    )
    statement: Description | None = None
    description: Description | None = None
    reason: UpkeepReason = ""


_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def slugify(title: str) -> str:
    slug = re.sub(r"\([^)]*\)", " ", title.lower().translate(_UMLAUTS))
    return re.sub(r"[^a-z0-9]+", "-", slug).strip("-")[:120]


async def resolve_slug(slug: str) -> str | None:
    """The current slug of a merged instrument's old slug, or None."""
    row = (
        await InstrumentRedirect.select(InstrumentRedirect.instrument.slug.as_alias("slug"))
        .where(InstrumentRedirect.old_slug == slug)
        .first()
        .run()
    )
    return row["slug"] if row else None


async def _instrument(slug: str, *columns: Any) -> dict[str, Any]:
    row = (
        await Instrument.select(Instrument.id, *columns)
        .where(Instrument.slug == slug)
        .first()
        .run()
    )
    if not row:
        raise NotFound("Dieses Instrument gibt es nicht.")
    return dict(row)


async def edit_instrument(actor: Principal, slug: str, data: InstrumentEdit) -> None:
    require_moderator(actor)
    ensure_anonymous(data.model_dump(include={"title", "description", "origin_note", "reason"}))
    changes = {k: v for k, v in data.model_dump(exclude={"reason"}).items() if v is not None}
    if not changes:
        raise InvalidInput.for_field("title", "Bitte ändern Sie mindestens ein Feld.")
    async with database.transaction():
        before = await _instrument(slug, *(getattr(Instrument, k) for k in changes))
        await (
            Instrument.update({getattr(Instrument, k): v for k, v in changes.items()})
            .where(Instrument.id == before["id"])
            .run()
        )
        await audit.record(
            actor.id,
            "edit_instrument",
            "instrument",
            before["id"],
            reason=data.reason,
            before={k: before[k] for k in changes},
            after=changes,
        )
        await enqueue(EntityType.instrument, before["id"])


async def _taken_slugs(base: str) -> set[str]:
    """Slugs in use, as an instrument's or as a merged one's old address, that start with
    `base`: the candidates an automatic slug must avoid."""
    pattern = base + "%"
    current = await Instrument.select(Instrument.slug).where(Instrument.slug.like(pattern)).run()
    merged = (
        await InstrumentRedirect.select(InstrumentRedirect.old_slug)
        .where(InstrumentRedirect.old_slug.like(pattern))
        .run()
    )
    return {r["slug"] for r in current} | {r["old_slug"] for r in merged}


def _numbered(base: str) -> Iterator[str]:
    yield base
    for number in itertools.count(2):
        suffix = f"-{number}"
        yield base[: 120 - len(suffix)] + suffix


async def create_instrument(actor: Principal, data: InstrumentCreate) -> str:
    require_moderator(actor)
    ensure_anonymous(data.model_dump(include={"title", "description", "origin_note"}))
    slug = data.slug or slugify(data.title)
    if len(slug) < 3:
        # A title like "(neu)" leaves no usable address: ask for one.
        raise InvalidInput.for_field(
            "slug", "Aus dem Titel lässt sich kein Kurzname bilden. Bitte geben Sie einen an."
        )
    cornerstone = (
        await Cornerstone.select(Cornerstone.id)
        .where(Cornerstone.slug == data.cornerstone)
        .first()
        .run()
    )
    if not cornerstone:
        raise InvalidInput.for_field("cornerstone", "Diesen Eckpunkt gibt es nicht.")
    async with database.transaction():
        taken = await _taken_slugs(slug)
        if data.slug and slug in taken:
            raise Conflict(f"Den Kurznamen „{slug}“ gibt es schon. Bitte wählen Sie einen anderen.")
        # A slug made from the title is the user's choice only in spirit: the first free
        # "-2", "-3" … keeps it unique (titles differing only in brackets share a base).
        slug = next(c for c in _numbered(slug) if c not in taken)
        position = await Instrument.count().where(Instrument.cornerstone == cornerstone["id"]).run()
        rows = await Instrument.insert(
            Instrument(
                slug=slug,
                title=data.title,
                cornerstone=cornerstone["id"],
                position=position + 1,
                description=data.description,
                origin_note=data.origin_note,
            )
        ).run()
        instrument_id = int(rows[0]["id"])
        await audit.record(
            actor.id,
            "create_instrument",
            "instrument",
            instrument_id,
            after={"slug": slug, "title": data.title, "cornerstone": data.cornerstone},
        )
        await enqueue(EntityType.instrument, instrument_id)
    return slug


async def merge_instrument(actor: Principal, slug: str, data: InstrumentMerge) -> int:
    """Retags everything tagged with `slug` to `data.into`, all or nothing; the old slug
    redirects to the target. Returns the number of retagged questions."""
    require_moderator(actor)
    ensure_anonymous({"reason": data.reason})
    if data.into == slug:
        raise InvalidInput.for_field(
            "into", "Ein Instrument lässt sich nicht mit sich selbst zusammenführen."
        )
    async with database.transaction():
        source = await _instrument(slug, Instrument.title)
        try:
            target = await _instrument(data.into, Instrument.title)
        except NotFound:
            raise InvalidInput.for_field("into", "Das Ziel-Instrument gibt es nicht.") from None
        # Each domain moves its own tags, and queues its own search documents.
        question_ids = await question_upkeep.move_instrument_tags(source["id"], target["id"])
        await consultation_upkeep.move_instrument_tags(source["id"], target["id"])
        await event_upkeep.move_instrument_tags(source["id"], target["id"])
        await administration.move_expertise(source["id"], target["id"])
        await move_links(
            InstrumentOrigin,
            InstrumentOrigin.authority,
            InstrumentOrigin.instrument,
            source["id"],
            target["id"],
        )
        await (
            InstrumentRedirect.update({InstrumentRedirect.instrument: target["id"]})
            .where(InstrumentRedirect.instrument == source["id"])
            .run()
        )
        await Instrument.delete().where(Instrument.id == source["id"]).run()
        await InstrumentRedirect.insert(
            InstrumentRedirect(old_slug=slug, instrument=target["id"])
        ).run()
        await audit.record(
            actor.id,
            "merge_instrument",
            "instrument",
            source["id"],
            reason=data.reason,
            before={"slug": slug, "title": source["title"]},
            after={"merged_into": data.into, "questions": len(question_ids)},
        )
        await enqueue(EntityType.instrument, source["id"])
        await enqueue(EntityType.instrument, target["id"])
    return len(question_ids)


async def edit_cornerstone(actor: Principal, slug: str, data: CornerstoneEdit) -> None:
    require_moderator(actor)
    ensure_anonymous(data.model_dump(include={"title", "statement", "description", "reason"}))
    changes = {k: v for k, v in data.model_dump(exclude={"reason"}).items() if v is not None}
    if not changes:
        raise InvalidInput.for_field("title", "Bitte ändern Sie mindestens ein Feld.")
    async with database.transaction():
        row = (
            await Cornerstone.select(Cornerstone.id, *(getattr(Cornerstone, k) for k in changes))
            .where(Cornerstone.slug == slug)
            .first()
            .run()
        )
        if not row:
            raise NotFound("Diesen Eckpunkt gibt es nicht.")
        await (
            Cornerstone.update({getattr(Cornerstone, k): v for k, v in changes.items()})
            .where(Cornerstone.id == row["id"])
            .run()
        )
        await audit.record(
            actor.id,
            "edit_cornerstone",
            "cornerstone",
            row["id"],
            reason=data.reason,
            before={k: row[k] for k in changes},
            after=changes,
        )
