"""The "Melden" form under every post: a member reports it to the moderation."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, post
from litestar.plugins.flash import flash
from litestar.response import Redirect

from fachaustausch.accounts.policy import Principal
from fachaustausch.dependencies import Actor
from fachaustausch.errors import Conflict, InvalidInput, NotFound
from fachaustausch.moderation import service as moderation
from fachaustausch.moderation.models import FlagInput, TargetType
from fachaustausch.questions import service as questions
from fachaustausch.web.forms import read_form, validate
from fachaustausch.web.moderation import safe_back

THANKS = "Danke, die Moderation prüft Ihre Meldung."
MISSING_REASON = "Bitte wählen Sie einen Grund für die Meldung."


class FlagPages(Controller):
    path = "/melden"

    @post("/", name="flag")
    async def flag(self, request: Request[Any, Any, Any], actor: Actor) -> Redirect:
        raw = await read_form(request)
        back = safe_back(raw.pop("zurueck", None), "/")
        values = {k: v for k, v in raw.items() if k in FlagInput.model_fields}
        if isinstance(values.get("text"), str):
            values["text"] = values["text"].replace("\r\n", "\n")
        data, form = validate(FlagInput, values)
        if data is None:
            message = MISSING_REASON if "reason" in form.errors else form.message
            flash(request, f"Ihre Meldung wurde nicht gesendet: {message}", category="warning")
            return Redirect(back)
        try:
            await moderation.flag(actor, data)
        except Conflict as exc:
            flash(request, exc.detail, category="info")
        except InvalidInput as exc:
            message = exc.errors[0].message if len(exc.errors) == 1 else exc.detail
            flash(request, f"Ihre Meldung wurde nicht gesendet: {message}", category="warning")
        else:
            flash(request, THANKS, category="success")
            if data.target_type is TargetType.question and not await _still_visible(
                actor, data.target_id
            ):
                # The report completed the three-flag rule: the question is hidden now.
                back = "/fragen"
        return Redirect(back)


async def _still_visible(actor: Principal, question_id: int) -> bool:
    try:
        await questions.get_question(actor, question_id)
    except NotFound:
        return False
    return True
