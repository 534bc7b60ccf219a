"""The answer actions: vote, accept, comment, edit and the versions of an answer. Each one
is a plain form POST that redirects back to the answer on its question's page."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from fachaustausch.accounts.policy import Principal
from fachaustausch.core.errors import Conflict, InvalidInput, PermissionDenied
from fachaustausch.http.dependencies import Actor
from fachaustausch.questions import answers, queries, votes
from fachaustausch.questions.models import AnswerEdit, AnswerOut, QuestionOut
from fachaustausch.web import drafts
from fachaustausch.web import questions_comments as commenting
from fachaustausch.web.forms import Form, read_form, validate
from fachaustausch.web.questions_posts import (
    AnyRequest,
    answer_of,
    conflict,
    question_url,
    texts,
    versions_page,
    vote_message,
    vote_value,
)


class AnswerPages(Controller):
    path = "/antworten"

    @get("/{answer_id:int}", name="answer")
    async def answer(self, actor: Actor, answer_id: FromPath[int]) -> Redirect:
        """An answer's own address (an outdated answer links its successor by it): the
        answer on its question's page."""
        question_id = await queries.question_id_of_answer(actor, answer_id)
        return Redirect(question_url(question_id, f"antwort-{answer_id}"))

    @post("/{answer_id:int}/abstimmen")
    async def vote(self, request: AnyRequest, actor: Actor, answer_id: FromPath[int]) -> Redirect:
        value = vote_value(await read_form(request))
        question_id = await queries.question_id_of_answer(actor, answer_id)
        target = question_url(question_id, f"antwort-{answer_id}")
        try:
            await votes.vote(actor, "answer", answer_id, value)
        except Conflict as exc:
            return conflict(request, exc, target)
        flash(request, vote_message(value), category="success")
        return Redirect(target)

    @post("/{answer_id:int}/annehmen")
    async def accept(self, request: AnyRequest, actor: Actor, answer_id: FromPath[int]) -> Redirect:
        question_id = await queries.question_id_of_answer(actor, answer_id)
        target = question_url(question_id, f"antwort-{answer_id}")
        try:
            await answers.accept(actor, answer_id)
        except Conflict as exc:
            return conflict(request, exc, target)
        flash(request, "Die Antwort ist angenommen; die Frage gilt als gelöst.", category="success")
        return Redirect(target)

    @get("/{answer_id:int}/kommentieren", name="comment_answer")
    async def comment_form(
        self, request: AnyRequest, actor: Actor, answer_id: FromPath[int]
    ) -> Template | Redirect:
        question_id = await queries.question_id_of_answer(actor, answer_id)
        return await commenting.comment_form(request, actor, question_id, answer_id)

    @post("/{answer_id:int}/kommentare")
    async def comment(
        self, request: AnyRequest, actor: Actor, answer_id: FromPath[int]
    ) -> Template | Redirect:
        question_id = await queries.question_id_of_answer(actor, answer_id)
        return await commenting.post_comment(request, actor, question_id, answer_id)

    async def _editable(self, actor: Principal, answer_id: int) -> tuple[QuestionOut, AnswerOut]:
        question, answer = await answer_of(actor, answer_id)
        if not answer.can.edit:
            raise PermissionDenied("Diese Antwort können Sie nicht bearbeiten.")
        return question, answer

    def _edit_page(
        self, question: QuestionOut, answer: AnswerOut, form: Form[Any], status_code: int = 200
    ) -> Template:
        return Template(
            "questions/edit_answer.html",
            context={"question": question, "answer": answer, "form": form},
            status_code=status_code,
        )

    @get("/{answer_id:int}/bearbeiten", name="edit_answer")
    async def edit_form(
        self, request: AnyRequest, actor: Actor, answer_id: FromPath[int]
    ) -> Template:
        question, answer = await self._editable(actor, answer_id)
        values = drafts.restored(request) or {"body": answer.body}
        return self._edit_page(question, answer, Form(values=values))

    @post("/{answer_id:int}/bearbeiten")
    async def edit(
        self, request: AnyRequest, actor: Actor, answer_id: FromPath[int]
    ) -> Template | Redirect:
        question, answer = await self._editable(actor, answer_id)
        values = texts(await read_form(request))
        if str(values.get("body", "")).strip() == answer.body.strip():
            form: Form[Any] = Form(values=values)
            form.errors["body"] = form.message = "Der Text ist unverändert."
            return self._edit_page(question, answer, form, 422)
        data, form = validate(AnswerEdit, values)
        if data is not None:
            try:
                await answers.edit_answer(actor, answer_id, data)
            except Conflict as exc:
                return conflict(request, exc, question_url(question.id))
            except InvalidInput as exc:
                form.fail(exc)
            else:
                flash(request, "Ihre Änderungen sind gespeichert.", category="success")
                return Redirect(question_url(question.id, f"antwort-{answer_id}"))
        return self._edit_page(question, answer, form, 422)

    @get("/{answer_id:int}/versionen", name="answer_versions")
    async def versions(self, actor: Actor, answer_id: FromPath[int]) -> Template:
        question, answer = await answer_of(actor, answer_id)
        revisions = await queries.answer_revisions(actor, answer_id)
        return versions_page(question, answer, revisions)
