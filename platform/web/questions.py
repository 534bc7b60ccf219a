"""The question pages: list, ask, the question with its answers, edits, versions, for me.

Every action is a plain form POST that redirects back (post/redirect/get), so the pages work
without JavaScript. Rules and data live in the questions domain; this module and its
siblings (questions_lists, questions_posts, questions_comments, questions_answers)
translate."""

from __future__ import annotations

from typing import Any

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.policy import AuthorityKind, Principal
from fachaustausch.core.errors import Conflict, InvalidInput, PermissionDenied
from fachaustausch.core.markdown import render
from fachaustausch.http.dependencies import Actor, AppState
from fachaustausch.notifications import mentioning
from fachaustausch.notifications import service as notifications
from fachaustausch.questions import answers, queries, votes
from fachaustausch.questions import service as questions
from fachaustausch.questions.models import AnswerInput, QuestionEdit, QuestionInput, QuestionOut
from fachaustausch.web import drafts, questions_lists
from fachaustausch.web import questions_comments as commenting
from fachaustausch.web.forms import Form, empty_form, read_form, validate
from fachaustausch.web.questions_answers import AnswerPages
from fachaustausch.web.questions_posts import (
    AnyRequest,
    conflict,
    explain_question_errors,
    question_choices,
    question_page,
    question_url,
    question_values,
    texts,
    versions_page,
    vote_message,
    vote_value,
)

__all__ = ["AnswerPages", "QuestionPages"]

PREVIEW = "vorschau"
NOTHING_CHANGED = "Bitte ändern Sie mindestens Titel, Text oder Zuordnung."


