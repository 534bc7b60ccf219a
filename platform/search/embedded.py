"""The embedded search engine: tantivy in a directory under `settings.search_dir`.

Layout of the base directory:

    CURRENT             the name of the live index directory (switched with os.replace)
    index-<ns>/         one complete tantivy index

Queries are built from tokens, never from the query language, so no user input can make
the engine fail: each word becomes "exact stem, or stem within the typo budget, or (last
word) prefix" over title/body/extra; synonym groups add their other entries (multi-word
entries as phrases); all words must match, and if nothing does, any word may. Filters and
visibility are MUST clauses with zero score inside the same query, so totals and facet
counts (terms aggregations on fast raw fields) only ever see visible documents.

tantivy allows one writer per index directory and forgets registered tokenizers when an
index is reopened: the writer is used under one asyncio lock, the analyzer is registered
on every open. Blocking calls run in worker threads.

The index stores what a hit shows but not the texts it was built from: a page's snippets
are cut from the texts of its hits, read from the database (`TextSource`). Stored, they
were two thirds of the index, and reading hits through the mapped files drew the whole of
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
import json
import logging
import os
import re
import shutil
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import anyio
import anyio.to_thread
import tantivy
from tantivy import Occur, Query

from fachaustausch.core.versioned_cache import VersionedCache
from fachaustausch.search.backend import (
    EVERYONE,
    FACETS,
    MODERATORS,
    SearchDocument,
    SearchHit,
    SearchQuery,
    SearchResult,
    SearchUnavailable,
)
from fachaustausch.search.text import (
    HIGHLIGHT_END,
    HIGHLIGHT_START,
    mark_html,
    stop_words,
    synonym_groups,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

ANALYZER = "de_text"
POINTER = "CURRENT"
INDEX_PREFIX = "index-"
TEXT_FIELDS = (("title", 3.0), ("body", 1.0), ("extra", 0.5))
SNIPPET_FIELDS = ("body", "extra", "title")
# Scoring a word needs its frequencies, not its positions: term queries that asked for
# positions (tantivy-py's default) read the positions file for nothing.
TERM_RECORD = "freq"
FUZZY_WEIGHT = 0.3  # fuzzy and prefix matches score a constant; below an exact match
SYNONYM_WEIGHT = 0.8
PREFIX_MIN_CHARS = 3
SNIPPET_CHARS = 200
SNIPPET_LEAD_CHARS = 40
SNIPPET_SOURCE_CHARS = 20_000  # matches further into a text are not looked for
FACET_BUCKETS = 1000
# The live writer indexes a few documents per outbox batch: tantivy's minimum arena (15 MB)
# and a little more is plenty, and the server's memory stays small.
WRITER_HEAP_BYTES = 20_000_000
REBUILD_HEAP_BYTES = 128_000_000
# A quoted part of the query is searched as a phrase; everything else word by word.
_QUOTED = re.compile(r'"([^"]*)"')
_SPACE = re.compile(r"\s+")
# Principals every viewer of a kind shares; any other (user:N) may be dropped from a query.
_SHARED_PRINCIPALS = frozenset({EVERYONE, MODERATORS})
RESULT_CACHE_SIZE = 128


def _analyzer() -> tantivy.TextAnalyzer:
    """Lowercase, German stop words, German Snowball stem (which also drops umlauts), and
    ASCII folding for what the stemmer leaves (ß, accents)."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(64))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.custom_stopword(sorted(stop_words())))
        .filter(tantivy.Filter.stemmer("german"))
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def _folder() -> tantivy.TextAnalyzer:
    """Lowercase and fold without stemming: the form a typed-in prefix is compared in."""
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .build()
    )


