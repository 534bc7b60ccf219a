"""The Meilisearch engine, through the official (synchronous) `meilisearch` client.

Every client call runs in a worker thread; waiting for Meilisearch's asynchronous tasks
polls from the event loop with `anyio.sleep`, so no thread sleeps and the loop never blocks.
`wait_for_task` is not used: it returns failed tasks without raising. Here a failed or
timed-out task, a refused request and an unreachable server all raise SearchUnavailable.

Visibility is part of every query's filter expression; values in it are always quoted and
escaped, so no principal or facet value can change the expression's structure. Snippets are
built from Meilisearch's cropped text with private-use highlight markers, which
`text.mark_html` alone turns into markup after escaping everything else."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import AsyncIterable, Callable, Mapping, Sequence
from dataclasses import fields
from typing import Any, TypeVar

import anyio
import anyio.to_thread
import meilisearch
import pydantic
import requests
from meilisearch.errors import MeilisearchApiError, MeilisearchError

from fachaustausch.search import text
from fachaustausch.search.backend import (
    FACETS,
    SearchDocument,
    SearchHit,
    SearchQuery,
    SearchResult,
    SearchUnavailable,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

PRIMARY_KEY = "id"
SEARCHABLE_ATTRIBUTES = ("title", "body", "extra")  # in rank order
FILTERABLE_ATTRIBUTES = (
    "type",
    "cornerstone",
    "instruments",
    "status",
    "authority_kind",
    "visible_to",
    "hidden",
    "currency",
)
SORTABLE_ATTRIBUTES = ("created_at", "score")
RANKING_RULES = ("words", "typo", "proximity", "attribute", "sort", "exactness")
# Exhaustive totals and deep pages; far above the number of documents the platform holds.
MAX_TOTAL_HITS = 100_000
MAX_VALUES_PER_FACET = 100
# The fields a hit needs; body and extra only because their cropped forms make the snippet.
RETRIEVED_ATTRIBUTES = (
    "id",
    "type",
    "entity_id",
    "title",
    "url",
    "cornerstone",
    "instruments",
    "status",
    "body",
    "extra",
)
SNIPPET_ATTRIBUTES = ("body", "extra")
CROP_LENGTH = 30  # words
CROP_MARKER = "…"
UPLOAD_CHUNK = 1_000  # documents per request

HTTP_TIMEOUT_SECONDS = 10
HEALTH_TIMEOUT_SECONDS = 2
TASK_TIMEOUT_SECONDS = 120.0
POLL_INITIAL_SECONDS = 0.02
POLL_MAX_SECONDS = 0.5

_FAILED_STATES = ("failed", "canceled")
_PENDING_STATES = ("enqueued", "processing")


def index_settings() -> dict[str, Any]:
    """The whole settings object, applied by PATCH /indexes/{uid}/settings."""
    return {
        "searchableAttributes": list(SEARCHABLE_ATTRIBUTES),
        "filterableAttributes": list(FILTERABLE_ATTRIBUTES),
        "sortableAttributes": list(SORTABLE_ATTRIBUTES),
        # The built-in rules in their default order, then: of equally relevant documents,
        # the current ones first ("current" sorts before "outdated").
        "rankingRules": [*RANKING_RULES, "currency:asc"],
        "stopWords": sorted(text.stop_words()),
        "synonyms": text.synonyms_map(),
        "typoTolerance": {
            "enabled": True,
            "minWordSizeForTypos": {"oneTypo": 5, "twoTypos": 9},
        },
        "faceting": {"maxValuesPerFacet": MAX_VALUES_PER_FACET},
        "pagination": {"maxTotalHits": MAX_TOTAL_HITS},
    }


def quote(value: str) -> str:
    """A filter-expression string literal: double-quoted, backslashes and quotes escaped."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def filter_expression(query: SearchQuery) -> str:
    principals = ", ".join(quote(p) for p in query.principals)
    clauses = [f"visible_to IN [{principals}]"]
    if not query.include_hidden:
        clauses.append("hidden = false")
    for attribute, value in (
        ("type", query.type),
        ("cornerstone", query.cornerstone),
        ("instruments", query.instrument),
        ("status", query.status),
        ("currency", query.currency),
    ):
        if value is not None:
            clauses.append(f"{attribute} = {quote(value)}")
    return " AND ".join(clauses)


def search_params(query: SearchQuery) -> dict[str, Any]:
    """The body of POST /indexes/{uid}/search, without `q` (the client adds it)."""
    return {
        "filter": filter_expression(query),
        "facets": list(FACETS),
        "page": max(query.page, 1),
        "hitsPerPage": max(query.limit, 0),
        "attributesToRetrieve": list(RETRIEVED_ATTRIBUTES),
        "attributesToHighlight": list(SNIPPET_ATTRIBUTES),
        "attributesToCrop": list(SNIPPET_ATTRIBUTES),
        "cropLength": CROP_LENGTH,
        "cropMarker": CROP_MARKER,
        "highlightPreTag": text.HIGHLIGHT_START,
        "highlightPostTag": text.HIGHLIGHT_END,
    }


