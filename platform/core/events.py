"""The domain-event log: a domain records "this happened" inside its own write transaction,
one row per event and nothing else on the request's path; the notifications worker later
expands each row into notifications for everyone concerned. No domain imports
notifications/, as none imports search/."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from piccolo.columns import JSON, Integer, Serial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from fachaustausch.core import clock


class EventKind(StrEnum):
    question_created = "question_created"
    answer_created = "answer_created"
    comment_created = "comment_created"
    answer_accepted = "answer_accepted"
    consultation_invited = "consultation_invited"
    consultation_phase_changed = "consultation_phase_changed"
    consultation_post_created = "consultation_post_created"
    content_hidden = "content_hidden"
    content_restored = "content_restored"
    flag_created = "flag_created"
    registration_created = "registration_created"
    registration_approved = "registration_approved"
    # A change in the law put a question or answer up for review (payload: change, title,
    # provisions).
    review_requested = "review_requested"
    event_changed = "event_changed"
    event_cancelled = "event_cancelled"
    event_moved_up = "event_moved_up"
    event_reminder = "event_reminder"


class DomainEvent(Table):
    id: Serial
    kind = Varchar(length=40)
    # What the event is about: question, answer, comment, consultation, consultation_post,
    # flag, user, event (a Veranstaltung).
    target_type = Varchar(length=30)
    target_id = Integer()
    # None: the system acted (the personal-data scan, an automatic hide).
    actor_id = Integer(null=True, default=None)
    payload = JSON(default="{}")
    created_at = Timestamptz(default=TimestamptzNow())
    # Set by the notifications worker in the transaction that wrote the event's
    # notifications: an event is expanded exactly once.
    processed_at = Timestamptz(null=True, default=None)


async def record(
    kind: EventKind,
    target_type: str,
    target_id: int,
    actor_id: int | None,
    **payload: Any,
) -> None:
    """Call inside the domain's write transaction, so the change and its event commit
    together. `payload` holds what the notifications need beyond the target (the question
    of an answer, the reason of a hide) and must be JSON."""
    await DomainEvent.insert(
        DomainEvent(
            kind=kind,
            target_type=target_type,
            target_id=target_id,
            actor_id=actor_id,
            payload=payload,
            created_at=clock.now(),
        )
    ).run()
