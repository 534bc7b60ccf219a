"""Full-text search over questions, closed consultations and toolbox pages."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.params import FromQuery, QueryParameter

from fachaustausch.http.dependencies import Actor, AppState
from fachaustausch.questions.models import Status
from fachaustausch.search import service as search
from fachaustausch.search.service import (
    Currency,
    ResultType,
    SearchResponseOut,
    SimilarQuestionOut,
)

Text = Annotated[str, QueryParameter(max_length=200)]
SlugFilter = Annotated[str | None, QueryParameter(max_length=120, pattern=r"^[a-z0-9-]+$")]


class SearchController(Controller):
    path = "/search"
    tags = ["Suche"]

    @get("/", operation_id="search")
    async def search(
        self,
        actor: Actor,
        state: AppState,
        q: Text = "",
        type: FromQuery[ResultType | None] = None,
        cornerstone: SlugFilter = None,
        instrument: SlugFilter = None,
        status: FromQuery[Status | None] = None,
        currency: FromQuery[Currency | None] = None,
        page: Annotated[int, QueryParameter(ge=1, le=100)] = 1,
        limit: Annotated[int, QueryParameter(ge=1, le=50)] = 20,
    ) -> SearchResponseOut:
        """Results the viewer may see, with facet counts over the whole filtered result.
        If the engine is unreachable: `degraded: true`, a notice, and a title match."""
        return await search.search(
            actor,
            state.search,
            q,
            type=type,
            cornerstone=cornerstone,
            instrument=instrument,
            status=status.value if status else None,
            currency=currency.value if currency else None,
            page=page,
            limit=limit,
            behind=state.search_worker.status.failing,
        )

    @get("/similar", operation_id="similarQuestions")
    async def similar(
        self, actor: Actor, state: AppState, title: Text = ""
    ) -> list[SimilarQuestionOut]:
        """Up to five questions similar to a title being typed (for the ask form)."""
        return await search.similar(actor, state.search, title)
