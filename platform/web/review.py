"""The content review's pages (Inhaltspflege): the queue with its filters and the "noch
gültig" button, the pages to mark an answer outdated and to edit a post from the queue, and
the changes in the law with the moderation's form to record one."""

from __future__ import annotations

import re
from typing import Any

from litestar import Controller, get, post
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from fachaustausch.core.errors import Conflict, InvalidInput, NotFound
from fachaustausch.http.dependencies import Actor, AppSettings
from fachaustausch.questions import queries as questions
from fachaustausch.review import changes, decisions, policy
from fachaustausch.review import queries as review
from fachaustausch.review.models import (
    Decision,
    LegalChangeInput,
    PostType,
    ReviewEditInput,
    ReviewInput,
)
from fachaustausch.toolbox import queries as toolbox
from fachaustausch.web.forms import Form, read_form, validate
from fachaustausch.web.questions_posts import AnyRequest

QUEUE = "/inhaltspflege"
CHANGES_PAGE = "/inhaltspflege/rechtsaenderungen"
_SEGMENTS: dict[str, PostType] = {"fragen": "question", "antworten": "answer"}
# "/fragen/12#antwort-34", "/antworten/34" or the bare number name the successor.
_SUCCESSOR = re.compile(r"(?:antwort(?:en)?[-/])?(\d{1,12})\s*$")


def _post_type(segment: str) -> PostType:
    if segment not in _SEGMENTS:
        raise NotFound("Diese Seite gibt es nicht.")
    return _SEGMENTS[segment]


def _answer_segment(segment: str) -> None:
    """Only answers are marked outdated (a question is confirmed or edited)."""
    if _post_type(segment) != "answer":
        raise NotFound("Diese Seite gibt es nicht.")


def _successor(text: str) -> int | str | None:
    """The successor's id, None for none, or the text when it names no answer."""
    typed = text.strip()
    if not typed:
        return None
    found = _SUCCESSOR.search(typed)
    return int(found.group(1)) if found else typed


