"""The question lists: all questions with filters, tabs and sort order, and the questions
routed to an expert ("Für mich"). Query parameters speak German; the service speaks the
code's words."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar
from urllib.parse import urlencode

from litestar.response import Template

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.policy import Principal
from fachaustausch.core.errors import InvalidInput
from fachaustausch.core.keyset import Position
from fachaustausch.http.pagination import CursorCodec, decode_position, encode_position
from fachaustausch.questions import queries
from fachaustausch.questions.models import Sort, Status
from fachaustausch.questions.queries import QuestionFilters
from fachaustausch.toolbox import queries as toolbox

Choice = TypeVar("Choice")

PAGE_SIZE = 20

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


async def list_page(
    actor: Principal,
    cursors: CursorCodec,
    eckpunkt: str | None,
    instrument: str | None,
    status: str | None,
    sortierung: str | None,
    seite: str | None,
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
    position, notice = _position_or_notice(cursors, seite, sort)
    items, last = await queries.list_questions(actor, filters, sort, PAGE_SIZE, position)
    counts = await queries.status_counts(actor, filters)
    next_cursor = encode_position(cursors, last, sort)
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
            "next_url": _url("/fragen", {**params, "seite": next_cursor}) if next_cursor else None,
            "continued": position is not None,
            "first_url": _url("/fragen", params),
            "notice": notice,
        },
    )


async def for_me_page(actor: Principal, cursors: CursorCodec, seite: str | None) -> Template:
    position, notice = _position_or_notice(cursors, seite, Sort.newest)
    items, last = await queries.list_questions(
        actor, QuestionFilters(for_me=True), Sort.newest, PAGE_SIZE, position
    )
    next_cursor = encode_position(cursors, last, Sort.newest)
    profile = await accounts.profile(actor)
    return Template(
        "questions/for_me.html",
        context={
            "items": items,
            "expertise": profile.expertise,
            "authority": profile.authority,
            "next_url": _url("/fragen/fuer-mich", {"seite": next_cursor}) if next_cursor else None,
            "continued": position is not None,
            "notice": notice,
        },
    )
