"""MeilisearchBackend against an HTTP double of Meilisearch.

The double checks what the Meilisearch API reference documents for each request (routes,
methods, JSON content type, bearer key, body shapes, index and document id syntax) and
answers the way Meilisearch does: 202 with a summarized task for every write, the full task
object from GET /tasks/{uid} (enqueued, then processing, then succeeded or failed with an
error object), and its error object with 4xx statuses. Any request outside the documented
shapes is recorded as a violation and fails the test."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import threading
import time
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from fachaustausch.accounts.policy import Role
from fachaustausch.core.outbox import EntityType, enqueue
from fachaustausch.questions.tables import Question
from fachaustausch.search import documents, worker
from fachaustausch.search.backend import (
    EVERYONE,
    FACETS,
    MODERATORS,
    SearchBackend,
    SearchDocument,
    SearchQuery,
    SearchUnavailable,
    user_principal,
)
from fachaustausch.search.meili import MeilisearchBackend
from fachaustausch.search.text import HIGHLIGHT_END, HIGHLIGHT_START
from fachaustausch.settings import Settings
from tests.factories import ask_question, make_user
from tests.search.contract import EngineFactory, SyncContract

API_KEY = "test-master-key"
LIVE = "fachaustausch"
TIMESTAMP = "2025-01-01T00:00:00.000000Z"
INDEX_UID = re.compile(r"^[A-Za-z0-9_-]{1,400}$")
DOCUMENT_ID = re.compile(r"^[A-Za-z0-9_-]{1,511}$")
SETTINGS_KEYS = {
    "displayedAttributes",
    "searchableAttributes",
    "filterableAttributes",
    "sortableAttributes",
    "rankingRules",
    "stopWords",
    "nonSeparatorTokens",
    "separatorTokens",
    "dictionary",
    "synonyms",
    "distinctAttribute",
    "proximityPrecision",
    "typoTolerance",
    "faceting",
    "pagination",
    "embedders",
    "searchCutoffMs",
    "localizedAttributes",
    "facetSearch",
    "prefixSearch",
}
SEARCH_KEYS = {
    "q",
    "offset",
    "limit",
    "page",
    "hitsPerPage",
    "filter",
    "facets",
    "attributesToRetrieve",
    "attributesToCrop",
    "cropLength",
    "cropMarker",
    "attributesToHighlight",
    "highlightPreTag",
    "highlightPostTag",
    "showMatchesPosition",
    "sort",
    "matchingStrategy",
    "showRankingScore",
    "showRankingScoreDetails",
    "attributesToSearchOn",
    "rankingScoreThreshold",
    "locales",
    "distinct",
}


def _error(message: str, code: str, kind: str = "invalid_request") -> dict[str, str]:
    return {
        "message": message,
        "code": code,
        "type": kind,
        "link": f"https://docs.meilisearch.com/errors#{code}",
    }


class Violation(Exception):
    """A request Meilisearch's API reference does not describe."""


@dataclass
class FakeIndex:
    primary_key: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    body: Any


