"""What start-up built leaves the garbage collector's full collections, when the setting
asks for it (the default; the test suite's apps turn it off)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import pytest

from fachaustausch.app import create_app
from fachaustausch.process import collector
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


@pytest.fixture
def thresholds() -> Iterator[tuple[int, int, int]]:
    saved = gc.get_threshold()
    yield saved
    gc.set_threshold(*saved)


def test_full_collections_come_after_the_set_number_of_middle_ones(
    thresholds: tuple[int, int, int],
) -> None:
    collector.space_full_collections(100)
    assert gc.get_threshold() == (thresholds[0], thresholds[1], 100)
    collector.space_full_collections(0)  # 0 leaves what is set
    assert gc.get_threshold() == (thresholds[0], thresholds[1], 100)


@pytest.mark.usefixtures("thresholds")
async def test_the_app_spaces_full_collections_at_start_up(settings: Settings) -> None:
    async with create_app(settings.model_copy(update={"gc_full_collection_every": 50})).lifespan():
        assert gc.get_threshold()[2] == 50