_MARKERS = str.maketrans("", "", text.HIGHLIGHT_START + text.HIGHLIGHT_END)


def document_json(document: SearchDocument) -> dict[str, Any]:
    """A document as Meilisearch stores it: tuples as lists; highlight markers removed from
    the text, so only Meilisearch can put them into a snippet."""
    result: dict[str, Any] = {}
    for f in fields(document):
        value = getattr(document, f.name)
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, str) and f.name in SEARCHABLE_ATTRIBUTES:
            value = value.translate(_MARKERS)
        result[f.name] = value
    return result


def _snippet(hit: Mapping[str, Any]) -> str:
    formatted = hit.get("_formatted") or {}
    candidates = [str(formatted.get(a) or "") for a in SNIPPET_ATTRIBUTES]
    for candidate in candidates:
        if text.HIGHLIGHT_START in candidate:
            return text.mark_html(candidate)
    return text.mark_html(next((c for c in candidates if c), ""))


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)


def to_hit(hit: Mapping[str, Any]) -> SearchHit:
    return SearchHit(
        id=str(hit["id"]),
        type=str(hit["type"]),
        entity_id=int(hit["entity_id"]),
        title=str(hit.get("title") or ""),
        snippet_html=_snippet(hit),
        url=str(hit.get("url") or ""),
        cornerstone=_optional_str(hit.get("cornerstone")),
        instruments=tuple(str(i) for i in hit.get("instruments") or ()),
        status=_optional_str(hit.get("status")),
    )


def to_result(response: Mapping[str, Any]) -> SearchResult:
    hits = [to_hit(hit) for hit in response.get("hits") or []]
    distribution = response.get("facetDistribution") or {}
    facets = {
        name: {str(value): int(count) for value, count in (distribution.get(name) or {}).items()}
        for name in FACETS
    }
    total = response.get("totalHits", response.get("estimatedTotalHits", len(hits)))
    return SearchResult(hits=hits, total=int(total), facets=facets)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, MeilisearchApiError):
        code = f" ({exc.code})" if exc.code else ""
        return f"Meilisearch refused the request{code}: {exc.message}"
    if isinstance(exc, MeilisearchError):
        return f"Meilisearch is unreachable: {exc.message}"
    return f"Meilisearch answered unexpectedly: {type(exc).__name__}: {exc}"


def _task_message(task: Any) -> str:
    error = task.error or {}
    code = error.get("code")
    message = error.get("message") or f"task {task.status}"
    return f"Meilisearch task {task.uid} ({task.type}) {task.status}: " + (
        f"{message} ({code})" if code else message
    )