class MeiliDouble:
    """A stateful stand-in for Meilisearch on pytest-httpserver."""

    def __init__(self, server: HTTPServer) -> None:
        self.server = server
        self.lock = threading.Lock()
        self.indexes: dict[str, FakeIndex] = {}
        self.calls: list[Call] = []
        self.violations: list[str] = []
        self.tasks: dict[int, dict[str, Any]] = {}
        self.polls: dict[int, int] = {}
        self.polls_until_done = 2  # GET /tasks/{uid} sees enqueued, processing, then done
        self.stuck = False
        self.failures: dict[str, dict[str, str]] = {}  # task type -> error of the next one
        self.healthy = True
        self.search_response: dict[str, Any] | None = None
        self.search_delay = 0.0
        server.expect_request(re.compile(".*")).respond_with_handler(self.handle)

    @property
    def url(self) -> str:
        return self.server.url_for("/").rstrip("/")

    # -- test helpers ------------------------------------------------------------------

    def fail_next(self, task_type: str, message: str, code: str) -> None:
        self.failures[task_type] = _error(message, code)

    def writes(self) -> list[tuple[str, str]]:
        """Method and path of every request except task polls, health and searches."""
        return [
            (c.method, c.path)
            for c in self.calls
            if not c.path.startswith("/tasks/") and c.path != "/health"
        ]

    def bodies(self, method: str, path: str) -> list[Any]:
        return [c.body for c in self.calls if c.method == method and c.path == path]

    # -- HTTP --------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        with self.lock:
            try:
                return self._handle(request)
            except Violation as exc:
                self.violations.append(f"{request.method} {request.full_path}: {exc}")
                return self._json(_error(str(exc), "bad_request"), 400)

    @staticmethod
    def _json(payload: Any, status: int = 200) -> Response:
        return Response(json.dumps(payload), status=status, content_type="application/json")

    def _body(self, request: Request) -> Any:
        if request.mimetype != "application/json":
            raise Violation(f"Content-Type must be application/json, got {request.mimetype!r}")
        try:
            return json.loads(request.get_data(as_text=True))
        except ValueError as exc:
            raise Violation(f"malformed JSON: {exc}") from exc

    def _handle(self, request: Request) -> Response:
        path, method = request.path, request.method
        if path == "/health" and method == "GET":
            self.calls.append(Call(method, path, {}, None))
            if self.healthy:
                return self._json({"status": "available"})
            return self._json({"status": "unavailable"}, 503)
        if request.headers.get("Authorization") != f"Bearer {API_KEY}":
            return self._json(_error("The provided API key is invalid.", "invalid_api_key"), 403)
        body = self._body(request) if method in ("POST", "PATCH", "PUT") else None
        self.calls.append(Call(method, path, dict(request.args), body))

        if match := re.fullmatch(r"/tasks/(\d+)", path):
            return self._get_task(int(match[1]), method)
        if path == "/indexes" and method == "POST":
            return self._create_index(body)
        if path == "/swap-indexes" and method == "POST":
            return self._swap(body)
        match = re.fullmatch(r"/indexes/([^/]+)(/.*)?", path)
        if not match:
            raise Violation("no such route")
        uid, rest = match[1], match[2] or ""
        if not INDEX_UID.match(uid):
            raise Violation(f"invalid index uid {uid!r}")
        if rest == "" and method == "DELETE":
            return self._delete_index(uid)
        if rest == "/settings" and method == "PATCH":
            return self._settings(uid, body)
        if rest == "/documents" and method == "POST":
            return self._add_documents(uid, body, dict(request.args))
        if rest == "/documents/delete-batch" and method == "POST":
            return self._delete_documents(uid, body)
        if rest == "/search" and method == "POST":
            return self._search(uid, body)
        raise Violation("no such route")

    # -- tasks -------------------------------------------------------------------------

    def _enqueue(
        self,
        task_type: str,
        index_uid: str | None,
        details: dict[str, Any],
        error: dict[str, str] | None = None,
    ) -> Response:
        error = self.failures.pop(task_type, None) or error
        uid = len(self.tasks)
        self.tasks[uid] = {
            "uid": uid,
            "batchUid": uid,
            "indexUid": index_uid,
            "status": "failed" if error else "succeeded",
            "type": task_type,
            "canceledBy": None,
            "details": details,
            "error": error,
            "duration": "PT0.001S",
            "enqueuedAt": TIMESTAMP,
            "startedAt": TIMESTAMP,
            "finishedAt": TIMESTAMP,
        }
        summary = {
            "taskUid": uid,
            "indexUid": index_uid,
            "status": "enqueued",
            "type": task_type,
            "enqueuedAt": TIMESTAMP,
        }
        return self._json(summary, 202)

    def _get_task(self, uid: int, method: str) -> Response:
        if method != "GET":
            raise Violation("tasks are read with GET")
        if uid not in self.tasks:
            return self._json(_error(f"Task `{uid}` not found.", "task_not_found"), 404)
        seen = self.polls.get(uid, 0)
        self.polls[uid] = seen + 1
        task = dict(self.tasks[uid])
        if self.stuck or seen < self.polls_until_done:
            status = "enqueued" if seen == 0 else "processing"
            task.update(status=status, error=None, duration=None, finishedAt=None)
            if status == "enqueued":
                task["startedAt"] = None
        return self._json(task)

    def _failed(self, task_type: str) -> bool:
        return task_type in self.failures

    # -- indexes -----------------------------------------------------------------------

    def _create_index(self, body: Any) -> Response:
        if not isinstance(body, dict) or set(body) - {"uid", "primaryKey"}:
            raise Violation(f"index creation takes uid and primaryKey, got {body!r}")
        uid = body.get("uid")
        if not isinstance(uid, str) or not INDEX_UID.match(uid):
            raise Violation(f"invalid index uid {uid!r}")
        details = {"primaryKey": body.get("primaryKey")}
        if uid in self.indexes:
            error = _error(f"Index `{uid}` already exists.", "index_already_exists")
            return self._enqueue("indexCreation", uid, details, error)
        if not self._failed("indexCreation"):
            self.indexes[uid] = FakeIndex(primary_key=body.get("primaryKey"))
        return self._enqueue("indexCreation", uid, details)

    def _delete_index(self, uid: str) -> Response:
        if uid not in self.indexes:
            error = _error(f"Index `{uid}` not found.", "index_not_found")
            return self._enqueue("indexDeletion", uid, {"deletedDocuments": 0}, error)
        deleted = len(self.indexes[uid].documents)
        if not self._failed("indexDeletion"):
            del self.indexes[uid]
        return self._enqueue("indexDeletion", uid, {"deletedDocuments": deleted})

    def _swap(self, body: Any) -> Response:
        if not isinstance(body, list) or not body:
            raise Violation(f"swap-indexes takes a non-empty array, got {body!r}")
        for swap in body:
            pair = swap.get("indexes") if isinstance(swap, dict) else None
            if not (isinstance(pair, list) and len(pair) == 2 and len(set(pair)) == 2):
                raise Violation(f"each swap is {{'indexes': [a, b]}}, got {swap!r}")
        missing = [uid for swap in body for uid in swap["indexes"] if uid not in self.indexes]
        if missing:
            error = _error(f"Index `{missing[0]}` not found.", "index_not_found")
            return self._enqueue("indexSwap", None, {"swaps": body}, error)
        if not self._failed("indexSwap"):
            for swap in body:
                a, b = swap["indexes"]
                self.indexes[a], self.indexes[b] = self.indexes[b], self.indexes[a]
        return self._enqueue("indexSwap", None, {"swaps": body})

    def _settings(self, uid: str, body: Any) -> Response:
        if not isinstance(body, dict) or not body:
            raise Violation(f"settings are a non-empty object, got {body!r}")
        if unknown := set(body) - SETTINGS_KEYS:
            raise Violation(f"unknown settings {sorted(unknown)}")
        for key in ("searchableAttributes", "filterableAttributes", "sortableAttributes"):
            value = body.get(key, [])
            if not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
                raise Violation(f"{key} is an array of attribute names")
        stop_words = body.get("stopWords", [])
        if not (isinstance(stop_words, list) and all(isinstance(w, str) for w in stop_words)):
            raise Violation("stopWords is an array of strings")
        synonyms = body.get("synonyms", {})
        if not isinstance(synonyms, dict) or not all(
            isinstance(v, list) and all(isinstance(w, str) for w in v) for v in synonyms.values()
        ):
            raise Violation("synonyms map a word to an array of words")
        typo = body.get("typoTolerance", {})
        if set(typo) - {"enabled", "minWordSizeForTypos", "disableOnWords", "disableOnAttributes"}:
            raise Violation(f"unknown typoTolerance keys in {typo!r}")
        sizes = typo.get("minWordSizeForTypos", {})
        if set(sizes) - {"oneTypo", "twoTypos"} or sizes.get("oneTypo", 5) > sizes.get(
            "twoTypos", 9
        ):
            raise Violation(f"invalid minWordSizeForTypos {sizes!r}")
        if set(body.get("pagination", {})) - {"maxTotalHits"}:
            raise Violation("pagination takes maxTotalHits")
        if set(body.get("faceting", {})) - {"maxValuesPerFacet", "sortFacetValuesBy"}:
            raise Violation("faceting takes maxValuesPerFacet and sortFacetValuesBy")
        if not self._failed("settingsUpdate"):
            self.indexes.setdefault(uid, FakeIndex()).settings.update(body)
        return self._enqueue("settingsUpdate", uid, dict(body))

    # -- documents ---------------------------------------------------------------------

    def _add_documents(self, uid: str, body: Any, args: dict[str, str]) -> Response:
        if set(args) - {"primaryKey", "csvDelimiter", "customMetadata", "skipCreation"}:
            raise Violation(f"unknown query parameters {args}")
        if not isinstance(body, list) or not all(isinstance(d, dict) for d in body):
            raise Violation("documents are an array of objects")
        index = self.indexes.get(uid) or FakeIndex()
        primary_key = index.primary_key or args.get("primaryKey")
        details = {"receivedDocuments": len(body), "indexedDocuments": len(body)}
        if primary_key is None:
            error = _error(
                "The primary key inference failed.", "index_primary_key_no_candidate_found"
            )
            return self._enqueue("documentAdditionOrUpdate", uid, details, error)
        if "primaryKey" in args and args["primaryKey"] != primary_key:
            error = _error("Index already has a primary key.", "index_primary_key_already_exists")
            return self._enqueue("documentAdditionOrUpdate", uid, details, error)
        for document in body:
            key = document.get(primary_key)
            if not isinstance(key, str | int) or not DOCUMENT_ID.match(str(key)):
                error = _error(f"Document identifier `{key}` is invalid.", "invalid_document_id")
                return self._enqueue("documentAdditionOrUpdate", uid, details, error)
        if not self._failed("documentAdditionOrUpdate"):
            index.primary_key = primary_key
            self.indexes[uid] = index
            for document in body:
                index.documents[str(document[primary_key])] = document
        return self._enqueue("documentAdditionOrUpdate", uid, details)

    def _delete_documents(self, uid: str, body: Any) -> Response:
        if not isinstance(body, list) or not all(isinstance(i, str | int) for i in body):
            raise Violation("delete-batch takes an array of document ids")
        if uid not in self.indexes:
            error = _error(f"Index `{uid}` not found.", "index_not_found")
            return self._enqueue("documentDeletion", uid, {}, error)
        index = self.indexes[uid]
        deleted = [i for i in map(str, body) if i in index.documents]
        if not self._failed("documentDeletion"):
            for document_id in deleted:
                del index.documents[document_id]
        details = {"providedIds": len(body), "deletedDocuments": len(deleted)}
        return self._enqueue("documentDeletion", uid, details)

    # -- search ------------------------------------------------------------------------

    def _search(self, uid: str, body: Any) -> Response:
        if not isinstance(body, dict):
            raise Violation("the search body is an object")
        if unknown := set(body) - SEARCH_KEYS:
            raise Violation(f"unknown search parameters {sorted(unknown)}")
        if {"page", "hitsPerPage"} & set(body) and {"offset", "limit"} & set(body):
            raise Violation("page/hitsPerPage and offset/limit are alternatives")
        if not isinstance(body.get("filter", ""), str | list):
            raise Violation("filter is a string or an array")
        if uid not in self.indexes:
            return self._json(_error(f"Index `{uid}` not found.", "index_not_found"), 404)
        filterable = set(self.indexes[uid].settings.get("filterableAttributes", []))
        if unknown_facets := set(body.get("facets") or []) - filterable:
            message = f"Attributes {sorted(unknown_facets)} are not filterable."
            return self._json(_error(message, "invalid_search_facets"), 400)
        if self.search_delay:
            time.sleep(self.search_delay)
        if self.search_response is not None:
            return self._json(self.search_response)
        page, per_page = body.get("page", 1), body.get("hitsPerPage", 20)
        return self._json(
            {
                "hits": [],
                "query": body.get("q", ""),
                "processingTimeMs": 0,
                "hitsPerPage": per_page,
                "page": page,
                "totalPages": 0,
                "totalHits": 0,
                "facetDistribution": {name: {} for name in body.get("facets") or []},
                "facetStats": {},
            }
        )


