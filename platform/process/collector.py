"""Keeps what start-up built out of the garbage collector's full collections, and makes
full collections rarer.

A full (generation 2) collection walks every object the collector tracks. After start-up
the server holds a great many of them (modules, routes, models, compiled queries), so a
full collection stops the event loop long enough to be felt, and under load one comes
regularly: every request in flight waits for it. `gc.freeze()` moves what exists at the
end of start-up to a permanent generation that collections skip, so a full collection
walks only what was made since. Those objects live as long as the process anyway.

What the read caches hold (threads, pages, their JSON) is collected like the rest, so
with the caches full a full collection is again long, and with Python's threshold it
comes often enough that many requests under load wait for one. Letting many more
collections of the middle generation pass between two full ones (a setting) makes the
pauses rarer; the price is that cyclic garbage which lived long enough waits longer to
be freed. Measurements: benchmarks/README.md, "History"."""

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
