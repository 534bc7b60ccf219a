"""The question pages: list, ask, the question with its answers, edits, versions, for me.

Every action is a plain form POST that redirects back (post/redirect/get), so the pages work
without JavaScript. Rules and data live in the questions service; this module translates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template
from pydantic import BaseModel

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.policy import AuthorityKind, Principal
from fachaustausch.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from fachaustausch.core.keyset import Position
from fachaustausch.core.markdown import render
from fachaustausch.core.schemas import MAX_INSTRUMENTS
from fachaustausch.http.dependencies import Actor, AppState
from fachaustausch.http.pagination import CursorCodec, decode_position, encode_position
from fachaustausch.questions import service as questions
from fachaustausch.questions.models import (
    AnswerEdit,
    AnswerInput,
    AnswerOut,
    CommentInput,
    QuestionEdit,
    QuestionInput,
    QuestionOut,
    RevisionOut,
    Sort,
    Status,
)
from fachaustausch.questions.service import QuestionFilters
from fachaustausch.toolbox import service as toolbox
from fachaustausch.web import drafts
from fachaustausch.web.forms import Form, empty_form, read_form, validate
from fachaustausch.web.revisions import VersionStep, line_diff

AnyRequest = Request[Any, Any, Any]
Choice = TypeVar("Choice")
Model = TypeVar("Model", bound=BaseModel)

PAGE_SIZE = 20

# Query parameters of the list page speak German; the service speaks the code's words.
STATUS_PARAMS = {"offen": Status.open, "beantwortet": Status.answered, "geloest": Status.solved}
STATUS_TABS = (
    ("", "Alle", "all"),
    ("offen", "Offen", "open"),
    ("beantwortet", "Beantwortet", "answered"),
    ("geloest", "Gelöst", "solved"),
)
SORT_PARAMS = {
    "neueste": Sort.newest,
    "aktivitaet": Sort.activity,
    "bewertung": Sort.votes,
    "unbeantwortet": Sort.unanswered,
}
SORT_OPTIONS = (
    ("neueste", "Neueste"),
    ("aktivitaet", "Aktivität"),
    ("bewertung", "Bewertung"),
    ("unbeantwortet", "Unbeantwortet"),
)
CLOSED_LABELS = {
    "duplicate": "Die Frage wurde bereits gestellt (Duplikat).",
    "outdated": "Die Frage ist nicht mehr aktuell.",
    "off_topic": "Die Frage gehört nicht zum Thema der Plattform.",
}
PREVIEW = "vorschau"
NOTHING_CHANGED = "Bitte ändern Sie mindestens Titel, Text oder Zuordnung."


# --- small translations -----------------------------------------------------------------------


def _choice(options: Mapping[str, Choice], value: str | None, field: str) -> Choice | None:
    if not value:
        return None
    if value not in options:
        raise InvalidInput.for_field(field, "Bitte wählen Sie einen der angebotenen Werte.")
    return options[value]


def _position_or_notice(
    cursors: CursorCodec, cursor: str | None, sort: Sort
) -> tuple[Position | None, str]:
    """The list's position, or none and why: an old or broken link to a later page shows the
    list's beginning with a German note instead of an error page."""
    try:
        return decode_position(cursors, cursor, sort, field="seite"), ""
    except InvalidInput as exc:
        return None, exc.detail


def _url(path: str, params: Mapping[str, str | None]) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{path}?{query}" if query else path


def _text(value: Any) -> Any:
    # Browsers send textarea line breaks as CRLF; store and compare plain LF.
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def _question_values(raw: dict[str, Any]) -> dict[str, Any]:
    """The form's fields as the input model wants them: instruments always a list, empty
    optional selects left out, line breaks normalised."""
    values = {k: _text(v) for k, v in raw.items()}
    instruments = values.pop("instruments", [])
    values["instruments"] = [instruments] if isinstance(instruments, str) else list(instruments)
    for optional in ("directed_to", "cornerstone"):
        if values.get(optional) == "":
            del values[optional]
    return values


def _reword(form: Form[Any], field: str, message: str) -> None:
    """Replaces a generic message ("Bitte füllen Sie dieses Feld aus.") with one that names
    what is missing."""
    old = form.errors.get(field)
    if old is None:
        return
    form.errors[field] = message
    if form.message == old:
        form.message = message


