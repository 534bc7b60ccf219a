"""Read results kept until the database changes.

The question list is the same for every member until someone writes: the first page
alone is what most visits begin with. SQLite counts the commits of every other
connection, of this process or another one, in `PRAGMA data_version`; reading it costs
next to nothing and no I/O. A result stored at one count is handed out while the count
stays the same, and when it moves everything is dropped (core/versioned_cache.py). So a
cached read is never older than the database was when the request began, across several
server processes too, and a write is visible to the very next request.

Only reads whose result depends on nothing but the key (the resolved filters, never the
viewer's own data such as their votes) may be cached, and callers must not change what
they get back: it is shared. With no such counter (PostgreSQL, or SQLite without its pool,
as in the CLI) and inside a transaction, every read goes to the database.

The caches belong to the current Database (engine.py); a domain's reads use them through
the functions here."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar

from fachaustausch.core.versioned_cache import VersionedCache
from fachaustausch.database.context import current

T = TypeVar("T")


class ReadCaches:
    """One cache per purpose, so that none pushes out another's entries: the lists (and
    slug look-ups), who is signed in (many small rows), the question threads (a few
    hundred of some size each) and the API's JSON of what the others handed out."""

    def __init__(self, max_entries: int) -> None:
        """`max_entries` for the lists (FACHAUSTAUSCH_READ_CACHE_ENTRIES); twice as many
        threads and responses, four times as many accounts; 0 turns all of them off."""
        self.shared: VersionedCache[Any] = VersionedCache(max_entries)
        self.accounts: VersionedCache[Any] = VersionedCache(4 * max_entries)
        self.threads: VersionedCache[Any] = VersionedCache(2 * max_entries)
        self.responses: VersionedCache[Any] = VersionedCache(2 * max_entries)


async def shared(
    key: Hashable, compute: Callable[[], Awaitable[T]], keep: Callable[[T], bool] | None = None
) -> T:
    """A list, a count or a look-up by slug; the key names what it holds ("questions", …)."""
    database = current()
    cache = database.read_caches.shared
    version = database.change_counter() if cache.max_entries > 0 else None
    return await cache.get_or_compute(version, key, compute, keep)


async def accounts(
    key: Hashable, compute: Callable[[], Awaitable[T]], keep: Callable[[T], bool] | None = None
) -> T:
    """Who is signed in, by token or session."""
    database = current()
    cache = database.read_caches.accounts
    version = database.change_counter() if cache.max_entries > 0 else None
    return await cache.get_or_compute(version, key, compute, keep)


async def threads(
    key: Hashable, compute: Callable[[], Awaitable[T]], keep: Callable[[T], bool] | None = None
) -> T:
    """A question with its answers and comments."""
    database = current()
    cache = database.read_caches.threads
    version = database.change_counter() if cache.max_entries > 0 else None
    return await cache.get_or_compute(version, key, compute, keep)


async def responses(
    key: Hashable, compute: Callable[[], Awaitable[T]], keep: Callable[[T], bool] | None = None
) -> T:
    """Response bodies of values the caches above handed out (http/serialization.py)."""
    database = current()
    cache = database.read_caches.responses
    version = database.change_counter() if cache.max_entries > 0 else None
    return await cache.get_or_compute(version, key, compute, keep)