class QuestionPages(Controller):
    path = "/fragen"

    @get("/", name="questions")
    async def list_page(
        self,
        actor: Actor,
        state: AppState,
        eckpunkt: FromQuery[str | None] = None,
        instrument: FromQuery[str | None] = None,
        status: FromQuery[str | None] = None,
        sortierung: FromQuery[str | None] = None,
        seite: FromQuery[str | None] = None,
    ) -> Template:
        return await questions_lists.list_page(
            actor, state.cursors, eckpunkt, instrument, status, sortierung, seite
        )

    @get("/fuer-mich", name="questions_for_me")
    async def for_me(
        self, actor: Actor, state: AppState, seite: FromQuery[str | None] = None
    ) -> Template:
        return await questions_lists.for_me_page(actor, state.cursors, seite)

    # --- asking -------------------------------------------------------------------------------

    async def _ask_page(
        self, form: Form[Any], preview: dict[str, Any] | None = None, status_code: int = 200
    ) -> Template:
        model_sites = await accounts.list_authorities(kind=AuthorityKind.model_site)
        return Template(
            "questions/ask.html",
            context={
                "form": form,
                "preview": preview,
                "model_sites": [(a.slug, a.name) for a in model_sites],
                **await question_choices(form.values.get("event")),
            },
            status_code=status_code,
        )

    @get("/neu", name="ask")
    async def ask_form(
        self,
        request: AnyRequest,
        titel: FromQuery[str | None] = None,
        instrument: FromQuery[str | None] = None,
        an: FromQuery[str | None] = None,
        veranstaltung: FromQuery[str | None] = None,
    ) -> Template:
        kept = drafts.restored(request)
        if kept:
            return await self._ask_page(Form(values=kept))
        # The search page's "keine Treffer" help links here with the query as the title; the
        # self-assessment's recommendations with an instrument and the model site to ask.
        title = " ".join((titel or "").split())[:150]
        values: dict[str, Any] = {"title": title} if title else {}
        if instrument:
            for cornerstone in (await question_choices())["cornerstones"]:
                if any(i.slug == instrument for i in cornerstone.instruments):
                    values.update(cornerstone=cornerstone.slug, instruments=[instrument])
        if an:
            values["directed_to"] = an[:120]
        # An event's page links here: „Frage aus dieser Veranstaltung stellen“.
        if veranstaltung and veranstaltung.isdigit():
            values["event"] = veranstaltung[:12]
        return await self._ask_page(Form(values=values) if values else empty_form())

    @post("/neu")
    async def ask(self, request: AnyRequest, actor: Actor) -> Template | Redirect:
        values = question_values(await read_form(request))
        action = values.pop("aktion", "")
        if action == PREVIEW:
            preview = {
                "title": " ".join(str(values.get("title", "")).split()),
                "html": render(str(values.get("body", ""))),
                "mentions": await mentioning.preview(str(values.get("body", ""))),
            }
            return await self._ask_page(Form(values=values), preview=preview)
        data, form = validate(QuestionInput, values)
        if data is not None:
            try:
                question_id = await questions.ask(actor, data)
            except InvalidInput as exc:
                form.fail(exc)
            else:
                flash(request, "Ihre Frage ist veröffentlicht.", category="success")
                return Redirect(question_url(question_id))
        explain_question_errors(form, values)
        return await self._ask_page(form, status_code=422)

    # --- the question page --------------------------------------------------------------------

    @get("/{question_id:int}", name="question")
    async def question(
        self, request: AnyRequest, actor: Actor, question_id: FromPath[int]
    ) -> Template:
        kept = drafts.restored(request)
        page = await question_page(
            actor, question_id, {"answer": Form(values=kept)} if kept else None
        )
        await notifications.mark_topic_read(actor, "question", question_id)
        return page

    @post("/{question_id:int}/antworten")
    async def answer(
        self, request: AnyRequest, actor: Actor, question_id: FromPath[int]
    ) -> Template | Redirect:
        data, form = validate(AnswerInput, texts(await read_form(request)))
        if data is not None:
            try:
                answer_id = await answers.answer(actor, question_id, data)
            except Conflict as exc:
                return conflict(request, exc, question_url(question_id))
            except InvalidInput as exc:
                form.fail(exc)
            else:
                flash(request, "Ihre Antwort ist veröffentlicht.", category="success")
                return Redirect(question_url(question_id, f"antwort-{answer_id}"))
        return await question_page(actor, question_id, {"answer": form}, 422)

    @post("/{question_id:int}/abstimmen")
    async def vote(self, request: AnyRequest, actor: Actor, question_id: FromPath[int]) -> Redirect:
        value = vote_value(await read_form(request))
        target = question_url(question_id, "frage")
        try:
            await votes.vote(actor, "question", question_id, value)
        except Conflict as exc:
            return conflict(request, exc, target)
        flash(request, vote_message(value), category="success")
        return Redirect(target)

    @get("/{question_id:int}/kommentieren", name="comment_question")
    async def comment_form(
        self, request: AnyRequest, actor: Actor, question_id: FromPath[int]
    ) -> Template | Redirect:
        return await commenting.comment_form(request, actor, question_id, None)

    @post("/{question_id:int}/kommentare")
    async def comment(
        self, request: AnyRequest, actor: Actor, question_id: FromPath[int]
    ) -> Template | Redirect:
        return await commenting.post_comment(request, actor, question_id, None)

    @post("/{question_id:int}/folgen")
    async def follow(
        self, request: AnyRequest, actor: Actor, question_id: FromPath[int]
    ) -> Redirect:
        await questions.follow(actor, question_id)
        flash(
            request,
            "Sie folgen dieser Frage und werden über neue Antworten informiert.",
            category="success",
        )
        return Redirect(question_url(question_id, "frage"))

    @post("/{question_id:int}/nicht-mehr-folgen")
    async def unfollow(
        self, request: AnyRequest, actor: Actor, question_id: FromPath[int]
    ) -> Redirect:
        await questions.unfollow(actor, question_id)
        flash(request, "Sie folgen dieser Frage nicht mehr.", category="success")
        return Redirect(question_url(question_id, "frage"))

    # --- editing ------------------------------------------------------------------------------

    async def _edit_page(
        self, question: QuestionOut, form: Form[Any], status_code: int = 200
    ) -> Template:
        return Template(
            "questions/edit_question.html",
            context={
                "question": question,
                "form": form,
                **await question_choices(form.values.get("event")),
            },
            status_code=status_code,
        )

    async def _editable(self, actor: Principal, question_id: int) -> QuestionOut:
        question = await queries.get_question(actor, question_id)
        if not question.can.edit:
            raise PermissionDenied("Diese Frage können Sie nicht bearbeiten.")
        return question

    @get("/{question_id:int}/bearbeiten", name="edit_question")
    async def edit_form(
        self, request: AnyRequest, actor: Actor, question_id: FromPath[int]
    ) -> Template:
        question = await self._editable(actor, question_id)
        values = drafts.restored(request) or {
            "title": question.title,
            "body": question.body,
            "cornerstone": question.cornerstone.slug,
            "instruments": [i.slug for i in question.instruments],
            "event": str(question.event_id) if question.event_id else "",
        }
        return await self._edit_page(question, Form(values=values))

    @post("/{question_id:int}/bearbeiten")
    async def edit(
        self, request: AnyRequest, actor: Actor, question_id: FromPath[int]
    ) -> Template | Redirect:
        question = await self._editable(actor, question_id)
        values = question_values(await read_form(request))
        # Only what changed goes to the service, so an unchanged text leaves no revision.
        changes: dict[str, Any] = {}
        if " ".join(str(values.get("title", "")).split()) != question.title:
            changes["title"] = values.get("title", "")
        if str(values.get("body", "")).strip() != question.body.strip():
            changes["body"] = values.get("body", "")
        if values.get("cornerstone", "") != question.cornerstone.slug:
            changes["cornerstone"] = values.get("cornerstone", "")
        if set(values["instruments"]) != {i.slug for i in question.instruments}:
            changes["instruments"] = values["instruments"]
        if values.get("event") != (str(question.event_id) if question.event_id else None):
            changes["event"] = values.get("event")
        if not changes:
            form: Form[Any] = Form(values=values, message=NOTHING_CHANGED)
            return await self._edit_page(question, form, 422)
        changes["reason"] = values.get("reason", "")
        data, form = validate(QuestionEdit, changes)
        form.values = values
        if data is not None:
            try:
                await questions.edit_question(actor, question_id, data)
            except Conflict as exc:
                return conflict(request, exc, question_url(question_id))
            except InvalidInput as exc:
                form.fail(exc)
            else:
                flash(request, "Ihre Änderungen sind gespeichert.", category="success")
                return Redirect(question_url(question_id, "frage"))
        explain_question_errors(form, values)
        return await self._edit_page(question, form, 422)

    @get("/{question_id:int}/versionen", name="question_versions")
    async def versions(self, actor: Actor, question_id: FromPath[int]) -> Template:
        question = await queries.get_question(actor, question_id)
        revisions = await queries.question_revisions(actor, question_id)
        return versions_page(question, None, revisions)
