"""The embedded tantivy engine: the shared contract, plus what only it has (a directory
per index, a pointer file, reopening)."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
import tantivy

from fachaustausch.search.backend import (
    SearchBackend,
    SearchDocument,
    SearchQuery,
    SearchUnavailable,
)
from fachaustausch.search.embedded import EmbeddedBackend
from fachaustausch.search.embedded_query import typo_budget, within_distance
from tests.search.contract import (
    MEMBER,
    BackendContract,
    EngineFactory,
    SyncContract,
    document,
    sample_documents,
)
from tests.search.fakes import RememberingEmbeddedBackend


@pytest.fixture
async def backend(tmp_path: Path) -> AsyncIterator[RememberingEmbeddedBackend]:
    engine = RememberingEmbeddedBackend(tmp_path / "search")
    await engine.configure()
    yield engine
    await engine.close()


async def _ids(engine: EmbeddedBackend, text: str) -> list[str]:
    result = await engine.search(SearchQuery(text=text, principals=MEMBER, limit=100))
    return [hit.id for hit in result.hits]


def _index_dirs(base: Path) -> list[str]:
    return sorted(p.name for p in base.iterdir() if p.is_dir())


class TestEmbeddedBackend(BackendContract):
    async def test_configure_creates_an_index_and_a_pointer(self, tmp_path: Path) -> None:
        engine = RememberingEmbeddedBackend(tmp_path / "search")
        await engine.configure()
        try:
            [name] = _index_dirs(tmp_path / "search")
            assert (tmp_path / "search" / "CURRENT").read_text() == name
            assert await engine.count() == {}
        finally:
            await engine.close()

    async def test_concurrent_searches_while_writing_agree_with_one_at_a_time(
        self, backend: RememberingEmbeddedBackend
    ) -> None:
        """Searches run outside the engine lock (each on its own searcher): many at once,
        with writes in between, give what they give one by one."""
        await backend.upsert(sample_documents())
        texts = ["Ausländerbehörden", "Termin", "Wartebereich", "Aufenthaltstitel"] * 8
        alone = [await _ids(backend, text) for text in texts]
        extra = [document(100 + n, "Sonstiges", "Ganz anderer Inhalt.") for n in range(8)]
        together = await asyncio.gather(
            *(_ids(backend, text) for text in texts),
            *(backend.upsert([doc]) for doc in extra),
        )
        assert list(together[: len(texts)]) == alone
        assert any(alone), "the texts find something"

    async def test_reopen_keeps_data_and_analysis(self, tmp_path: Path) -> None:
        first = RememberingEmbeddedBackend(tmp_path / "search")
        await first.configure()
        await first.upsert(sample_documents())
        await first.close()

        again = RememberingEmbeddedBackend(tmp_path / "search")
        await again.configure()
        try:
            assert await again.count() == {"question": 8, "consultation": 2, "instrument": 2}
            # Stemming and stop words need the German analyzer registered again.
            assert "question-1" in await _ids(again, "Ausländerbehörden")
            await again.upsert([document(50, "Häufige Fragen", "Die Sprechzeiten änderten sich.")])
            assert await _ids(again, "Sprechzeit") == ["question-50"]
        finally:
            await again.close()

    async def test_search_before_configure_is_unavailable(self, tmp_path: Path) -> None:
        engine = RememberingEmbeddedBackend(tmp_path / "search")
        with pytest.raises(SearchUnavailable):
            await engine.search(SearchQuery(text="x", principals=MEMBER))
        assert await engine.health() is False

    async def test_rebuild_serves_the_old_index_until_it_switches(
        self, backend: RememberingEmbeddedBackend, tmp_path: Path
    ) -> None:
        base = tmp_path / "search"
        await backend.upsert(sample_documents())
        [old] = _index_dirs(base)
        seen_during_build: list[list[str]] = []

        async def batches() -> AsyncIterator[list[SearchDocument]]:
            yield [document(30, "Chancenkarte", "Erste Erfahrungen mit der Chancenkarte.")]
            seen_during_build.append(await _ids(backend, "Dolmetscher"))
            seen_during_build.append(await _ids(backend, "Chancenkarte"))
            # A write while the new index is built lands in the old one and is replayed.
            await backend.upsert([document(31, "Westbalkanregelung", "Das Kontingent.")])
            await backend.delete(["question-30"])
            seen_during_build.append(await _ids(backend, "Westbalkanregelung"))
            yield [document(32, "Blaue Karte", "Gehaltsgrenzen der Blauen Karte EU.")]

        assert await backend.rebuild(batches()) == 2
        assert seen_during_build == [["question-2", "question-3"], [], ["question-31"]]
        assert await _ids(backend, "Dolmetscher") == []
        assert await _ids(backend, "Chancenkarte") == []  # deleted during the build
        assert await _ids(backend, "Westbalkanregelung") == ["question-31"]
        assert await _ids(backend, "Blaue Karte") == ["question-32"]
        [new] = _index_dirs(base)
        assert new != old
        assert (base / "CURRENT").read_text() == new

    async def test_failed_rebuild_keeps_the_old_index(
        self, backend: RememberingEmbeddedBackend, tmp_path: Path
    ) -> None:
        await backend.upsert(sample_documents())
        before = _index_dirs(tmp_path / "search")

        async def batches() -> AsyncIterator[list[SearchDocument]]:
            yield [document(30, "Chancenkarte", "Erste Erfahrungen.")]
            raise RuntimeError("database went away")

        with pytest.raises(RuntimeError):
            await backend.rebuild(batches())
        assert _index_dirs(tmp_path / "search") == before
        assert "question-2" in await _ids(backend, "Dolmetscher")
        assert await _ids(backend, "Chancenkarte") == []
        await backend.upsert([document(33, "Nach dem Fehler", "Schreiben geht weiter.")])
        assert await _ids(backend, "Fehler") == ["question-33"]

    async def test_another_process_switching_current_is_followed(
        self, backend: RememberingEmbeddedBackend, tmp_path: Path
    ) -> None:
        await backend.upsert(sample_documents())
        # e.g. `fachaustausch reindex`, reading the same database
        other = RememberingEmbeddedBackend(tmp_path / "search", backend.written)
        await other.configure()
        try:
            await other.rebuild(_one_batch([document(30, "Chancenkarte", "Neu.")]))
        finally:
            await other.close()
        assert await _ids(backend, "Chancenkarte") == ["question-30"]
        await backend.upsert([document(31, "Weiter", "Schreiben geht weiter.")])
        assert await _ids(backend, "Schreiben") == ["question-31"]

    async def test_prefix_of_the_last_word(self, backend: RememberingEmbeddedBackend) -> None:
        await backend.upsert(sample_documents())
        assert "question-6" in await _ids(backend, "Bundesdruck")
        assert "question-6" not in await _ids(backend, "Bundesdruck ")


STORED = ("id", "type", "entity_id", "title", "url", "cornerstone", "instruments", "status")


class TestEmbeddedSync(SyncContract):
    @pytest.fixture
    async def engines(self, tmp_path: Path) -> AsyncIterator[EngineFactory]:
        opened: list[RememberingEmbeddedBackend] = []

        async def engine(name: str) -> SearchBackend:
            created = RememberingEmbeddedBackend(tmp_path / name)
            await created.configure()
            opened.append(created)
            return created

        yield engine
        for created in opened:
            await created.close()

    async def indexed(self, backend: SearchBackend) -> dict[str, dict[str, Any]]:
        """What the engine was told of each document; the index itself keeps only some
        fields of each (`STORED`), and those must be the same."""
        assert isinstance(backend, RememberingEmbeddedBackend)
        told = {i: dataclasses.asdict(d) for i, d in backend.documents.items()}
        base = backend.base_dir
        searcher = tantivy.Index.open(str(base / (base / "CURRENT").read_text())).searcher()
        hits = searcher.search(tantivy.Query.all_query(), 100_000).hits
        kept: dict[str, dict[str, Any]] = {}
        for _score, address in hits:
            stored = searcher.doc(address).to_dict()
            kept[stored["id"][0]] = {
                name: stored.get(name, [None])[0] if name != "instruments" else stored.get(name, [])
                for name in STORED
            }
        assert kept == {
            i: {name: list(d[name]) if name == "instruments" else d[name] for name in STORED}
            for i, d in told.items()
        }
        return told


async def _one_batch(documents: list[SearchDocument]) -> AsyncIterator[list[SearchDocument]]:
    yield documents


@pytest.mark.parametrize(
    ("word", "budget"), [("AE", 0), ("Amt", 0), ("Termi", 1), ("Terminver", 2), ("Antrag", 1)]
)
def test_typo_budget(word: str, budget: int) -> None:
    assert typo_budget(word) == budget


@pytest.mark.parametrize(
    ("a", "b", "limit", "expected"),
    [
        ("terminvergab", "terminvergb", 1, True),
        ("einarbeit", "einarbiet", 1, True),
        ("antrag", "vertrag", 1, False),
        ("vertrag", "vortrug", 2, True),
        ("vertrag", "antrag", 2, False),
        ("abc", "abc", 0, True),
        ("", "ab", 2, True),
        ("kurs", "kursen", 1, False),
    ],
)
def test_within_distance(a: str, b: str, limit: int, expected: bool) -> None:
    assert within_distance(a, b, limit) is expected
