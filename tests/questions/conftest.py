"""The question tests count outbox rows and SQL statements: the app's search worker, which
consumes outbox rows and polls in the background, stays off here (tests/search covers it)."""

from __future__ import annotations

import pytest

from fachaustausch.settings import Settings


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"search_worker_enabled": False})
