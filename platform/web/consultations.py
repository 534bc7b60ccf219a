"""The consultation pages: the list, "Fallberatung starten", and the consultation itself with
its phase stepper and only the forms the viewer may use.

Every action is a plain form POST that redirects back (post/redirect/get). Who may do what in
which phase is decided by the consultations service (its `allowed` actions and refusals);
this module only translates."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template
from pydantic import BaseModel

from fachaustausch.accounts.policy import Principal
from fachaustausch.consultations import queries as consultation_queries
from fachaustausch.consultations import service as consultations
from fachaustausch.consultations.models import (
    ConsultationInput,
    InviteInput,
    JoinInput,
    KeyQuestionInput,
    MethodInput,
    PostInput,
    Visibility,
)
from fachaustausch.consultations.phases import (
    METHODS,
    ORDER,
    RULES,
    Method,
    Phase,
    PostKind,
    Role,
)
from fachaustausch.core.errors import Conflict, InvalidInput
from fachaustausch.core.schemas import MAX_INSTRUMENTS
from fachaustausch.http.dependencies import Actor
from fachaustausch.notifications import service as notifications
from fachaustausch.toolbox import queries as toolbox
from fachaustausch.web import drafts
from fachaustausch.web.forms import Form, empty_form, read_form, validate

AnyRequest = Request[Any, Any, Any]
Model = TypeVar("Model", bound=BaseModel)

# The list's phase filter speaks German in the address bar.
PHASE_PARAMS = {
    "casting": Phase.casting,
    "spontanerzaehlung": Phase.narration,
    "schluesselfrage": Phase.key_question,
    "methodenwahl": Phase.method,
    "beratung": Phase.advice,
    "abschluss": Phase.conclusion,
    "abgeschlossen": Phase.closed,
}
PARAM_OF_PHASE = {phase.value: param for param, phase in PHASE_PARAMS.items()}
VISIBILITY_OPTIONS = (
    (
        Visibility.members.value,
        "Alle Mitglieder",
        "Jedes Mitglied der Plattform kann die "
        "Fallberatung lesen und bis zur Beratungsphase als Berater/in beitreten.",
    ),
    (
        Visibility.participants.value,
        "Nur eingeladene Beteiligte",
        "Nur wen Sie einladen, sieht die Fallberatung; für alle anderen ist sie unsichtbar.",
    ),
)
VISIBILITY_LABELS = {
    Visibility.members.value: "Für alle Mitglieder",
    Visibility.participants.value: "Nur für Beteiligte",
}
JOIN_LABELS = {
    Role.advisor.value: "Als Berater/in beitreten",
    Role.facilitator.value: "Gesprächsleitung übernehmen",
}
JOINED = {
    Role.advisor: "Sie nehmen jetzt als Berater/in teil.",
    Role.facilitator: "Sie haben die Gesprächsleitung übernommen.",
    Role.case_giver: "Sie nehmen jetzt als Fallgeber/in teil.",
}


# --- small translations -----------------------------------------------------------------------


def _url(path: str, params: Mapping[str, str | None]) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return f"{path}?{query}" if query else path


def _text(value: Any) -> Any:
    # Browsers send textarea line breaks as CRLF; store plain LF.
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


def _page_url(consultation_id: int, anchor: str = "") -> str:
    return consultation_queries.consultation_url(consultation_id) + (f"#{anchor}" if anchor else "")


def _draft_form(values: dict[str, Any]) -> str:
    """Which of the page's forms a kept draft belongs to (the keys of `forms`)."""
    for key in ("key_question", "method"):
        if key in values:
            return key
    return "invite" if "person" in values or "user_id" in values else "post"


def _conflict(request: AnyRequest, exc: Conflict, target: str) -> Redirect:
    # The phase refuses the action: say why on the page itself.
    flash(request, exc.detail, category="warning")
    return Redirect(target)


def _consultation_values(raw: dict[str, Any]) -> dict[str, Any]:
    values = {k: _text(v) for k, v in raw.items()}
    instruments = values.pop("instruments", [])
    values["instruments"] = [instruments] if isinstance(instruments, str) else list(instruments)
    for optional in ("cornerstone", "visibility"):
        if values.get(optional) == "":
            del values[optional]
    return values


