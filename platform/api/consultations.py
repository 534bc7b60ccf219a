"""Collegial case consultations (kollegiale Fallberatung)."""

from __future__ import annotations

from litestar import Controller, get, post, put
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from fachaustausch.api.openapi import errors
from fachaustausch.consultations import queries as consultation_queries
from fachaustausch.consultations import service as consultations
from fachaustausch.consultations.models import (
    ConsultationInput,
    ConsultationOut,
    ConsultationSummaryOut,
    InviteInput,
    JoinInput,
    KeyQuestionInput,
    MethodInput,
    PostInput,
    PostOut,
)
from fachaustausch.consultations.phases import Phase, Role
from fachaustausch.http.dependencies import Actor


class ConsultationController(Controller):
    path = "/consultations"
    tags = ["Fallberatungen"]

    @get("/", operation_id="listConsultations", responses=errors(422))
    async def list_consultations(
        self,
        actor: Actor,
        phase: FromQuery[Phase | None] = None,
        cornerstone: FromQuery[str | None] = None,
        instrument: FromQuery[str | None] = None,
        mine: FromQuery[bool] = False,
    ) -> list[ConsultationSummaryOut]:
        """Consultations the viewer may see, newest first."""
        return await consultation_queries.list_consultations(
            actor, phase=phase, cornerstone=cornerstone, instrument=instrument, mine=mine
        )

    @post(
        "/",
        operation_id="startConsultation",
        status_code=HTTP_201_CREATED,
        responses=errors(404, 409),
    )
    async def create(self, actor: Actor, data: JSONBody[ConsultationInput]) -> ConsultationOut:
        """Starts a consultation with the viewer as case giver. Texts with personal data of
        the people concerned are refused (422) with every finding and its position."""
        consultation_id = await consultations.create(actor, data)
        return await consultation_queries.get_consultation(actor, consultation_id)

    @get("/{consultation_id:int}", operation_id="getConsultation")
    async def get_consultation(
        self, actor: Actor, consultation_id: FromPath[int]
    ) -> ConsultationOut:
        """Posts grouped by phase, participants, and what the viewer may do now."""
        return await consultation_queries.get_consultation(actor, consultation_id)

    @post(
        "/{consultation_id:int}/join",
        operation_id="joinConsultation",
        status_code=200,
        responses=errors(409),
    )
    async def join(
        self,
        actor: Actor,
        consultation_id: FromPath[int],
        data: JSONBody[JoinInput | None] = None,
    ) -> ConsultationOut:
        role = Role(data.role) if data else Role.advisor
        await consultations.join(actor, consultation_id, role)
        return await consultation_queries.get_consultation(actor, consultation_id)

    @post(
        "/{consultation_id:int}/invite",
        operation_id="inviteToConsultation",
        status_code=200,
        responses=errors(409),
    )
    async def invite(
        self, actor: Actor, consultation_id: FromPath[int], data: JSONBody[InviteInput]
    ) -> ConsultationOut:
        """Invites a person by `handle` (or, as before handles, by `user_id`)."""
        await consultations.invite(actor, consultation_id, data.person, Role(data.role))
        return await consultation_queries.get_consultation(actor, consultation_id)

    @post(
        "/{consultation_id:int}/posts",
        operation_id="postToConsultation",
        status_code=HTTP_201_CREATED,
        responses=errors(409),
    )
    async def add_post(
        self, actor: Actor, consultation_id: FromPath[int], data: JSONBody[PostInput]
    ) -> PostOut:
        """403 when the viewer's role never writes this kind of post, 409 when not in this
        phase; the German `detail` states the rule."""
        post_id = await consultations.post(actor, consultation_id, data.kind, data.body)
        consultation = await consultation_queries.get_consultation(actor, consultation_id)
        return next(p for phase in consultation.phases for p in phase.posts if p.id == post_id)

    @put(
        "/{consultation_id:int}/key-question",
        operation_id="setKeyQuestion",
        responses=errors(409),
    )
    async def key_question(
        self, actor: Actor, consultation_id: FromPath[int], data: JSONBody[KeyQuestionInput]
    ) -> ConsultationOut:
        await consultations.set_key_question(actor, consultation_id, data.key_question)
        return await consultation_queries.get_consultation(actor, consultation_id)

    @put("/{consultation_id:int}/method", operation_id="setMethod", responses=errors(409))
    async def method(
        self, actor: Actor, consultation_id: FromPath[int], data: JSONBody[MethodInput]
    ) -> ConsultationOut:
        await consultations.set_method(actor, consultation_id, data.method)
        return await consultation_queries.get_consultation(actor, consultation_id)

    @post(
        "/{consultation_id:int}/advance",
        operation_id="advancePhase",
        status_code=200,
        responses=errors(409, 422),
    )
    async def advance(self, actor: Actor, consultation_id: FromPath[int]) -> ConsultationOut:
        """Moves to the next phase (one step, never back) once this phase's result exists."""
        await consultations.advance(actor, consultation_id)
        return await consultation_queries.get_consultation(actor, consultation_id)
