"""What start-up built leaves the garbage collector's full collections, when the setting
asks for it (the default; the test suite's apps turn it off)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from fachaustausch import collector
from fachaustausch.app import create_app
from fachaustausch.settings import Settings


@pytest.fixture
def unfrozen() -> Iterator[None]:
    assert gc.get_freeze_count() == 0
    yield
    gc.unfreeze()


class Node:
    other: Node | None = None


@pytest.mark.usefixtures("unfrozen")
def test_freezing_takes_what_exists_out_of_collections_after_freeing_garbage() -> None:
    cycle = Node()
    cycle.other = cycle
    garbage = weakref.ref(cycle)
    del cycle
    tracked = len(gc.get_objects())

    frozen = collector.freeze_startup_objects()

    assert garbage() is None, "garbage was frozen instead of freed"
    assert frozen == gc.get_freeze_count()
    assert frozen > tracked // 2
    assert len(gc.get_objects()) < frozen // 100


@pytest.mark.usefixtures("unfrozen")
async def test_the_app_freezes_at_start_up_unless_told_not_to(settings: Settings) -> None:
    async with create_app(settings).lifespan():
        assert gc.get_freeze_count() == 0
    async with create_app(settings.model_copy(update={"gc_freeze": True})).lifespan():
        assert gc.get_freeze_count() > 0
