"""The one cache of the platform: results kept per version of what they were read from
(the database's change counter for the read cache, the index state for search results)."""

from __future__ import annotations

import asyncio
from typing import Any

from fachaustausch.core.versioned_cache import VersionedCache


def _computing(log: list[str], value: str) -> Any:
    async def compute() -> str:
        log.append(value)
        return value

    return compute


async def test_values_live_until_the_version_moves() -> None:
    cache: VersionedCache[str] = VersionedCache(8)
    log: list[str] = []
    assert await cache.get_or_compute(1, "a", _computing(log, "eins")) == "eins"
    assert await cache.get_or_compute(1, "a", _computing(log, "zwei")) == "eins"
    assert await cache.get_or_compute(2, "a", _computing(log, "drei")) == "drei"
    assert log == ["eins", "drei"]
    assert (cache.hits, cache.misses) == (1, 2)


async def test_the_least_recently_used_value_goes_first() -> None:
    cache: VersionedCache[str] = VersionedCache(2)
    log: list[str] = []
    await cache.get_or_compute(1, "a", _computing(log, "a"))
    await cache.get_or_compute(1, "b", _computing(log, "b"))
    await cache.get_or_compute(1, "a", _computing(log, "a2"))  # a again: b is the oldest
    await cache.get_or_compute(1, "c", _computing(log, "c"))
    assert len(cache) == 2
    assert await cache.get_or_compute(1, "a", _computing(log, "a3")) == "a"
    assert await cache.get_or_compute(1, "b", _computing(log, "b2")) == "b2"


async def test_a_value_keep_refuses_is_handed_out_but_not_held() -> None:
    cache: VersionedCache[str] = VersionedCache(8)
    log: list[str] = []
    for _ in range(2):
        value = await cache.get_or_compute(
            1, "a", _computing(log, "groß"), keep=lambda v: len(v) < 3
        )
        assert value == "groß"
    assert log == ["groß", "groß"]
    assert len(cache) == 0


async def test_no_version_or_no_room_means_no_cache() -> None:
    log: list[str] = []
    off: VersionedCache[str] = VersionedCache(0)
    await off.get_or_compute(1, "a", _computing(log, "1"))
    await off.get_or_compute(1, "a", _computing(log, "2"))
    on: VersionedCache[str] = VersionedCache(8)
    await on.get_or_compute(None, "a", _computing(log, "3"))
    await on.get_or_compute(None, "a", _computing(log, "4"))
    assert log == ["1", "2", "3", "4"]
    assert len(off) == len(on) == 0


async def test_a_value_read_before_a_newer_version_is_not_kept() -> None:
    """A slow read that began before a commit must not be filed after one that began after."""
    cache: VersionedCache[str] = VersionedCache(8)
    started, release = asyncio.Event(), asyncio.Event()

    async def slow() -> str:
        started.set()
        await release.wait()
        return "alt"

    slow_read = asyncio.create_task(cache.get_or_compute(1, "a", slow))
    await started.wait()
    assert await cache.get_or_compute(2, "a", _computing([], "neu")) == "neu"
    release.set()
    assert await slow_read == "alt"  # its own caller gets what it read
    assert await cache.get_or_compute(2, "a", _computing([], "nochmal")) == "neu"


def test_get_and_put_keep_one_version_and_the_most_recently_used() -> None:
    cache: VersionedCache[str] = VersionedCache(2)
    cache.put("s1", "a", "A")
    cache.put("s1", "b", "B")
    assert cache.get("s1", "a") == "A"  # a is now the most recently used
    cache.put("s1", "c", "C")
    assert cache.get("s1", "b") is None
    assert (cache.get("s1", "a"), cache.get("s1", "c")) == ("A", "C")
    # A new version empties the cache; a late result of the old one is not stored.
    assert cache.get("s2", "a") is None
    assert len(cache) == 0
    cache.put("s1", "a", "stale")
    assert cache.get("s2", "a") is None
    # No version (the source could not tell one): nothing is kept.
    cache.put(None, "x", "X")
    assert cache.get(None, "x") is None


def test_false_is_a_value_kept_like_any_other() -> None:
    cache: VersionedCache[bool] = VersionedCache(2)
    cache.put(1, "nobody", False)
    assert cache.get(1, "nobody") is False
    assert cache.get(1, "unknown") is None