# -- fixtures and helpers --------------------------------------------------------------


@pytest.fixture
def meili(httpserver: HTTPServer) -> Iterator[MeiliDouble]:
    double = MeiliDouble(httpserver)
    yield double
    assert double.violations == []


@pytest.fixture
def backend(meili: MeiliDouble) -> MeilisearchBackend:
    return MeilisearchBackend(url=meili.url, api_key=API_KEY, index=LIVE, task_timeout_seconds=5)


def doc(number: int, **changes: Any) -> SearchDocument:
    document = SearchDocument(
        id=f"question-{number}",
        type="question",
        entity_id=number,
        title=f"Frage {number} zur Terminvergabe",
        body="Wie organisiert ihr die Terminvergabe in der ABH?",
        extra="Antwort: mit einem Online-Terminsystem.",
        url=f"/fragen/{number}",
        cornerstone="digitalisierung",
        instruments=("online-termin", "wartebereich"),
        status="open",
        authority_kind="kreis",
        score=3,
        created_at=1_700_000_000 + number,
        visible_to=(EVERYONE,),
        hidden=False,
    )
    return replace(document, **changes)


async def batches(*groups: Sequence[SearchDocument]) -> AsyncIterator[Sequence[SearchDocument]]:
    for group in groups:
        await asyncio.sleep(0)
        yield group


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def filter_tokens(expression: str) -> list[tuple[str, str]]:
    """Tokens as Meilisearch's filter parser reads them: a double-quoted value ends at the
    first unescaped quote, and a backslash escapes the character after it."""
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(expression):
        char = expression[i]
        if char.isspace():
            i += 1
        elif char == '"':
            i += 1
            value: list[str] = []
            while expression[i] != '"':
                if expression[i] == "\\":
                    i += 1
                value.append(expression[i])
                i += 1
            tokens.append(("value", "".join(value)))
            i += 1
        elif char in "[],=":
            tokens.append(("punct", char))
            i += 1
        else:
            word = re.match(r"[^\s\[\],=\"]+", expression[i:])
            assert word
            tokens.append(("word", word[0]))
            i += len(word[0])
    return tokens