async def _consultation_page(
    actor: Principal,
    consultation_id: int,
    forms: dict[str, Form[Any]] | None = None,
    status_code: int = 200,
) -> Template:
    """The consultation page; `forms` carries a failed form (messages, text kept) by its key:
    "post", "key_question", "method" or "invite"."""
    consultation = await consultation_queries.get_consultation(actor, consultation_id)
    current = Phase(consultation.phase)
    by_phase = {p.phase: p for p in consultation.phases}
    conclusion = [
        post
        for post in by_phase[Phase.conclusion.value].posts
        if post.kind == PostKind.conclusion.value
    ]
    following = current.next
    return Template(
        "consultations/consultation.html",
        context={
            "c": consultation,
            "viewer_id": actor.id,
            "forms": forms or {},
            "empty_form": empty_form(),
            "closed": current is Phase.closed,
            "current_phase": current,
            "current_number": min(current.number, len(ORDER) - 1),
            "phase_count": len(ORDER) - 1,
            "rule": RULES[current],
            "next_label": following.label if following else "",
            "conclusion": conclusion,
            "post_kind_options": [(k, PostKind(k).label) for k in consultation.allowed.post_kinds],
            "methods": [(m.value, label, rules) for m, (label, rules) in METHODS.items()],
            "join_labels": JOIN_LABELS,
            "my_role_label": Role(consultation.my_role).label if consultation.my_role else "",
            "visibility_labels": VISIBILITY_LABELS,
            "role_options": [
                (Role.advisor.value, Role.advisor.label),
                (Role.facilitator.value, Role.facilitator.label),
            ],
        },
        status_code=status_code,
    )


async def _start_page(form: Form[Any], status_code: int = 200) -> Template:
    cornerstones = await toolbox.list_cornerstones()
    return Template(
        "consultations/start.html",
        context={
            "form": form,
            "cornerstones": cornerstones,
            "cornerstone_options": [(c.slug, f"{c.number}. {c.title}") for c in cornerstones],
            "max_instruments": MAX_INSTRUMENTS,
            "visibility_options": VISIBILITY_OPTIONS,
            "methods": [(label, rules) for label, rules in METHODS.values()],
        },
        status_code=status_code,
    )


# --- pages ------------------------------------------------------------------------------------


