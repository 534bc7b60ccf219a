"""Moderator pages: the dashboard with the review queue, actions from forms, the audit log,
and pending registrations. Every page and action calls a moderation service first, which
refuses non-moderators (403) before anything is read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.plugins.flash import flash
from litestar.response import Redirect, Template

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.models import RejectInput
from fachaustausch.accounts.policy import require_moderator
from fachaustausch.core.errors import DomainError
from fachaustausch.core.ids import MAX_ID
from fachaustausch.http.dependencies import Actor, AppSettings
from fachaustausch.moderation import actions as moderation_actions
from fachaustausch.moderation import flags as moderation_flags
from fachaustausch.moderation import queries as moderation_queries
from fachaustausch.moderation.models import (
    Action,
    ActionInput,
    AuditEntryOut,
    TargetType,
    action_label,
)
from fachaustausch.privacy.refusal import PersonalDataFound
from fachaustausch.web.forms import Form, read_form, validate
from fachaustausch.web.revisions import DiffLine, line_diff
from fachaustausch.web.templating import BERLIN

AnyRequest = Request[Any, Any, Any]

DASHBOARD = "/moderation"
# Texts up to this length show whole, as "old → new"; longer ones as a line diff.
SHORT_TEXT = 80
AUDIT_PAGE_SIZE = 25

# Toolbox upkeep writes these actions to the audit log besides the moderation actions.
TOOLBOX_ACTIONS = ("edit_instrument", "create_instrument", "merge_instrument", "edit_cornerstone")
TARGET_LABELS = {
    **{t.value: t.label for t in TargetType},
    "instrument": "Instrument",
    "cornerstone": "Eckpunkt",
}
FIELD_LABELS = {
    "hidden": "ausgeblendet",
    "locked": "gesperrt",
    "closed_reason": "Schließgrund",
    "duplicate_of": "Duplikat von",
    "outdated": "veraltet",
    "status": "Status",
    "role": "Rolle",
    "expertise": "Expertise",
    "title": "Titel",
    "body": "Text",
    "description": "Beschreibung",
    "statement": "Leitsatz",
    "origin_note": "Herkunft",
    "cornerstone": "Eckpunkt",
    "instruments": "Instrumente",
    "slug": "Kurzname",
    "merged_into": "zusammengeführt in",
    "questions": "neu zugeordnete Fragen",
}
# Optional action fields a form may leave empty.
_OPTIONAL = ("close_reason", "duplicate_of", "cornerstone", "instruments", "title", "body", "role")


def safe_back(value: Any, default: str) -> str:
    """Where a form returns to: only a path on this site (no other host, no scheme)."""
    if (
        isinstance(value, str)
        and value.startswith("/")
        and not value.startswith("//")
        and not any(c in value for c in "\\\r\n")
    ):
        return value
    return default


def _readable(value: Any) -> str:
    if value is True:
        return "ja"
    if value is False:
        return "nein"
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    text = " ".join(str(value).split())
    return text if len(text) <= 160 else text[:159] + "…"


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str
    # A long text's change as the revision pages show it (cut to a line, both sides could
    # look alike and an appended sentence would not show).
    diff: tuple[DiffLine, ...] = ()


def _is_long_text(value: Any) -> bool:
    return isinstance(value, str) and (len(value) > SHORT_TEXT or "\n" in value)


def changes(entry: AuditEntryOut) -> list[Change]:
    """Before and after as "field: old → new", in the order the action wrote them; long
    texts as a line diff."""
    keys = list(dict.fromkeys([*entry.before, *entry.after]))
    result = []
    for key in keys:
        old, new = entry.before.get(key), entry.after.get(key)
        if _is_long_text(old) or _is_long_text(new):
            lines = tuple(line_diff(str(old or ""), str(new or "")))
            result.append(Change(FIELD_LABELS.get(key, key), "", "", lines))
            continue
        result.append(
            Change(
                FIELD_LABELS.get(key, key),
                _readable(old) if key in entry.before else "–",
                _readable(new) if key in entry.after else "–",
            )
        )
    return result


def target_url(target_type: str, target_id: int) -> str | None:
    """A link to a target where one can be made without asking the database."""
    if target_type == "question":
        return f"/fragen/{target_id}"
    return None


def _action_values(raw: dict[str, Any]) -> dict[str, Any]:
    values = {k: v for k, v in raw.items() if k in ActionInput.model_fields}
    for name in _OPTIONAL:
        if values.get(name) in ("", None):
            values.pop(name, None)
    return values


def _refused_page(
    exc: PersonalDataFound,
    values: dict[str, Any],
    *,
    action_url: str,
    heading: str,
    submit: str,
    back: str,
) -> Template:
    """The action again, on a page of its own, with the reason as typed and the guard's
    findings next to it: the inline forms sit in lists where no message fits."""
    form: Form[Any] = Form(values={"reason": values.get("reason", "")}).fail(exc)
    hidden = [
        (name, item)
        for name, value in values.items()
        if name != "reason"
        for item in (value if isinstance(value, list) else [value])
    ]
    return Template(
        "moderation/action.html",
        context={
            "form": form,
            "hidden": [*hidden, ("zurueck", back)],
            "action_url": action_url,
            "heading": heading,
            "submit": submit,
            "back": back,
        },
        status_code=422,
    )


def _flash_error(request: AnyRequest, exc: DomainError) -> None:
    message = exc.errors[0].message if len(exc.errors) == 1 else exc.detail
    flash(request, message, category="warning")


async def run_action(
    request: AnyRequest, actor: Actor, settings: AppSettings, raw: dict[str, Any], back: str
) -> Redirect | Template:
    """One moderator action from a form, then back where it came from with the German
    result. Refusals other than 403 come back as a warning, never as an error page; a reason
    with personal data comes back as the form, the reason kept."""
    values = _action_values(raw)
    data, form = validate(ActionInput, values)
    if data is None:
        if "reason" in form.errors:
            message = "Bitte geben Sie eine Begründung an."
        else:
            message = form.message or "Bitte prüfen Sie Ihre Eingaben."
        # A member learns nothing but "forbidden", even about a malformed form.
        require_moderator(actor)
        flash(request, message, category="warning")
        return Redirect(back)
    try:
        result = await moderation_actions.act(actor, data, settings)
    except PersonalDataFound as exc:
        label = f"{data.target_type.label} Nr. {data.target_id}: {data.action.label}"
        return _refused_page(
            exc,
            values,
            action_url="/moderation/aktionen",
            heading=f"Moderation – {label}",
            submit="Erneut ausführen",
            back=back,
        )
    except DomainError as exc:
        if exc.status_code == 403:
            raise
        _flash_error(request, exc)
        return Redirect(back)
    flash(request, result.detail, category="success")
    return Redirect(back)


def _parse_int(value: str | None, field: str, errors: dict[str, str]) -> int | None:
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        errors[field] = "Bitte geben Sie eine ganze Zahl ein."
        return None
    if not 1 <= number <= MAX_ID:
        errors[field] = "Bitte geben Sie eine Zahl ab 1 ein."
        return None
    return number


def _number_or_words(
    value: str | None, field: str, errors: dict[str, str]
) -> tuple[int | None, str | None]:
    text = " ".join((value or "").split())
    if not text:
        return None, None
    if text.isdigit():
        return _parse_int(text, field, errors), None
    if len(text) > 200 or any(ord(c) < 32 for c in text):
        errors[field] = "Bitte geben Sie höchstens 200 Zeichen ohne Steuerzeichen ein."
        return None, None
    return None, text


def _parse_date(value: str | None, field: str, errors: dict[str, str]) -> date | None:
    """A German date (25.11.2026, also 25.11.26) or an ISO one (2026-11-25, as older links
    and the browser's date fields send)."""
    if not value:
        return None
    text = value.strip()
    for pattern in ("%d.%m.%Y", "%d.%m.%y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    errors[field] = "Bitte geben Sie ein Datum im Format TT.MM.JJJJ an, z. B. 25.11.2026."
    return None


class ModerationPages(Controller):
    path = "/moderation"

    # --- the dashboard -------------------------------------------------------------------

    @get("/", name="moderation")
    async def dashboard(self, actor: Actor) -> Template:
        queue = await moderation_flags.queue(actor)
        return Template(
            "moderation/dashboard.html",
            context={
                "queue": queue,
                "open_flags": sum(item.flag_count for item in queue.flags),
                "changes": changes,
                "target_labels": TARGET_LABELS,
                "target_url": target_url,
            },
        )

    @post("/aktionen")
    async def act(
        self, request: AnyRequest, actor: Actor, settings: AppSettings
    ) -> Redirect | Template:
        raw = await read_form(request)
        back = safe_back(raw.pop("zurueck", None), DASHBOARD)
        return await run_action(request, actor, settings, raw, back)

    @post("/meldungen-verwerfen")
    async def dismiss(
        self, request: AnyRequest, actor: Actor, settings: AppSettings
    ) -> Redirect | Template:
        """Dismisses all open flags of one target (one audit row per flag)."""
        raw = await read_form(request)
        back = safe_back(raw.pop("zurueck", None), DASHBOARD)
        ids = raw.get("flag_id", [])
        ids = [ids] if isinstance(ids, str) else list(ids)
        reason = str(raw.get("reason", ""))
        if not ids:
            require_moderator(actor)
            flash(request, "Bitte wählen Sie mindestens eine Meldung.", category="warning")
            return Redirect(back)
        dismissed = 0
        for flag_id in ids:
            data, _ = validate(
                ActionInput,
                {
                    "action": "dismiss",
                    "target_type": "flag",
                    "target_id": flag_id,
                    "reason": reason,
                },
            )
            if data is None:
                continue
            try:
                await moderation_actions.act(actor, data, settings)
            except PersonalDataFound as exc:
                # The reason is the same for every flag: the first refusal refuses them all.
                return _refused_page(
                    exc,
                    {"flag_id": ids, "reason": reason},
                    action_url="/moderation/meldungen-verwerfen",
                    heading="Moderation – Meldungen verwerfen",
                    submit="Verwerfen",
                    back=back,
                )
            except DomainError as exc:
                if exc.status_code == 403:
                    raise
                _flash_error(request, exc)
                continue
            dismissed += 1
        if dismissed:
            flash(
                request,
                "Die Meldung ist verworfen."
                if dismissed == 1
                else f"{dismissed} Meldungen sind verworfen.",
                category="success",
            )
        return Redirect(back)

    # --- the audit log -------------------------------------------------------------------

    @get("/protokoll", name="audit_log")
    async def audit(
        self,
        actor: Actor,
        akteur: FromQuery[str | None] = None,
        aktion: FromQuery[str | None] = None,
        zieltyp: FromQuery[str | None] = None,
        ziel: FromQuery[str | None] = None,
        von: FromQuery[str | None] = None,
        bis: FromQuery[str | None] = None,
        seite: FromQuery[str | None] = None,
    ) -> Template:
        errors: dict[str, str] = {}
        actions = [(a.value, a.label) for a in Action] + [
            (a, action_label(a)) for a in TOOLBOX_ACTIONS
        ]
        if aktion and aktion not in dict(actions):
            errors["aktion"] = "Bitte wählen Sie eine der angebotenen Aktionen."
            aktion = None
        if zieltyp and zieltyp not in TARGET_LABELS:
            errors["zieltyp"] = "Bitte wählen Sie eine der angebotenen Arten."
            zieltyp = None
        # A number is a person's or target's Nr.; words are part of a name or title.
        actor_id, actor_name = _number_or_words(akteur, "akteur", errors)
        target_id, target_title = _number_or_words(ziel, "ziel", errors)
        since = _parse_date(von, "von", errors)
        until = _parse_date(bis, "bis", errors)
        page = _parse_int(seite, "seite", errors) or 1
        page = min(page, 10_000)
        result = await moderation_queries.audit_log(
            actor,
            actor_id=actor_id,
            actor_name=actor_name,
            action=aktion or None,
            target_type=zieltyp or None,
            target_id=target_id,
            target_title=target_title,
            since=datetime.combine(since, time.min, BERLIN) if since else None,
            until=datetime.combine(until + timedelta(days=1), time.min, BERLIN)
            - timedelta(microseconds=1)
            if until
            else None,
            page=page,
            limit=AUDIT_PAGE_SIZE,
        )
        params = {
            "akteur": akteur or "",
            "aktion": aktion or "",
            "zieltyp": zieltyp or "",
            "ziel": ziel or "",
            "von": von or "",
            "bis": bis or "",
        }
        pages = max(1, -(-result.total // AUDIT_PAGE_SIZE))

        def page_url(number: int) -> str:
            query = urlencode({k: v for k, v in {**params, "seite": str(number)}.items() if v})
            return f"/moderation/protokoll?{query}"

        return Template(
            "moderation/audit.html",
            context={
                "result": result,
                "params": params,
                "errors": errors,
                "actions": actions,
                "target_types": list(TARGET_LABELS.items()),
                "target_labels": TARGET_LABELS,
                "changes": changes,
                "target_url": target_url,
                "pages": pages,
                "prev_url": page_url(page - 1) if page > 1 else None,
                "next_url": page_url(page + 1) if page < pages else None,
            },
        )

    # --- registrations -------------------------------------------------------------------

    @get("/registrierungen", name="registrations")
    async def registrations(self, actor: Actor) -> Template:
        return Template(
            "moderation/registrations.html",
            context={"pending": await accounts.pending_registrations(actor)},
        )

    @post("/registrierungen/{user_id:int}/freischalten")
    async def approve(
        self,
        request: AnyRequest,
        actor: Actor,
        user_id: FromPath[int],
        settings: AppSettings,
    ) -> Redirect:
        try:
            await accounts.approve_registration(actor, user_id, settings)
            flash(request, "Das Konto wurde freigeschaltet.", category="success")
        except DomainError as exc:
            if exc.status_code == 403:
                raise
            flash(request, exc.detail, category="warning")
        return Redirect("/moderation/registrierungen")

    @post("/registrierungen/{user_id:int}/ablehnen")
    async def reject(
        self,
        request: AnyRequest,
        actor: Actor,
        user_id: FromPath[int],
        settings: AppSettings,
    ) -> Redirect:
        data, form = validate(RejectInput, await read_form(request))
        try:
            if data is None:
                require_moderator(actor)
                reason_error = form.errors.get("reason", form.message)
                flash(request, f"Begründung: {reason_error}", category="warning")
            else:
                await accounts.reject_registration(actor, user_id, data.reason, settings)
                flash(request, "Die Registrierung wurde abgelehnt.", category="success")
        except DomainError as exc:
            if exc.status_code == 403:
                raise
            flash(request, exc.detail, category="warning")
        return Redirect("/moderation/registrierungen")
