"""Instruments and cornerstones by slug, for following them (notifications): read-only."""

from __future__ import annotations

from typing import Any

from fachaustausch.toolbox.tables import Cornerstone, Instrument


async def topic(topic_type: str, slug: str) -> tuple[int, str] | None:
    """The id and title of the instrument or cornerstone `slug`, or None."""
    table: Any = {"instrument": Instrument, "cornerstone": Cornerstone}.get(topic_type)
    if table is None:
        return None
    row = await table.select(table.id, table.title).where(table.slug == slug).first().run()
    return (int(row["id"]), str(row["title"])) if row else None


async def topic_ids(topic_type: str, slugs: list[str]) -> dict[str, int]:
    """The ids of these instruments or cornerstones, by slug (unknown slugs are left out)."""
    table: Any = {"instrument": Instrument, "cornerstone": Cornerstone}.get(topic_type)
    if table is None or not slugs:
        return {}
    rows = await table.select(table.id, table.slug).where(table.slug.is_in(slugs)).run()
    return {str(r["slug"]): int(r["id"]) for r in rows}
