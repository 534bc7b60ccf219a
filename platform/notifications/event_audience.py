"""Who hears of what happens to an event (Veranstaltung): its registered people of an edit or
a cancellation, a person who moved up from the waiting list, the confirmed participants of
the reminder a day before. Events are visible to every member, so nobody is dropped for
visibility; the events domain answers about the rows (`events.audience`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fachaustausch.events import audience as events
from fachaustausch.notifications.expansion import Expansion
from fachaustausch.notifications.kinds import Kind

# The names `events.changes` gives to what an edit changed.
CHANGE_LABELS = {
    "time": "Zeit",
    "place": "Ort",
    "online_url": "Link zur Teilnahme",
    "title": "Titel",
    "kind": "Art",
    "description": "Beschreibung",
    "programme": "Programm",
}


def _users(event: dict[str, Any]) -> set[int]:
    found = event["payload"].get("user_ids", [])
    return {int(u) for u in found} if isinstance(found, list) else set()


async def _facts(event: dict[str, Any]) -> tuple[events.EventFacts, Expansion] | None:
    facts = await events.event(event["target_id"])
    if facts is None:
        return None
    return facts, Expansion("event", facts.id, "event", facts.id, facts.title)


async def changed(event: dict[str, Any]) -> Expansion | None:
    """A new time, place, link or programme concerns everyone registered, the waiting list
    included; new materials (after the event) those who had a place."""
    found = await _facts(event)
    if found is None:
        return None
    facts, exp = found
    payload = event["payload"]
    names = [CHANGE_LABELS[n] for n in payload.get("changed", []) if n in CHANGE_LABELS]
    if names:
        if payload.get("materials"):
            names.append("Materialien")
        exp.add(
            facts.registered,
            Kind.event_changed,
            f"Die Veranstaltung „{facts.title}“ ({facts.time_label}) wurde geändert: "
            + ", ".join(names),
        )
    elif payload.get("materials"):
        exp.add(
            facts.confirmed,
            Kind.event_changed,
            f"Zur Veranstaltung „{facts.title}“ ({facts.time_label}) gibt es neue Materialien",
        )
    return exp


async def cancelled(event: dict[str, Any]) -> Expansion | None:
    found = await _facts(event)
    if found is None:
        return None
    facts, exp = found
    exp.add(
        facts.registered,
        Kind.event_changed,
        f"Die Veranstaltung „{facts.title}“ ({facts.time_label}) wurde abgesagt",
    )
    return exp


async def _to_confirmed(
    event: dict[str, Any], kind: Kind, text: Callable[[events.EventFacts], str]
) -> Expansion | None:
    """The people the event names who still hold a confirmed place, unless it was cancelled:
    one who withdrew meanwhile hears nothing."""
    found = await _facts(event)
    if found is None:
        return None
    facts, exp = found
    if not facts.cancelled:
        exp.add(_users(event) & facts.confirmed, kind, text(facts))
    return exp


async def moved_up(event: dict[str, Any]) -> Expansion | None:
    return await _to_confirmed(
        event,
        Kind.event_moved_up,
        lambda facts: (
            f"Ein Platz ist frei geworden: Ihre Anmeldung zur Veranstaltung "
            f"„{facts.title}“ ({facts.time_label}) ist jetzt bestätigt"
        ),
    )


async def reminder(event: dict[str, Any]) -> Expansion | None:
    return await _to_confirmed(
        event,
        Kind.event_reminder,
        lambda facts: (
            f"Erinnerung: Die Veranstaltung „{facts.title}“ findet am {facts.time_label} statt"
        ),
    )
