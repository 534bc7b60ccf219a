"""The embedded index's directories: which one is live, opening it, and telling when
it changed or broke.

Layout of the base directory:

    CURRENT             the name of the live index directory (switched with os.replace)
    index-<ns>/         one complete tantivy index

tantivy allows one writer per index directory and forgets registered tokenizers when an
index is reopened: the analyzer is registered on every open (the writer's lock is the
backend's, embedded.py). An index that is missing, damaged or built with another schema is
replaced by an empty one and marked `rebuild_needed`, which the search worker acts on."""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from collections.abc import Hashable
from pathlib import Path

import tantivy

from fachaustausch.search.backend import SearchUnavailable
from fachaustausch.search.embedded_schema import ANALYZER

log = logging.getLogger(__name__)

POINTER = "CURRENT"
INDEX_PREFIX = "index-"
# The live writer indexes a few documents per outbox batch: just above tantivy's minimum
# arena is plenty, and the server's memory stays small.
WRITER_HEAP_BYTES = 20_000_000


class OpenIndex:
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


class IndexDirectory:
    """The base directory and the index open from it. Its methods block (file reads,
    tantivy calls): the backend runs them in a worker thread under its engine lock."""

    def __init__(
        self, base_dir: Path | str, schema: tantivy.Schema, analyzer: tantivy.TextAnalyzer
    ) -> None:
        self.base_dir = Path(base_dir)
        # Set when the index CURRENT names cannot be used (damaged, or built by a version
        # with another schema) and an empty one took its place: it must be built again.
        self.rebuild_needed = False
        self._pointer_path = str(self.base_dir / POINTER)
        self._schema = schema
        self._analyzer = analyzer
        self._open: OpenIndex | None = None
        # While a rebuild runs, the index it builds is not yet the one CURRENT names.
        self._rebuilding = False

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

    def _open_index(self, name: str, *, create: bool) -> OpenIndex:
        path = self.base_dir / name
        if create:
            path.mkdir(parents=True)
        elif not tantivy.Index.exists(str(path)):
            raise ValueError("no index in this directory")
        index = tantivy.Index(self._schema, path=str(path), reuse=True)
        index.register_tokenizer(ANALYZER, self._analyzer)  # forgotten on every reopen
        return OpenIndex(name, index)

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

    def _current(self) -> OpenIndex:
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

    def _retire(self, old: OpenIndex) -> None:
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


def _read_small(path: str) -> bytes:
    """A file of a few KB, read without pathlib's and io's layers (a search reads two)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        return os.read(fd, 1 << 20)
    finally:
        os.close(fd)
