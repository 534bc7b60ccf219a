"""Toolbox upkeep for moderators: edit instruments and cornerstone texts, add instruments,
merge one instrument into another. The upkeep service checks the role; pages that only show
a form check it through the same policy before anything is read."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from fachaustausch.accounts.policy import Principal, require_moderator
from fachaustausch.core.errors import Conflict, DomainError, InvalidInput, NotFound
from fachaustausch.http.dependencies import Actor
from fachaustausch.toolbox import queries as toolbox
from fachaustausch.toolbox import upkeep
from fachaustausch.toolbox.models import CornerstoneOut, InstrumentOut
from fachaustausch.toolbox.upkeep import (
    CornerstoneEdit,
    InstrumentCreate,
    InstrumentEdit,
    InstrumentMerge,
)
from fachaustausch.web.forms import Form, empty_form, read_form, validate

AnyRequest = Request[Any, Any, Any]


def _text(value: Any) -> str:
    return str(value or "").replace("\r\n", "\n")


async def _cornerstone(slug: str) -> CornerstoneOut:
    for cornerstone in await toolbox.list_cornerstones():
        if cornerstone.slug == slug:
            return cornerstone
    raise NotFound("Diesen Eckpunkt gibt es nicht.")


async def _instrument(actor: Principal, slug: str) -> InstrumentOut:
    require_moderator(actor)
    return await toolbox.get_instrument(slug)


class ToolboxUpkeepPages(Controller):
    path = "/werkzeugkoffer"

    # --- a new instrument ----------------------------------------------------------------

    async def _new_page(self, form: Form[Any], status_code: int = 200) -> Template:
        cornerstones = await toolbox.list_cornerstones()
        return Template(
            "moderation/instrument_new.html",
            context={
                "form": form,
                "cornerstone_options": [(c.slug, f"{c.number}. {c.title}") for c in cornerstones],
            },
            status_code=status_code,
        )

    @get("/neu", name="instrument_new")
    async def new_form(self, actor: Actor) -> Template:
        require_moderator(actor)
        return await self._new_page(empty_form())

    @post("/neu")
    async def create(self, request: AnyRequest, actor: Actor) -> Template | Redirect:
        require_moderator(actor)
        raw = await read_form(request)
        values = {
            k: _text(raw.get(k))
            for k in ("title", "slug", "cornerstone", "description", "origin_note")
        }
        model_values = {k: v for k, v in values.items() if v or k != "slug"}
        data, form = validate(InstrumentCreate, model_values)
        form.values = values
        status = 422
        if data is not None:
            try:
                slug = await upkeep.create_instrument(actor, data)
            except (InvalidInput, Conflict) as exc:
                form.fail(exc)
                status = exc.status_code
                if isinstance(exc, Conflict):
                    form.errors.setdefault("slug", exc.detail)
            else:
                flash(request, "Das Instrument ist angelegt.", category="success")
                return Redirect(f"/werkzeugkoffer/{slug}")
        return await self._new_page(form, status)

    # --- editing an instrument -----------------------------------------------------------

    def _edit_page(
        self, instrument: InstrumentOut, form: Form[Any], status_code: int = 200
    ) -> Template:
        return Template(
            "moderation/instrument_edit.html",
            context={"instrument": instrument, "form": form},
            status_code=status_code,
        )

    @get("/{slug:str}/bearbeiten", name="instrument_edit")
    async def edit_form(self, actor: Actor, slug: FromPath[str]) -> Template:
        instrument = await _instrument(actor, slug)
        values = {
            "title": instrument.title,
            "description": instrument.description,
            "origin_note": instrument.origin_note,
        }
        return self._edit_page(instrument, Form(values=values))

    @post("/{slug:str}/bearbeiten")
    async def edit(
        self, request: AnyRequest, actor: Actor, slug: FromPath[str]
    ) -> Template | Redirect:
        instrument = await _instrument(actor, slug)
        raw = await read_form(request)
        values = {k: _text(raw.get(k)) for k in ("title", "description", "origin_note", "reason")}
        # Only what changed goes to the service, so the audit row shows the real change.
        current = {
            "title": instrument.title,
            "description": instrument.description,
            "origin_note": instrument.origin_note,
        }
        changed: dict[str, Any] = {
            k: v for k, v in values.items() if k in current and v.strip() != current[k].strip()
        }
        changed["reason"] = values["reason"]
        data, form = validate(InstrumentEdit, changed)
        form.values = values
        if data is not None:
            try:
                await upkeep.edit_instrument(actor, slug, data)
            except InvalidInput as exc:
                form.fail(exc)
            else:
                flash(request, "Die Änderungen am Instrument sind gespeichert.", category="success")
                return Redirect(f"/werkzeugkoffer/{slug}")
        return self._edit_page(instrument, form, 422)

    # --- merging -------------------------------------------------------------------------

    async def _merge_page(
        self, instrument: InstrumentOut, form: Form[Any], status_code: int = 200
    ) -> Template:
        options = [
            (
                f"Eckpunkt {c.number}: {c.title}",
                [(i.slug, i.title) for i in c.instruments if i.slug != instrument.slug],
            )
            for c in await toolbox.list_cornerstones()
        ]
        return Template(
            "moderation/instrument_merge.html",
            context={"instrument": instrument, "form": form, "options": options},
            status_code=status_code,
        )

    @get("/{slug:str}/zusammenfuehren", name="instrument_merge")
    async def merge_form(self, actor: Actor, slug: FromPath[str]) -> Template:
        return await self._merge_page(await _instrument(actor, slug), empty_form())

    @post("/{slug:str}/zusammenfuehren")
    async def merge(
        self, request: AnyRequest, actor: Actor, slug: FromPath[str]
    ) -> Template | Redirect:
        instrument = await _instrument(actor, slug)
        raw = await read_form(request)
        values = {k: _text(raw.get(k)) for k in ("into", "reason")}
        data, form = validate(InstrumentMerge, values)
        if "reason" in form.errors and not values["reason"].strip():
            form.errors["reason"] = "Bitte geben Sie eine Begründung an."
        if "into" in form.errors and not values["into"]:
            form.errors["into"] = "Bitte wählen Sie das Ziel-Instrument."
        if data is not None:
            try:
                count = await upkeep.merge_instrument(actor, slug, data)
            except InvalidInput as exc:
                form.fail(exc)
            else:
                what = "1 Frage" if count == 1 else f"{count} Fragen"
                flash(
                    request,
                    f"„{instrument.title}“ ist zusammengeführt; {what} neu zugeordnet. "
                    f"Die alte Adresse leitet hierher weiter.",
                    category="success",
                )
                return Redirect(f"/werkzeugkoffer/{data.into}")
        if form.errors and len(form.errors) > 1:
            form.message = "Bitte prüfen Sie die markierten Felder."
        elif form.errors:
            form.message = next(iter(form.errors.values()))
        return await self._merge_page(instrument, form, 422)

    # --- cornerstone texts ---------------------------------------------------------------

    def _cornerstone_page(
        self, cornerstone: CornerstoneOut, form: Form[Any], status_code: int = 200
    ) -> Template:
        return Template(
            "moderation/cornerstone_edit.html",
            context={"cornerstone": cornerstone, "form": form},
            status_code=status_code,
        )

    @get("/eckpunkte/{slug:str}/bearbeiten", name="cornerstone_edit")
    async def cornerstone_form(self, actor: Actor, slug: FromPath[str]) -> Template:
        require_moderator(actor)
        cornerstone = await _cornerstone(slug)
        values = {
            "title": cornerstone.title,
            "statement": cornerstone.statement,
            "description": cornerstone.description,
        }
        return self._cornerstone_page(cornerstone, Form(values=values))

    @post("/eckpunkte/{slug:str}/bearbeiten")
    async def cornerstone_edit(
        self, request: AnyRequest, actor: Actor, slug: FromPath[str]
    ) -> Template | Redirect:
        require_moderator(actor)
        cornerstone = await _cornerstone(slug)
        raw = await read_form(request)
        values = {k: _text(raw.get(k)) for k in ("title", "statement", "description", "reason")}
        current = {
            "title": cornerstone.title,
            "statement": cornerstone.statement,
            "description": cornerstone.description,
        }
        changed: dict[str, Any] = {
            k: v for k, v in values.items() if k in current and v.strip() != current[k].strip()
        }
        changed["reason"] = values["reason"]
        data, form = validate(CornerstoneEdit, changed)
        form.values = values
        if data is not None:
            try:
                await upkeep.edit_cornerstone(actor, slug, data)
            except DomainError as exc:
                if exc.status_code == 403:
                    raise
                form.fail(exc)
            else:
                flash(request, "Die Texte des Eckpunkts sind gespeichert.", category="success")
                return Redirect(f"/werkzeugkoffer#eckpunkt-{cornerstone.number}")
        return self._cornerstone_page(cornerstone, form, 422)
