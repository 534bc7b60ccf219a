"""The embedded search engine: tantivy in a directory under `settings.search_dir`.

The pieces: the index's fields and analyzer (embedded_schema.py), its directories and which
one is live (embedded_index.py), turning a query into tantivy's (embedded_query.py) and
the hits with their snippets (snippets.py). This module is the backend the platform
talks to: writes, rebuilds, searches and the result cache.

The writer is used under one asyncio lock; blocking calls run in worker threads, and
tantivy's objects are used by one thread at a time.

The index stores what a hit shows but not the texts it was built from: a page's snippets
are cut from the texts of its hits, read from the database (`TextSource`). Stored, they
were most of the index, and reading hits through the mapped files drew the whole of
it into memory.

Results are kept per index state (`core/versioned_cache.py`): the state is the open index
and the opstamp in its `meta.json`, which every commit, by this process or another,
advances. A
viewer's own principal (`user:N`) only splits the cache when some document is visible to it
alone (a closed consultation); otherwise it cannot change a result and is left out of the
query, so viewers share entries. A repeated search costs two small file reads, a JSON
parse and a dict look-up instead of a scored query with facet counts and snippets."""

from __future__ import annotations

import dataclasses
import functools
import threading
import time
from collections.abc import (
    AsyncIterable,
    Awaitable,
    Callable,
    Hashable,
    Iterable,
    Mapping,
    Sequence,
)
from pathlib import Path
from typing import TypeVar

import anyio
import anyio.to_thread
import tantivy
from tantivy import Query

from fachaustausch.core.versioned_cache import VersionedCache
from fachaustausch.search.backend import (
    EVERYONE,
    MODERATORS,
    SearchDocument,
    SearchHit,
    SearchQuery,
    SearchResult,
    SearchUnavailable,
)
from fachaustausch.search.embedded_index import INDEX_PREFIX, IndexDirectory, OpenIndex
from fachaustausch.search.embedded_query import FACET_BUCKETS, Found, QueryPlanner, bucket_counts
from fachaustausch.search.embedded_schema import analyzer, folder, schema, to_tantivy
from fachaustausch.search.snippets import Snippets

T = TypeVar("T")

REBUILD_HEAP_BYTES = 128_000_000
# Principals every viewer of a kind shares; any other (user:N) may be dropped from a query.
_SHARED_PRINCIPALS = frozenset({EVERYONE, MODERATORS})
RESULT_CACHE_SIZE = 128

_Operation = tuple[str, Sequence[SearchDocument] | Sequence[str]]

# Document id -> (body, extra) as they are now, for the ids that still exist.
TextSource = Callable[[Sequence[str]], Awaitable[Mapping[str, tuple[str, str]]]]