def _schema() -> tantivy.Schema:
    """Stored is only what a hit shows besides its snippet: the texts the snippet is cut
    from are read from the database (`TextSource`), so the index holds no second copy of
    every post (nothing to forget there once a post is gone), and takes a third of the
    space. Filter fields need no positions: they are only ever matched whole."""
    builder = tantivy.SchemaBuilder()
    for name in ("id", "type", "cornerstone", "instruments", "status"):
        builder.add_text_field(
            name, stored=True, fast=True, tokenizer_name="raw", index_option="basic"
        )
    builder.add_text_field("authority_kind", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("visible_to", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("url", stored=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("title", stored=True, tokenizer_name=ANALYZER)
    for name in ("body", "extra"):
        builder.add_text_field(name, tokenizer_name=ANALYZER)
    builder.add_integer_field("entity_id", stored=True, indexed=True)
    builder.add_integer_field("score", fast=True)
    builder.add_integer_field("created_at", indexed=True, fast=True)
    builder.add_boolean_field("hidden", indexed=True, fast=True)
    return builder.build()


def typo_budget(word: str) -> int:
    """Meilisearch's defaults: one typo from 5 characters on, two from 9."""
    if len(word) >= 9:
        return 2
    if len(word) >= 5:
        return 1
    return 0


def within_distance(a: str, b: str, limit: int) -> bool:
    """Whether a and b are at most `limit` edits apart (adjacent swaps count one)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > limit:
        return False
    before: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            value = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (a[i - 1] != b[j - 1]),
            )
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                value = min(value, before[j - 2] + 1)
            current[j] = value
        if min(current) > limit:
            return False
        before, previous = previous, current
    return previous[-1] <= limit


@dataclass
class _Matcher:
    """Decides which analysed terms of a document's text the query matched (for snippets)."""

    exact: set[str] = field(default_factory=set)
    fuzzy: list[tuple[str, int]] = field(default_factory=list)
    prefixes: list[str] = field(default_factory=list)
    _seen: dict[str, bool] = field(default_factory=dict)

    def __call__(self, term: str) -> bool:
        known = self._seen.get(term)
        if known is None:
            known = (
                term in self.exact
                or any(term.startswith(p) for p in self.prefixes)
                or any(within_distance(term, t, d) for t, d in self.fuzzy)
            )
            self._seen[term] = known
        return known


@dataclass
class _Plan:
    """The text part of a query: one clause per word (or phrase, or synonym span)."""

    clauses: list[Query]
    matcher: _Matcher


@dataclass
class _Found:
    """A page of results before its snippets: the stored fields of its documents."""

    total: int
    facets: dict[str, dict[str, int]]
    documents: list[tantivy.Document]
    matcher: _Matcher


@dataclass(frozen=True)
class _Token:
    term: str
    position: int
    start: int
    end: int


class _Open:
    """One opened index directory, with its writer once something writes."""

    def __init__(self, name: str, index: tantivy.Index) -> None:
        self.name = name
        self.index = index
        self.writer: tantivy.IndexWriter | None = None
        # The index state the reader was last reloaded at (see EmbeddedBackend._snapshot).
        self.loaded_state: Hashable = None

    def get_writer(self) -> tantivy.IndexWriter:
        if self.writer is None:
            self.writer = self.index.writer(WRITER_HEAP_BYTES, 1)
        return self.writer

    def release_writer(self) -> None:
        writer, self.writer = self.writer, None
        if writer is not None:
            writer.wait_merging_threads()


_Operation = tuple[str, Sequence[SearchDocument] | Sequence[str]]

# Document id -> (body, extra) as they are now, for the ids that still exist.
TextSource = Callable[[Sequence[str]], Awaitable[Mapping[str, tuple[str, str]]]]


class EmbeddedBackend:
    name = "embedded"

    def __init__(
        self, base_dir: Path | str, texts: TextSource, *, cache_size: int = RESULT_CACHE_SIZE
    ) -> None:
        self.base_dir = Path(base_dir)
        self._texts = texts
        # Set when the index CURRENT names cannot be used (damaged, or built by a version
        # with another schema) and an empty one took its place: it must be built again.
        self.rebuild_needed = False
        self._pointer_path = str(self.base_dir / POINTER)
        self._schema = _schema()
        self._analyzer = _analyzer()
        self._folder = _folder()
        self._synonyms = self._analyse_synonyms()
        self._open: _Open | None = None
        self._write_lock = anyio.Lock()
        self._rebuild_lock = anyio.Lock()
        # tantivy's Python objects must not be used from two threads at once ("Already
        # borrowed"): every engine call runs in a worker thread under this lock.
        self._engine_lock = threading.Lock()
        # While a rebuild runs, writes go to the live index and are replayed onto the new one.
        self._pending: list[_Operation] | None = None
        self._rebuilding = False
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
            return _buckets(searcher.aggregate(Query.all_query(), aggregation)["type"])

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

    # -- internals: directories and indexes ------------------------------------------------

    def _configure_sync(self, create: bool) -> None:
        if self._open is not None:
            return
        # A directory that was used before but names no index lost it (CURRENT deleted):
        # a new one must be built whole. An empty or missing one is a fresh install.
        used = self.base_dir.is_dir() and any(self.base_dir.iterdir())
        named = self._read_pointer() if used else None
        if named is not None:
            try:
                self._open = self._open_index(named, create=False)
                return
            except Exception as exc:  # missing, damaged, or an older schema
                if not create:
                    raise self._damaged(f"{named}: {exc}") from exc
                log.warning("search index %s unusable (%s); starting an empty one", named, exc)
                self.rebuild_needed = True
        elif used:
            if not create:
                raise self._damaged(f"{self.base_dir} names no index")
            log.warning("search directory %s names no index; building a new one", self.base_dir)
            self.rebuild_needed = True
        elif not create:
            raise SearchUnavailable("no search index yet: the platform creates it at start")
        self.base_dir.mkdir(parents=True, exist_ok=True)
        name = f"{INDEX_PREFIX}{time.time_ns()}"
        self._open = self._open_index(name, create=True)
        self._write_pointer(name)
        if named is not None:  # nothing can read it: its space is given back
            shutil.rmtree(self.base_dir / named, ignore_errors=True)

    def _read_pointer(self) -> str | None:
        try:
            name = _read_small(self._pointer_path).decode("utf-8").strip()
        except FileNotFoundError:
            return None
        return name if name.startswith(INDEX_PREFIX) and "/" not in name else None

    def _write_pointer(self, name: str) -> None:
        temporary = self.base_dir / f"{POINTER}.tmp"
        with temporary.open("w", encoding="utf-8") as handle:
            handle.write(name)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.base_dir / POINTER)

    def _open_index(self, name: str, *, create: bool) -> _Open:
        path = self.base_dir / name
        if create:
            path.mkdir(parents=True)
        elif not tantivy.Index.exists(str(path)):
            raise ValueError("no index in this directory")
        index = tantivy.Index(self._schema, path=str(path), reuse=True)
        index.register_tokenizer(ANALYZER, self._analyzer)  # forgotten on every reopen
        return _Open(name, index)

    def _state(self) -> Hashable:
        """The open index's name and the opstamp of its last commit, or None where that
        cannot be told (nothing open, CURRENT names another index): then nothing is
        cached. Two small reads of files the page cache holds, so `_read_pointer` and this
        skip pathlib's and io's layers. The same reads find a live index deleted or
        damaged under the running process (`_damaged`)."""
        opened = self._open
        if opened is None:
            return None
        pointer = self._read_pointer()
        if pointer is None:
            raise self._damaged(f"{POINTER} is missing")
        if pointer != opened.name:
            return None
        try:
            meta = json.loads(_read_small(f"{self.base_dir}/{opened.name}/meta.json"))
        except (OSError, ValueError) as exc:
            if self._read_pointer() != opened.name:  # switched and retired meanwhile
                return None
            raise self._damaged(f"{opened.name}/meta.json: {exc}") from exc
        # The top-level opstamp: segments with deletes carry an opstamp of their own.
        opstamp = meta.get("opstamp") if isinstance(meta, dict) else None
        if not isinstance(opstamp, int):
            raise self._damaged(f"{opened.name}/meta.json has no opstamp")
        return (opened.name, opstamp)

    def _damaged(self, reason: str) -> SearchUnavailable:
        """Marks the live index for a rebuild (the worker does it) and says why."""
        if not self.rebuild_needed:
            log.error("search index damaged, to be rebuilt: %s", reason)
        self.rebuild_needed = True
        return SearchUnavailable(f"embedded search index damaged: {reason}")

    def _intact(self) -> bool:
        """Whether the live index opens afresh from the disk; marks it for a rebuild if
        not. Its open copy would go on answering from files since deleted or damaged."""
        opened = self._open
        if opened is None:
            return False
        try:
            tantivy.Index.open(str(self.base_dir / opened.name)).searcher()
        except Exception as exc:  # whatever tantivy finds wrong with the files
            if self._read_pointer() != opened.name:  # switched and retired meanwhile
                return True
            self._damaged(f"{opened.name}: {exc}")
            return False
        return True

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

    def _current(self) -> _Open:
        """The open index; reopened when another process (a CLI reindex) switched CURRENT."""
        opened = self._open
        if opened is None:
            raise SearchUnavailable("embedded search is not configured")
        name = self._read_pointer()
        if name is not None and name != opened.name and not self._rebuilding:
            try:
                fresh = self._open_index(name, create=False)
            except Exception as exc:  # what is open is no longer the index: rebuild
                raise self._damaged(f"{name} named in {POINTER}: {exc}") from exc
            # Another process rebuilt it (`fachaustausch reindex`, a separate worker).
            self.rebuild_needed = False
            if self._open is opened:
                self._open = fresh
                return fresh
            return self._open or fresh
        return opened

    def _retire(self, old: _Open) -> None:
        """Closes a replaced index and deletes its directory (searches still running on it
        keep their open files). A damaged one may fail to close: the new one is live."""
        try:
            old.release_writer()
        except Exception as exc:  # whatever the replaced index's writer raises
            log.warning("replaced search index %s did not close cleanly: %s", old.name, exc)
        finally:
            shutil.rmtree(self.base_dir / old.name, ignore_errors=True)

    def _discard(self, writer: tantivy.IndexWriter, name: str) -> None:
        writer.rollback()
        writer.wait_merging_threads()
        shutil.rmtree(self.base_dir / name, ignore_errors=True)

    # -- internals: writing ----------------------------------------------------------------

    def _document(self, document: SearchDocument) -> tantivy.Document:
        doc = tantivy.Document()
        doc.add_text("id", document.id)
        doc.add_text("type", document.type)
        doc.add_integer("entity_id", document.entity_id)
        doc.add_text("title", document.title)
        doc.add_text("body", document.body)
        doc.add_text("extra", document.extra)
        doc.add_text("url", document.url)
        for name, value in (
            ("cornerstone", document.cornerstone),
            ("status", document.status),
            ("authority_kind", document.authority_kind),
        ):
            if value is not None:
                doc.add_text(name, value)
        for instrument in document.instruments:
            doc.add_text("instruments", instrument)
        for principal in document.visible_to:
            doc.add_text("visible_to", principal)
        doc.add_integer("score", document.score)
        doc.add_integer("created_at", document.created_at)
        doc.add_boolean("hidden", document.hidden)
        return doc

    def _add(self, writer: tantivy.IndexWriter, documents: Iterable[SearchDocument]) -> None:
        for document in documents:
            # Deletes only touch documents added before them: this replaces by id.
            writer.delete_documents_by_term("id", document.id)
            writer.add_document(self._document(document))

    def _apply_to(self, writer: tantivy.IndexWriter, operations: Iterable[_Operation]) -> None:
        for kind, items in operations:
            if kind == "upsert":
                self._add(writer, [d for d in items if isinstance(d, SearchDocument)])
            else:
                for item in items:
                    writer.delete_documents_by_term("id", str(item))

    def _apply(self, opened: _Open, operations: list[_Operation]) -> None:
        writer = opened.get_writer()
        try:
            self._apply_to(writer, operations)
            writer.commit()
        except Exception:
            writer.rollback()
            raise
        opened.index.reload()  # the next search sees the change

    def _finish_rebuild(
        self, fresh: _Open, writer: tantivy.IndexWriter, pending: list[_Operation] | None
    ) -> None:
        self._apply_to(writer, pending or [])
        writer.commit()
        writer.wait_merging_threads()
        fresh.index.reload()
        self._write_pointer(fresh.name)

    # -- internals: queries ----------------------------------------------------------------

    def _analyse_synonyms(self) -> dict[tuple[str, ...], list[list[_Token]]]:
        """Analysed entry -> the analysed other entries of its groups."""
        result: dict[tuple[str, ...], list[list[_Token]]] = {}
        for group in synonym_groups():
            entries = [self._tokens(entry) for entry in group]
            for entry in entries:
                key = tuple(t.term for t in entry)
                if not key:
                    continue
                others = [o for o in entries if o and [t.term for t in o] != list(key)]
                result.setdefault(key, []).extend(others)
        return result

    def _tokens(self, text: str) -> list[_Token]:
        tokens = self._analyzer.pre_tokenize(text).tokens
        return [_Token(t.text, t.position, t.char_offset_from, t.char_offset_to) for t in tokens]

    def _term_clause(self, term: str, weight: float) -> Query:
        return Query.boolean_query(
            [
                (
                    Occur.Should,
                    Query.boost_query(
                        Query.term_query(self._schema, f, term, index_option=TERM_RECORD),
                        b * weight,
                    ),
                )
                for f, b in TEXT_FIELDS
            ]
        )

    def _phrase_clause(self, tokens: list[_Token], weight: float) -> Query:
        if len(tokens) == 1:
            return self._term_clause(tokens[0].term, weight)
        first = tokens[0].position
        words: list[str | tuple[int, str]] = [(t.position - first, t.term) for t in tokens]
        return Query.boolean_query(
            [
                (
                    Occur.Should,
                    Query.boost_query(Query.phrase_query(self._schema, f, words), b * weight),
                )
                for f, b in TEXT_FIELDS
            ]
        )

    def _word_clause(
        self, token: _Token, word: str, prefix: str | None, matcher: _Matcher
    ) -> Query:
        # Judged on the stem too: "Fehler" (stem "fehl") must not find "fühlen" ("fuhl").
        budget = min(typo_budget(word), typo_budget(token.term))
        matcher.exact.add(token.term)
        if budget:
            matcher.fuzzy.append((token.term, budget))
        if prefix:
            matcher.prefixes.append(prefix)
        per_field: list[tuple[Occur, Query]] = []
        for name, boost in TEXT_FIELDS:
            options = [
                Query.boost_query(
                    Query.term_query(self._schema, name, token.term, index_option=TERM_RECORD),
                    boost,
                )
            ]
            if budget:
                fuzzy = Query.fuzzy_term_query(self._schema, name, token.term, distance=budget)
                options.append(Query.boost_query(fuzzy, boost * FUZZY_WEIGHT))
            if prefix:
                starts = Query.fuzzy_term_query(self._schema, name, prefix, distance=0, prefix=True)
                options.append(Query.boost_query(starts, boost * FUZZY_WEIGHT))
            per_field.append((Occur.Should, Query.disjunction_max_query(options, 0.1)))
        return Query.boolean_query(per_field)

    def _plan(self, text: str) -> _Plan | None:
        matcher = _Matcher()
        clauses: list[Query] = []
        for phrase in _QUOTED.findall(text):
            tokens = self._tokens(phrase)
            if tokens:
                matcher.exact.update(t.term for t in tokens)
                clauses.append(self._phrase_clause(tokens, 1.0))
        # Blank out quoted parts (keeping offsets) and any stray quote.
        rest = _QUOTED.sub(lambda m: " " * len(m.group(0)), text).replace('"', " ")
        tokens = self._tokens(rest)
        longest = max((len(k) for k in self._synonyms), default=1)
        i = 0
        while i < len(tokens):
            span = 1
            alternatives: list[list[_Token]] = []
            for size in range(min(longest, len(tokens) - i), 0, -1):
                key = tuple(t.term for t in tokens[i : i + size])
                if key in self._synonyms:
                    span, alternatives = size, self._synonyms[key]
                    break
            words = []
            for token in tokens[i : i + span]:
                word = rest[token.start : token.end]
                is_last = token is tokens[-1] and token.end == len(text)
                prefix = None
                if is_last and len(word) >= PREFIX_MIN_CHARS:
                    folded = self._folder.analyze(word)
                    prefix = folded[0] if folded else None
                words.append(self._word_clause(token, word, prefix, matcher))
            own = words[0] if span == 1 else Query.boolean_query([(Occur.Must, w) for w in words])
            if alternatives:
                options = [(Occur.Should, own)]
                for alternative in alternatives:
                    matcher.exact.update(t.term for t in alternative)
                    options.append((Occur.Should, self._phrase_clause(alternative, SYNONYM_WEIGHT)))
                clauses.append(Query.boolean_query(options))
            else:
                clauses.append(own)
            i += span
        return _Plan(clauses, matcher) if clauses else None

    def _filters(self, query: SearchQuery) -> list[tuple[Occur, Query]]:
        def exact(name: str, value: Any) -> tuple[Occur, Query]:
            return (
                Occur.Must,
                Query.const_score_query(Query.term_query(self._schema, name, value), 0.0),
            )

        principals = sorted(set(query.principals))
        visible = (
            Query.term_set_query(self._schema, "visible_to", principals)
            if principals
            else Query.empty_query()
        )
        filters = [(Occur.Must, Query.const_score_query(visible, 0.0))]
        for name, value in (
            ("type", query.type),
            ("cornerstone", query.cornerstone),
            ("instruments", query.instrument),
            ("status", query.status),
        ):
            if value is not None:
                filters.append(exact(name, value))
        if not query.include_hidden:
            filters.append((Occur.MustNot, Query.term_query(self._schema, "hidden", True)))
        return filters

    def _search_sync(self, searcher: tantivy.Searcher, query: SearchQuery) -> _Found:
        plan = self._plan(query.text)
        filters = self._filters(query)
        limit = max(1, min(query.limit, 1000))
        offset = (max(query.page, 1) - 1) * max(query.limit, 0)
        wanted = query.limit > 0 and offset < searcher.num_docs

        def run(text_query: Query, order_by_date: bool) -> tuple[Query, int, list[Any]]:
            full = Query.boolean_query([(Occur.Must, text_query), *filters])
            if order_by_date:
                found = searcher.search(
                    full,
                    limit,
                    offset=offset if wanted else 0,
                    order_by_field="created_at",
                    order=tantivy.Order.Desc,
                )
            else:
                found = searcher.search(full, limit, offset=offset if wanted else 0)
            total = found.count  # type: ignore[attr-defined]  # missing from tantivy's stub
            return full, int(total or 0), [address for _score, address in found.hits]

        if plan is None:
            full, total, addresses = run(Query.all_query(), True)
        else:
            must = [(Occur.Must, clause) for clause in plan.clauses]
            full, total, addresses = run(Query.boolean_query(must), False)
            if total == 0 and len(plan.clauses) > 1:
                should = [(Occur.Should, clause) for clause in plan.clauses]
                full, total, addresses = run(Query.boolean_query(should, 1), False)
        aggregation = {name: {"terms": {"field": name, "size": FACET_BUCKETS}} for name in FACETS}
        facets = {
            name: _buckets(buckets)
            for name, buckets in searcher.aggregate(full, aggregation).items()
        }
        matcher = plan.matcher if plan is not None else _Matcher()
        documents = [searcher.doc(a) for a in addresses] if wanted else []
        return _Found(total, facets, documents, matcher)

    # -- internals: hits and snippets ------------------------------------------------------

    def _hits(self, found: _Found, texts: Mapping[str, tuple[str, str]]) -> list[SearchHit]:
        return [self._hit(doc, texts, found.matcher) for doc in found.documents]

    def _hit(
        self, doc: tantivy.Document, texts: Mapping[str, tuple[str, str]], matcher: _Matcher
    ) -> SearchHit:
        def text(name: str) -> str:
            value = doc.get_first(name)
            return str(value) if value is not None else ""

        def optional(name: str) -> str | None:
            value = doc.get_first(name)
            return str(value) if value is not None else None

        document_id, title = text("id"), text("title")
        # Gone from the database since the index last saw it: the title alone.
        body, extra = texts.get(document_id, ("", ""))
        return SearchHit(
            id=document_id,
            type=text("type"),
            entity_id=int(doc.get_first("entity_id") or 0),
            title=title,
            snippet_html=self._snippet({"body": body, "extra": extra, "title": title}, matcher),
            url=text("url"),
            cornerstone=optional("cornerstone"),
            instruments=tuple(str(v) for v in doc.get_all("instruments")),
            status=optional("status"),
        )

    def _snippet(self, texts: dict[str, str], matcher: _Matcher) -> str:
        """From the first of body, extra, title that holds a match; else the body's start."""
        # The markers are ours alone: a stray one in the text becomes a space (same offsets).
        texts = {
            name: value[:SNIPPET_SOURCE_CHARS]
            .replace(HIGHLIGHT_START, " ")
            .replace(HIGHLIGHT_END, " ")
            for name, value in texts.items()
        }
        if matcher.exact or matcher.prefixes:
            for name in SNIPPET_FIELDS:
                source = texts[name]
                tokens = self._analyzer.pre_tokenize(source).tokens if source else []
                matches = [
                    (t.char_offset_from, t.char_offset_to) for t in tokens if matcher(t.text)
                ]
                if matches:
                    return mark_html(_cut(source, _window_start(source, matches), matches))
        return mark_html(_cut(texts["body"] or texts["extra"], 0, []))


def _read_small(path: str) -> bytes:
    """A file of a few KB, read without pathlib's and io's layers (a search reads two)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.read(fd, 1 << 20)
    finally:
        os.close(fd)


def _buckets(aggregation: dict[str, Any]) -> dict[str, int]:
    return {str(b["key"]): int(b["doc_count"]) for b in aggregation.get("buckets", [])}


def _window_start(text: str, matches: list[tuple[int, int]]) -> int:
    """The start of the SNIPPET_CHARS window that holds the most matches, a little before
    its first match and on a word boundary."""
    best_first, best_count, last = 0, 0, 0
    for first, (start, _end) in enumerate(matches):
        last = max(last, first)
        while last + 1 < len(matches) and matches[last + 1][1] - start <= SNIPPET_CHARS:
            last += 1
        if last - first + 1 > best_count:
            best_first, best_count = first, last - first + 1
    start = matches[best_first][0]
    # A little context before the match, and no space wasted after the end of the text.
    lead = max(0, min(start - SNIPPET_LEAD_CHARS, len(text) - SNIPPET_CHARS))
    if lead == 0:
        return 0
    space = text.find(" ", lead, start)
    return space + 1 if space != -1 else start


def _cut(text: str, start: int, matches: list[tuple[int, int]]) -> str:
    """text[start:start+SNIPPET_CHARS] cut at word boundaries, with the highlight markers
    around the matches inside it and an ellipsis where text was left out."""
    end = start + SNIPPET_CHARS
    if end < len(text):
        space = text.rfind(" ", start + SNIPPET_CHARS // 2, end)
        end = space if space != -1 else end
    else:
        end = len(text)
    parts: list[str] = []
    position = start
    for match_start, match_end in matches:
        if match_start < start or match_end > end:
            continue
        parts += [text[position:match_start], HIGHLIGHT_START, text[match_start:match_end]]
        parts.append(HIGHLIGHT_END)
        position = match_end
    parts.append(text[position:end])
    fragment = _SPACE.sub(" ", "".join(parts)).strip()
    if start > 0:
        fragment = "… " + fragment
    if end < len(text):
        fragment += " …"
    return fragment
