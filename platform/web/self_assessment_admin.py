"""The moderation's self-assessment pages: the checklist's criteria (add, reword, relink,
retire; each change a new version) and the averages over all authorities, overall and per
Land, each only from five authorities up."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.params import PathParameter
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from fachaustausch.accounts.policy import require_moderator
from fachaustausch.assessment import editing, queries, scoring
from fachaustausch.assessment.chart import chart_table_rows, format_score
from fachaustausch.assessment.models import (
    MAX_CRITERION_INSTRUMENTS,
    CriterionEdit,
    CriterionInput,
    ScoreOut,
)
from fachaustausch.core.errors import Conflict, DomainError
from fachaustausch.core.ids import MAX_ID
from fachaustausch.http.dependencies import Actor
from fachaustausch.toolbox import queries as toolbox
from fachaustausch.web.forms import Form, empty_form, read_form, validate

AnyRequest = Request[Any, Any, Any]
IdPath = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
BASE = "/standortbestimmung/kriterien"


def _values(raw: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in raw.items() if k in {"cornerstone", "text", "instruments"}}
    instruments = values.pop("instruments", [])
    values["instruments"] = [instruments] if isinstance(instruments, str) else list(instruments)
    return values


def _rows(titles: dict[int, str], scores: list[ScoreOut] | None) -> list[Any] | None:
    if scores is None:
        return None
    return chart_table_rows(
        titles,
        {
            s.cornerstone: scoring.CornerstoneScore(s.cornerstone, s.status, s.relevance, s.need)
            for s in scores
        },
    )


class SelfAssessmentAdminPages(Controller):
    path = "/standortbestimmung"

    @get("/kriterien", name="assessment_criteria")
    async def criteria(self, actor: Actor) -> Template:
        require_moderator(actor)
        return Template(
            "assessment/criteria.html",
            context={
                "criteria": await queries.criteria_details(include_retired=True),
                "titles": await queries.cornerstone_titles(),
            },
        )

    async def _form_page(
        self, form: Form[Any], criterion_id: int | None = None, status_code: int = 200
    ) -> Template:
        cornerstones = await toolbox.list_cornerstones()
        return Template(
            "assessment/criterion_form.html",
            context={
                "form": form,
                "criterion_id": criterion_id,
                "cornerstones": cornerstones,
                "cornerstone_options": [
                    (str(c.number), f"{c.number}. {c.title}") for c in cornerstones
                ],
                "max_instruments": MAX_CRITERION_INSTRUMENTS,
            },
            status_code=status_code,
        )

    @get("/kriterien/neu", name="assessment_criterion_new")
    async def new_form(self, actor: Actor) -> Template:
        require_moderator(actor)
        return await self._form_page(empty_form())

    @post("/kriterien/neu")
    async def add(self, request: AnyRequest, actor: Actor) -> Template | Redirect:
        values = _values(await read_form(request))
        data, form = validate(CriterionInput, values)
        if data is not None:
            try:
                await editing.add_criterion(actor, data)
            except DomainError as exc:
                form.fail(exc)
            else:
                flash(request, "Das Kriterium ist in der Checkliste.", category="success")
                return Redirect(BASE)
        return await self._form_page(form, status_code=422)

    @get("/kriterien/{criterion_id:int}/bearbeiten", name="assessment_criterion_edit")
    async def edit_form(self, actor: Actor, criterion_id: IdPath) -> Template:
        require_moderator(actor)
        criterion = await queries.get_criterion(criterion_id)
        values = {
            "cornerstone": str(criterion.cornerstone),
            "text": criterion.text,
            "instruments": criterion.instruments,
        }
        return await self._form_page(Form(values=values), criterion_id)

    @post("/kriterien/{criterion_id:int}/bearbeiten")
    async def edit(
        self, request: AnyRequest, actor: Actor, criterion_id: IdPath
    ) -> Template | Redirect:
        values = _values(await read_form(request))
        values.pop("cornerstone", None)
        data, form = validate(CriterionEdit, values)
        if data is not None:
            try:
                changed = await editing.edit_criterion(actor, criterion_id, data)
            except Conflict as exc:
                flash(request, exc.detail, category="warning")
                return Redirect(BASE)
            except DomainError as exc:
                form.fail(exc)
            else:
                message = "Neue Fassung gespeichert." if changed else "Nichts geändert."
                flash(request, message, category="success")
                return Redirect(BASE)
        return await self._form_page(form, criterion_id, status_code=422)

    @post("/kriterien/{criterion_id:int}/zuruecknehmen")
    async def retire(self, request: AnyRequest, actor: Actor, criterion_id: IdPath) -> Redirect:
        try:
            await editing.retire_criterion(actor, criterion_id)
        except Conflict as exc:
            flash(request, exc.detail, category="warning")
        else:
            flash(request, "Das Kriterium ist aus der Checkliste genommen.", category="success")
        return Redirect(BASE)

    @get("/auswertung", name="assessment_aggregate")
    async def aggregate(self, actor: Actor) -> Template:
        aggregate = await queries.aggregate(actor)
        titles = await queries.cornerstone_titles()
        return Template(
            "assessment/aggregate.html",
            context={
                "aggregate": aggregate,
                "overall": _rows(titles, aggregate.overall.scores),
                "lands": [(land, _rows(titles, land.scores)) for land in aggregate.lands],
                "minimum": scoring.MIN_AUTHORITIES_FOR_AVERAGE,
                "format_score": format_score,
            },
        )