class ReviewPages(Controller):
    path = QUEUE

    @get("/", name="content_review")
    async def queue(
        self,
        actor: Actor,
        settings: AppSettings,
        vorschrift: FromQuery[str | None] = None,
        instrument: FromQuery[str | None] = None,
        aenderung: FromQuery[int | None] = None,
    ) -> Template:
        filters = {"vorschrift": vorschrift or "", "instrument": instrument or "",
                   "aenderung": str(aenderung) if aenderung is not None else ""}  # fmt: skip
        form: Form[Any] = Form(values=filters)
        try:
            due = await review.review_queue(
                actor,
                settings.content_review_age_months,
                provision=vorschrift,
                instrument=instrument,
                change=aenderung,
            )
            items = due.items
        except InvalidInput as exc:
            form.fail(exc)
            form.errors["vorschrift"] = form.errors.pop("provision", exc.detail)
            items = []
        return Template(
            "review/queue.html",
            context={
                "items": items,
                "form": form,
                "instrument_options": [(i.slug, i.title) for i in await toolbox.list_instruments()],
                "change_options": [
                    (str(c.id), f"{c.title} ({', '.join(c.provisions)})")
                    for c in await review.all_changes(actor)
                ],
                "months": settings.content_review_age_months,
                "may_record": policy.may_record_changes(actor),
            },
            status_code=422 if form.errors else 200,
        )

    @post("/{segment:str}/{post_id:int}/bestaetigen", name="review_confirm")
    async def confirm(
        self,
        request: AnyRequest,
        actor: Actor,
        settings: AppSettings,
        segment: FromPath[str],
        post_id: FromPath[int],
    ) -> Redirect:
        post_type = _post_type(segment)
        try:
            await decisions.decide(
                actor,
                post_type,
                post_id,
                ReviewInput(action=Decision.confirm),
                settings.content_review_age_months,
            )
        except Conflict as exc:
            flash(request, exc.detail, category="warning")
        else:
            flash(request, "Geprüft: Der Beitrag ist als noch gültig vermerkt.", category="success")
        return Redirect(QUEUE)

    # The post's kind is a parameter like on the other routes: a fixed "antworten" beside
    # it would shadow them in the router.
    @get("/{segment:str}/{post_id:int}/veraltet", name="review_outdated_form")
    async def outdated_form(
        self, actor: Actor, segment: FromPath[str], post_id: FromPath[int]
    ) -> Template:
        _answer_segment(segment)
        policy.ensure_can_review(actor)
        return await _outdated_page(actor, post_id, Form(values={}))

    @post("/{segment:str}/{post_id:int}/veraltet", name="review_outdated")
    async def outdated(
        self,
        request: AnyRequest,
        actor: Actor,
        settings: AppSettings,
        segment: FromPath[str],
        post_id: FromPath[int],
    ) -> Template | Redirect:
        _answer_segment(segment)
        raw = await read_form(request)
        values = {"reason": raw.get("reason", ""), "successor": raw.get("successor", "")}
        successor = _successor(str(values["successor"]))
        form: Form[Any] = Form(values=values)
        if isinstance(successor, str):
            form.errors["successor"] = (
                "Bitte die Nummer der neueren Antwort oder ihren Link angeben, zum Beispiel "
                "„/fragen/12#antwort-34“."
            )
            form.message = form.errors["successor"]
            return await _outdated_page(actor, post_id, form, 422)
        data, form = validate(
            ReviewInput, {"action": "outdated", "reason": values["reason"], "successor": successor}
        )
        form.values = values
        if data is not None:
            try:
                await decisions.decide(
                    actor, "answer", post_id, data, settings.content_review_age_months
                )
            except Conflict as exc:
                flash(request, exc.detail, category="warning")
                return Redirect(QUEUE)
            except InvalidInput as exc:
                form.fail(exc)
            else:
                flash(request, "Die Antwort ist als veraltet markiert.", category="success")
                return Redirect(QUEUE)
        return await _outdated_page(actor, post_id, form, 422)

    @get("/{segment:str}/{post_id:int}/bearbeiten", name="review_edit_form")
    async def edit_form(
        self, actor: Actor, segment: FromPath[str], post_id: FromPath[int]
    ) -> Template:
        post_type = _post_type(segment)
        policy.ensure_can_review(actor)
        title, body, link = await _post_text(actor, post_type, post_id)
        values = {"title": title, "body": body, "reason": ""}
        return _edit_page(segment, post_type, post_id, link, Form(values=values))

    @post("/{segment:str}/{post_id:int}/bearbeiten", name="review_edit")
    async def edit(
        self,
        request: AnyRequest,
        actor: Actor,
        settings: AppSettings,
        segment: FromPath[str],
        post_id: FromPath[int],
    ) -> Template | Redirect:
        post_type = _post_type(segment)
        raw = await read_form(request)
        values = {k: str(raw.get(k, "")).replace("\r\n", "\n") for k in ("title", "body", "reason")}
        wanted = dict(values) if post_type == "question" else {
            "body": values["body"], "reason": values["reason"]
        }  # fmt: skip
        data, form = validate(ReviewEditInput, wanted)
        form.values = values
        _, _, link = await _post_text(actor, post_type, post_id)
        if data is not None:
            try:
                await decisions.edit(
                    actor, post_type, post_id, data, settings.content_review_age_months
                )
            except Conflict as exc:
                flash(request, exc.detail, category="warning")
                return Redirect(QUEUE)
            except InvalidInput as exc:
                form.fail(exc)
            else:
                flash(request, "Gespeichert und als geprüft vermerkt.", category="success")
                return Redirect(QUEUE)
        return _edit_page(segment, post_type, post_id, link, form, 422)

    @get("/rechtsaenderungen", name="legal_changes")
    async def changes_page(self, actor: Actor) -> Template:
        return await _changes_page(actor, Form(values={}))

    @post("/rechtsaenderungen", name="record_legal_change")
    async def record(self, request: AnyRequest, actor: Actor) -> Template | Redirect:
        policy.ensure_can_record_changes(actor)
        raw = await read_form(request)
        values = {k: str(raw.get(k, "")).replace("\r\n", "\n") for k in
                  ("provisions", "effective_on", "title", "note")}  # fmt: skip
        provisions = [line.strip() for line in re.split(r"[\n;]", values["provisions"])]
        data, form = validate(
            LegalChangeInput,
            {**values, "provisions": [p for p in provisions if p]},
        )
        form.values = values
        if data is not None:
            try:
                await changes.record_change(actor, data)
            except InvalidInput as exc:
                form.fail(exc)
            else:
                flash(
                    request,
                    "Die Rechtsänderung ist erfasst; die betroffenen Beiträge stehen in der "
                    "Prüfliste.",
                    category="success",
                )
                return Redirect(CHANGES_PAGE)
        return await _changes_page(actor, form, 422)


async def _outdated_page(
    actor: Any, answer_id: int, form: Form[Any], status_code: int = 200
) -> Template:
    answer = await questions.get_answer(actor, answer_id)
    return Template(
        "review/outdated.html",
        context={"answer": answer, "form": form},
        status_code=status_code,
    )


async def _post_text(actor: Any, post_type: PostType, post_id: int) -> tuple[str, str, str]:
    """The post's title (questions only), text and address, as its viewer may see it."""
    if post_type == "answer":
        answer = await questions.get_answer(actor, post_id)
        return "", answer.body, f"/fragen/{answer.question_id}#antwort-{post_id}"
    question = await questions.get_question(actor, post_id)
    return question.title, question.body, f"/fragen/{post_id}"


def _edit_page(
    segment: str,
    post_type: PostType,
    post_id: int,
    link: str,
    form: Form[Any],
    status_code: int = 200,
) -> Template:
    return Template(
        "review/edit.html",
        context={
            "segment": segment,
            "post_type": post_type,
            "post_id": post_id,
            "link": link,
            "form": form,
        },
        status_code=status_code,
    )


async def _changes_page(actor: Any, form: Form[Any], status_code: int = 200) -> Template:
    return Template(
        "review/changes.html",
        context={
            "changes": await review.all_changes(actor),
            "form": form,
            "may_record": policy.may_record_changes(actor),
        },
        status_code=status_code,
    )