def _validate(model: type[Model], values: dict[str, Any]) -> tuple[Model | None, Form[Model]]:
    return validate(model, values)


def _explain_question_errors(form: Form[Any], values: Mapping[str, Any]) -> None:
    if not values.get("cornerstone"):
        _reword(form, "cornerstone", "Bitte wählen Sie einen Eckpunkt.")
    if len(values.get("instruments") or []) > MAX_INSTRUMENTS:
        _reword(form, "instruments", f"Bitte wählen Sie höchstens {MAX_INSTRUMENTS} Instrumente.")


def _vote_value(raw: Mapping[str, Any]) -> int:
    value = raw.get("value")
    if value not in {"1", "0", "-1"}:
        raise InvalidInput.for_field("value", "Bitte bewerten Sie mit ▲ (+1) oder ▼ (−1).")
    return int(value)


def _version_steps(title: str, body: str, revisions: list[RevisionOut]) -> list[VersionStep]:
    """Each edit, newest first, as the difference between the text before it and the next
    newer version (the current text for the newest edit)."""
    steps = []
    newer_title, newer_body = title, body
    for revision in revisions:
        steps.append(
            VersionStep(
                editor=revision.editor.display_name,
                created_at=revision.created_at,
                reason=revision.reason,
                title_before=revision.title,
                title_after=newer_title if revision.title else "",
                body_diff=line_diff(revision.body, newer_body),
            )
        )
        newer_title = revision.title or newer_title
        newer_body = revision.body
    return steps


def _question_url(question_id: int, anchor: str = "") -> str:
    return f"/fragen/{question_id}" + (f"#{anchor}" if anchor else "")


def _conflict(request: AnyRequest, exc: Conflict, target: str) -> Redirect:
    # The post's state (locked, closed) refuses the action: say why on the page itself.
    flash(request, exc.detail, category="warning")
    return Redirect(target)


async def _answer_of(
    actor: Principal, answer_id: int, question_id: int | None = None
) -> tuple[QuestionOut, AnswerOut]:
    """The answer as its question's page shows it; `question_id` when the caller knows it."""
    if question_id is None:
        question_id = await questions.question_id_of_answer(actor, answer_id)
    question = await questions.get_question(actor, question_id)
    answer = next((a for a in question.answers if a.id == answer_id), None)
    if answer is None:
        raise NotFound("Diese Antwort gibt es nicht.")
    return question, answer


async def _question_choices() -> dict[str, Any]:
    cornerstones = await toolbox.list_cornerstones()
    return {
        "cornerstones": cornerstones,
        "cornerstone_options": [(c.slug, f"{c.number}. {c.title}") for c in cornerstones],
        "max_instruments": MAX_INSTRUMENTS,
    }


async def _question_page(
    actor: Principal,
    question_id: int,
    forms: dict[str, Form[Any]] | None = None,
    status_code: int = 200,
) -> Template:
    """The question page; `forms` carries a failed answer form (messages, text kept) under
    "answer" (comments have a page of their own)."""
    question = await questions.get_question(actor, question_id)
    return Template(
        "questions/question.html",
        context={
            "question": question,
            "forms": forms or {},
            "empty_form": empty_form(),
            "closed_labels": CLOSED_LABELS,
            # The "Melden" form and, for moderators, the inline moderation controls.
            "post_controls": True,
            "moderator": actor.is_moderator,
            "viewer_id": actor.id,
        },
        status_code=status_code,
    )


# --- pages ------------------------------------------------------------------------------------


async def _comment_page(
    actor: Principal,
    question_id: int,
    answer_id: int | None,
    form: Form[Any],
    status_code: int = 200,
) -> Template:
    """The comment form on a page of its own, with the post it is about: a form under
    every post made the question page a quarter heavier (docs/architecture.md)."""
    if answer_id is None:
        question, answer = await questions.get_question(actor, question_id), None
    else:
        question, answer = await _answer_of(actor, answer_id, question_id)
    return Template(
        "questions/comment.html",
        context={"question": question, "answer": answer, "form": form},
        status_code=status_code,
    )


async def _comment_form(
    request: AnyRequest, actor: Principal, question_id: int, answer_id: int | None
) -> Template | Redirect:
    anchor = "frage" if answer_id is None else f"antwort-{answer_id}"
    try:
        await questions.ensure_can_comment(
            actor, question_id if answer_id is None else None, answer_id
        )
    except Conflict as exc:
        return _conflict(request, exc, _question_url(question_id, anchor))
    kept = drafts.restored(request)
    return await _comment_page(actor, question_id, answer_id, Form(values=kept or {}))