# -- configure -------------------------------------------------------------------------


async def test_configure_creates_index_and_applies_settings(
    meili: MeiliDouble, backend: MeilisearchBackend
) -> None:
    await backend.configure()

    assert meili.writes() == [("POST", "/indexes"), ("PATCH", f"/indexes/{LIVE}/settings")]
    assert meili.bodies("POST", "/indexes") == [{"uid": LIVE, "primaryKey": "id"}]
    [settings] = meili.bodies("PATCH", f"/indexes/{LIVE}/settings")
    assert settings["searchableAttributes"] == ["title", "body", "extra"]
    assert set(settings["filterableAttributes"]) == {
        "type",
        "cornerstone",
        "instruments",
        "status",
        "authority_kind",
        "visible_to",
        "hidden",
        "currency",
    }
    assert set(settings["sortableAttributes"]) == {"created_at", "score"}
    # The built-in rules decide relevance; of equally relevant documents, current ones first.
    assert settings["rankingRules"] == [
        "words", "typo", "proximity", "attribute", "sort", "exactness", "currency:asc",
    ]  # fmt: skip
    assert len(settings["stopWords"]) > 50
    assert {"und", "der"} <= set(settings["stopWords"])
    assert "Ausländerbehörde" in settings["synonyms"]["ABH"]
    assert "ABH" in settings["synonyms"]["Ausländerbehörde"]
    assert settings["typoTolerance"] == {
        "enabled": True,
        "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
    }
    assert settings["faceting"]["maxValuesPerFacet"] >= 10
    assert settings["pagination"]["maxTotalHits"] >= 10_000
    # Both tasks were polled until Meilisearch reported them done.
    assert all(meili.polls[uid] == meili.polls_until_done + 1 for uid in meili.tasks)
    assert meili.indexes[LIVE].primary_key == "id"


