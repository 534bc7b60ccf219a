"""The profile page and personal access tokens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import FromPath
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.models import TokenInput
from fachaustausch.accounts.policy import Principal
from fachaustausch.core.errors import DomainError, NotFound
from fachaustausch.http.dependencies import Actor
from fachaustausch.moderation import queries as moderation_queries
from fachaustausch.moderation.models import AuditEntryOut
from fachaustausch.questions import queries as questions
from fachaustausch.web.forms import Form, empty_form, read_form, validate

# Session key of a newly created token's secret until the profile has shown it once.
NEW_TOKEN_KEY = "new_token"  # noqa: S105 - a session key, not a secret


@dataclass(frozen=True)
class ModerationNote:
    """One moderator action on the viewer's content, with where to find the content."""

    entry: AuditEntryOut
    what: str
    url: str | None
    hidden_now: bool


async def _actions_on_my_content(actor: Principal) -> list[ModerationNote]:
    entries = await moderation_queries.actions_on_author(actor)
    latest: dict[tuple[str, int], str] = {}
    for entry in entries:  # newest first: the first one per target is its current state
        latest.setdefault((entry.target_type, entry.target_id), entry.action)
    notes = []
    answer_questions: dict[int, int | None] = {}
    for entry in entries:
        key = (entry.target_type, entry.target_id)
        hidden_now = latest[key] == "hide"
        url: str | None = None
        if entry.target_type == "question" and not hidden_now:
            url = f"/fragen/{entry.target_id}"
        elif entry.target_type == "answer" and not hidden_now:
            if entry.target_id not in answer_questions:
                try:
                    answer_questions[entry.target_id] = await questions.question_id_of_answer(
                        actor, entry.target_id
                    )
                except NotFound:
                    answer_questions[entry.target_id] = None
            question_id = answer_questions[entry.target_id]
            if question_id is not None:
                url = f"/fragen/{question_id}#antwort-{entry.target_id}"
        what = {"question": "Ihre Frage", "answer": "Ihre Antwort", "user": "Ihr Konto"}.get(
            entry.target_type, entry.target_type
        )
        notes.append(ModerationNote(entry, what, url, hidden_now))
    return notes


class AccountPages(Controller):
    path = "/profil"

    async def _page(
        self, actor: Actor, form: Form[Any], created: Any = None, status_code: int = 200
    ) -> Template:
        return Template(
            "account/profile.html",
            context={
                "profile": await accounts.profile(actor),
                "tokens": await accounts.list_tokens(actor),
                "moderation": await _actions_on_my_content(actor),
                "form": form,
                "created": created,
            },
            status_code=status_code,
            # A page that shows a token's secret is kept by no cache, nor by the browser's
            # history: going back must not show it again.
            headers={"Cache-Control": "no-store"} if created else None,
        )

    @get("/", name="profile")
    async def profile(self, request: Request[Any, Any, Any], actor: Actor) -> Template:
        created = request.session.pop(NEW_TOKEN_KEY, None) if request.session else None
        return await self._page(actor, empty_form(), created=created)

    @post("/token")
    async def create_token(
        self, request: Request[Any, Any, Any], actor: Actor
    ) -> Template | Redirect:
        data, form = validate(TokenInput, await read_form(request))
        if data is None:
            return await self._page(actor, form, status_code=422)
        try:
            created = await accounts.create_token(actor, data.name)
        except DomainError as exc:
            return await self._page(actor, form.fail(exc), status_code=exc.status_code)
        # Post/redirect/get: a reload of the page shows the profile, not a second token. The
        # secret waits in the server-side session for that one page, which takes it out.
        request.session[NEW_TOKEN_KEY] = {"name": created.name, "token": created.token}
        return Redirect("/profil#token", status_code=303)

    @post("/token/{token_id:int}/widerrufen")
    async def revoke_token(
        self, request: Request[Any, Any, Any], actor: Actor, token_id: FromPath[int]
    ) -> Redirect:
        await accounts.revoke_token(actor, token_id)
        flash(request, "Das Zugangstoken wurde widerrufen.", category="success")
        return Redirect("/profil")