async def _post_comment(
    request: AnyRequest, actor: Principal, question_id: int, answer_id: int | None
) -> Template | Redirect:
    """A comment on the question (answer_id None) or on one of its answers."""
    raw = {k: _text(v) for k, v in (await read_form(request)).items()}
    data, form = _validate(CommentInput, raw)
    if data is not None:
        try:
            on_question = question_id if answer_id is None else None
            comment_id = await questions.comment(actor, on_question, answer_id, data)
        except Conflict as exc:
            return _conflict(request, exc, _question_url(question_id))
        except InvalidInput as exc:
            form.fail(exc)
        else:
            flash(request, "Ihr Kommentar ist veröffentlicht.", category="success")
            return Redirect(_question_url(question_id, f"kommentar-{comment_id}"))
    return await _comment_page(actor, question_id, answer_id, form, 422)


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
        params = {
            "eckpunkt": eckpunkt or "",
            "instrument": instrument or "",
            "status": status or "",
            "sortierung": sortierung or "",
        }
        sort = _choice(SORT_PARAMS, sortierung, "sortierung") or Sort.newest
        filters = QuestionFilters(
            cornerstone=eckpunkt or None,
            instrument=instrument or None,
            status=_choice(STATUS_PARAMS, status, "status"),
        )
        position, notice = _position_or_notice(state.cursors, seite, sort)
        items, last = await questions.list_questions(actor, filters, sort, PAGE_SIZE, position)
        counts = await questions.status_counts(actor, filters)
        next_cursor = encode_position(state.cursors, last, sort)
        tabs = [
            {
                "label": label,
                "count": getattr(counts, key),
                "url": _url("/fragen", {**params, "status": value}),
                "current": value == params["status"],
            }
            for value, label, key in STATUS_TABS
        ]
        filtered = bool(eckpunkt or instrument or status)
        return Template(
            "questions/list.html",
            context={
                "items": items,
                "tabs": tabs,
                "params": params,
                "filtered": filtered,
                "sort_options": SORT_OPTIONS,
                "cornerstones": await toolbox.list_cornerstones(),
                "next_url": _url("/fragen", {**params, "seite": next_cursor})
                if next_cursor
                else None,
                "continued": position is not None,
                "first_url": _url("/fragen", params),
                "notice": notice,
            },
        )

    @get("/fuer-mich", name="questions_for_me")
    async def for_me(
        self, actor: Actor, state: AppState, seite: FromQuery[str | None] = None
    ) -> Template:
        position, notice = _position_or_notice(state.cursors, seite, Sort.newest)
        items, last = await questions.list_questions(
            actor, QuestionFilters(for_me=True), Sort.newest, PAGE_SIZE, position
        )
        next_cursor = encode_position(state.cursors, last, Sort.newest)
        profile = await accounts.profile(actor)
        return Template(
            "questions/for_me.html",
            context={
                "items": items,
                "expertise": profile.expertise,
                "authority": profile.authority,
                "next_url": _url("/fragen/fuer-mich", {"seite": next_cursor})
                if next_cursor
                else None,
                "continued": position is not None,
                "notice": notice,
            },
        )

    # --- asking -------------------------------------------------------------------------------

    async def _ask_page(
        self, form: Form[Any], preview: dict[str, str] | None = None, status_code: int = 200
    ) -> Template:
        model_sites = await accounts.list_authorities(kind=AuthorityKind.model_site)
        return Template(
            "questions/ask.html",
            context={
                "form": form,
                "preview": preview,
                "model_sites": [(a.slug, a.name) for a in model_sites],
                **await _question_choices(),
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
    ) -> Template:
        kept = drafts.restored(request)
        if kept:
            return await self._ask_page(Form(values=kept))
        # The search page's "keine Treffer" help links here with the query as the title; the
        # self-assessment's recommendations with an instrument and the model site to ask.
        title = " ".join((titel or "").split())[:150]
        values: dict[str, Any] = {"title": title} if title else {}
        if instrument:
            for cornerstone in (await _question_choices())["cornerstones"]:
                if any(i.slug == instrument for i in cornerstone.instruments):
                    values.update(cornerstone=cornerstone.slug, instruments=[instrument])
        if an:
            values["directed_to"] = an[:120]
        return await self._ask_page(Form(values=values) if values else empty_form())

    @post("/neu")
    async def ask(self, request: AnyRequest, actor: Actor) -> Template | Redirect:
        values = _question_values(await read_form(request))
        action = values.pop("aktion", "")
        if action == PREVIEW:
            preview = {
                "title": " ".join(str(values.get("title", "")).split()),
                "html": render(str(values.get("body", ""))),
            }
            return await self._ask_page(Form(values=values), preview=preview)
        data, form = _validate(QuestionInput, values)
        if data is not None:
            try:
                question_id = await questions.ask(actor, data)
            except InvalidInput as exc:
                form.fail(exc)
            else:
                flash(request, "Ihre Frage ist veröffentlicht.", category="success")
                return Redirect(_question_url(question_id))
        _explain_question_errors(form, values)
        return await self._ask_page(form, status_code=422)

    # --- the question page --------------------------------------------------------------------

    @get("/{question_id:int}", name="question")
    async def question(
        self, request: AnyRequest, actor: Actor, question_id: FromPath[int]
    ) -> Template:
        kept = drafts.restored(request)
        return await _question_page(
            actor, question_id, {"answer": Form(values=kept)} if kept else None
        )

    @post("/{question_id:int}/antworten")
    async def answer(
        self, request: AnyRequest, actor: Actor, question_id: FromPath[int]
    ) -> Template | Redirect:
        raw = {k: _text(v) for k, v in (await read_form(request)).items()}
        data, form = _validate(AnswerInput, raw)
        if data is not None:
            try:
                answer_id = await questions.answer(actor, question_id, data)
            except Conflict as exc:
                return _conflict(request, exc, _question_url(question_id))
            except InvalidInput as exc:
                form.fail(exc)
            else:
                flash(request, "Ihre Antwort ist veröffentlicht.", category="success")
                return Redirect(_question_url(question_id, f"antwort-{answer_id}"))
        return await _question_page(actor, question_id, {"answer": form}, 422)

    @post("/{question_id:int}/abstimmen")
    async def vote(self, request: AnyRequest, actor: Actor, question_id: FromPath[int]) -> Redirect:
        value = _vote_value(await read_form(request))
        target = _question_url(question_id, "frage")
        try:
            await questions.vote(actor, "question", question_id, value)
        except Conflict as exc:
            return _conflict(request, exc, target)
        flash(request, _vote_message(value), category="success")
        return Redirect(target)

    @get("/{question_id:int}/kommentieren", name="comment_question")
    async def comment_form(
        self, request: AnyRequest, actor: Actor, question_id: FromPath[int]
    ) -> Template | Redirect:
        return await _comment_form(request, actor, question_id, None)

    @post("/{question_id:int}/kommentare")
    async def comment(
        self, request: AnyRequest, actor: Actor, question_id: FromPath[int]
    ) -> Template | Redirect:
        return await _post_comment(request, actor, question_id, None)

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
        return Redirect(_question_url(question_id, "frage"))

    @post("/{question_id:int}/nicht-mehr-folgen")
    async def unfollow(
        self, request: AnyRequest, actor: Actor, question_id: FromPath[int]
    ) -> Redirect:
        await questions.unfollow(actor, question_id)
        flash(request, "Sie folgen dieser Frage nicht mehr.", category="success")
        return Redirect(_question_url(question_id, "frage"))

    # --- editing ------------------------------------------------------------------------------

    async def _edit_page(
        self, question: QuestionOut, form: Form[Any], status_code: int = 200
    ) -> Template:
        return Template(
            "questions/edit_question.html",
            context={"question": question, "form": form, **await _question_choices()},
            status_code=status_code,
        )

    async def _editable(self, actor: Principal, question_id: int) -> QuestionOut:
        question = await questions.get_question(actor, question_id)
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
        }
        return await self._edit_page(question, Form(values=values))

    @post("/{question_id:int}/bearbeiten")
    async def edit(
        self, request: AnyRequest, actor: Actor, question_id: FromPath[int]
    ) -> Template | Redirect:
        question = await self._editable(actor, question_id)
        values = _question_values(await read_form(request))
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
        if not changes:
            form: Form[Any] = Form(values=values, message=NOTHING_CHANGED)
            return await self._edit_page(question, form, 422)
        changes["reason"] = values.get("reason", "")
        data, form = _validate(QuestionEdit, changes)
        form.values = values
        if data is not None:
            try:
                await questions.edit_question(actor, question_id, data)
            except Conflict as exc:
                return _conflict(request, exc, _question_url(question_id))
            except InvalidInput as exc:
                form.fail(exc)
            else:
                flash(request, "Ihre Änderungen sind gespeichert.", category="success")
                return Redirect(_question_url(question_id, "frage"))
        _explain_question_errors(form, values)
        return await self._edit_page(question, form, 422)

    @get("/{question_id:int}/versionen", name="question_versions")
    async def versions(self, actor: Actor, question_id: FromPath[int]) -> Template:
        question = await questions.get_question(actor, question_id)
        revisions = await questions.question_revisions(actor, question_id)
        return Template(
            "questions/versions.html",
            context={
                "question": question,
                "answer": None,
                "steps": _version_steps(question.title, question.body, revisions),
            },
        )