async def test_configure_accepts_an_existing_index(
    meili: MeiliDouble, backend: MeilisearchBackend
) -> None:
    await backend.configure()
    await backend.configure()  # index_already_exists is not an error here

    assert meili.writes().count(("PATCH", f"/indexes/{LIVE}/settings")) == 2


async def test_configure_fails_when_the_settings_task_fails(
    meili: MeiliDouble, backend: MeilisearchBackend
) -> None:
    meili.fail_next(
        "settingsUpdate", "Attribute `hidden` is not a valid attribute.", "invalid_settings"
    )

    with pytest.raises(SearchUnavailable, match="is not a valid attribute") as caught:
        await backend.configure()
    assert "invalid_settings" in str(caught.value)


# -- upsert and delete -----------------------------------------------------------------


async def test_upsert_posts_documents_with_primary_key_and_waits(
    meili: MeiliDouble, backend: MeilisearchBackend
) -> None:
    await backend.configure()
    hidden = doc(2, hidden=True, visible_to=(MODERATORS,), cornerstone=None, status=None)

    await backend.upsert([doc(1), hidden])

    [call] = [c for c in meili.calls if c.path == f"/indexes/{LIVE}/documents"]
    assert call.method == "POST"
    assert call.query == {"primaryKey": "id"}
    first, second = call.body
    assert first["id"] == "question-1"
    assert first["instruments"] == ["online-termin", "wartebereich"]
    assert first["visible_to"] == ["all"]
    assert first["hidden"] is False
    assert set(first) == {
        "id",
        "type",
        "entity_id",
        "title",
        "body",
        "extra",
        "url",
        "cornerstone",
        "instruments",
        "status",
        "authority_kind",
        "score",
        "created_at",
        "visible_to",
        "hidden",
        "currency",
    }
    assert first["currency"] == "current"
    assert second["hidden"] is True
    assert second["cornerstone"] is None
    # upsert returned only after Meilisearch reported the task as succeeded.
    task_uid = max(meili.tasks)
    assert meili.tasks[task_uid]["type"] == "documentAdditionOrUpdate"
    assert meili.polls[task_uid] == meili.polls_until_done + 1
    assert set(meili.indexes[LIVE].documents) == {"question-1", "question-2"}


async def test_upsert_strips_highlight_markers_from_document_text(
    meili: MeiliDouble, backend: MeilisearchBackend
) -> None:
    await backend.configure()

    await backend.upsert([doc(1, body=f"a {HIGHLIGHT_START}b{HIGHLIGHT_END} c")])

    assert meili.indexes[LIVE].documents["question-1"]["body"] == "a b c"


async def test_upsert_of_nothing_sends_nothing(
    meili: MeiliDouble, backend: MeilisearchBackend
) -> None:
    await backend.upsert([])
    await backend.delete([])

    assert meili.calls == []


async def test_failed_task_raises_with_its_error(
    meili: MeiliDouble, backend: MeilisearchBackend
) -> None:
    await backend.configure()
    meili.fail_next(
        "documentAdditionOrUpdate",
        "Document identifier `question 1` is invalid.",
        "invalid_document_id",
    )

    with pytest.raises(SearchUnavailable) as caught:
        await backend.upsert([doc(1)])

    message = str(caught.value)
    assert "Document identifier `question 1` is invalid." in message
    assert "invalid_document_id" in message
    assert meili.indexes[LIVE].documents == {}


async def test_task_that_never_finishes_times_out(meili: MeiliDouble) -> None:
    backend = MeilisearchBackend(
        url=meili.url, api_key=API_KEY, index=LIVE, task_timeout_seconds=0.3
    )
    meili.stuck = True

    started = time.monotonic()
    with pytest.raises(SearchUnavailable, match="still processing"):
        await backend.upsert([doc(1)])
    assert time.monotonic() - started < 3


async def test_delete_uses_delete_batch(meili: MeiliDouble, backend: MeilisearchBackend) -> None:
    await backend.configure()
    await backend.upsert([doc(1), doc(2), doc(3)])

    await backend.delete(["question-1", "question-3", "question-99"])

    assert meili.bodies("POST", f"/indexes/{LIVE}/documents/delete-batch") == [
        ["question-1", "question-3", "question-99"]
    ]
    assert set(meili.indexes[LIVE].documents) == {"question-2"}
    task_uid = max(meili.tasks)
    assert meili.tasks[task_uid]["type"] == "documentDeletion"
    assert meili.polls[task_uid] == meili.polls_until_done + 1


async def test_refused_request_raises_search_unavailable(meili: MeiliDouble) -> None:
    backend = MeilisearchBackend(url=meili.url, api_key="wrong-key", index=LIVE)

    with pytest.raises(SearchUnavailable, match="invalid_api_key"):
        await backend.search(SearchQuery(text="Termin", principals=(EVERYONE,)))