class MeilisearchBackend:
    name = "meilisearch"
    rebuild_needed = False  # Meilisearch keeps its index across versions of this platform

    def __init__(
        self,
        url: str,
        api_key: str = "",
        index: str = "fachaustausch",
        *,
        http_timeout_seconds: int = HTTP_TIMEOUT_SECONDS,
        task_timeout_seconds: float = TASK_TIMEOUT_SECONDS,
    ) -> None:
        self.url = url.rstrip("/")
        self.index_uid = index
        self.task_timeout_seconds = task_timeout_seconds
        key = api_key or None
        self._client = meilisearch.Client(self.url, key, timeout=http_timeout_seconds)
        self._health_client = meilisearch.Client(self.url, key, timeout=HEALTH_TIMEOUT_SECONDS)

    # -- plumbing ----------------------------------------------------------------------

    async def _call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Runs one client call in a worker thread; every failure becomes SearchUnavailable."""
        try:
            return await anyio.to_thread.run_sync(functools.partial(function, *args, **kwargs))
        except (MeilisearchError, requests.RequestException, pydantic.ValidationError) as exc:
            raise SearchUnavailable(_describe(exc)) from exc

    async def _wait(self, task_uid: int, *, tolerate: frozenset[str] = frozenset()) -> None:
        """Polls GET /tasks/{uid} until the task is done. A failed or canceled task raises
        with its error, unless its error code is in `tolerate`; so does the timeout."""
        deadline = time.monotonic() + self.task_timeout_seconds
        interval = POLL_INITIAL_SECONDS
        while True:
            task = await self._call(self._client.get_task, task_uid)
            if task.status == "succeeded":
                return
            if task.status in _FAILED_STATES:
                if (task.error or {}).get("code") in tolerate:
                    return
                raise SearchUnavailable(_task_message(task))
            if task.status not in _PENDING_STATES:
                raise SearchUnavailable(f"Meilisearch task {task_uid}: status {task.status!r}")
            if time.monotonic() >= deadline:
                raise SearchUnavailable(
                    f"Meilisearch task {task_uid} still {task.status} after "
                    f"{self.task_timeout_seconds:g} s"
                )
            await anyio.sleep(interval)
            interval = min(interval * 2, POLL_MAX_SECONDS)

    @staticmethod
    def _task_uid(task: Any) -> int:
        """The uid of a summarized task, as a TaskInfo or as the raw JSON object."""
        if isinstance(task, Mapping):
            return int(task["taskUid"])
        return int(task.task_uid)

    async def _create_index(self, uid: str) -> None:
        task = await self._call(self._client.create_index, uid, {"primaryKey": PRIMARY_KEY})
        await self._wait(self._task_uid(task), tolerate=frozenset({"index_already_exists"}))

    async def _apply_settings(self, uid: str) -> None:
        task = await self._call(self._client.index(uid).update_settings, index_settings())
        await self._wait(self._task_uid(task))

    async def _add(self, uid: str, documents: Sequence[SearchDocument]) -> None:
        index = self._client.index(uid)
        for start in range(0, len(documents), UPLOAD_CHUNK):
            payload = [document_json(d) for d in documents[start : start + UPLOAD_CHUNK]]
            task = await self._call(index.add_documents, payload, primary_key=PRIMARY_KEY)
            await self._wait(self._task_uid(task))

    async def _delete_index(self, uid: str) -> None:
        task = await self._call(self._client.delete_index, uid)
        await self._wait(self._task_uid(task), tolerate=frozenset({"index_not_found"}))

    # -- SearchBackend -----------------------------------------------------------------

    async def configure(self, *, create: bool = True) -> None:
        if create:  # the index lives in the server: there is nothing to open
            await self._create_index(self.index_uid)
            await self._apply_settings(self.index_uid)

    async def upsert(self, documents: Sequence[SearchDocument]) -> None:
        if documents:
            await self._add(self.index_uid, documents)

    async def delete(self, ids: Sequence[str]) -> None:
        if not ids:
            return
        # POST /indexes/{uid}/documents/delete-batch through the client's HTTP layer:
        # Index.delete_documents(ids) works too but emits a DeprecationWarning.
        path = f"indexes/{self.index_uid}/documents/delete-batch"
        task = await self._call(self._client.http.post, path, [str(i) for i in ids])
        await self._wait(self._task_uid(task))

    async def search(self, query: SearchQuery) -> SearchResult:
        if not query.principals:  # nobody to see anything
            return SearchResult(hits=[], total=0, facets={name: {} for name in FACETS})
        index = self._client.index(self.index_uid)
        response = await self._call(index.search, query.text, search_params(query))
        try:
            return to_result(response)
        except (KeyError, TypeError, ValueError) as exc:
            raise SearchUnavailable(_describe(exc)) from exc

    async def count(self) -> dict[str, int]:
        """Documents per type, from the facet distribution of an empty placeholder search
        (every document, hidden or not; no hits returned)."""
        index = self._client.index(self.index_uid)
        params = {"facets": ["type"], "page": 1, "hitsPerPage": 0}
        response = await self._call(index.search, "", params)
        distribution = (response.get("facetDistribution") or {}).get("type") or {}
        return {str(kind): int(n) for kind, n in distribution.items() if n}

    async def health(self) -> bool:
        try:
            answer = await anyio.to_thread.run_sync(self._health_client.health)
        except Exception:
            return False
        return isinstance(answer, Mapping) and answer.get("status") == "available"

    async def rebuild(self, batches: AsyncIterable[Sequence[SearchDocument]]) -> int:
        """Fills a fresh index `<uid>_<timestamp>`, swaps it with the live one in a single
        atomic task, then deletes the now old index. Searches keep using the live index
        until the swap, so they never see it blank or half-built."""
        temporary = f"{self.index_uid}_{time.time_ns() // 1000}"
        written = 0
        try:
            await self._create_index(temporary)
            await self._apply_settings(temporary)
            async for batch in batches:
                if batch:
                    await self._add(temporary, batch)
                    written += len(batch)
            await self._create_index(self.index_uid)  # a swap needs both indexes to exist
            task = await self._call(
                self._client.swap_indexes, [{"indexes": [self.index_uid, temporary]}]
            )
            await self._wait(self._task_uid(task))
        except BaseException:
            with anyio.CancelScope(shield=True):
                await self._drop_quietly(temporary)
            raise
        await self._drop_quietly(temporary)  # after the swap it holds the old documents
        return written

    async def _drop_quietly(self, uid: str) -> None:
        try:
            await self._delete_index(uid)
        except SearchUnavailable as exc:
            log.warning("could not delete Meilisearch index %s: %s", uid, exc)

    async def close(self) -> None:
        """Nothing to release: the client opens no lasting connections."""
