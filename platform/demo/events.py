"""Demo events (Veranstaltungen): the kinds the model project runs, a few weeks ahead of the
day the demo is seeded, written through the events service (so its rules and the
personal-data guard apply) and with registrations of the demo accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from fachaustausch.core import clock
from fachaustausch.demo.accounts import principal_by_email
from fachaustausch.events import service as events
from fachaustausch.events.models import EventInput, Kind, ProgrammeItemInput
from fachaustausch.events.tables import Event

BERLIN = ZoneInfo("Europe/Berlin")


@dataclass(frozen=True)
class DemoEvent:
    kind: Kind
    title: str
    description: str
    days_ahead: int
    starts: time
    ends: time
    capacity: int
    cornerstone: str
    instruments: tuple[str, ...]
    programme: tuple[tuple[time, str], ...]
    place: str = ""
    land: str = ""
    online_url: str = ""
    registered: tuple[str, ...] = ()


DEMO_EVENTS = (
    DemoEvent(
        kind=Kind.site_visit,
        title="Besichtigung der Ausländerbehörde Weimar",
        description="Wie sieht ein Service-Point mit Front- und Back-Office im Wechsel aus? "
        "Die Modellbehörde Weimar zeigt ihre Räume, ihr Leitsystem und den Wartebereich "
        "und berichtet von den ersten Monaten.",
        days_ahead=12,
        starts=time(9, 15),
        ends=time(12, 30),
        capacity=20,
        cornerstone="binnenorganisation",
        instruments=("service-point-front-office", "front-und-back-office-im-wechsel"),
        programme=(
            (time(9, 15), "Begrüßung und Vorstellung der Modellbehörde"),
            (time(10, 0), "Rundgang: Service-Point, Wartebereich, Leitsystem"),
            (time(11, 30), "Fragen und Austausch"),
        ),
        place="Ausländerbehörde Weimar, Schwanseestraße 17, 99423 Weimar",
        land="Thüringen",
        registered=("mitglied@leipzig.de",),
    ),
    DemoEvent(
        kind=Kind.training,
        title="Schulung: Gesetzliche Gestaltungsmöglichkeiten nutzen",
        description="Ermessen, Fiktionsbescheinigung, beschleunigtes Fachkräfteverfahren: "
        "wo das Aufenthaltsrecht Spielraum lässt und wie Modellbehörden ihn einsetzen.",
        days_ahead=26,
        starts=time(10, 0),
        ends=time(15, 0),
        capacity=25,
        cornerstone="kompetenzen-mitarbeitende",
        instruments=("interkulturelle-trainings-und-reflexion-der-haltung",),
        programme=(
            (time(10, 0), "Einführung in die Gestaltungsspielräume"),
            (time(12, 0), "Mittagspause"),
            (time(13, 0), "Fallarbeit in kleinen Gruppen"),
        ),
        place="Bundesamt für Migration und Flüchtlinge, Frankenstraße 210, 90461 Nürnberg",
        land="Bayern",
    ),
    DemoEvent(
        kind=Kind.online,
        title="Online-Netzwerktreffen: Terminsysteme im Vergleich",
        description="Drei Modellbehörden stellen ihre Terminsysteme vor; danach tauschen "
        "wir Erfahrungen mit Online-Terminen und Wartezeiten aus.",
        days_ahead=40,
        starts=time(14, 0),
        ends=time(16, 0),
        capacity=60,
        cornerstone="binnenorganisation",
        instruments=("terminsystem",),
        programme=(
            (time(14, 0), "Kurzvorträge der Modellbehörden"),
            (time(15, 0), "Austausch in Gruppen"),
        ),
        online_url="https://konferenz.example.de/netzwerktreffen-terminsysteme",
        registered=("expertin@weimar.de", "mitglied@leipzig.de"),
    ),
)


def _at(day: datetime, at: time) -> datetime:
    return datetime.combine(day.date(), at, tzinfo=BERLIN)


async def seed_demo_events(organiser_email: str = "moderation@bamf.bund.de") -> int:
    """Creates the demo events whose titles do not exist yet, dated from today; returns
    how many it created."""
    organiser = await principal_by_email(organiser_email)
    today = clock.now().astimezone(BERLIN)
    created = 0
    for item in DEMO_EVENTS:
        if await Event.exists().where(Event.title == item.title).run():
            continue
        day = today + timedelta(days=item.days_ahead)
        event_id = await events.create(
            organiser,
            EventInput(
                kind=item.kind,
                title=item.title,
                description=item.description,
                starts_at=_at(day, item.starts),
                ends_at=_at(day, item.ends),
                place=item.place,
                online_url=item.online_url,
                land=item.land,
                capacity=item.capacity,
                registration_deadline=_at(day - timedelta(days=3), time(23, 59)),
                cornerstone=item.cornerstone,
                instruments=list(item.instruments),
                programme=[
                    ProgrammeItemInput(starts_at=_at(day, at), title=title)
                    for at, title in item.programme
                ],
            ),
        )
        for email in item.registered:
            await events.register(await principal_by_email(email), event_id)
        created += 1
    return created
