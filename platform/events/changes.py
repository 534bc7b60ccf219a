"""What an edit changed for the people registered. They are told of a new time, place,
link, title, kind, description or programme, and, separately, of materials added or
changed (the slides after the event); a changed capacity, deadline, Land or tagging
concerns none of them, so it is no news to them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fachaustausch.events.models import ProgrammeItemInput
from fachaustausch.events.tables import ProgrammeItem

# In the order the notification names them.
NEWS = ("time", "place", "online_url", "title", "kind", "description", "programme")
_COLUMNS = {
    "starts_at": "time",
    "ends_at": "time",
    "place": "place",
    "online_url": "online_url",
    "title": "title",
    "kind": "kind",
    "description": "description",
}
# What `update` reads of the event, beside its state, to compare.
COMPARED = ("title", "description", "materials")

Programme = list[tuple[datetime, str]]


async def programme_of(event_id: int) -> Programme:
    rows = (
        await ProgrammeItem.select(ProgrammeItem.starts_at, ProgrammeItem.title)
        .where(ProgrammeItem.event == event_id)
        .order_by(ProgrammeItem.position)
        .run()
    )
    return [(r["starts_at"], r["title"]) for r in rows]


def news(
    before: dict[str, Any],
    after: dict[str, Any],
    programme_before: Programme,
    programme_after: list[ProgrammeItemInput] | None,
) -> tuple[list[str], bool]:
    """The changes worth telling (names from NEWS, in its order), and whether the
    materials changed; `after` holds the row's values once the edit is applied."""
    found = {label for column, label in _COLUMNS.items() if before[column] != after[column]}
    if programme_after is not None and programme_before != [
        (item.starts_at, item.title) for item in programme_after
    ]:
        found.add("programme")
    return [name for name in NEWS if name in found], before["materials"] != after["materials"]
