"""Reporting a post or an account to the moderation ("Melden"): a page of its own per target,
linked from under every post, so the question page does not carry a form for each post."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from fachaustausch.accounts.policy import Principal
from fachaustausch.core.errors import Conflict, InvalidInput, NotFound
from fachaustausch.http.dependencies import Actor
from fachaustausch.moderation import flags as moderation_flags
from fachaustausch.moderation.models import FlagInput, FlagTargetOut, TargetType
from fachaustausch.questions import queries as questions
from fachaustausch.web import drafts
from fachaustausch.web.forms import Form, read_form, validate
from fachaustausch.web.moderation import safe_back

THANKS = "Danke, die Moderation prüft Ihre Meldung."
MISSING_REASON = "Bitte wählen Sie einen Grund für die Meldung."
NO_SUCH_TARGET = "Diesen Eintrag gibt es nicht."


def _target_of(values: dict[str, Any]) -> tuple[TargetType, int]:
    try:
        return TargetType(str(values.get("target_type", ""))), int(str(values.get("target_id")))
    except ValueError:
        raise NotFound(NO_SUCH_TARGET) from None


def _page(target: FlagTargetOut, back: str, form: Form[Any], status_code: int = 200) -> Template:
    return Template(
        "moderation/flag.html",
        context={"target": target, "back": back, "form": form},
        status_code=status_code,
    )


class FlagPages(Controller):
    path = "/melden"

    @get("/", name="flag_form")
    async def flag_form(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        values = dict(request.query_params)
        target_type, target_id = _target_of(values)
        target = await moderation_flags.flag_target(actor, target_type, target_id)
        back = safe_back(values.get("zurueck"), target.link or "/")
        return _page(target, back, Form(values=drafts.restored(request) or {}))

    @post("/", name="flag")
    async def flag(self, request: Request[Any, Any, Any], actor: Actor) -> Template | Redirect:
        raw = await read_form(request)
        target_type, target_id = _target_of(raw)
        wanted_back = raw.pop("zurueck", None)

        async def page_again(form: Form[Any]) -> Template:
            # Only a refused report shows the page again (and needs the target for it):
            # `moderation_flags.flag` checks the target itself.
            target = await moderation_flags.flag_target(actor, target_type, target_id)
            return _page(target, safe_back(wanted_back, target.link or "/"), form, 422)

        values = {k: v for k, v in raw.items() if k in FlagInput.model_fields}
        if isinstance(values.get("text"), str):
            values["text"] = values["text"].replace("\r\n", "\n")
        data, form = validate(FlagInput, values)
        if data is None:
            if "reason" in form.errors:
                form.errors["reason"] = MISSING_REASON
            return await page_again(form)
        try:
            await moderation_flags.flag(actor, data)
        except Conflict as exc:
            flash(request, exc.detail, category="info")
        except InvalidInput as exc:
            # What the user typed stays on the page, with the message at its field.
            return await page_again(form.fail(exc))
        else:
            flash(request, THANKS, category="success")
            if target_type is TargetType.question and not await _still_visible(actor, target_id):
                # The report completed the three-flag rule: the question is hidden now.
                return Redirect("/fragen")
        back = safe_back(wanted_back, "")
        if not back:  # no return address from the form, or one off this site
            back = (await moderation_flags.flag_target(actor, target_type, target_id)).link or "/"
        return Redirect(back)


async def _still_visible(actor: Principal, question_id: int) -> bool:
    try:
        await questions.get_question(actor, question_id)
    except NotFound:
        return False
    return True
