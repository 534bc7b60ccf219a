"""Read results kept until the database changes.

The question list is the same for every member until someone writes: the first page
alone is what most visits begin with. SQLite counts the commits of every other
connection, of this process or another one, in `PRAGMA data_version`; reading it costs
a few microseconds and no I/O. A result stored at one count is handed out while the
count stays the same, and when it moves everything is dropped. So a cached read is never
older than the database was when the request began, across several server processes
too, and a write is visible to the very next request.

Only reads whose result depends on nothing but the key (the resolved filters, never the
viewer's own data such as their votes) may be cached, and callers must not change what
they get back: it is shared. With no such counter (PostgreSQL, or SQLite before the pool
is started, as in the CLI) and inside a transaction, every read goes to the database.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from fachaustausch.database import engine as db

T = TypeVar("T")


class ReadCache:
    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self.hits = 0
        self.misses = 0
        self._version: Hashable | None = None
        self._entries: OrderedDict[Hashable, Any] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        self._entries.clear()
        self._version = None

    async def get(
        self,
        key: Hashable,
        compute: Callable[[], Awaitable[T]],
        keep: Callable[[T], bool] | None = None,
    ) -> T:
        """The value for `key` stored since the last commit, or `compute()`'s, then kept
        unless `keep` says no (a value too large to hold)."""
        version = db.change_counter() if self.max_entries > 0 else None
        if version is None:
            return await compute()
        if version != self._version:
            self._entries.clear()
            self._version = version
        if key in self._entries:
            self.hits += 1
            self._entries.move_to_end(key)
            value: T = self._entries[key]
            return value
        self.misses += 1
        # The counter was read before the queries, so what they return is at least as new
        # as the count it is filed under: a commit in between only makes it drop early.
        value = await compute()
        # Not if a newer count has dropped everything meanwhile.
        if self._version == version and (keep is None or keep(value)):
            self._entries[key] = value
            if len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
        return value


# One of each per process, off until the app configures them at start-up; the keys name
# what they hold ("questions", …). Who is signed in and the question threads have caches
# of their own, so that neither pushes out the lists: many small rows for the one, a few
# hundred threads of 10–100 KB for the other.
shared = ReadCache(0)
accounts = ReadCache(0)
threads = ReadCache(0)
# The API's JSON of values the caches above handed out (see `encoded_once`).
responses = ReadCache(0)


def configure(max_entries: int) -> None:
    """`max_entries` for the lists (FACHAUSTAUSCH_READ_CACHE_ENTRIES); twice as many
    threads and responses, four times as many accounts; 0 turns all of them off."""
    shared.max_entries = max_entries
    accounts.max_entries = 4 * max_entries
    threads.max_entries = 2 * max_entries
    responses.max_entries = 2 * max_entries
    for cache in (shared, accounts, threads, responses):
        cache.clear()


# A response body kept here pins what it shows: both together stay under about 150 KB an
# entry, or 80 MB for 512 of them at worst (a page of ten answers is about 20 KB of JSON).
# Longer bodies are written every time.
MAX_KEPT_BODY = 64 * 1024


async def encoded_once(shown: object, key: Hashable, encode: Callable[[], bytes]) -> bytes:
    """`encode()`, written once for as long as `shown` — a value a cache here handed
    out, which stays the same object while the database does — is what is shown. The
    entry keeps `shown` alive, so no other object can take its id while it exists; `key`
    names whatever else the bytes depend on."""

    async def compute() -> tuple[object, bytes]:
        return shown, encode()

    def small(entry: tuple[object, bytes]) -> bool:
        return len(entry[1]) <= MAX_KEPT_BODY

    _, body = await responses.get((id(shown), key), compute, keep=small)
    return body
