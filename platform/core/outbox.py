"""The search outbox: domains record "this entity changed" in their own transaction; the
search worker later turns each row into an index update. No domain imports search/."""

from __future__ import annotations

from enum import StrEnum

from piccolo.columns import Integer, Serial, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class EntityType(StrEnum):
    question = "question"
    consultation = "consultation"
    instrument = "instrument"
    event = "event"


class SearchOutbox(Table):
    id: Serial
    entity_type = Varchar(length=20)
    entity_id = Integer()
    created_at = Timestamptz(default=TimestamptzNow())
    attempts = Integer(default=0)
    # When a failed row may be tried again (backoff); and why it failed last.
    available_at = Timestamptz(default=TimestamptzNow(), index=True)
    last_error = Text(default="")


async def enqueue(entity_type: EntityType, entity_id: int) -> None:
    """Call inside the service's transaction, so the change and its row commit together."""
    await SearchOutbox.insert(SearchOutbox(entity_type=entity_type, entity_id=entity_id)).run()