# -- search ----------------------------------------------------------------------------


async def test_search_sends_filter_facets_paging_and_highlighting(
    meili: MeiliDouble, backend: MeilisearchBackend
) -> None:
    await backend.configure()
    query = SearchQuery(
        text="Terminvergabe ABH",
        principals=(EVERYONE, MODERATORS, user_principal(3)),
        type="question",
        cornerstone="digitalisierung",
        instrument="online-termin",
        status="open",
        currency="outdated",
        page=2,
        limit=10,
    )

    await backend.search(query)

    [body] = meili.bodies("POST", f"/indexes/{LIVE}/search")
    assert body["q"] == "Terminvergabe ABH"
    assert body["filter"] == (
        'visible_to IN ["all", "moderators", "user:3"] AND hidden = false'
        ' AND type = "question" AND cornerstone = "digitalisierung"'
        ' AND instruments = "online-termin" AND status = "open" AND currency = "outdated"'
    )
    assert body["facets"] == list(FACETS)
    assert (body["page"], body["hitsPerPage"]) == (2, 10)
    assert "offset" not in body
    assert "limit" not in body
    assert body["highlightPreTag"] == HIGHLIGHT_START
    assert body["highlightPostTag"] == HIGHLIGHT_END
    assert set(body["attributesToCrop"]) == {"body", "extra"}
    assert set(body["attributesToHighlight"]) >= {"body", "extra"}
    assert isinstance(body["cropLength"], int)
    assert isinstance(body["cropMarker"], str)
    assert {"body", "extra"} <= set(body["attributesToRetrieve"])
    assert "visible_to" not in body["attributesToRetrieve"]


async def test_moderators_query_includes_hidden_content(
    meili: MeiliDouble, backend: MeilisearchBackend
) -> None:
    await backend.configure()

    await backend.search(SearchQuery(text="", principals=(MODERATORS,), include_hidden=True))

    [body] = meili.bodies("POST", f"/indexes/{LIVE}/search")
    assert body["filter"] == 'visible_to IN ["moderators"]'
    assert body["q"] == ""


async def test_filter_values_are_quoted_and_escaped(
    meili: MeiliDouble, backend: MeilisearchBackend
) -> None:
    await backend.configure()
    sneaky = 'x" OR type = "question'
    backslashed = 'a\\" OR hidden = true OR status = "b\\'
    query = SearchQuery(text="", principals=(EVERYONE, sneaky), type=sneaky, status=backslashed)

    await backend.search(query)

    [body] = meili.bodies("POST", f"/indexes/{LIVE}/search")
    assert body["filter"] == (
        'visible_to IN ["all", "x\\" OR type = \\"question"] AND hidden = false'
        ' AND type = "x\\" OR type = \\"question"'
        ' AND status = "a\\\\\\" OR hidden = true OR status = \\"b\\\\"'
    )
    # Read as Meilisearch reads it: the structure is ours, the values are exactly theirs.
    assert filter_tokens(body["filter"]) == [
        ("word", "visible_to"),
        ("word", "IN"),
        ("punct", "["),
        ("value", "all"),
        ("punct", ","),
        ("value", sneaky),
        ("punct", "]"),
        ("word", "AND"),
        ("word", "hidden"),
        ("punct", "="),
        ("word", "false"),
        ("word", "AND"),
        ("word", "type"),
        ("punct", "="),
        ("value", sneaky),
        ("word", "AND"),
        ("word", "status"),
        ("punct", "="),
        ("value", backslashed),
    ]


