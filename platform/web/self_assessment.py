"""The self-assessment pages (Standortbestimmung): one cornerstone per step, a summary before
submitting, and each round's results with chart, need, recommendations and a CSV export.
Plain forms: every step works without JavaScript, and the draft is kept on the server."""

from __future__ import annotations

import csv
import io
import re
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.params import PathParameter
from litestar.plugins.flash import flash
from litestar.response import Redirect, Response, Template

from fachaustausch.assessment import queries, results, scoring, service
from fachaustausch.assessment.chart import chart_table_rows, format_score, radar_svg
from fachaustausch.assessment.models import DraftInput, ScoreOut
from fachaustausch.core.errors import Conflict, DomainError, FieldError, NotFound
from fachaustausch.core.ids import MAX_ID
from fachaustausch.http.dependencies import Actor
from fachaustausch.http.validation import parse
from fachaustausch.web.forms import Form, read_form

AnyRequest = Request[Any, Any, Any]
IdPath = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
BASE = "/standortbestimmung"
_FIELD = re.compile(r"^(status|relevance|note)-(\d{1,10})$")
_RATING_ERROR = re.compile(r"^ratings\.(\d+)\.(status|relevance|note|criterion_id)$")


def _step_url(number: int) -> str:
    return f"{BASE}/eckpunkt/{number}"


def _draft_values(state: queries.FormState) -> dict[str, str]:
    values: dict[str, str] = {}
    for criterion_id, rating in state.draft.items():
        if rating.status is not None:
            values[f"status-{criterion_id}"] = str(rating.status)
        if rating.relevance is not None:
            values[f"relevance-{criterion_id}"] = str(rating.relevance)
        values[f"note-{criterion_id}"] = rating.note
    return values


def _ratings_from(values: dict[str, Any]) -> tuple[list[int], dict[str, Any]]:
    """The form's fields as the API's draft body; the ids in the order sent."""
    by_id: dict[int, dict[str, Any]] = {}
    for key, value in values.items():
        match = _FIELD.match(key)
        if match is None:
            continue
        field, criterion = match.group(1), int(match.group(2))
        rating = by_id.setdefault(criterion, {"criterion_id": criterion})
        text = str(value).replace("\r\n", "\n") if not isinstance(value, list) else value
        if field == "note":
            rating["note"] = text
        elif text != "":
            rating[field] = text
    ids = list(by_id)
    return ids, {"ratings": [by_id[i] for i in ids]}


def _form_errors(form: Form[Any], ids: list[int], errors: list[FieldError]) -> None:
    """Names each error by its form field (`status-12`) rather than the API's path."""
    form.errors.clear()
    for error in errors:
        match = _RATING_ERROR.match(error.field)
        if match is None:
            continue
        criterion = ids[int(match.group(1))]
        field = "status" if match.group(2) == "criterion_id" else match.group(2)
        form.errors.setdefault(f"{field}-{criterion}", error.message)
    if form.errors:
        form.message = "Bitte prüfen Sie die markierten Angaben."


def _scores(scores: list[ScoreOut] | None) -> dict[int, scoring.CornerstoneScore] | None:
    if scores is None:
        return None
    return {
        s.cornerstone: scoring.CornerstoneScore(s.cornerstone, s.status, s.relevance, s.need)
        for s in scores
    }


def ask_url(instrument: str, site: str | None) -> str:
    params = {"instrument": instrument, **({"an": site} if site else {})}
    return f"/fragen/neu?{urlencode(params)}"


