"""The configured search engine."""

from __future__ import annotations

from fachaustausch.search.backend import SearchBackend
from fachaustausch.settings import SearchBackendName, Settings


def create_backend(settings: Settings) -> SearchBackend:
    if settings.search_backend is SearchBackendName.meilisearch:
        from fachaustausch.search.meili import MeilisearchBackend

        return MeilisearchBackend(
            url=settings.meilisearch_url,
            api_key=settings.meilisearch_api_key,
            index=settings.meilisearch_index,
        )
    from fachaustausch.search import documents
    from fachaustausch.search.embedded import EmbeddedBackend

    return EmbeddedBackend(
        settings.search_dir, documents.texts, cache_size=settings.search_cache_size
    )
