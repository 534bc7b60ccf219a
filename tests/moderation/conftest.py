"""Most moderation tests count outbox rows and need no search index: the app's background
search worker stays off unless a module turns it on (`search_worker = True`)."""

from __future__ import annotations

import pytest

from fachaustausch.settings import Settings


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    enabled = bool(getattr(request.module, "search_worker", False))
    return settings.model_copy(update={"search_worker_enabled": enabled})
