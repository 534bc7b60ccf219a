"""The search results page: the query, facet filters with counts, highlighted hits and
pagination. The search service decides what the viewer may see; this module translates the
German query parameters and builds the links."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from math import ceil
from urllib.parse import urlencode

from litestar import Controller, get
from litestar.params import FromQuery
from litestar.response import Template

from fachaustausch.core.errors import InvalidInput
from fachaustausch.http.dependencies import Actor, AppState
from fachaustausch.search import service as search
from fachaustausch.search.service import ResultType
from fachaustausch.toolbox import queries as toolbox

PAGE_SIZE = 20
MAX_PAGE = 100
MAX_QUERY = 200

# The page's query parameters speak German; the search service speaks the code's words.
TYPE_PARAMS = {
    "frage": ResultType.question,
    "fallberatung": ResultType.consultation,
    "werkzeugkoffer": ResultType.instrument,
    "veranstaltung": ResultType.event,
}
TYPE_LABELS = {
    ResultType.question.value: "Fragen",
    ResultType.consultation.value: "Fallberatungen",
    ResultType.instrument.value: "Werkzeugkoffer",
    ResultType.event.value: "Veranstaltungen",
}
TYPE_BADGES = {
    ResultType.question.value: ("Frage", "info"),
    ResultType.consultation.value: ("Fallberatung", "success"),
    ResultType.instrument.value: ("Werkzeugkoffer", "warning"),
    ResultType.event.value: ("Veranstaltung", "info"),
}
STATUS_PARAMS = {
    "offen": "open",
    "beantwortet": "answered",
    "geloest": "solved",
    "abgeschlossen": "closed",
    "abgesagt": "cancelled",  # events
}
STATUS_LABELS = {
    "open": "Offen",
    "answered": "Beantwortet",
    "solved": "Gelöst",
    "closed": "Abgeschlossen",
    "cancelled": "Abgesagt",
}
# The content review's verdict: "aktuell / veraltet".
CURRENCY_PARAMS = {"aktuell": "current", "veraltet": "outdated"}
CURRENCY_LABELS = {"current": "aktuell", "outdated": "veraltet"}
PARAM_OF_TYPE = {value.value: key for key, value in TYPE_PARAMS.items()}
PARAM_OF_STATUS = {value: key for key, value in STATUS_PARAMS.items()}
PARAM_OF_CURRENCY = {value: key for key, value in CURRENCY_PARAMS.items()}
UNKNOWN_VALUE = "Diesen Filter gibt es nicht. Bitte wählen Sie einen der angebotenen Werte."


@dataclass(frozen=True)
class FacetOption:
    label: str
    count: int
    url: str
    active: bool


@dataclass(frozen=True)
class Facet:
    key: str
    legend: str
    options: list[FacetOption]


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    remove_url: str


def _url(params: Mapping[str, str | None]) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return f"/suche?{query}" if query else "/suche"


def _choice(options: Mapping[str, str], value: str | None, field: str) -> str | None:
    if not value:
        return None
    if value not in options:
        raise InvalidInput.for_field(field, UNKNOWN_VALUE)
    return options[value]


def _page_number(value: str | None) -> int:
    if not value:
        return 1
    if not value.isdecimal() or not 1 <= int(value) <= MAX_PAGE:
        raise InvalidInput.for_field(
            "seite", f"Bitte geben Sie eine Seitenzahl von 1 bis {MAX_PAGE} an."
        )
    return int(value)


def _facet(
    key: str,
    legend: str,
    counts: Mapping[str, int],
    labels: Mapping[str, str],
    params: dict[str, str],
    param_of: Mapping[str, str] | None = None,
) -> Facet:
    """One filter group: each value with a count links to the results narrowed to it (or,
    when it is the active value, back to the results without it)."""
    current = params.get(key, "")
    options = []
    # Known values in their natural order first, then anything else the engine counted.
    ordered = [v for v in labels if v in counts] + sorted(v for v in counts if v not in labels)
    for value in ordered:
        param = (param_of or {}).get(value, value)
        active = param == current
        target = {**params, key: "" if active else param, "seite": ""}
        options.append(
            FacetOption(
                label=labels.get(value, value),
                count=counts[value],
                url=_url(target),
                active=active,
            )
        )
    return Facet(key=key, legend=legend, options=options)


class SearchPages(Controller):
    path = "/suche"

    @get("/", name="search")
    async def results(
        self,
        actor: Actor,
        state: AppState,
        q: FromQuery[str] = "",
        typ: FromQuery[str | None] = None,
        eckpunkt: FromQuery[str | None] = None,
        instrument: FromQuery[str | None] = None,
        status: FromQuery[str | None] = None,
        stand: FromQuery[str | None] = None,
        seite: FromQuery[str | None] = None,
    ) -> Template:
        text = " ".join(q.split())
        if len(text) > MAX_QUERY:
            raise InvalidInput.for_field(
                "q", f"Bitte suchen Sie mit höchstens {MAX_QUERY} Zeichen."
            )
        cornerstones = await toolbox.list_cornerstones()
        cornerstone_labels = {c.slug: f"{c.number}. {c.title}" for c in cornerstones}
        instrument_labels = {i.slug: i.title for c in cornerstones for i in c.instruments}
        result_type = _choice(TYPE_PARAMS, typ, "typ")
        status_code = _choice(STATUS_PARAMS, status, "status")
        currency = _choice(CURRENCY_PARAMS, stand, "stand")
        if eckpunkt and eckpunkt not in cornerstone_labels:
            raise InvalidInput.for_field("eckpunkt", UNKNOWN_VALUE)
        if instrument and instrument not in instrument_labels:
            raise InvalidInput.for_field("instrument", UNKNOWN_VALUE)
        page = _page_number(seite)
        params = {
            "q": text,
            "typ": typ or "",
            "eckpunkt": eckpunkt or "",
            "instrument": instrument or "",
            "status": status or "",
            "stand": stand or "",
        }
        response = await search.search(
            actor,
            state.search,
            text,
            type=ResultType(result_type) if result_type else None,
            cornerstone=eckpunkt or None,
            instrument=instrument or None,
            status=status_code,
            currency=currency,
            page=page,
            limit=PAGE_SIZE,
            behind=state.search_worker.status.failing,
        )
        facets = [
            _facet("typ", "Art", response.facets.type, TYPE_LABELS, params, PARAM_OF_TYPE),
            _facet("eckpunkt", "Eckpunkt", response.facets.cornerstone, cornerstone_labels, params),
            _facet(
                "instrument", "Instrument", response.facets.instrument, instrument_labels, params
            ),
            _facet(
                "status", "Status", response.facets.status, STATUS_LABELS, params, PARAM_OF_STATUS
            ),
            _facet(
                "stand",
                "Rechtsstand",
                response.facets.currency,
                CURRENCY_LABELS,
                params,
                PARAM_OF_CURRENCY,
            ),
        ]
        active = [
            ActiveFilter(label=f"{legend}: {label}", remove_url=_url({**params, key: ""}))
            for key, legend, label in (
                ("typ", "Art", TYPE_LABELS.get(result_type or "", "")),
                ("eckpunkt", "Eckpunkt", cornerstone_labels.get(eckpunkt or "", "")),
                ("instrument", "Instrument", instrument_labels.get(instrument or "", "")),
                ("status", "Status", STATUS_LABELS.get(status_code or "", "")),
                ("stand", "Rechtsstand", CURRENCY_LABELS.get(currency or "", "")),
            )
            if params[key]
        ]
        pages = max(1, ceil(response.total / PAGE_SIZE))
        last_page = min(pages, MAX_PAGE)
        return Template(
            "search/results.html",
            context={
                "search_query": text,
                "params": params,
                "response": response,
                "facets": [f for f in facets if f.options],
                "active_filters": active,
                "cornerstone_labels": cornerstone_labels,
                "instrument_labels": instrument_labels,
                "type_badges": TYPE_BADGES,
                "status_labels": STATUS_LABELS,
                "page": page,
                "pages": pages,
                "previous_url": _url({**params, "seite": str(page - 1) if page > 2 else ""})
                if page > 1
                else None,
                "next_url": _url({**params, "seite": str(page + 1)}) if page < last_page else None,
                "first_result": (page - 1) * PAGE_SIZE + 1,
                "last_result": (page - 1) * PAGE_SIZE + len(response.hits),
                "reset_url": _url({"q": text}),
                "ask_url": "/fragen/neu?" + urlencode({"titel": text}) if text else "/fragen/neu",
            },
        )