class ConsultationPages(Controller):
    path = "/fallberatungen"

    @get("/", name="consultations")
    async def list_page(
        self,
        actor: Actor,
        phase: FromQuery[str | None] = None,
        eckpunkt: FromQuery[str | None] = None,
        meine: FromQuery[str | None] = None,
    ) -> Template:
        if phase and phase not in PHASE_PARAMS:
            raise InvalidInput.for_field(
                "phase", "Diese Phase gibt es nicht. Bitte wählen Sie eine der angebotenen."
            )
        mine = bool(meine)
        items = await consultation_queries.list_consultations(
            actor,
            phase=PHASE_PARAMS[phase] if phase else None,
            cornerstone=eckpunkt or None,
            mine=mine,
        )
        params = {"phase": phase or "", "eckpunkt": eckpunkt or "", "meine": "1" if mine else ""}
        return Template(
            "consultations/list.html",
            context={
                "items": items,
                "params": params,
                "filtered": bool(phase or eckpunkt or mine),
                "phase_options": [(param, p.label) for param, p in PHASE_PARAMS.items()],
                "param_of_phase": PARAM_OF_PHASE,
                "cornerstones": await toolbox.list_cornerstones(),
                "visibility_labels": VISIBILITY_LABELS,
                "all_url": _url("/fallberatungen", {**params, "meine": ""}),
                "mine_url": _url("/fallberatungen", {**params, "meine": "1"}),
            },
        )

    # --- starting -----------------------------------------------------------------------------

    @get("/neu", name="consultation_start")
    async def start_form(self, request: AnyRequest) -> Template:
        kept = drafts.restored(request)
        return await _start_page(Form(values=kept or {"visibility": Visibility.members.value}))

    @post("/neu")
    async def start(self, request: AnyRequest, actor: Actor) -> Template | Redirect:
        values = _consultation_values(await read_form(request))
        data, form = validate(ConsultationInput, values)
        if data is not None:
            try:
                consultation_id = await consultations.create(actor, data)
            except InvalidInput as exc:
                form.fail(exc)
            else:
                flash(
                    request,
                    "Ihre Fallberatung ist angelegt. Sobald jemand die Gesprächsleitung "
                    "übernommen hat und Berater/innen beigetreten sind, kann es losgehen.",
                    category="success",
                )
                return Redirect(_page_url(consultation_id))
        if not values.get("cornerstone"):
            form.errors["cornerstone"] = "Bitte wählen Sie einen Eckpunkt."
        if len(values.get("instruments") or []) > MAX_INSTRUMENTS:
            form.errors["instruments"] = (
                f"Bitte wählen Sie höchstens {MAX_INSTRUMENTS} Instrumente."
            )
        return await _start_page(form, status_code=422)

    # --- the consultation page ----------------------------------------------------------------

    @get("/{consultation_id:int}", name="consultation")
    async def consultation(
        self, request: AnyRequest, actor: Actor, consultation_id: FromPath[int]
    ) -> Template:
        kept = drafts.restored(request)
        page = await _consultation_page(
            actor, consultation_id, {_draft_form(kept): Form(values=kept)} if kept else None
        )
        await notifications.mark_topic_read(actor, "consultation", consultation_id)
        return page

    @post("/{consultation_id:int}/beitreten")
    async def join(
        self, request: AnyRequest, actor: Actor, consultation_id: FromPath[int]
    ) -> Redirect:
        raw = await read_form(request)
        data, form = validate(JoinInput, raw)
        if data is None:
            raise InvalidInput(form.message or "Bitte wählen Sie eine Rolle.")
        role = Role(data.role)
        try:
            await consultations.join(actor, consultation_id, role)
        except Conflict as exc:
            return _conflict(request, exc, _page_url(consultation_id))
        flash(request, JOINED[role], category="success")
        return Redirect(_page_url(consultation_id))

    @post("/{consultation_id:int}/einladen")
    async def invite(
        self, request: AnyRequest, actor: Actor, consultation_id: FromPath[int]
    ) -> Template | Redirect:
        raw = await read_form(request)
        # The result list's forms name the person by handle (people search).
        raw["handle"] = raw.pop("person", "")
        raw.pop("user_id", None)
        data, form = validate(InviteInput, raw)
        if data is not None:
            try:
                await consultations.invite(actor, consultation_id, data.person, Role(data.role))
            except Conflict as exc:
                return _conflict(request, exc, _page_url(consultation_id, "einladen"))
            except InvalidInput as exc:
                form.fail(exc)
            else:
                flash(request, "Die Person ist eingeladen und nimmt jetzt teil.", "success")
                return Redirect(_page_url(consultation_id, "beteiligte"))
        if "handle" in form.errors:
            # The page shows it at the search field, where the person is looked for anew.
            form.errors["q"] = form.errors.pop("handle")
        return await _consultation_page(actor, consultation_id, {"invite": form}, 422)

    @post("/{consultation_id:int}/beitraege")
    async def add_post(
        self, request: AnyRequest, actor: Actor, consultation_id: FromPath[int]
    ) -> Template | Redirect:
        raw = {k: _text(v) for k, v in (await read_form(request)).items()}
        data, form = validate(PostInput, raw)
        if data is not None:
            try:
                post_id = await consultations.post(actor, consultation_id, data.kind, data.body)
            except Conflict as exc:
                return _conflict(request, exc, _page_url(consultation_id))
            except InvalidInput as exc:
                form.fail(exc)
            else:
                flash(request, "Ihr Beitrag ist veröffentlicht.", category="success")
                return Redirect(_page_url(consultation_id, f"beitrag-{post_id}"))
        if "kind" in form.errors:
            form.errors["kind"] = "Bitte wählen Sie die Art Ihres Beitrags."
        return await _consultation_page(actor, consultation_id, {"post": form}, 422)

    @post("/{consultation_id:int}/schluesselfrage")
    async def key_question(
        self, request: AnyRequest, actor: Actor, consultation_id: FromPath[int]
    ) -> Template | Redirect:
        raw = {k: _text(v) for k, v in (await read_form(request)).items()}
        data, form = validate(KeyQuestionInput, raw)
        if data is not None:
            try:
                await consultations.set_key_question(actor, consultation_id, data.key_question)
            except Conflict as exc:
                return _conflict(request, exc, _page_url(consultation_id))
            except InvalidInput as exc:
                form.fail(exc)
            else:
                flash(request, "Die Schlüsselfrage ist festgehalten.", category="success")
                return Redirect(_page_url(consultation_id, "aktuelle-phase"))
        return await _consultation_page(actor, consultation_id, {"key_question": form}, 422)

    @post("/{consultation_id:int}/methode")
    async def method(
        self, request: AnyRequest, actor: Actor, consultation_id: FromPath[int]
    ) -> Template | Redirect:
        raw = await read_form(request)
        data, form = validate(MethodInput, raw)
        if data is not None:
            try:
                await consultations.set_method(actor, consultation_id, data.method)
            except Conflict as exc:
                return _conflict(request, exc, _page_url(consultation_id))
            else:
                label = Method(data.method).label
                flash(request, f"Die Methode „{label}“ ist gewählt.", category="success")
                return Redirect(_page_url(consultation_id, "aktuelle-phase"))
        form.errors["method"] = "Bitte wählen Sie eine der Methoden."
        form.message = form.errors["method"]
        return await _consultation_page(actor, consultation_id, {"method": form}, 422)

    @post("/{consultation_id:int}/weiter")
    async def advance(
        self, request: AnyRequest, actor: Actor, consultation_id: FromPath[int]
    ) -> Redirect:
        try:
            target = await consultations.advance(actor, consultation_id)
        except Conflict as exc:
            return _conflict(request, exc, _page_url(consultation_id, "aktuelle-phase"))
        if target is Phase.closed:
            message = "Die Fallberatung ist abgeschlossen. Vielen Dank an alle Beteiligten!"
        else:
            message = f"Die Fallberatung ist jetzt in der Phase „{target.label}“."
        flash(request, message, category="success")
        return Redirect(_page_url(consultation_id, "aktuelle-phase"))