async def test_search_maps_hits_totals_and_facets(
    meili: MeiliDouble, backend: MeilisearchBackend
) -> None:
    await backend.configure()
    mark, end = HIGHLIGHT_START, HIGHLIGHT_END
    meili.search_response = {
        "hits": [
            {
                "id": "question-12",
                "type": "question",
                "entity_id": 12,
                "title": "Terminvergabe <b>online</b>",
                "url": "/fragen/12",
                "cornerstone": "digitalisierung",
                "instruments": ["online-termin"],
                "status": "open",
                "body": "Wie <script>alert(1)</script> organisiert ihr die Terminvergabe?",
                "extra": "",
                "_formatted": {
                    "id": "question-12",
                    "title": "Terminvergabe <b>online</b>",
                    "body": f"…<script>alert(1)</script> organisiert ihr die "
                    f"{mark}Terminvergabe{end}?",
                    "extra": "",
                },
            },
            {
                "id": "consultation-4",
                "type": "consultation",
                "entity_id": 4,
                "title": "Beratung Wartebereich",
                "url": "/beratungen/4",
                "cornerstone": None,
                "instruments": [],
                "status": None,
                "body": "Unser Wartebereich ist zu klein & laut.",
                "extra": "Rat: Aufrufsystem mit Nummern.",
                "_formatted": {
                    "body": "Unser Wartebereich ist zu klein & laut.",
                    "extra": f"Rat: {mark}Aufrufsystem{end} mit Nummern.",
                },
            },
            {
                "id": "instrument-7",
                "type": "instrument",
                "entity_id": 7,
                "title": "Online-Termin",
                "url": "/instrumente/7",
                "cornerstone": "digitalisierung",
                "instruments": ["online-termin"],
                "status": None,
                "body": "Termine <online> buchen",
                "extra": "",
                "_formatted": {"body": "Termine <online> buchen", "extra": ""},
            },
        ],
        "query": "Terminvergabe",
        "processingTimeMs": 1,
        "hitsPerPage": 3,
        "page": 1,
        "totalPages": 15,
        "totalHits": 43,
        "facetDistribution": {
            "type": {"question": 40, "consultation": 2, "instrument": 1},
            "cornerstone": {"digitalisierung": 41},
            "instruments": {"online-termin": 12},
            "status": {"open": 30, "answered": 10},
            "currency": {"current": 41, "outdated": 2},
        },
        "facetStats": {},
    }

    result = await backend.search(SearchQuery(text="Terminvergabe", principals=(EVERYONE,)))

    assert result.total == 43
    assert result.facets == {
        "type": {"question": 40, "consultation": 2, "instrument": 1},
        "cornerstone": {"digitalisierung": 41},
        "instruments": {"online-termin": 12},
        "status": {"open": 30, "answered": 10},
        "currency": {"current": 41, "outdated": 2},
    }
    first, second, third = result.hits
    assert first.id == "question-12"
    assert (first.type, first.entity_id, first.url) == ("question", 12, "/fragen/12")
    assert first.title == "Terminvergabe <b>online</b>"  # plain text; templates escape it
    assert first.snippet_html == (
        "…&lt;script&gt;alert(1)&lt;/script&gt; organisiert ihr die <mark>Terminvergabe</mark>?"
    )
    assert first.instruments == ("online-termin",)
    assert (first.cornerstone, first.status) == ("digitalisierung", "open")
    # The match is in the secondary text: that becomes the snippet.
    assert second.snippet_html == "Rat: <mark>Aufrufsystem</mark> mit Nummern."
    assert (second.cornerstone, second.status, second.instruments) == (None, None, ())
    # No match marked anywhere: the (escaped) start of the body.
    assert third.snippet_html == "Termine &lt;online&gt; buchen"


async def test_search_without_principals_finds_nothing_and_asks_nobody(
    meili: MeiliDouble, backend: MeilisearchBackend
) -> None:
    result = await backend.search(SearchQuery(text="Termin", principals=()))

    assert (result.hits, result.total) == ([], 0)
    assert meili.calls == []


async def test_search_does_not_block_the_event_loop(
    meili: MeiliDouble, backend: MeilisearchBackend
) -> None:
    await backend.configure()
    meili.search_delay = 0.3
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    try:
        await backend.search(SearchQuery(text="Termin", principals=(EVERYONE,)))
    finally:
        ticker.cancel()
    assert ticks >= 10


async def test_count_reads_the_type_facet_of_all_documents(
    meili: MeiliDouble, backend: MeilisearchBackend
) -> None:
    await backend.configure()
    meili.search_response = {
        "hits": [],
        "query": "",
        "processingTimeMs": 0,
        "hitsPerPage": 0,
        "page": 1,
        "totalPages": 0,
        "totalHits": 45,
        "facetDistribution": {"type": {"question": 36, "consultation": 5, "instrument": 4}},
        "facetStats": {},
    }

    assert await backend.count() == {"question": 36, "consultation": 5, "instrument": 4}

    [body] = meili.bodies("POST", f"/indexes/{LIVE}/search")
    assert body["facets"] == ["type"]
    assert body["hitsPerPage"] == 0
    assert "filter" not in body  # hidden documents count too


# -- rebuild ---------------------------------------------------------------------------


async def test_rebuild_fills_a_new_index_then_swaps_and_drops_the_old_one(
    meili: MeiliDouble, backend: MeilisearchBackend
) -> None:
    await backend.configure()
    await backend.upsert([doc(99)])
    meili.calls.clear()

    written = await backend.rebuild(batches([doc(1), doc(2)], [], [doc(3)]))

    assert written == 3
    [created, _] = meili.bodies("POST", "/indexes")
    temporary = created["uid"]
    assert re.fullmatch(rf"{LIVE}_\d+", temporary)
    assert created["primaryKey"] == "id"
    assert meili.writes() == [
        ("POST", "/indexes"),
        ("PATCH", f"/indexes/{temporary}/settings"),
        ("POST", f"/indexes/{temporary}/documents"),
        ("POST", f"/indexes/{temporary}/documents"),
        ("POST", "/indexes"),  # makes sure the live index exists: it does
        ("POST", "/swap-indexes"),
        ("DELETE", f"/indexes/{temporary}"),
    ]
    assert meili.bodies("POST", "/swap-indexes") == [[{"indexes": [LIVE, temporary]}]]
    assert set(meili.indexes) == {LIVE}
    assert set(meili.indexes[LIVE].documents) == {"question-1", "question-2", "question-3"}
    assert meili.indexes[LIVE].settings["searchableAttributes"] == ["title", "body", "extra"]
    # Every step waited for its task before the next one started.
    for uid, task in meili.tasks.items():
        assert meili.polls[uid] == meili.polls_until_done + 1, task["type"]


