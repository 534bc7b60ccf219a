"""Search results kept per index state: never served once the index has changed, whoever
changed it, and never shared between viewers who may see different documents."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from fachaustausch.search.backend import SearchQuery
from fachaustausch.search.embedded import EmbeddedBackend
from tests.search.contract import MEMBER, PARTICIPANT, PRIVATE, document
from tests.search.fakes import RememberingEmbeddedBackend


class CountingBackend(RememberingEmbeddedBackend):
    """Counts the searches that reach tantivy (cache misses)."""

    def __init__(self, base_dir: Path, **kwargs: Any) -> None:
        super().__init__(base_dir, **kwargs)
        self.engine_searches = 0

    def _search_sync(self, searcher: Any, query: SearchQuery) -> Any:
        self.engine_searches += 1
        return super()._search_sync(searcher, query)


@pytest.fixture
async def backend(tmp_path: Path) -> AsyncIterator[CountingBackend]:
    engine = CountingBackend(tmp_path / "search")
    await engine.configure()
    await engine.upsert(
        [
            document(1, "Terminvergabe online", "Wie organisieren Sie die Terminvergabe?"),
            document(2, "Wartebereich", "Spielecke und Farben im Wartebereich."),
        ]
    )
    yield engine
    await engine.close()


def _query(text: str, principals: tuple[str, ...] = MEMBER) -> SearchQuery:
    return SearchQuery(text=text, principals=principals)


async def _ids(engine: EmbeddedBackend, query: SearchQuery) -> list[str]:
    return [hit.id for hit in (await engine.search(query)).hits]


async def test_a_repeated_search_does_not_reach_the_engine(backend: CountingBackend) -> None:
    first = await backend.search(_query("Terminvergabe"))
    again = await backend.search(_query("Terminvergabe"))
    assert backend.engine_searches == 1
    assert again == first
    assert [hit.id for hit in first.hits] == ["question-1"]


async def test_a_write_is_seen_by_the_next_search(backend: CountingBackend) -> None:
    assert await _ids(backend, _query("Terminvergabe")) == ["question-1"]
    await backend.upsert([document(3, "Terminvergabe per Telefon", "Auch telefonisch.")])
    assert sorted(await _ids(backend, _query("Terminvergabe"))) == ["question-1", "question-3"]
    await backend.delete(["question-1"])
    assert await _ids(backend, _query("Terminvergabe")) == ["question-3"]
    assert backend.engine_searches == 3


async def test_replacing_a_document_again_and_again_is_seen_each_time(
    backend: CountingBackend,
) -> None:
    """Each replacement deletes the document in an older segment, and meta.json then holds
    an opstamp per segment with deletes besides the commit's own: only the latter counts."""
    for word in ("Erstfassung", "Zweitfassung", "Drittfassung", "Viertfassung"):
        await backend.upsert([document(1, f"Terminvergabe {word}", "Wie organisieren Sie?")])
        found = (await backend.search(_query("Terminvergabe"))).hits
        assert [hit.title for hit in found if hit.id == "question-1"] == [f"Terminvergabe {word}"]


async def test_a_commit_by_another_process_is_seen_at_once(tmp_path: Path) -> None:
    """A second backend on the same directory stands for `fachaustausch search work` in
    another process: its commit changes the opstamp in meta.json, which ends the state."""
    base = tmp_path / "search"
    reader = CountingBackend(base)
    await reader.configure()
    writer = RememberingEmbeddedBackend(base, reader.written)
    await writer.configure()
    try:
        await writer.upsert([document(1, "Blaue Karte EU", "Zustimmung der Bundesagentur.")])
        assert await _ids(reader, _query("Blaue Karte")) == ["question-1"]
        assert await _ids(reader, _query("Blaue Karte")) == ["question-1"]
        assert reader.engine_searches == 1
        await writer.upsert([document(2, "Blaue Karte und Familie", "Familiennachzug.")])
        found = await _ids(reader, _query("Blaue Karte"))
        assert sorted(found) == ["question-1", "question-2"]
        assert reader.engine_searches == 2
    finally:
        await writer.close()
        await reader.close()


async def test_viewers_without_documents_of_their_own_share_results(
    backend: CountingBackend,
) -> None:
    other_member = (MEMBER[0], "user:4")
    assert await _ids(backend, _query("Wartebereich")) == ["question-2"]
    assert await _ids(backend, _query("Wartebereich", other_member)) == ["question-2"]
    assert backend.engine_searches == 1


async def test_a_private_document_splits_the_cache_for_its_participant(
    backend: CountingBackend,
) -> None:
    await backend.upsert(
        [document(9, "Fallberatung Wartebereich", "Nur für Beteiligte.", visible_to=PRIVATE)]
    )
    member = await _ids(backend, _query("Wartebereich"))
    participant = await _ids(backend, _query("Wartebereich", PARTICIPANT))
    member_again = await _ids(backend, _query("Wartebereich"))
    assert member == member_again == ["question-2"]
    assert sorted(participant) == ["question-2", "question-9"]
    assert backend.engine_searches == 2


async def test_size_zero_keeps_nothing(tmp_path: Path) -> None:
    engine = CountingBackend(tmp_path / "search", cache_size=0)
    await engine.configure()
    try:
        await engine.upsert([document(1, "Leitbild", "Unser Leitbild.")])
        for _ in range(3):
            assert await _ids(engine, _query("Leitbild")) == ["question-1"]
        assert engine.engine_searches == 3
    finally:
        await engine.close()
