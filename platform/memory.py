"""Caps glibc's malloc arenas: memory the server holds but does not use.

glibc gives each thread that allocates an arena of its own, up to eight per core, and keeps
what is freed in that arena for its next use. This server runs database connections and
search on worker threads (tantivy allocates through malloc too), so under load every arena
grows to its own high-water mark. With two arenas the server kept 32 MB less after the
benchmark's read endpoints (143 → 111 MB of its own memory, docs/architecture.md)."""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import sys

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