async def test_rebuild_creates_the_live_index_when_missing(
    meili: MeiliDouble, backend: MeilisearchBackend
) -> None:
    written = await backend.rebuild(batches([doc(1)]))

    assert written == 1
    assert set(meili.indexes) == {LIVE}
    assert set(meili.indexes[LIVE].documents) == {"question-1"}


async def test_failed_rebuild_leaves_the_live_index_alone(
    meili: MeiliDouble, backend: MeilisearchBackend
) -> None:
    await backend.configure()
    await backend.upsert([doc(99)])
    meili.calls.clear()
    meili.fail_next(
        "documentAdditionOrUpdate", "No space left on device.", "no_space_left_on_device"
    )

    with pytest.raises(SearchUnavailable, match="No space left on device"):
        await backend.rebuild(batches([doc(1)], [doc(2)]))

    assert ("POST", "/swap-indexes") not in meili.writes()
    assert meili.writes()[-1][0] == "DELETE"  # the half-built index is dropped
    assert set(meili.indexes) == {LIVE}
    assert set(meili.indexes[LIVE].documents) == {"question-99"}


# -- health and connection failures ----------------------------------------------------


async def test_health_reports_an_available_server(
    meili: MeiliDouble, backend: MeilisearchBackend
) -> None:
    assert await backend.health() is True
    assert meili.calls[-1].path == "/health"


async def test_health_is_false_when_the_server_answers_503(
    meili: MeiliDouble, backend: MeilisearchBackend
) -> None:
    meili.healthy = False

    assert await backend.health() is False


async def test_health_is_false_when_nothing_listens() -> None:
    backend = MeilisearchBackend(url=f"http://127.0.0.1:{unused_port()}", index=LIVE)

    assert await backend.health() is False


async def test_connection_refused_raises_search_unavailable() -> None:
    backend = MeilisearchBackend(url=f"http://127.0.0.1:{unused_port()}", index=LIVE)
    query = SearchQuery(text="Termin", principals=(EVERYONE,))

    with pytest.raises(SearchUnavailable, match="unreachable"):
        await backend.configure()
    with pytest.raises(SearchUnavailable, match="unreachable"):
        await backend.upsert([doc(1)])
    with pytest.raises(SearchUnavailable, match="unreachable"):
        await backend.delete(["question-1"])
    with pytest.raises(SearchUnavailable, match="unreachable"):
        await backend.search(query)
    with pytest.raises(SearchUnavailable, match="unreachable"):
        await backend.count()
    with pytest.raises(SearchUnavailable, match="unreachable"):
        await backend.rebuild(batches([doc(1)]))
    await backend.close()


# -- the shared sync contract --------------------------------------------------------


class TestMeilisearchDoubleSync(SyncContract):
    double: MeiliDouble

    @pytest.fixture
    def engines(self, meili: MeiliDouble) -> EngineFactory:
        self.double = meili

        async def engine(name: str) -> SearchBackend:
            created = MeilisearchBackend(
                url=meili.url, api_key=API_KEY, index=name, task_timeout_seconds=5
            )
            await created.configure()
            return created

        return engine

    async def indexed(self, backend: SearchBackend) -> dict[str, dict[str, Any]]:
        assert isinstance(backend, MeilisearchBackend)
        return dict(self.double.indexes[backend.index_uid].documents)


async def test_an_edit_during_a_rebuild_reaches_the_new_index(
    meili: MeiliDouble,
    backend: MeilisearchBackend,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A rebuild reads the database, fills a new index and swaps it in. A worker applying
    an edit to the live index meanwhile would see it lost in the swap: while a rebuild
    runs, workers leave the outbox alone, and the edit reaches the new index after it."""
    await backend.configure()
    member = await make_user(Role.member)
    qid = await ask_question(member, title="Wie lange dauert die Terminvergabe?")
    await worker.drain(backend)
    read_everything = asyncio.Event()
    edited = asyncio.Event()
    all_documents = documents.all_documents

    async def pausing() -> AsyncIterator[list[SearchDocument]]:
        async for batch in all_documents():
            yield batch
        read_everything.set()
        await edited.wait()  # the new index is not swapped in yet

    monkeypatch.setattr(documents, "all_documents", pausing)
    rebuild = asyncio.create_task(worker.reindex(backend))
    await read_everything.wait()
    await (
        Question.update({Question.title: "Neuer Titel zur Terminvergabe"})
        .where(Question.id == qid)
        .run()
    )
    await enqueue(EntityType.question, qid)
    assert await worker.drain(backend) == 0  # another worker, during the rebuild
    edited.set()
    await rebuild
    assert await worker.drain(backend) == 1
    assert meili.indexes[LIVE].documents[f"question-{qid}"]["title"] == (
        "Neuer Titel zur Terminvergabe"
    )
    assert await worker.backlog() == 0
