"""Keeps what start-up built out of the garbage collector's full collections, and makes
full collections rarer.

A full (generation 2) collection walks every object the collector tracks. After start-up
the server holds about 120,000 of them (modules, routes, models, compiled queries), so a
full collection stopped the event loop for 55–80 ms, and under load one came every few
thousand requests: every request in flight waited for it. `gc.freeze()` moves what exists
at the end of start-up to a permanent generation that collections skip; a full collection
then takes a few milliseconds. Those objects live as long as the process anyway.

What the read caches hold (threads, pages, their JSON) is collected like the rest: with
500 threads cached a full collection took 34–42 ms (8 ms with the caches off), and with
Python's threshold one came every 2,000 requests, so at 32 connections one request in a
hundred waited for one. Every hundred collections of the middle generation instead of
every ten makes them ten times rarer; the price is that cyclic garbage which lived long
enough waits longer to be freed."""

from __future__ import annotations

import gc


def freeze_startup_objects() -> int:
    """Collects start-up's garbage first (frozen garbage would never be freed), then
    freezes the rest; returns how many objects are frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def space_full_collections(every: int) -> None:
    """A full collection after `every` collections of the middle generation (Python's
    threshold2, 10 by default); 0 leaves Python's setting."""
    if every > 0:
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, every)
