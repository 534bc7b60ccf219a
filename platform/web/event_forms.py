"""The form to create or edit an event: a German date and clock times on the page, turned
into the ISO 8601 times with offset the events service reads (the same input model as the
API), and its messages mapped back to the form's fields."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from litestar.response import Template

from fachaustausch.core.schemas import MAX_INSTRUMENTS
from fachaustausch.events.models import KIND_LABELS, LANDS, EventInput, EventOut
from fachaustausch.events.times import BERLIN
from fachaustausch.toolbox import queries as toolbox
from fachaustausch.web.forms import Form, validate

_CLOCK = re.compile(r"^\s*(\d{1,2})[.:](\d{2})(?:\s*Uhr)?\s*(.*)$")
BAD_DATE = "Bitte geben Sie ein Datum an (TT.MM.JJJJ)."
BAD_TIME = "Bitte geben Sie eine Uhrzeit an, z. B. 9.15."
BAD_PROGRAMME = (
    "Bitte beginnen Sie jede Zeile des Programms mit einer Uhrzeit, z. B. „9.15 Begrüßung“."
)
# Where the service's and the model's messages are shown on the form.
_FIELD_OF = {
    "starts_at": "start_time",
    "ends_at": "end_time",
    "registration_deadline": "deadline_date",
    "body": "title",
}


def _date(text: str) -> date | None:
    text = text.strip()
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _time(text: str) -> time | None:
    match = _CLOCK.match(text or "")
    if not match or match.group(3):
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    return time(hour, minute) if hour < 24 and minute < 60 else None


def _local(day: date, clock: time) -> str:
    return datetime.combine(day, clock, tzinfo=BERLIN).isoformat()


def _programme(text: str, day: date) -> list[dict[str, str]] | None:
    items = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            continue
        match = _CLOCK.match(line)
        if not match or not match.group(3):
            return None
        hour, minute = int(match.group(1)), int(match.group(2))
        if hour > 23 or minute > 59:
            return None
        items.append({"starts_at": _local(day, time(hour, minute)), "title": match.group(3)})
    return items


def read_event_form(raw: dict[str, Any]) -> tuple[EventInput | None, Form[Any]]:
    """The form's values as the API's input, or None and the form with its messages."""
    values = {k: v.replace("\r\n", "\n") if isinstance(v, str) else v for k, v in raw.items()}
    instruments = values.get("instruments", [])
    values["instruments"] = [instruments] if isinstance(instruments, str) else list(instruments)
    errors: dict[str, str] = {}
    day = _date(values.get("date", ""))
    end_day = _date(values.get("end_date") or "") if values.get("end_date") else day
    deadline_day = _date(values.get("deadline_date", ""))
    start, end = _time(values.get("start_time", "")), _time(values.get("end_time", ""))
    deadline_time = _time(values.get("deadline_time") or "23.59")
    for name, value, message in (
        ("date", day, BAD_DATE),
        ("end_date", end_day, BAD_DATE),
        ("deadline_date", deadline_day, BAD_DATE),
        ("start_time", start, BAD_TIME),
        ("end_time", end, BAD_TIME),
        ("deadline_time", deadline_time, BAD_TIME),
    ):
        if value is None:
            errors[name] = message
    programme = _programme(values.get("programme", ""), day) if day else []
    if programme is None:
        errors["programme"] = BAD_PROGRAMME
    model: dict[str, Any] = {
        key: values[key]
        for key in ("kind", "title", "description", "place", "online_url", "land", "capacity")
        if values.get(key) not in (None, "")
    }
    model["cornerstone"] = values.get("cornerstone") or ""
    model["instruments"] = values["instruments"]
    model["programme"] = programme or []
    if day and end_day and start and end and deadline_day and deadline_time:
        model["starts_at"] = _local(day, start)
        model["ends_at"] = _local(end_day, end)
        model["registration_deadline"] = _local(deadline_day, deadline_time)
    if errors:
        form: Form[Any] = Form(values=values, errors=errors)
        form.message = "Bitte prüfen Sie die markierten Felder."
        return None, form
    data, form = validate(EventInput, model)
    form.values = values
    if data is None:
        relocate(form)
    return data, form


def relocate(form: Form[Any]) -> Form[Any]:
    """Moves messages about the model's fields to the form's fields that show them."""
    moved: dict[str, str] = {}
    for name, message in form.errors.items():
        if name == "cornerstone" and not form.values.get("cornerstone"):
            message = "Bitte wählen Sie einen Eckpunkt."
        moved.setdefault(_FIELD_OF.get(name, name), message)
    form.errors = moved
    return form


def _clock(value: datetime) -> str:
    return f"{value.hour}.{value.minute:02d}"


def values_of(event: EventOut) -> dict[str, Any]:
    """An event as the edit form's values, in Berlin time."""
    start, end = event.starts_at.astimezone(BERLIN), event.ends_at.astimezone(BERLIN)
    deadline = event.registration_deadline.astimezone(BERLIN)
    return {
        "kind": event.kind.value,
        "title": event.title,
        "description": event.description,
        "date": start.strftime("%d.%m.%Y"),
        "start_time": _clock(start),
        "end_date": end.strftime("%d.%m.%Y") if end.date() != start.date() else "",
        "end_time": _clock(end),
        "place": event.place,
        "online_url": event.online_url or "",
        "land": event.land,
        "capacity": str(event.capacity),
        "deadline_date": deadline.strftime("%d.%m.%Y"),
        "deadline_time": _clock(deadline),
        "cornerstone": event.cornerstone.slug,
        "instruments": [i.slug for i in event.instruments],
        "programme": "\n".join(
            f"{_clock(p.starts_at.astimezone(BERLIN))} {p.title}" for p in event.programme
        ),
        "materials": event.materials,
    }


async def form_page(
    form: Form[Any], *, event: EventOut | None = None, status_code: int = 200
) -> Template:
    cornerstones = await toolbox.list_cornerstones()
    return Template(
        "events/form.html",
        context={
            "form": form,
            "event": event,
            "cornerstones": cornerstones,
            "cornerstone_options": [(c.slug, f"{c.number}. {c.title}") for c in cornerstones],
            "kind_options": [(k.value, label) for k, label in KIND_LABELS.items()],
            "land_options": [(land, land) for land in LANDS],
            "max_instruments": MAX_INSTRUMENTS,
        },
        status_code=status_code,
    )
