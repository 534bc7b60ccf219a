"""The content review: changes in the law (recorded by the moderation) and the review queue
with its decisions (experts and the moderation)."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from fachaustausch.api.openapi import errors
from fachaustausch.http.dependencies import Actor, AppSettings
from fachaustausch.review import changes, decisions
from fachaustausch.review import queries as review
from fachaustausch.review.models import (
    LegalChangeInput,
    LegalChangeOut,
    PostType,
    ReviewInput,
    ReviewOut,
    ReviewQueueOut,
)


class LegalChangeController(Controller):
    path = "/legal-changes"
    tags = ["Inhaltspflege"]

    @get("/", operation_id="listLegalChanges")
    async def list_changes(self, actor: Actor) -> list[LegalChangeOut]:
        """The recorded changes in the law, the newest first, with how many posts each put
        up for review and how many of them are still open."""
        return await review.all_changes(actor)

    @post("/", operation_id="recordLegalChange", status_code=HTTP_201_CREATED)
    async def record(self, actor: Actor, data: JSONBody[LegalChangeInput]) -> LegalChangeOut:
        """The moderation records a change: every visible question and answer citing one of
        the provisions ("§ 18 AufenthG" reaches § 18 with any part, not § 18a) is put up
        for review, and its author and the experts of its instruments are told."""
        change_id = await changes.record_change(actor, data)
        return next(c for c in await review.all_changes(actor) if c.id == change_id)


class ContentReviewController(Controller):
    path = "/content-review"
    tags = ["Inhaltspflege"]

    @get("/", operation_id="listContentReview", responses=errors(422))
    async def list_due(
        self,
        actor: Actor,
        settings: AppSettings,
        provision: FromQuery[str | None] = None,
        instrument: FromQuery[str | None] = None,
        change: FromQuery[int | None] = None,
    ) -> ReviewQueueOut:
        """The posts due for review (`cause`: `legal_change`, or `age` for accepted answers
        not reviewed for the configured months), filtered by a cited provision, an
        instrument or a change."""
        return await review.review_queue(
            actor,
            settings.content_review_age_months,
            provision=provision,
            instrument=instrument,
            change=change,
        )

    @post(
        "/{post_type:str}/{post_id:int}",
        operation_id="reviewPost",
        status_code=HTTP_201_CREATED,
        responses=errors(404, 409),
    )
    async def decide(
        self,
        actor: Actor,
        settings: AppSettings,
        post_type: FromPath[PostType],
        post_id: FromPath[int],
        data: JSONBody[ReviewInput],
    ) -> ReviewOut:
        """`confirm` (still valid) or `outdated` (answers only, with a `reason` and
        optionally the id of the newer answer as `successor`). 409 when the post is not due
        (any more), e.g. someone reviewed it a moment before."""
        review_id = await decisions.decide(
            actor, post_type, post_id, data, settings.content_review_age_months
        )
        return await review.get_review(review_id)