class SelfAssessmentPages(Controller):
    path = BASE

    @get("/", name="self_assessment")
    async def overview(self, actor: Actor) -> Template:
        state = await queries.form_state(actor)
        return Template(
            "assessment/overview.html",
            context={"state": state, "federal": actor.authority_kind == "federal"},
        )

    async def _step_page(
        self, actor: Actor, number: int, form: Form[Any] | None = None, status_code: int = 200
    ) -> Template:
        if number not in scoring.CORNERSTONES:
            raise NotFound("Diesen Schritt gibt es nicht: Die Checkliste hat fünf Eckpunkte.")
        state = await queries.form_state(actor)
        return Template(
            "assessment/step.html",
            context={
                "state": state,
                "number": number,
                "criteria": state.of_cornerstone(number),
                "form": form or Form(values=_draft_values(state)),
                "status_labels": scoring.STATUS_LABELS_DE,
                "relevance_labels": scoring.RELEVANCE_LABELS_DE,
                "status_question": scoring.STATUS_QUESTION_DE,
                "relevance_question": scoring.RELEVANCE_QUESTION_DE,
            },
            status_code=status_code,
        )

    @get("/eckpunkt/{number:int}", name="self_assessment_step")
    async def step(
        self, actor: Actor, number: Annotated[int, PathParameter(ge=1, le=5)]
    ) -> Template:
        return await self._step_page(actor, number)

    @post("/eckpunkt/{number:int}")
    async def save_step(
        self, request: AnyRequest, actor: Actor, number: Annotated[int, PathParameter(ge=1, le=5)]
    ) -> Template | Redirect:
        values = await read_form(request)
        action = str(values.pop("aktion", "weiter"))
        ids, body = _ratings_from(values)
        form: Form[Any] = Form(values=values)
        try:
            await service.save_draft(actor, parse(DraftInput, body))
        except DomainError as exc:
            form.fail(exc)
            _form_errors(form, ids, exc.errors)
            return await self._step_page(actor, number, form, status_code=exc.status_code)
        if action == "zurueck" and number > 1:
            return Redirect(_step_url(number - 1))
        if action == "speichern":
            flash(request, "Der Entwurf ist gespeichert.", category="success")
            return Redirect(_step_url(number))
        if number < scoring.CORNERSTONES[-1]:
            return Redirect(_step_url(number + 1))
        return Redirect(f"{BASE}/zusammenfassung")

    async def _summary_page(
        self, actor: Actor, form: Form[Any] | None = None, status_code: int = 200
    ) -> Template:
        state = await queries.form_state(actor)
        return Template(
            "assessment/summary.html",
            context={
                "state": state,
                "form": form or Form(values={}),
                "need": scoring.criterion_need,
                "format_score": format_score,
                "formula": scoring.NEED_FORMULA_DE,
            },
            status_code=status_code,
        )

    @get("/zusammenfassung", name="self_assessment_summary")
    async def summary(self, actor: Actor) -> Template:
        return await self._summary_page(actor)

    @post("/einreichen")
    async def submit(self, request: AnyRequest, actor: Actor) -> Template | Redirect:
        try:
            round_id = await service.submit_round(actor)
        except Conflict as exc:
            flash(request, exc.detail, category="warning")
            return Redirect(BASE)
        except DomainError as exc:
            # The summary marks every open rating; the message says how many there are.
            return await self._summary_page(
                actor, Form(values={}, message=exc.detail), status_code=exc.status_code
            )
        flash(request, "Die Runde ist eingereicht.", category="success")
        return Redirect(f"{BASE}/runden/{round_id}")

    @get("/runden/{round_id:int}", name="self_assessment_round")
    async def round(self, actor: Actor, round_id: IdPath) -> Template:
        page = await results.round_page(actor, round_id)
        current = _scores(page.round.scores) or {}
        previous = _scores(page.round.previous_scores)
        comparison = _scores(page.round.comparison.scores)
        previous_label = (
            f"Stand der Runde {page.round.previous.number} (Mittelwert)"
            if page.round.previous
            else ""
        )
        rows = chart_table_rows(page.titles, current, previous)
        return Template(
            "assessment/round.html",
            context={
                "page": page,
                "round": page.round,
                "titles": page.titles,
                "chart": radar_svg(
                    page.titles,
                    current,
                    previous,
                    **({"previous_label": previous_label} if previous else {}),
                ),
                "rows": rows,
                "comparison": list(
                    zip(rows, chart_table_rows(page.titles, comparison), strict=True)
                )
                if comparison
                else None,
                "format_score": format_score,
                "formula": scoring.NEED_FORMULA_DE,
                "means_rule": scoring.CORNERSTONE_MEANS_DE,
                "recommendation_rule": scoring.RECOMMENDATION_RULE_DE,
                "ask_url": ask_url,
                "minimum": scoring.MIN_AUTHORITIES_FOR_AVERAGE,
            },
        )

    @get("/runden/{round_id:int}/bewertungen.csv", name="self_assessment_csv")
    async def ratings_csv(self, actor: Actor, round_id: IdPath) -> Response[str]:
        page = await queries.get_round(actor, round_id)
        out = io.StringIO()
        writer = csv.writer(out, delimiter=";")
        writer.writerow(
            ["Eckpunkt", "Kriterium", "Fassung", "Stand", "Relevanz", "Bedarf", "Notiz"]
        )
        for r in page.ratings:
            writer.writerow(
                [
                    r.cornerstone,
                    r.text,
                    r.version,
                    r.status,
                    r.relevance,
                    format_score(r.need),
                    r.note,
                ]
            )
        filename = f"standortbestimmung-{page.authority}-runde-{page.number}.csv"
        return Response(
            # A byte order mark lets spreadsheet programs read the umlauts as UTF-8.
            "\ufeff" + out.getvalue(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
