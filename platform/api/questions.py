"""Questions, answers, comments, votes, follows."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, Response, delete, get, patch, post, put
from litestar.enums import MediaType
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from fachaustausch.api.openapi import errors
from fachaustausch.http import serialization
from fachaustausch.http.dependencies import Actor, AppState
from fachaustausch.http.pagination import decode_position, encode_position
from fachaustausch.questions import answers, comments, queries, votes
from fachaustausch.questions import service as questions
from fachaustausch.questions.models import (
    AnswerEdit,
    AnswerInput,
    AnswerOut,
    CommentInput,
    CommentOut,
    QuestionEdit,
    QuestionInput,
    QuestionOut,
    QuestionPageOut,
    RevisionOut,
    Sort,
    Status,
    VoteInput,
    VoteOut,
)
from fachaustausch.questions.queries import QuestionFilters

Limit = Annotated[int, QueryParameter(ge=1, le=100)]
# Checked before they reach the database: PostgreSQL refuses NUL characters outright.
SlugFilter = Annotated[str | None, QueryParameter(pattern=r"^[a-z0-9-]+$", max_length=120)]
Cursor = Annotated[str | None, QueryParameter(pattern=r"^[A-Za-z0-9_=.-]+$", max_length=500)]


class QuestionController(Controller):
    path = "/questions"
    tags = ["Fragen"]

    @get("/", operation_id="listQuestions", responses=errors(422))
    async def list_questions(
        self,
        actor: Actor,
        state: AppState,
        cornerstone: SlugFilter = None,
        instrument: SlugFilter = None,
        status: FromQuery[Status | None] = None,
        authority: SlugFilter = None,
        directed_to: SlugFilter = None,
        mine: FromQuery[bool] = False,
        for_me: FromQuery[bool] = False,
        sort: FromQuery[Sort] = Sort.newest,
        limit: Limit = 20,
        cursor: Cursor = None,
    ) -> Response[QuestionPageOut]:
        """Questions, newest first by default; `next_cursor` fetches the next page.
        `for_me=true` lists the unanswered questions routed to an expert."""
        filters = QuestionFilters(
            cornerstone=cornerstone,
            instrument=instrument,
            status=status,
            authority=authority,
            directed_to=directed_to,
            mine=mine,
            for_me=for_me,
        )
        items, last = await queries.list_questions(
            actor, filters, sort, limit, decode_position(state.cursors, cursor, sort)
        )

        def encode() -> bytes:
            next_cursor = encode_position(state.cursors, last, sort)
            return serialization.encode(QuestionPageOut(items=items, next_cursor=next_cursor))

        # A page the read cache handed out before comes as the same tuple: its JSON is
        # written once, not per request (encoding is much of a cached page's time).
        body = await serialization.encoded_once(items, ("questions", last, sort), encode)
        # Bytes go out as they are; the annotation names the schema for the OpenAPI document.
        return Response(body, media_type=MediaType.JSON)  # type: ignore[arg-type]

    @post("/", operation_id="askQuestion", status_code=HTTP_201_CREATED, responses=errors(404, 409))
    async def ask(self, actor: Actor, data: JSONBody[QuestionInput]) -> QuestionOut:
        question_id = await questions.ask(actor, data)
        return await queries.get_question(actor, question_id)

    @get("/{question_id:int}", operation_id="getQuestion")
    async def get_question(self, actor: Actor, question_id: FromPath[int]) -> Response[QuestionOut]:
        """The question with its answers (accepted first, then by score, then oldest)."""
        question = await queries.get_question(actor, question_id)
        # Viewers who see the same (most have not voted) get the same object: one JSON.
        body = await serialization.encoded_once(
            question, "question", lambda: serialization.encode(question)
        )
        return Response(body, media_type=MediaType.JSON)  # type: ignore[arg-type]

    @patch("/{question_id:int}", operation_id="editQuestion", responses=errors(409))
    async def edit(
        self, actor: Actor, question_id: FromPath[int], data: JSONBody[QuestionEdit]
    ) -> QuestionOut:
        await questions.edit_question(actor, question_id, data)
        return await queries.get_question(actor, question_id)

    @get("/{question_id:int}/revisions", operation_id="listQuestionRevisions")
    async def revisions(self, actor: Actor, question_id: FromPath[int]) -> list[RevisionOut]:
        return await queries.question_revisions(actor, question_id)

    @post(
        "/{question_id:int}/answers",
        operation_id="answerQuestion",
        status_code=HTTP_201_CREATED,
        responses=errors(409),
    )
    async def answer(
        self, actor: Actor, question_id: FromPath[int], data: JSONBody[AnswerInput]
    ) -> AnswerOut:
        answer_id = await answers.answer(actor, question_id, data)
        return await queries.get_answer(actor, answer_id)

    @post(
        "/{question_id:int}/vote",
        operation_id="voteQuestion",
        status_code=200,
        responses=errors(409),
    )
    async def vote(
        self, actor: Actor, question_id: FromPath[int], data: JSONBody[VoteInput]
    ) -> VoteOut:
        """`value` 1 or -1 votes, 0 withdraws; repeating a vote changes nothing."""
        return await votes.vote(actor, "question", question_id, data.value)

    @post(
        "/{question_id:int}/comments",
        operation_id="commentQuestion",
        status_code=HTTP_201_CREATED,
        responses=errors(409),
    )
    async def comment(
        self, actor: Actor, question_id: FromPath[int], data: JSONBody[CommentInput]
    ) -> CommentOut:
        comment_id = await comments.comment(actor, question_id, None, data)
        question = await queries.get_question(actor, question_id)
        return next(c for c in question.comments if c.id == comment_id)

    @put("/{question_id:int}/follow", operation_id="followQuestion", status_code=204)
    async def follow(self, actor: Actor, question_id: FromPath[int]) -> None:
        await questions.follow(actor, question_id)

    @delete("/{question_id:int}/follow", operation_id="unfollowQuestion")
    async def unfollow(self, actor: Actor, question_id: FromPath[int]) -> None:
        await questions.unfollow(actor, question_id)


class AnswerController(Controller):
    path = "/answers"
    tags = ["Fragen"]

    @patch("/{answer_id:int}", operation_id="editAnswer", responses=errors(409))
    async def edit(
        self, actor: Actor, answer_id: FromPath[int], data: JSONBody[AnswerEdit]
    ) -> AnswerOut:
        await answers.edit_answer(actor, answer_id, data)
        return await queries.get_answer(actor, answer_id)

    @get("/{answer_id:int}/revisions", operation_id="listAnswerRevisions")
    async def revisions(self, actor: Actor, answer_id: FromPath[int]) -> list[RevisionOut]:
        return await queries.answer_revisions(actor, answer_id)

    @post(
        "/{answer_id:int}/accept",
        operation_id="acceptAnswer",
        status_code=200,
        responses=errors(409),
    )
    async def accept(self, actor: Actor, answer_id: FromPath[int]) -> AnswerOut:
        """Only the question's author or a moderator; accepting another moves the mark."""
        await answers.accept(actor, answer_id)
        return await queries.get_answer(actor, answer_id)

    @post(
        "/{answer_id:int}/vote", operation_id="voteAnswer", status_code=200, responses=errors(409)
    )
    async def vote(
        self, actor: Actor, answer_id: FromPath[int], data: JSONBody[VoteInput]
    ) -> VoteOut:
        return await votes.vote(actor, "answer", answer_id, data.value)

    @post(
        "/{answer_id:int}/comments",
        operation_id="commentAnswer",
        status_code=HTTP_201_CREATED,
        responses=errors(409),
    )
    async def comment(
        self, actor: Actor, answer_id: FromPath[int], data: JSONBody[CommentInput]
    ) -> CommentOut:
        comment_id = await comments.comment(actor, None, answer_id, data)
        answer = await queries.get_answer(actor, answer_id)
        return next(c for c in answer.comments if c.id == comment_id)
