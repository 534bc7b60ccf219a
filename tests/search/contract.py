"""The behaviour every SearchBackend promises, as test classes to inherit.

`BackendContract`: a subclass provides an async fixture `backend`, a configured, empty
engine. Every test talks to it only through the SearchBackend protocol, so the same tests
run against the embedded engine and a live Meilisearch.

`SyncContract`: what the outbox sync and a full rebuild put into an engine, from a real
database; it runs against the embedded engine and the Meilisearch double alike."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from fachaustausch.search import worker
from fachaustausch.search.backend import (
    CURRENT,
    EVERYONE,
    FACETS,
    MODERATORS,
    OUTDATED,
    SearchBackend,
    SearchDocument,
    SearchQuery,
    SearchResult,
    user_principal,
)
from fachaustausch.settings import Settings
from tests.search.support import every_document_type

MEMBER = (EVERYONE, user_principal(3))
PARTICIPANT = (EVERYONE, user_principal(7))
MODERATOR = (EVERYONE, user_principal(1), MODERATORS)
PRIVATE = (user_principal(7), MODERATORS)  # a consultation visible to its participant only


def document(
    number: int,
    title: str,
    body: str,
    *,
    extra: str = "",
    type: str = "question",
    cornerstone: str | None = "binnenorganisation",
    instruments: tuple[str, ...] = (),
    status: str | None = "open",
    visible_to: tuple[str, ...] = (EVERYONE,),
    hidden: bool = False,
    created_at: int | None = None,
    currency: str = CURRENT,
) -> SearchDocument:
    return SearchDocument(
        id=f"{type}-{number}",
        type=type,
        entity_id=number,
        title=title,
        body=body,
        extra=extra,
        url=f"/{type}s/{number}",
        cornerstone=cornerstone,
        instruments=instruments,
        status=status,
        authority_kind="member",
        score=number % 3,
        created_at=created_at if created_at is not None else 1_700_000_000 + number * 3600,
        visible_to=visible_to,
        hidden=hidden,
        currency=currency,
    )


def sample_documents() -> list[SearchDocument]:
    """Questions, consultations and instruments as the platform indexes them: realistic
    German texts, several facet values, one hidden and one participants-only document."""
    return [
        document(
            1,
            "Online-Terminvergabe in der Ausländerbehörde",
            "Wie haben Sie die Terminvergabe für Verlängerungen organisiert? Bei uns "
            "warten Kundinnen und Kunden bis zu acht Wochen.",
            extra="Wir nutzen ein Terminsystem mit festen Kontingenten für Notfälle.",
            cornerstone="binnenorganisation",
            instruments=("terminsystem", "prozessgestaltung"),
            status="answered",
        ),
        document(
            2,
            "Dolmetscher am Service-Point",
            "Setzen Sie Dolmetscher im Front-Office ein oder arbeiten Sie mit "
            "Videodolmetschen? Wie rechnen Sie die Kosten ab?",
            cornerstone="erscheinungsbild-kommunikation",
            instruments=("service-point-front-office",),
            status="open",
        ),
        document(
            3,
            "Mehrsprachige Formulare und Mitbringliste",
            "Wir suchen Vorlagen für eine mehrsprachige Mitbringliste zur "
            "Niederlassungserlaubnis. Die Übersetzung prüfte ein Dolmetscher.",
            cornerstone="erscheinungsbild-kommunikation",
            instruments=("mehrsprachige-formulare-und-mitbringliste",),
            status="answered",
            currency=OUTDATED,
        ),
        document(
            4,
            "Gestaltung des Warteraums",
            "Welche Erfahrungen gibt es mit Spielecken und Leitsystemen im Warteraum? "
            "Die Kundschaft soll sich willkommen fühlen.",
            cornerstone="erscheinungsbild-kommunikation",
            instruments=("raum-und-wartebereichsgestaltung", "raeumliches-leitsystem"),
            status="open",
        ),
        document(
            5,
            "Einarbeitung neuer Kolleginnen",
            "Wie lange dauert bei Ihnen die Einarbeitung im Aufenthaltsrecht? Wir planen "
            "ein Patenmodell und Hospitationen in anderen Sachgebieten.",
            cornerstone="kompetenzen-mitarbeitende",
            instruments=("einarbeitungskonzept-fuer-neue-mitarbeitende",),
            status="closed",
        ),
        document(
            6,
            "Ausgabe des elektronischen Aufenthaltstitels",
            "Die Bundesdruckerei liefert die Karten; wir vereinbaren die Abholung per "
            "E-Mail. Der elektronische Aufenthaltstitel wird persönlich ausgehändigt.",
            cornerstone="binnenorganisation",
            instruments=("prozessgestaltung",),
            status="answered",
        ),
        document(
            7,
            "Zusammenarbeit mit dem Bundesamt für Migration und Flüchtlinge",
            "Wer ist beim Bundesamt für Migration und Flüchtlinge für Integrationskurse "
            "zuständig, und wie erreichen wir die Regionalkoordination?",
            cornerstone="vernetzung",
            instruments=("verwaltungsinterne-vernetzung",),
            status="open",
        ),
        document(
            8,
            "Beschwerde über einen Dolmetscher",
            "Dieser Beitrag wurde von der Moderation ausgeblendet.",
            cornerstone="erscheinungsbild-kommunikation",
            instruments=("service-point-front-office",),
            status="open",
            hidden=True,
        ),
        document(
            1,
            "Fallberatung: Familiennachzug ohne Dolmetscher",
            "Ein Antrag auf Familiennachzug; das Gespräch muss ohne Dolmetscher geführt "
            "werden. Wie stellen wir sicher, dass alles verstanden wird?",
            type="consultation",
            cornerstone="kompetenzen-mitarbeitende",
            instruments=("kollegiale-fallberatung",),
            status="advice",
            visible_to=PRIVATE,
        ),
        document(
            2,
            "Fallberatung: Beschäftigungsduldung",
            "Wie bewerten andere Behörden die Identitätsklärung bei der Beschäftigungsduldung?",
            extra="Beratung: Rücksprache mit der Zentralen Ausländerbehörde halten.",
            type="consultation",
            cornerstone="kompetenzen-mitarbeitende",
            instruments=("kollegiale-fallberatung",),
            status="closed",
        ),
        document(
            20,
            "Terminsystem",
            "Ein Terminsystem verkürzt Wartezeiten und verteilt die Arbeit gleichmäßig.",
            type="instrument",
            cornerstone="binnenorganisation",
            instruments=("terminsystem",),
            status=None,
        ),
        document(
            21,
            "Kollegiale Fallberatung",
            "Kolleginnen und Kollegen beraten einen schwierigen Fall nach festen Phasen.",
            type="instrument",
            cornerstone="kompetenzen-mitarbeitende",
            instruments=("kollegiale-fallberatung",),
            status=None,
        ),
    ]


def visible(
    documents: Iterable[SearchDocument], principals: Sequence[str], include_hidden: bool = False
) -> list[SearchDocument]:
    return [
        d
        for d in documents
        if set(d.visible_to) & set(principals) and (include_hidden or not d.hidden)
    ]


def expected_facets(documents: Iterable[SearchDocument]) -> dict[str, dict[str, int]]:
    counters: dict[str, Counter[str]] = {name: Counter() for name in FACETS}
    for d in documents:
        counters["type"][d.type] += 1
        counters["instruments"].update(d.instruments)
        if d.cornerstone is not None:
            counters["cornerstone"][d.cornerstone] += 1
        if d.status is not None:
            counters["status"][d.status] += 1
        counters["currency"][d.currency] += 1
    return {name: dict(counter) for name, counter in counters.items()}


def facets_of(result: SearchResult) -> dict[str, dict[str, int]]:
    """The facet counts, without zero counts and with every facet present."""
    return {
        name: {value: n for value, n in result.facets.get(name, {}).items() if n} for name in FACETS
    }


def mentions(d: SearchDocument, word: str) -> bool:
    return word in re.findall(r"\w+", f"{d.title} {d.body} {d.extra}")


async def _all_hits(backend: SearchBackend, query: SearchQuery) -> list[str]:
    ids: list[str] = []
    page = 1
    while True:
        result = await backend.search(replace(query, page=page, limit=3))
        if not result.hits:
            return ids
        ids += [hit.id for hit in result.hits]
        page += 1
        assert page < 50, "pagination does not end"


async def _batches(*groups: list[SearchDocument]) -> AsyncIterator[list[SearchDocument]]:
    for group in groups:
        yield group


class BackendContract:
    """Inherit, and provide the async fixture `backend` (configured and empty)."""

    async def _search(self, backend: SearchBackend, text: str, **options: object) -> SearchResult:
        principals = options.pop("principals", MEMBER)
        assert isinstance(principals, tuple)
        return await backend.search(SearchQuery(text=text, principals=principals, **options))  # type: ignore[arg-type]

    async def _ids(self, backend: SearchBackend, text: str, **options: object) -> list[str]:
        return [hit.id for hit in (await self._search(backend, text, **options)).hits]

    async def test_health_and_count(self, backend: SearchBackend) -> None:
        assert await backend.health() is True
        await backend.upsert(sample_documents())
        assert await backend.count() == dict(Counter(d.type for d in sample_documents()))

    async def test_stemming_finds_other_word_forms(self, backend: SearchBackend) -> None:
        await backend.upsert(
            [
                document(1, "Öffnungszeiten", "Die Ausländerbehörde öffnet um acht Uhr."),
                document(2, "Parkplätze", "Vor dem Rathaus gibt es wenige Parkplätze."),
            ]
        )
        assert await self._ids(backend, "Ausländerbehörden") == ["question-1"]
        assert await self._ids(backend, "Parkplatz") == ["question-2"]
        # An umlaut word finds itself.
        assert await self._ids(backend, "Öffnungszeiten") == ["question-1"]

    async def test_typo_tolerance(self, backend: SearchBackend) -> None:
        await backend.upsert(sample_documents())
        assert "question-1" in await self._ids(backend, "Terminvergbe")
        assert "question-5" in await self._ids(backend, "Einarbietung")  # swapped letters

    async def test_synonyms(self, backend: SearchBackend) -> None:
        await backend.upsert(
            [
                document(1, "Öffnungszeiten", "Die Ausländerbehörde öffnet um acht Uhr."),
                document(2, "Karten", "Ein elektronischer Aufenthaltstitel kommt per Post."),
                document(3, "Kurse", "Das Bundesamt für Migration und Flüchtlinge fördert Kurse."),
                document(4, "Karten", "Ein eAT ist eine Chipkarte."),
                document(5, "Sonstiges", "Hier steht nichts Einschlägiges."),
            ]
        )
        assert await self._ids(backend, "ABH") == ["question-1"]
        assert set(await self._ids(backend, "eAT")) == {"question-2", "question-4"}
        assert await self._ids(backend, "BAMF") == ["question-3"]
        assert "question-4" in await self._ids(backend, "elektronischer Aufenthaltstitel")

    async def test_title_outranks_body(self, backend: SearchBackend) -> None:
        await backend.upsert(
            [
                document(1, "Fragen zur Verpflichtungserklärung", "Wer prüft die Bonität?"),
                document(2, "Willkommensbroschüre", "Wir drucken sie in sechs Sprachen."),
                document(3, "Neue Auflage", "Die Willkommensbroschüre erscheint im Mai."),
            ]
        )
        assert await self._ids(backend, "Willkommensbroschüre") == ["question-2", "question-3"]

    async def test_outdated_documents_rank_below_equally_relevant_current_ones(
        self, backend: SearchBackend
    ) -> None:
        text = "Die Blaue Karte nach § 18b AufenthG setzt ein Mindestgehalt voraus."
        await backend.upsert(
            [
                document(1, "Blaue Karte EU: Mindestgehalt", text, currency=OUTDATED),
                document(2, "Blaue Karte EU: Mindestgehalt", text),
                document(3, "Blaue Karte EU: Mindestgehalt", text, currency=OUTDATED),
            ]
        )
        assert (await self._ids(backend, "Blaue Karte Mindestgehalt"))[0] == "question-2"

    async def test_filters_and_facets_are_exact(self, backend: SearchBackend) -> None:
        documents = sample_documents()
        await backend.upsert(documents)
        own = visible(documents, MEMBER)
        cases: list[tuple[str, dict[str, str]]] = [
            ("", {}),
            ("", {"type": "question"}),
            ("", {"cornerstone": "erscheinungsbild-kommunikation"}),
            ("", {"instrument": "prozessgestaltung"}),
            ("", {"status": "open"}),
            ("", {"type": "consultation", "status": "closed"}),
            ("Dolmetscher", {}),
            ("Dolmetscher", {"status": "answered"}),
            ("", {"currency": OUTDATED}),
            ("Dolmetscher", {"currency": CURRENT}),
        ]
        for text, filters in cases:
            expected = [
                d
                for d in own
                if (not text or mentions(d, text))
                and all(
                    value in d.instruments if name == "instrument" else getattr(d, name) == value
                    for name, value in filters.items()
                )
            ]
            result = await self._search(backend, text, limit=50, **filters)
            assert result.total == len(expected), (text, filters)
            assert {h.id for h in result.hits} == {d.id for d in expected}, (text, filters)
            assert facets_of(result) == expected_facets(expected), (text, filters)

    async def test_hits_carry_the_document_fields(self, backend: SearchBackend) -> None:
        await backend.upsert(sample_documents())
        [hit] = (await self._search(backend, "Beschäftigungsduldung")).hits
        assert (hit.id, hit.type, hit.entity_id) == ("consultation-2", "consultation", 2)
        assert hit.title == "Fallberatung: Beschäftigungsduldung"
        assert hit.url == "/consultations/2"
        assert hit.cornerstone == "kompetenzen-mitarbeitende"
        assert hit.instruments == ("kollegiale-fallberatung",)
        assert hit.status == "closed"

    async def test_pagination_is_stable(self, backend: SearchBackend) -> None:
        same = [
            document(n, "Netzwerkkarte", "Eine Netzwerkkarte der Beratungsstellen.", created_at=1)
            for n in range(1, 8)
        ]
        await backend.upsert([*sample_documents(), *same])
        for text, wanted in (("", None), ("Netzwerkkarte", {d.id for d in same})):
            query = SearchQuery(text=text, principals=MEMBER)
            first = await _all_hits(backend, query)
            assert len(first) == len(set(first)), "pages overlap"
            everything = await backend.search(replace(query, limit=100))
            assert first == [hit.id for hit in everything.hits]
            assert len(first) == everything.total
            if wanted is not None:
                assert set(first) == wanted
            assert await _all_hits(backend, query) == first

    async def test_page_beyond_the_end_is_empty(self, backend: SearchBackend) -> None:
        await backend.upsert(sample_documents())
        result = await self._search(backend, "", page=40, limit=20)
        assert result.hits == []
        assert result.total == len(visible(sample_documents(), MEMBER))

    async def test_empty_query_lists_all_visible(self, backend: SearchBackend) -> None:
        documents = sample_documents()
        await backend.upsert(documents)
        result = await self._search(backend, "", limit=100)
        assert {h.id for h in result.hits} == {d.id for d in visible(documents, MEMBER)}
        assert result.total == len(visible(documents, MEMBER))

    async def test_invisible_documents_are_never_returned_nor_counted(
        self, backend: SearchBackend
    ) -> None:
        documents = sample_documents()
        await backend.upsert(documents)
        for text in ("", "Dolmetscher", "Familiennachzug", "Beschwerde"):
            result = await self._search(backend, text, limit=100)
            ids = {h.id for h in result.hits}
            assert "question-8" not in ids  # hidden
            assert "consultation-1" not in ids  # participants only
            assert result.total == len(ids)
            counted = facets_of(result)
            assert counted["status"].get("advice", 0) == 0
            assert sum(counted["type"].values()) == result.total
        assert (await self._search(backend, "Familiennachzug")).total == 0
        assert (await self._search(backend, "Beschwerde")).total == 0

    async def test_participants_and_moderators_see_restricted_documents(
        self, backend: SearchBackend
    ) -> None:
        documents = sample_documents()
        await backend.upsert(documents)
        for principals in (PARTICIPANT, MODERATOR):
            result = await self._search(backend, "Familiennachzug", principals=principals)
            assert [h.id for h in result.hits] == ["consultation-1"]
            everything = await self._search(backend, "", principals=principals, limit=100)
            assert everything.total == len(visible(documents, principals))
            assert facets_of(everything) == expected_facets(visible(documents, principals))
        # Nobody without a principal sees anything.
        assert (await self._search(backend, "", principals=())).total == 0

    async def test_hidden_documents_only_for_moderators_asking(
        self, backend: SearchBackend
    ) -> None:
        documents = sample_documents()
        await backend.upsert(documents)
        assert (await self._search(backend, "Beschwerde", principals=MODERATOR)).total == 0
        shown = await self._search(backend, "Beschwerde", principals=MODERATOR, include_hidden=True)
        assert [h.id for h in shown.hits] == ["question-8"]
        everything = await self._search(
            backend, "", principals=MODERATOR, include_hidden=True, limit=100
        )
        assert everything.total == len(visible(documents, MODERATOR, include_hidden=True))
        assert facets_of(everything) == expected_facets(
            visible(documents, MODERATOR, include_hidden=True)
        )

    async def test_delete(self, backend: SearchBackend) -> None:
        await backend.upsert(sample_documents())
        assert "question-2" in await self._ids(backend, "Dolmetscher")
        await backend.delete(["question-2", "question-404"])
        assert "question-2" not in await self._ids(backend, "Dolmetscher")
        assert "question-3" in await self._ids(backend, "Dolmetscher")
        await backend.delete([])
        assert (await backend.count())["question"] == 7

    async def test_upsert_replaces_by_id(self, backend: SearchBackend) -> None:
        await backend.upsert(sample_documents())
        changed = replace(
            sample_documents()[0],
            title="Digitale Vorsprache",
            body="Videosprechstunden ersetzen manche Vorsprache.",
            extra="",
        )
        await backend.upsert([changed])
        assert "question-1" not in await self._ids(backend, "Kontingenten")
        [hit] = (await self._search(backend, "Videosprechstunden")).hits
        assert (hit.id, hit.title) == ("question-1", "Digitale Vorsprache")
        assert (await backend.count())["question"] == 8
        assert (await self._search(backend, "", type="question", limit=100)).total == 7

    async def test_snippets_mark_matches_and_escape_html(self, backend: SearchBackend) -> None:
        await backend.upsert(
            [
                document(
                    1,
                    "Sicherheit",
                    "Bitte fügen Sie kein <script>alert('x')</script> in Beiträge zur "
                    "Willkommenskultur ein; Formatierung & Links gehen trotzdem.",
                )
            ]
        )
        [hit] = (await self._search(backend, "Willkommenskultur")).hits
        assert "<mark>Willkommenskultur</mark>" in hit.snippet_html
        assert "&lt;script&gt;" in hit.snippet_html
        assert "<script>" not in hit.snippet_html
        assert "<" not in re.sub(r"</?mark>", "", hit.snippet_html)
        assert len(re.sub(r"</?mark>", "", hit.snippet_html)) < 400

    async def test_snippet_of_a_long_text_is_short_and_around_the_match(
        self, backend: SearchBackend
    ) -> None:
        filler = "Dieser Absatz beschreibt den allgemeinen Ablauf im Sachgebiet. " * 20
        await backend.upsert(
            [document(1, "Ablauf", filler + "Am Ende steht die Fiktionsbescheinigung. " + filler)]
        )
        [hit] = (await self._search(backend, "Fiktionsbescheinigung")).hits
        assert "<mark>Fiktionsbescheinigung</mark>" in hit.snippet_html
        assert len(re.sub(r"</?mark>", "", hit.snippet_html)) < 400

    async def test_rebuild_switches_to_the_new_documents(self, backend: SearchBackend) -> None:
        await backend.upsert(sample_documents())
        fresh = [
            document(30, "Chancenkarte", "Erste Erfahrungen mit der Chancenkarte."),
            document(31, "Westbalkanregelung", "Kontingent der Westbalkanregelung."),
            document(40, "Netzwerkkarte", "Beratungsstellen vor Ort.", type="instrument"),
        ]
        written = await backend.rebuild(_batches(fresh[:2], fresh[2:]))
        assert written == 3
        assert await self._ids(backend, "Dolmetscher") == []
        assert await self._ids(backend, "Chancenkarte") == ["question-30"]
        assert await backend.count() == {"question": 2, "instrument": 1}
        assert (await self._search(backend, "")).total == 3

    async def test_bad_query_syntax_does_not_raise(self, backend: SearchBackend) -> None:
        await backend.upsert(sample_documents())
        for text in (
            '"unbalanced',
            "a AND (",
            "*",
            "title:xyz",
            "Termin*",
            "-",
            "~~~",
            "(",
            "::",
            "+Dolmetscher -Warteraum",
            "Dolmetscher^5",
            "[a TO b]",
            "\\",
            "x" * 300,
            " ".join(["Dolmetscher"] * 50),
            "der die das",
        ):
            result = await self._search(backend, text)
            assert isinstance(result, SearchResult)
            assert result.total >= len(result.hits)
        assert "question-2" in await self._ids(backend, '"Dolmetscher"')


# A configured, empty engine on its own index, named by the argument.
EngineFactory = Callable[[str], Awaitable[SearchBackend]]


class SyncContract:
    """Inherit, and provide the async fixture `engines` (an EngineFactory) and `indexed`."""

    async def indexed(self, backend: SearchBackend) -> dict[str, dict[str, Any]]:
        """Every document the engine holds, by id, with every field it was given."""
        raise NotImplementedError

    async def test_a_rebuild_holds_what_the_sync_wrote(
        self, settings: Settings, engines: EngineFactory
    ) -> None:
        """For a database with every kind of document, a full rebuild yields exactly the
        documents, ids and fields, that the outbox sync yields step by step: closed
        consultations and toolbox pages included, and nothing the viewer must not see
        where the rule hides it."""
        expected = await every_document_type(settings)
        incremental, rebuilt = await engines("incremental"), await engines("rebuilt")
        await worker.drain(incremental)
        assert await worker.backlog() == 0
        await worker.reindex(rebuilt)

        synced = await self.indexed(incremental)
        assert set(synced) == expected
        assert await self.indexed(rebuilt) == synced
        assert await incremental.count() == await rebuilt.count()
        types = {"question", "consultation", "instrument", "event"}
        assert {d["type"] for d in synced.values()} == types
        # A cancelled event stays findable, marked.
        assert {d["status"] for d in synced.values() if d["type"] == "event"} == {None, "cancelled"}
        # The comment under the hidden answer is gone with it; the visible one is there.
        texts = " ".join(f"{d['body']} {d['extra']}" for d in synced.values())
        assert "Welche Farben genau?" not in texts
        assert "Gilt das auch samstags?" in texts
        assert "Englisch, Arabisch" not in texts
        assert "Folien zum Terminsystem" in texts  # an event's materials, added by an edit
