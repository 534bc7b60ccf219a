"""The contract every search engine implements, and the values that cross it.

Visibility is part of the query, not a post-filter: each document lists the principals
that may see it (`visible_to`), each query the principals of its viewer, and the engine
returns — and counts, in totals and facets — only documents where the two meet."""

from __future__ import annotations

from collections.abc import AsyncIterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

# Principals: everyone signed in, the moderators, one user.
EVERYONE = "all"
MODERATORS = "moderators"


def user_principal(user_id: int) -> str:
    return f"user:{user_id}"


FACETS = ("type", "cornerstone", "instruments", "status", "currency")
# Whether a document's legal statements are current: "outdated" ranks below "current".
CURRENT, OUTDATED = "current", "outdated"
MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"


@dataclass(frozen=True)
class SearchDocument:
    """One searchable thing. `id` is unique across types, e.g. "question-12"."""

    id: str
    type: str  # question | consultation | instrument
    entity_id: int
    title: str
    body: str
    # Secondary text: answers and comments of a question, advice of a consultation.
    extra: str
    url: str
    cornerstone: str | None
    instruments: tuple[str, ...]
    status: str | None
    authority_kind: str | None
    score: int
    created_at: int  # Unix seconds
    visible_to: tuple[str, ...]
    hidden: bool = False
    # OUTDATED when the content review found the post outdated (search ranks it lower).
    currency: str = CURRENT


@dataclass(frozen=True)
class SearchQuery:
    text: str
    principals: tuple[str, ...]
    type: str | None = None
    cornerstone: str | None = None
    instrument: str | None = None
    status: str | None = None
    currency: str | None = None
    include_hidden: bool = False  # moderators see hidden content, marked
    page: int = 1
    limit: int = 20


@dataclass(frozen=True)
class SearchHit:
    id: str
    type: str
    entity_id: int
    title: str
    # Escaped text with <mark>…</mark> around matches, and nothing else.
    snippet_html: str
    url: str
    cornerstone: str | None
    instruments: tuple[str, ...]
    status: str | None


@dataclass(frozen=True)
class SearchResult:
    hits: list[SearchHit]
    total: int
    # facet name (FACETS) -> value -> count, over the whole filtered result set.
    facets: dict[str, dict[str, int]] = field(default_factory=dict)


class SearchUnavailable(Exception):
    """The engine cannot be reached or refused the request; callers degrade."""


@runtime_checkable
class SearchBackend(Protocol):
    name: str
    # True when `configure` found the index unusable and replaced it with an empty one.
    rebuild_needed: bool

    async def configure(self, *, create: bool = True) -> None:
        """Creates the index if needed and applies its settings. With `create=False` it
        only opens what is there and changes nothing (to report on it): an index that is
        missing or unusable raises SearchUnavailable and sets `rebuild_needed`."""

    async def upsert(self, documents: Sequence[SearchDocument]) -> None:
        """Adds or replaces documents; returns once the engine has applied them."""

    async def delete(self, ids: Sequence[str]) -> None:
        """Removes documents by id; unknown ids are ignored."""

    async def search(self, query: SearchQuery) -> SearchResult: ...

    async def count(self) -> dict[str, int]:
        """Documents per type."""

    async def health(self) -> bool: ...

    async def rebuild(self, batches: AsyncIterable[Sequence[SearchDocument]]) -> int:
        """Builds a fresh index from `batches` and switches to it only when complete, so
        searches never see a half-built or empty index. Returns the documents written."""

    async def close(self) -> None: ...
