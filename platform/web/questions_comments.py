"""Commenting on a question or an answer: the form on a page of its own, and posting it."""

from __future__ import annotations

from typing import Any

from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from fachaustausch.accounts.policy import Principal
from fachaustausch.core.errors import Conflict, InvalidInput
from fachaustausch.questions import comments, queries
from fachaustausch.questions.models import CommentInput
from fachaustausch.web import drafts
from fachaustausch.web.forms import Form, read_form, validate
from fachaustausch.web.questions_posts import AnyRequest, answer_of, conflict, question_url, texts


async def _comment_page(
    actor: Principal,
    question_id: int,
    answer_id: int | None,
    form: Form[Any],
    status_code: int = 200,
) -> Template:
    """The comment form on a page of its own, with the post it is about: a form under
    every post made the question page much heavier (docs/architecture.md)."""
    if answer_id is None:
        question, answer = await queries.get_question(actor, question_id), None
    else:
        question, answer = await answer_of(actor, answer_id, question_id)
    return Template(
        "questions/comment.html",
        context={"question": question, "answer": answer, "form": form},
        status_code=status_code,
    )


async def comment_form(
    request: AnyRequest, actor: Principal, question_id: int, answer_id: int | None
) -> Template | Redirect:
    anchor = "frage" if answer_id is None else f"antwort-{answer_id}"
    try:
        await comments.ensure_can_comment(
            actor, question_id if answer_id is None else None, answer_id
        )
    except Conflict as exc:
        return conflict(request, exc, question_url(question_id, anchor))
    kept = drafts.restored(request)
    return await _comment_page(actor, question_id, answer_id, Form(values=kept or {}))


async def post_comment(
    request: AnyRequest, actor: Principal, question_id: int, answer_id: int | None
) -> Template | Redirect:
    """A comment on the question (answer_id None) or on one of its answers."""
    data, form = validate(CommentInput, texts(await read_form(request)))
    if data is not None:
        try:
            on_question = question_id if answer_id is None else None
            comment_id = await comments.comment(actor, on_question, answer_id, data)
        except Conflict as exc:
            return conflict(request, exc, question_url(question_id))
        except InvalidInput as exc:
            form.fail(exc)
        else:
            flash(request, "Ihr Kommentar ist veröffentlicht.", category="success")
            return Redirect(question_url(question_id, f"kommentar-{comment_id}"))
    return await _comment_page(actor, question_id, answer_id, form, 422)
