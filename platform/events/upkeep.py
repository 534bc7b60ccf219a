"""The events' part of keeping the toolbox in order: an instrument merged into another
takes its events along, as questions and consultations take theirs."""

from __future__ import annotations

from fachaustausch import database
from fachaustausch.database.links import move_links
from fachaustausch.events.tables import EventInstrument


async def move_instrument_tags(source_instrument_id: int, target_instrument_id: int) -> list[int]:
    """Tags the source instrument's events with the target; returns the events' ids. Runs
    in the caller's transaction (the toolbox's merge)."""
    async with database.transaction():
        return await move_links(
            EventInstrument,
            EventInstrument.event,
            EventInstrument.instrument,
            source_instrument_id,
            target_instrument_id,
        )
