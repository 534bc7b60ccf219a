"""An in-memory search engine for testing the sync and the degraded mode, with switches to
make it fail the way real engines do."""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Sequence
from pathlib import Path
from typing import Any

from fachaustausch.search.backend import (
    SearchDocument,
    SearchQuery,
    SearchResult,
    SearchUnavailable,
)
from fachaustausch.search.embedded import EmbeddedBackend


class FakeBackend:
    name = "fake"
    rebuild_needed = False

    def __init__(self) -> None:
        self.documents: dict[str, SearchDocument] = {}
        self.fail_writes = False
        self.fail_searches = False
        self.upserts = 0

    async def configure(self, *, create: bool = True) -> None:
        pass

    async def upsert(self, documents: Sequence[SearchDocument]) -> None:
        if self.fail_writes:
            raise SearchUnavailable("engine refused the update")
        self.upserts += 1
        for document in documents:
            self.documents[document.id] = document

    async def delete(self, ids: Sequence[str]) -> None:
        if self.fail_writes:
            raise SearchUnavailable("engine refused the delete")
        for document_id in ids:
            self.documents.pop(document_id, None)

    async def search(self, query: SearchQuery) -> SearchResult:
        if self.fail_searches:
            raise SearchUnavailable("connection refused")
        return SearchResult(hits=[], total=0)

    async def count(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for document in self.documents.values():
            counts[document.type] = counts.get(document.type, 0) + 1
        return counts

    async def health(self) -> bool:
        return not self.fail_searches

    async def rebuild(self, batches: AsyncIterable[Sequence[SearchDocument]]) -> int:
        fresh: dict[str, SearchDocument] = {}
        async for batch in batches:
            for document in batch:
                fresh[document.id] = document
        self.documents = fresh
        return len(fresh)

    async def close(self) -> None:
        pass


class RememberingEmbeddedBackend(EmbeddedBackend):
    """The embedded engine with a stand-in for the database it reads snippet texts from:
    the texts of the documents written through it (or through another instance sharing
    `written`, as two processes share one database). `documents` holds what it was last
    told of each document, whole: the index keeps only some fields of each."""

    def __init__(
        self,
        base_dir: Path,
        written: dict[str, tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        self.written = {} if written is None else written
        self.documents: dict[str, SearchDocument] = {}
        # Writes while a rebuild runs: it replays them onto the new index, after its batches.
        self._during_rebuild: list[tuple[SearchDocument | None, str]] | None = None
        super().__init__(base_dir, self._load, **kwargs)

    async def _load(self, ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        return {i: self.written[i] for i in ids if i in self.written}

    def _remember(self, documents: Sequence[SearchDocument]) -> None:
        self.written.update((d.id, (d.body, d.extra)) for d in documents)

    def _record(self, changes: list[tuple[SearchDocument | None, str]]) -> None:
        _apply(self.documents, changes)
        if self._during_rebuild is not None:
            self._during_rebuild.extend(changes)

    async def upsert(self, documents: Sequence[SearchDocument]) -> None:
        documents = list(documents)
        await super().upsert(documents)
        self._remember(documents)
        self._record([(d, d.id) for d in documents])

    async def delete(self, ids: Sequence[str]) -> None:
        await super().delete(ids)
        self._record([(None, i) for i in ids])

    async def rebuild(self, batches: AsyncIterable[Sequence[SearchDocument]]) -> int:
        fresh: dict[str, SearchDocument] = {}
        self._during_rebuild = []

        async def remembered() -> AsyncIterator[Sequence[SearchDocument]]:
            async for batch in batches:
                batch = list(batch)
                self._remember(batch)
                _apply(fresh, [(d, d.id) for d in batch])
                yield batch

        try:
            written = await super().rebuild(remembered())
            _apply(fresh, self._during_rebuild)
        finally:
            self._during_rebuild = None
        self.documents = fresh
        return written


def _apply(
    documents: dict[str, SearchDocument], changes: list[tuple[SearchDocument | None, str]]
) -> None:
    for document, document_id in changes:
        if document is None:
            documents.pop(document_id, None)
        else:
            documents[document_id] = document
