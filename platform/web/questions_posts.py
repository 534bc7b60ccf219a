"""What the question and answer pages share: the form values as the input models want
them, the question page itself, versions, and the refusals shown on it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litestar import Request
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from fachaustausch.accounts.policy import Principal
from fachaustausch.core.errors import Conflict, InvalidInput, NotFound
from fachaustausch.core.schemas import MAX_INSTRUMENTS
from fachaustausch.events import queries as events
from fachaustausch.questions import queries
from fachaustausch.questions.models import AnswerOut, QuestionOut, RevisionOut
from fachaustausch.toolbox import queries as toolbox
from fachaustausch.web.forms import Form, empty_form
from fachaustausch.web.revisions import VersionStep, line_diff

AnyRequest = Request[Any, Any, Any]

CLOSED_LABELS = {
    "duplicate": "Die Frage wurde bereits gestellt (Duplikat).",
    "outdated": "Die Frage ist nicht mehr aktuell.",
    "off_topic": "Die Frage gehört nicht zum Thema der Plattform.",
}


def text(value: Any) -> Any:
    # Browsers send textarea line breaks as CRLF; store and compare plain LF.
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def texts(raw: Mapping[str, Any]) -> dict[str, Any]:
    return {k: text(v) for k, v in raw.items()}


def question_values(raw: dict[str, Any]) -> dict[str, Any]:
    """The form's fields as the input model wants them: instruments always a list, empty
    optional selects left out, line breaks normalised."""
    values = texts(raw)
    instruments = values.pop("instruments", [])
    values["instruments"] = [instruments] if isinstance(instruments, str) else list(instruments)
    for optional in ("directed_to", "cornerstone", "event"):
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


def explain_question_errors(form: Form[Any], values: Mapping[str, Any]) -> None:
    if not values.get("cornerstone"):
        _reword(form, "cornerstone", "Bitte wählen Sie einen Eckpunkt.")
    if len(values.get("instruments") or []) > MAX_INSTRUMENTS:
        _reword(form, "instruments", f"Bitte wählen Sie höchstens {MAX_INSTRUMENTS} Instrumente.")


def vote_value(raw: Mapping[str, Any]) -> int:
    value = raw.get("value")
    if value not in {"1", "0", "-1"}:
        raise InvalidInput.for_field("value", "Bitte bewerten Sie mit ▲ (+1) oder ▼ (−1).")
    return int(value)


def vote_message(value: int) -> str:
    return "Ihre Bewertung ist zurückgenommen." if value == 0 else "Ihre Bewertung ist gespeichert."


def version_steps(title: str, body: str, revisions: list[RevisionOut]) -> list[VersionStep]:
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


def versions_page(
    question: QuestionOut, answer: AnswerOut | None, revisions: list[RevisionOut]
) -> Template:
    title, body = ("", answer.body) if answer else (question.title, question.body)
    return Template(
        "questions/versions.html",
        context={
            "question": question,
            "answer": answer,
            "steps": version_steps(title, body, revisions),
        },
    )


def question_url(question_id: int, anchor: str = "") -> str:
    return f"/fragen/{question_id}" + (f"#{anchor}" if anchor else "")


def conflict(request: AnyRequest, exc: Conflict, target: str) -> Redirect:
    # The post's state (locked, closed) refuses the action: say why on the page itself.
    flash(request, exc.detail, category="warning")
    return Redirect(target)


async def answer_of(
    actor: Principal, answer_id: int, question_id: int | None = None
) -> tuple[QuestionOut, AnswerOut]:
    """The answer as its question's page shows it; `question_id` when the caller knows it."""
    if question_id is None:
        question_id = await queries.question_id_of_answer(actor, answer_id)
    question = await queries.get_question(actor, question_id)
    answer = next((a for a in question.answers if a.id == answer_id), None)
    if answer is None:
        raise NotFound("Diese Antwort gibt es nicht.")
    return question, answer


async def question_choices(event: Any = None) -> dict[str, Any]:
    """The choices of the ask and edit forms; `event` is the event the form names now (its
    id as text), offered even when it is no longer among the latest."""
    cornerstones = await toolbox.list_cornerstones()
    current = int(event) if isinstance(event, str) and event.isdigit() and len(event) < 10 else None
    return {
        "cornerstones": cornerstones,
        "cornerstone_options": [(c.slug, f"{c.number}. {c.title}") for c in cornerstones],
        "max_instruments": MAX_INSTRUMENTS,
        "event_options": await events.choices(current=current),
    }


async def question_page(
    actor: Principal,
    question_id: int,
    forms: dict[str, Form[Any]] | None = None,
    status_code: int = 200,
) -> Template:
    """The question page; `forms` carries a failed answer form (messages, text kept) under
    "answer" (comments have a page of their own)."""
    question = await queries.get_question(actor, question_id)
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
