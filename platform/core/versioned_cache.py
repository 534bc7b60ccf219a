"""Results kept for as long as what they were read from is unchanged.

The source (a database, a search index) names its state by a version: a value that changes
with every commit to it. All entries of a cache belong to one version; a lookup with
another version empties the cache first, so a result is never handed out once the source
has changed, whoever changed it, and no stale entry lingers. A result computed at a
version that is no longer the newest seen (a read that ran while a commit landed) is not
kept. Within a version the least recently used entry goes first once `max_entries` are
held. No version (None: the source cannot tell one cheaply) or no room means nothing is
kept. The idea is Elasticsearch's shard request cache: exact, because the source itself
invalidates it, not a timer.

Callers must not change what they get back: it is shared."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Any, Generic, TypeVar, cast

V = TypeVar("V")
T = TypeVar("T")

_MISSING: Any = object()


class VersionedCache(Generic[V]):
    def __init__(self, max_entries: int) -> None:
        self.max_entries = max_entries
        self.hits = 0
        self.misses = 0
        self._version: Hashable | None = None
        self._entries: OrderedDict[Hashable, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        self._entries.clear()
        self._version = None

    def _lookup(self, version: Hashable | None, key: Hashable) -> V:
        """The value, or _MISSING."""
        if version is None or self.max_entries <= 0:
            return cast(V, _MISSING)
        if version != self._version:
            self._entries.clear()
            self._version = version
        value = self._entries.get(key, _MISSING)
        if value is _MISSING:
            self.misses += 1
        else:
            self.hits += 1
            self._entries.move_to_end(key)
        return cast(V, value)

    def get(self, version: Hashable | None, key: Hashable) -> V | None:
        """The value stored for `key` at `version`, or None."""
        value = self._lookup(version, key)
        return None if value is _MISSING else value

    def put(self, version: Hashable | None, key: Hashable, value: V) -> None:
        """Keeps a value computed at `version`, unless a newer version has been seen since."""
        if version is None or self.max_entries <= 0:
            return
        if self._version is not None and version != self._version:
            return
        self._version = version
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    async def get_or_compute(
        self,
        version: Hashable | None,
        key: Hashable,
        compute: Callable[[], Awaitable[T]],
        keep: Callable[[T], bool] | None = None,
    ) -> T:
        """The value for `key` kept at `version`, or `compute()`'s, then kept unless `keep`
        says no (a value too large to hold). `version` must be read before `compute` runs:
        what it returns is then at least as new as the version it is filed under, and a
        commit in between only makes it drop early."""
        found = self._lookup(version, key)
        if found is not _MISSING:
            return cast(T, found)
        value = await compute()
        if keep is None or keep(value):
            self.put(version, key, cast(V, value))
        return value