class EmbeddedBackend(IndexDirectory):
    name = "embedded"

    def __init__(
        self, base_dir: Path | str, texts: TextSource, *, cache_size: int = RESULT_CACHE_SIZE
    ) -> None:
        super().__init__(base_dir, schema(), analyzer())
        self._texts = texts
        self._planner = QueryPlanner(self._schema, self._analyzer, folder())
        self._snippets = Snippets(self._analyzer)
        self._write_lock = anyio.Lock()
        self._rebuild_lock = anyio.Lock()
        # tantivy's Python objects must not be used from two threads at once ("Already
        # borrowed"): every engine call runs in a worker thread under this lock.
        self._engine_lock = threading.Lock()
        # While a rebuild runs, writes go to the live index and are replayed onto the new one.
        self._pending: list[_Operation] | None = None
        self._results: VersionedCache[SearchResult] = VersionedCache(cache_size)
        # Per index state: whether any document is visible to a viewer's own principal.
        self._own_documents: VersionedCache[bool] = VersionedCache(cache_size * 8)

    # -- lifecycle -------------------------------------------------------------------------

    async def configure(self, *, create: bool = True) -> None:
        await self._run(functools.partial(self._configure_sync, create))

    async def close(self) -> None:
        async with self._write_lock:
            opened, self._open = self._open, None
            if opened is not None:
                await self._run(opened.release_writer)

    async def health(self) -> bool:
        """Whether the live index answers and its files are whole. A search keeps reading
        the files it has open, so a deleted or damaged index would go on answering from
        them: this opens it afresh from the disk, and marks it for a rebuild if it fails."""
        try:
            opened = await self._run(self._current)
            await self._run(self._state)
            await self._run(lambda: opened.index.searcher().num_docs)
            return await self._run(self._intact)
        except SearchUnavailable:
            return False

    # -- writes ----------------------------------------------------------------------------

    async def upsert(self, documents: Sequence[SearchDocument]) -> None:
        documents = list(documents)
        if not documents:
            return
        async with self._write_lock:
            opened = await self._run(self._current)
            await self._run(lambda: self._apply(opened, [("upsert", documents)]))
            if self._pending is not None:
                self._pending.append(("upsert", documents))

    async def delete(self, ids: Sequence[str]) -> None:
        ids = list(ids)
        if not ids:
            return
        async with self._write_lock:
            opened = await self._run(self._current)
            await self._run(lambda: self._apply(opened, [("delete", ids)]))
            if self._pending is not None:
                self._pending.append(("delete", ids))

    async def rebuild(self, batches: AsyncIterable[Sequence[SearchDocument]]) -> int:
        async with self._rebuild_lock:
            name = f"{INDEX_PREFIX}{time.time_ns()}"
            fresh = await self._run(lambda: self._open_index(name, create=True))
            writer = await self._run(lambda: fresh.index.writer(REBUILD_HEAP_BYTES, 2))
            self._pending, self._rebuilding = [], True
            written, switched = 0, False
            try:
                async for batch in batches:
                    documents = list(batch)
                    await self._run(functools.partial(self._add, writer, documents))
                    written += len(documents)
                async with self._write_lock:
                    pending = self._pending
                    await self._run(lambda: self._finish_rebuild(fresh, writer, pending))
                    old, self._open, switched = self._open, fresh, True
                    self._pending, self._rebuilding = None, False
            except BaseException:
                self._pending, self._rebuilding = None, False
                if not switched:
                    with anyio.CancelScope(shield=True):
                        await self._run(lambda: self._discard(writer, name))
                raise
            if old is not None and old.name != name:
                await self._run(lambda: self._retire(old))
            return written

    # -- reads -----------------------------------------------------------------------------

    async def search(self, query: SearchQuery) -> SearchResult:
        if self.rebuild_needed:  # empty or incomplete: the caller's fallback serves better
            raise SearchUnavailable("embedded search index is to be rebuilt")
        _shared, cached = self._cached(self._state(), query)
        if cached is not None:
            return cached
        # Only taking the searcher needs the lock: a searcher is a snapshot, and tantivy
        # releases the GIL while it searches, so two searches use both cores.
        try:
            searcher, state, used = await self._run(lambda: self._snapshot(query.principals))
        except SearchUnavailable:
            await self._run(self._intact)  # a reload that failed on damaged files
            raise
        # The caches are only touched here, on the event loop's thread.
        for principal, has_documents in used.items():
            self._own_documents.put(state, principal, has_documents)
        shared, cached = self._cached(state, query)
        if cached is not None:
            return cached
        found = await self._run(lambda: self._search_sync(searcher, shared or query), locked=False)
        ids = [str(doc.get_first("id")) for doc in found.documents]
        texts = await self._texts(ids) if ids else {}
        hits = await self._run(lambda: self._hits(found, texts), locked=False)
        result = SearchResult(hits=hits, total=found.total, facets=found.facets)
        if shared is not None:
            self._results.put(state, shared, result)
        return result

    async def count(self) -> dict[str, int]:
        def count_sync() -> dict[str, int]:
            searcher = self._current().index.searcher()
            aggregation = {"type": {"terms": {"field": "type", "size": FACET_BUCKETS}}}
            return bucket_counts(searcher.aggregate(Query.all_query(), aggregation)["type"])

        return await self._run(count_sync)

    # -- internals: running ----------------------------------------------------------------

    async def _run(self, func: Callable[[], T], *, locked: bool = True) -> T:
        def with_lock() -> T:
            with self._engine_lock:
                return func()

        try:
            return await anyio.to_thread.run_sync(with_lock if locked else func)
        except SearchUnavailable:
            raise
        except Exception as exc:
            raise SearchUnavailable(f"embedded search failed: {exc}") from exc
        except BaseException as exc:
            # A Rust panic surfaces as pyo3's PanicException, a BaseException.
            if type(exc).__name__ == "PanicException":
                raise SearchUnavailable(f"embedded search failed: {exc}") from exc
            raise

    def _snapshot(
        self, principals: Sequence[str]
    ) -> tuple[tantivy.Searcher, Hashable, dict[str, bool]]:
        """A searcher that has seen at least the returned state (the state is read first,
        then the reader is reloaded if it has not seen it: a commit by another process is
        otherwise picked up only after a delay), and for each of the viewer's own
        principals whether any document is visible to it."""
        opened = self._current()
        state = self._state()
        if state is not None and state != opened.loaded_state:
            opened.index.reload()
            opened.loaded_state = state
        searcher = opened.index.searcher()
        # Counts deleted documents until a merge: at worst a principal is kept.
        used = {
            p: searcher.doc_freq("visible_to", p) > 0
            for p in principals
            if p not in _SHARED_PRINCIPALS
        }
        return searcher, state, used

    def _cached(
        self, state: Hashable, query: SearchQuery
    ) -> tuple[SearchQuery | None, SearchResult | None]:
        """The query as the cache keys it (None while that is not known) and its result,
        if the cache holds one for this state."""
        shared = self._shared_query(state, query)
        return shared, self._results.get(state, shared) if shared is not None else None

    def _shared_query(self, state: Hashable, query: SearchQuery) -> SearchQuery | None:
        """The query without the viewer's own principals that no document is visible to,
        or None while that is not known for this state."""
        kept: list[str] = []
        for principal in query.principals:
            if principal in _SHARED_PRINCIPALS:
                kept.append(principal)
                continue
            has_documents = self._own_documents.get(state, principal)
            if has_documents is None:
                return None
            if has_documents:
                kept.append(principal)
        return dataclasses.replace(query, principals=tuple(kept))

    # -- internals: writing ----------------------------------------------------------------

    def _add(self, writer: tantivy.IndexWriter, documents: Iterable[SearchDocument]) -> None:
        for document in documents:
            # Deletes only touch documents added before them: this replaces by id.
            writer.delete_documents_by_term("id", document.id)
            writer.add_document(to_tantivy(document))

    def _apply_to(self, writer: tantivy.IndexWriter, operations: Iterable[_Operation]) -> None:
        for kind, items in operations:
            if kind == "upsert":
                self._add(writer, [d for d in items if isinstance(d, SearchDocument)])
            else:
                for item in items:
                    writer.delete_documents_by_term("id", str(item))

    def _apply(self, opened: OpenIndex, operations: list[_Operation]) -> None:
        writer = opened.get_writer()
        try:
            self._apply_to(writer, operations)
            writer.commit()
        except Exception:
            writer.rollback()
            raise
        opened.index.reload()  # the next search sees the change

    def _finish_rebuild(
        self, fresh: OpenIndex, writer: tantivy.IndexWriter, pending: list[_Operation] | None
    ) -> None:
        self._apply_to(writer, pending or [])
        writer.commit()
        writer.wait_merging_threads()
        fresh.index.reload()
        self._write_pointer(fresh.name)

    # -- internals: queries and hits ------------------------------------------------------

    def _search_sync(self, searcher: tantivy.Searcher, query: SearchQuery) -> Found:
        return self._planner.search(searcher, query)

    def _hits(self, found: Found, texts: Mapping[str, tuple[str, str]]) -> list[SearchHit]:
        return self._snippets.hits(found, texts)
