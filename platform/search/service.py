"""Searching for a viewer: their principals go into the engine query, and when the engine
is unreachable the answer degrades to a database title match instead of failing."""

from __future__ import annotations

import asyncio
import html
import logging
import time
from enum import StrEnum
from typing import Any

from pydantic import BaseModel

from fachaustausch import database
from fachaustausch.accounts.policy import Principal
from fachaustausch.questions.tables import Question
from fachaustausch.search.backend import (
    EVERYONE,
    MODERATORS,
    SearchBackend,
    SearchHit,
    SearchQuery,
    SearchResult,
    SearchUnavailable,
    user_principal,
)

log = logging.getLogger(__name__)

SEARCH_TIMEOUT_SECONDS = 3.0
DEGRADED_NOTICE = (
    "Suche vorübergehend eingeschränkt: Die Volltextsuche ist gerade nicht erreichbar. "
    "Angezeigt werden Fragen, deren Titel den Suchbegriff enthält."
)
BEHIND_NOTICE = (
    "Suche vorübergehend eingeschränkt: Neue und geänderte Beiträge erscheinen gerade "
    "verzögert in den Ergebnissen."
)


class ResultType(StrEnum):
    question = "question"
    consultation = "consultation"
    instrument = "instrument"
    event = "event"


class Currency(StrEnum):
    """Whether a post's legal statements still hold, as the content review found."""

    current = "current"
    outdated = "outdated"


class SearchHitOut(BaseModel):
    type: str
    id: int
    title: str
    snippet_html: str
    url: str
    cornerstone: str | None
    instruments: list[str]
    status: str | None


class SearchFacetsOut(BaseModel):
    type: dict[str, int]
    cornerstone: dict[str, int]
    instrument: dict[str, int]
    status: dict[str, int]
    # current | outdated: whether the post's legal statements still hold (content review)
    currency: dict[str, int]


class SearchResponseOut(BaseModel):
    hits: list[SearchHitOut]
    facets: SearchFacetsOut
    total: int
    page: int
    limit: int
    engine: str
    degraded: bool
    notice: str | None
    took_ms: float


class SimilarQuestionOut(BaseModel):
    id: int
    title: str
    url: str
    status: str | None


def principals(viewer: Principal) -> tuple[str, ...]:
    found = (EVERYONE, user_principal(viewer.id))
    return (*found, MODERATORS) if viewer.is_moderator else found


def _query(viewer: Principal, text: str, **filters: Any) -> SearchQuery:
    return SearchQuery(
        text=text.strip(),
        principals=principals(viewer),
        include_hidden=viewer.is_moderator,
        **filters,
    )


async def _engine_search(backend: SearchBackend, query: SearchQuery) -> SearchResult:
    try:
        return await asyncio.wait_for(backend.search(query), SEARCH_TIMEOUT_SECONDS)
    except TimeoutError:
        raise SearchUnavailable("search timed out") from None


async def _title_match(viewer: Principal, query: SearchQuery) -> SearchResult:
    """The degraded answer: questions whose title contains the words, newest first."""
    pattern = f"%{_escape_like(query.text)}%"
    # SQLite's LIKE ignores ASCII case already; PostgreSQL needs ILIKE.
    match = Question.title.like if database.is_sqlite() else Question.title.ilike
    where = match(pattern) if query.text else None
    base = Question.select(
        Question.id, Question.title, Question.status, Question.cornerstone.slug.as_alias("cs")
    )
    count = Question.count()
    if where is not None:
        base, count = base.where(where), count.where(where)
    if not viewer.is_moderator:
        base, count = base.where(Question.hidden.eq(False)), count.where(Question.hidden.eq(False))
    if query.type not in (None, ResultType.question):
        return SearchResult(hits=[], total=0)
    rows = (
        await base.order_by(Question.created_at, ascending=False)
        .limit(query.limit)
        .offset((query.page - 1) * query.limit)
        .run()
    )
    return SearchResult(
        hits=[
            SearchHit(
                id=f"question-{r['id']}",
                type=ResultType.question.value,
                entity_id=r["id"],
                title=r["title"],
                snippet_html=html.escape(r["title"], quote=False),
                url=f"/fragen/{r['id']}",
                cornerstone=r["cs"],
                instruments=(),
                status=r["status"],
            )
            for r in rows
        ],
        total=await count.run(),
    )


def _escape_like(text: str) -> str:
    # LIKE wildcards the user typed would match everything; they carry no meaning in titles.
    return text.replace("%", " ").replace("_", " ").strip()


def _facets(result: SearchResult) -> SearchFacetsOut:
    f = result.facets
    return SearchFacetsOut.model_construct(
        type=f.get("type", {}),
        cornerstone=f.get("cornerstone", {}),
        instrument=f.get("instruments", {}),
        status=f.get("status", {}),
        currency=f.get("currency", {}),
    )


async def search(
    viewer: Principal,
    backend: SearchBackend,
    text: str,
    *,
    type: ResultType | None = None,
    cornerstone: str | None = None,
    instrument: str | None = None,
    status: str | None = None,
    currency: str | None = None,
    page: int = 1,
    limit: int = 20,
    behind: bool = False,
) -> SearchResponseOut:
    """`behind`: the sync has been failing, so the engine's answer may miss recent changes;
    it is given, marked degraded."""
    started = time.perf_counter()
    query = _query(
        viewer,
        text,
        type=type.value if type else None,
        cornerstone=cornerstone,
        instrument=instrument,
        status=status,
        currency=currency,
        page=page,
        limit=limit,
    )
    notice = BEHIND_NOTICE if behind else None
    try:
        result = await _engine_search(backend, query)
    except SearchUnavailable as exc:
        log.warning("search degraded: %s", exc)
        notice = DEGRADED_NOTICE
        result = await _title_match(viewer, query)
    # model_construct: the values come typed from the engine's own dataclasses, and
    # validating every hit and facet map again was a noticeable part of a repeated search.
    return SearchResponseOut.model_construct(
        hits=[
            SearchHitOut.model_construct(
                type=h.type,
                id=h.entity_id,
                title=h.title,
                snippet_html=h.snippet_html,
                url=h.url,
                cornerstone=h.cornerstone,
                instruments=list(h.instruments),
                status=h.status,
            )
            for h in result.hits
        ],
        facets=_facets(result),
        total=result.total,
        page=page,
        limit=limit,
        engine=backend.name,
        degraded=notice is not None,
        notice=notice,
        took_ms=round((time.perf_counter() - started) * 1000, 1),
    )


async def similar(
    viewer: Principal, backend: SearchBackend, title: str
) -> list[SimilarQuestionOut]:
    """Up to five questions like the one being asked, for the ask form."""
    if len(title.strip()) < 3:
        return []
    query = _query(viewer, title, type=ResultType.question.value, limit=5)
    try:
        result = await _engine_search(backend, query)
    except SearchUnavailable:
        result = await _title_match(viewer, query)
    return [
        SimilarQuestionOut(id=h.entity_id, title=h.title, url=h.url, status=h.status)
        for h in result.hits
    ]