def _vote_message(value: int) -> str:
    return "Ihre Bewertung ist zurückgenommen." if value == 0 else "Ihre Bewertung ist gespeichert."


class AnswerPages(Controller):
    path = "/antworten"

    @post("/{answer_id:int}/abstimmen")
    async def vote(self, request: AnyRequest, actor: Actor, answer_id: FromPath[int]) -> Redirect:
        value = _vote_value(await read_form(request))
        question_id = await questions.question_id_of_answer(actor, answer_id)
        target = _question_url(question_id, f"antwort-{answer_id}")
        try:
            await questions.vote(actor, "answer", answer_id, value)
        except Conflict as exc:
            return _conflict(request, exc, target)
        flash(request, _vote_message(value), category="success")
        return Redirect(target)

    @post("/{answer_id:int}/annehmen")
    async def accept(self, request: AnyRequest, actor: Actor, answer_id: FromPath[int]) -> Redirect:
        question_id = await questions.question_id_of_answer(actor, answer_id)
        target = _question_url(question_id, f"antwort-{answer_id}")
        try:
            await questions.accept(actor, answer_id)
        except Conflict as exc:
            return _conflict(request, exc, target)
        flash(request, "Die Antwort ist angenommen; die Frage gilt als gelöst.", category="success")
        return Redirect(target)

    @get("/{answer_id:int}/kommentieren", name="comment_answer")
    async def comment_form(
        self, request: AnyRequest, actor: Actor, answer_id: FromPath[int]
    ) -> Template | Redirect:
        question_id = await questions.question_id_of_answer(actor, answer_id)
        return await _comment_form(request, actor, question_id, answer_id)

    @post("/{answer_id:int}/kommentare")
    async def comment(
        self, request: AnyRequest, actor: Actor, answer_id: FromPath[int]
    ) -> Template | Redirect:
        question_id = await questions.question_id_of_answer(actor, answer_id)
        return await _post_comment(request, actor, question_id, answer_id)

    async def _editable(self, actor: Principal, answer_id: int) -> tuple[QuestionOut, AnswerOut]:
        question, answer = await _answer_of(actor, answer_id)
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
        values = {k: _text(v) for k, v in (await read_form(request)).items()}
        if str(values.get("body", "")).strip() == answer.body.strip():
            form: Form[Any] = Form(values=values)
            form.errors["body"] = form.message = "Der Text ist unverändert."
            return self._edit_page(question, answer, form, 422)
        data, form = _validate(AnswerEdit, values)
        if data is not None:
            try:
                await questions.edit_answer(actor, answer_id, data)
            except Conflict as exc:
                return _conflict(request, exc, _question_url(question.id))
            except InvalidInput as exc:
                form.fail(exc)
            else:
                flash(request, "Ihre Änderungen sind gespeichert.", category="success")
                return Redirect(_question_url(question.id, f"antwort-{answer_id}"))
        return self._edit_page(question, answer, form, 422)

    @get("/{answer_id:int}/versionen", name="answer_versions")
    async def versions(self, actor: Actor, answer_id: FromPath[int]) -> Template:
        question, answer = await _answer_of(actor, answer_id)
        revisions = await questions.answer_revisions(actor, answer_id)
        return Template(
            "questions/versions.html",
            context={
                "question": question,
                "answer": answer,
                "steps": _version_steps("", answer.body, revisions),
            },
        )
