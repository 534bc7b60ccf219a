"""Events for the tests: a valid POST body, and creating an event through the service."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from fachaustausch.events import service
from fachaustausch.events.models import EventInput
from fachaustausch.events.times import BERLIN
from tests.factories import UserRecord


def local(days: int, hour: int = 9, minute: int = 0) -> str:
    """An ISO 8601 Berlin time `days` from today, with its offset."""
    day = datetime.now(UTC).astimezone(BERLIN).date() + timedelta(days=days)
    moment = datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN)
    return moment.isoformat()


def event_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "kind": "site_visit",
        "title": "Besichtigung der Ausländerbehörde Weimar",
        "description": "Wir zeigen den **Service-Point** und das Terminsystem.",
        "starts_at": local(30, 9, 15),
        "ends_at": local(30, 12, 30),
        "place": "Ausländerbehörde Weimar, Schwanseestraße 17, 99423 Weimar",
        "capacity": 20,
        "registration_deadline": local(20, 18),
        "cornerstone": "binnenorganisation",
        "instruments": ["terminsystem"],
    }
    body.update(changes)
    return body


async def make_event(organiser: UserRecord, **changes: Any) -> int:
    return await service.create(await organiser.principal(), EventInput(**event_body(**changes)))
