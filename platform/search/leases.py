"""Which worker applies which search document right now, and whether a rebuild runs.

Several workers may drain the outbox at once: app instances, `fachaustausch search work`.
Any of them may apply any row, since documents are built from the database when applied;
but two must never apply the same document at once, or one could build it, the other
build and write a newer one, and the first then write its older one over it. So a worker
first leases the documents it will apply; the rows of those documents are then its own
to apply and delete, in the order they were written. Rows are not leased one by one: two
edits of one question are two rows, and they would go to two workers.

A lease is a row named after its document ("question-12") with the holder's token and an
expiry. It is taken with one INSERT … ON CONFLICT (name) DO UPDATE … WHERE the lease has
lapsed: the unique name decides between two workers asking at once, on SQLite as on
PostgreSQL, and a crashed worker's leases lapse after LEASE.

A rebuild leases the name `index`. While that lease lives, workers take no new leases,
and the rebuild waits for the leases taken before it to be released, so nothing is being
applied while it reads the database: changes made during the rebuild wait in the outbox
and reach the new index once it is live. Applied to the old index, they would be lost in
the switch."""

from __future__ import annotations

import asyncio
import secrets
from datetime import datetime, timedelta
from typing import Any

from piccolo.columns import Timestamptz, Varchar
from piccolo.table import Table

from fachaustausch.core import clock
from fachaustausch.core.outbox import EntityType, SearchOutbox

# Longer than a batch can take (the worker gives up on a batch well before it lapses).
LEASE = timedelta(minutes=5)
INDEX = "index"
WAIT_INTERVAL_SECONDS = 0.05


class SearchLease(Table):
    name = Varchar(length=60, unique=True)
    token = Varchar(length=32)
    expires_at = Timestamptz()


class RebuildRunning(Exception):
    """Another process is rebuilding the index."""


def new_token() -> str:
    return secrets.token_hex(16)


def _name(entity_type: str, entity_id: int) -> str:
    return f"{entity_type}-{entity_id}"


def _candidates_query(now: datetime, limit: int) -> Any:
    """The documents with due rows that nobody holds, oldest row first; none while a
    rebuild runs. Raw SQL for the correlated name, which Piccolo's select cannot join."""
    sql = (
        "SELECT o.entity_type, o.entity_id, MIN(o.id) AS first_row "
        "FROM search_outbox AS o WHERE o.available_at <= {} AND NOT EXISTS ("
        "SELECT 1 FROM search_lease AS l WHERE l.expires_at > {} AND (l.name = {} "
        "OR l.name = o.entity_type || '-' || o.entity_id)) "
        "GROUP BY o.entity_type, o.entity_id ORDER BY first_row LIMIT {}"
    )
    return SearchOutbox.raw(sql, now, now, INDEX, limit)


async def _take(names: list[str], token: str, now: datetime) -> set[str]:
    """The names of `names` this token now holds: free ones, and lapsed ones."""
    if not names:
        return set()
    rows = (
        await SearchLease.insert(
            *(SearchLease(name=name, token=token, expires_at=now + LEASE) for name in names)
        )
        .on_conflict(
            target=SearchLease.name,
            action="DO UPDATE",
            values=[SearchLease.token, SearchLease.expires_at],
            where=SearchLease.expires_at <= now,
        )
        .returning(SearchLease.name)
        .run()
    )
    return {row["name"] for row in rows}


async def claim_documents(token: str, limit: int) -> list[tuple[EntityType, int]]:
    """Leases up to `limit` documents with due rows for `token`; returns them."""
    now = clock.now()
    candidates = [
        (EntityType(r["entity_type"]), int(r["entity_id"]))
        for r in await _candidates_query(now, limit).run()
    ]
    held = await _take([_name(t, i) for t, i in candidates], token, now)
    return [(t, i) for t, i in candidates if _name(t, i) in held]


async def release(token: str) -> None:
    await SearchLease.delete().where(SearchLease.token == token).run()


async def take_index(token: str) -> None:
    """Leases the whole index for a rebuild; raises RebuildRunning if another holds it."""
    if not await _take([INDEX], token, clock.now()):
        raise RebuildRunning("another process is rebuilding the search index")


async def renew_index(token: str) -> bool:
    """Extends the rebuild's lease; False if it lapsed and another rebuild took it."""
    now = clock.now()
    rows = (
        await SearchLease.update({SearchLease.expires_at: now + LEASE})
        .where((SearchLease.name == INDEX) & (SearchLease.token == token))
        .returning(SearchLease.name)
        .run()
    )
    return bool(rows)


async def wait_for_documents() -> None:
    """Returns once no document is leased any more: workers finish (or their leases lapse)
    and, seeing the index leased, take no new ones."""
    # The holders may be other processes: the table is all there is to wait on.
    while await (  # noqa: ASYNC110
        SearchLease.exists()
        .where((SearchLease.name != INDEX) & (SearchLease.expires_at > clock.now()))
        .run()
    ):
        await asyncio.sleep(WAIT_INTERVAL_SECONDS)


async def rebuilding() -> bool:
    """Whether a rebuild holds the index now (in this process or another)."""
    return bool(
        await SearchLease.exists()
        .where((SearchLease.name == INDEX) & (SearchLease.expires_at > clock.now()))
        .run()
    )
