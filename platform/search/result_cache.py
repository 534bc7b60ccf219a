"""Search results kept for as long as the index they came from is unchanged.

An index state is a value that changes with every commit to the index (for the embedded
engine: the index directory and the opstamp of its last commit). All entries belong to one
state; a lookup or store with another state empties the cache first, so a result is never
served once the index has changed, and no stale entry lingers. Within a state the least
recently used entry goes first once `size` entries are held. The idea is Elasticsearch's
shard request cache: exact, because it is invalidated by the index itself, not by a timer."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class ResultCache(Generic[V]):
    def __init__(self, size: int) -> None:
        self.size = size
        self._state: Hashable = None
        self._entries: OrderedDict[Hashable, V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def _enter(self, state: Hashable) -> None:
        if state != self._state:
            self._entries.clear()
            self._state = state

    def get(self, state: Hashable, key: Hashable) -> V | None:
        if self.size <= 0 or state is None:
            return None
        self._enter(state)
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def put(self, state: Hashable, key: Hashable, value: V) -> None:
        """Stores a result computed at `state`; one from a state that is no longer the
        newest seen (a search that ran while a commit landed) is dropped."""
        if self.size <= 0 or state is None or (self._state is not None and state != self._state):
            return
        self._state = state
        self._entries[key] = value
        self._entries.move_to_end(key)
        while len(self._entries) > self.size:
            self._entries.popitem(last=False)
