"""Keeps small the memory glibc's malloc holds but the server does not use.

glibc gives each thread that allocates an arena of its own, up to eight per core, and keeps
what is freed in that arena for its next use. This server runs database connections and
search on worker threads (tantivy allocates through malloc too), so under load every arena
grows to its own high-water mark. With two arenas the server keeps markedly less after
the benchmark's read endpoints (benchmarks/README.md, History). The cap is
process-wide: `fachaustausch serve` sets it before the server's threads start.

Even two arenas keep what a burst freed (uncached searches, say), and `malloc_trim(0)`
gives much of it back. `trim_periodically` does that every few seconds, in a worker
thread."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import functools
import logging
import os
import sys
import time
from collections.abc import Callable

import anyio.to_thread

log = logging.getLogger(__name__)

M_ARENA_MAX = -8  # from glibc's malloc.h
ENV_VARIABLE = "MALLOC_ARENA_MAX"


def limit_malloc_arenas(count: int) -> bool:
    """Caps the arenas at `count` (0 leaves glibc's default); an operator's own
    MALLOC_ARENA_MAX wins. True when the cap was set. Call before threads start: a thread
    keeps the arena it was given."""
    if count <= 0 or os.environ.get(ENV_VARIABLE) or not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c")).mallopt
    except (OSError, AttributeError):  # not glibc (musl has no mallopt to speak of)
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    if mallopt(M_ARENA_MAX, count) != 1:
        log.warning("could not cap malloc arenas at %d", count)
        return False
    return True


def limit_server_arenas(count: int) -> None:
    """`limit_malloc_arenas` for `fachaustausch serve`: this process now, and through the
    environment the worker processes uvicorn starts (--workers, --reload), whose glibc
    reads it as they start."""
    if limit_malloc_arenas(count):
        os.environ[ENV_VARIABLE] = str(count)


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        malloc_trim = ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    malloc_trim.argtypes = [ctypes.c_size_t]
    malloc_trim.restype = ctypes.c_int
    return malloc_trim


def trim() -> bool:
    """Gives the free pages of every arena back to the system; False where that is not
    possible (no glibc) or there was nothing to give."""
    malloc_trim = _malloc_trim()
    return bool(malloc_trim and malloc_trim(0))


async def trim_periodically(interval_seconds: float) -> None:
    """`trim()` every `interval_seconds` until cancelled; a lifespan task. In a worker
    thread: it takes each arena's lock for a moment, never the event loop's time."""
    if _malloc_trim() is None:
        return
    while True:
        await asyncio.sleep(interval_seconds)
        started = time.perf_counter()
        await anyio.to_thread.run_sync(trim)
        log.debug("malloc_trim took %.1f ms", 1000 * (time.perf_counter() - started))
