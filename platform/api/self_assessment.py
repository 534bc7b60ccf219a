"""The self-assessment (Standortbestimmung): the checklist, the own authority's draft and
rounds, a round's results, and the moderation's care of the criteria."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, post, put
from litestar.params import JSONBody, PathParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from fachaustausch.api.openapi import errors
from fachaustausch.assessment import editing, queries, service
from fachaustausch.assessment.models import (
    AggregateOut,
    AssessmentOut,
    CriterionDetailOut,
    CriterionEdit,
    CriterionInput,
    CriterionListOut,
    DraftInput,
    RoundOut,
)
from fachaustausch.core.ids import MAX_ID
from fachaustausch.http.dependencies import Actor

IdPath = Annotated[int, PathParameter(ge=1, le=MAX_ID)]


class SelfAssessmentController(Controller):
    path = "/self-assessment"
    tags = ["Standortbestimmung"]

    @get("/criteria", operation_id="listAssessmentCriteria")
    async def criteria(self, actor: Actor) -> CriterionListOut:
        """The checklist's current criteria, cornerstone by cornerstone, each with the
        instruments (toolbox slugs) that address it."""
        return await queries.list_criteria()

    @get("/", operation_id="getSelfAssessment")
    async def mine(self, actor: Actor) -> AssessmentOut:
        """The own authority's draft and its rounds, newest first."""
        return await queries.my_assessment(actor)

    @put("/draft", operation_id="saveAssessmentDraft", responses=errors(403))
    async def save_draft(self, actor: Actor, data: JSONBody[DraftInput]) -> AssessmentOut:
        """Sets the given criteria's ratings (1–5 each, either may stay open) and notes in the
        authority's draft; other criteria keep what colleagues saved. Notes with personal
        data are refused (422)."""
        await service.save_draft(actor, data)
        return await queries.my_assessment(actor)

    @post(
        "/rounds",
        operation_id="submitAssessmentRound",
        status_code=HTTP_201_CREATED,
        responses=errors(403, 409),
    )
    async def submit(self, actor: Actor) -> RoundOut:
        """Submits the draft as a dated round; every current criterion needs both ratings
        (422 names those still open). 409 when there is no draft."""
        round_id = await service.submit_round(actor)
        return await queries.get_round(actor, round_id)

    @get("/rounds/{round_id:int}", operation_id="getAssessmentRound", responses=errors(404))
    async def round(self, actor: Actor, round_id: IdPath) -> RoundOut:
        """Scores per cornerstone, the ratings with their need, the ranked recommendations,
        the previous round, and the average over all authorities (from five up). Only
        rounds of the own authority are found."""
        return await queries.get_round(actor, round_id)

    @get("/aggregate", operation_id="getAssessmentAggregate", responses=errors(403))
    async def aggregate(self, actor: Actor) -> AggregateOut:
        """For the BAMF moderation: averages over all authorities and per Land, each only
        from five authorities up."""
        return await queries.aggregate(actor)

    @post(
        "/criteria",
        operation_id="addAssessmentCriterion",
        status_code=HTTP_201_CREATED,
        responses=errors(403),
    )
    async def add_criterion(
        self, actor: Actor, data: JSONBody[CriterionInput]
    ) -> CriterionDetailOut:
        """Moderation: adds a criterion to a cornerstone."""
        criterion_id = await editing.add_criterion(actor, data)
        return await queries.get_criterion(criterion_id)

    @put(
        "/criteria/{criterion_id:int}",
        operation_id="editAssessmentCriterion",
        responses=errors(403, 404, 409),
    )
    async def edit_criterion(
        self, actor: Actor, criterion_id: IdPath, data: JSONBody[CriterionEdit]
    ) -> CriterionDetailOut:
        """Moderation: rewords or relinks a criterion as a new version; rounds keep the
        version they rated."""
        await editing.edit_criterion(actor, criterion_id, data)
        return await queries.get_criterion(criterion_id)

    @delete(
        "/criteria/{criterion_id:int}",
        operation_id="retireAssessmentCriterion",
        status_code=HTTP_204_NO_CONTENT,
        responses=errors(403, 404, 409),
    )
    async def retire_criterion(self, actor: Actor, criterion_id: IdPath) -> None:
        """Moderation: takes a criterion out of the checklist."""
        await editing.retire_criterion(actor, criterion_id)
