"""Kinds of notification, how each may be delivered, and the defaults. Pure: no database."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    routed_question = "routed_question"
    mention = "mention"
    new_answer = "new_answer"
    comment = "comment"
    answer_accepted = "answer_accepted"
    followed_topic = "followed_topic"
    consultation_invited = "consultation_invited"
    consultation_phase = "consultation_phase"
    consultation_post = "consultation_post"
    moderation = "moderation"
    registration_approved = "registration_approved"
    new_registration = "new_registration"
    new_flag = "new_flag"
    content_review = "content_review"
    event_changed = "event_changed"
    event_moved_up = "event_moved_up"
    event_reminder = "event_reminder"


class Delivery(StrEnum):
    off = "off"
    app = "app"
    immediate = "immediate"
    daily = "daily"
    weekly = "weekly"

    @property
    def label(self) -> str:
        return DELIVERY_LABELS[self]

    @property
    def digest(self) -> bool:
        return self in (Delivery.daily, Delivery.weekly)


DELIVERY_LABELS = {
    Delivery.off: "aus",
    Delivery.app: "nur hier auf der Plattform",
    Delivery.immediate: "sofort per E-Mail",
    Delivery.daily: "tägliche Zusammenfassung per E-Mail",
    Delivery.weekly: "wöchentliche Zusammenfassung per E-Mail",
}


@dataclass(frozen=True, slots=True)
class KindInfo:
    label: str  # the settings page's row
    default: Delivery
    moderators_only: bool = False


KINDS: dict[Kind, KindInfo] = {
    Kind.routed_question: KindInfo(
        "Neue Fragen zu meinen Instrumenten oder an meine Behörde", Delivery.immediate
    ),
    Kind.mention: KindInfo("Erwähnungen (@Kennung)", Delivery.immediate),
    Kind.new_answer: KindInfo("Neue Antworten auf Fragen, denen ich folge", Delivery.daily),
    Kind.comment: KindInfo("Kommentare zu meinen Beiträgen", Delivery.daily),
    Kind.answer_accepted: KindInfo("Meine Antwort wurde akzeptiert", Delivery.daily),
    Kind.followed_topic: KindInfo(
        "Neue Fragen zu Instrumenten und Eckpunkten, denen ich folge", Delivery.daily
    ),
    Kind.consultation_invited: KindInfo("Einladungen zu Fallberatungen", Delivery.daily),
    Kind.consultation_phase: KindInfo("Phasenwechsel in meinen Fallberatungen", Delivery.daily),
    Kind.consultation_post: KindInfo("Neue Beiträge in meinen Fallberatungen", Delivery.daily),
    Kind.moderation: KindInfo(
        "Meine Beiträge wurden ausgeblendet oder wieder eingeblendet", Delivery.daily
    ),
    Kind.registration_approved: KindInfo("Mein Konto wurde freigeschaltet", Delivery.daily),
    Kind.new_registration: KindInfo(
        "Neue Registrierungen (Moderation)", Delivery.daily, moderators_only=True
    ),
    Kind.new_flag: KindInfo("Neue Meldungen (Moderation)", Delivery.daily, moderators_only=True),
    Kind.content_review: KindInfo(
        "Beiträge, die nach einer Rechtsänderung zu prüfen sind", Delivery.daily
    ),
    # A changed time or a free place is news for the next days: a digest could come late.
    Kind.event_changed: KindInfo(
        "Änderungen und Absagen von Veranstaltungen, für die ich angemeldet bin",
        Delivery.immediate,
    ),
    Kind.event_moved_up: KindInfo(
        "Mein Platz von der Warteliste einer Veranstaltung ist bestätigt", Delivery.immediate
    ),
    Kind.event_reminder: KindInfo(
        "Erinnerung einen Tag vor einer Veranstaltung, für die ich angemeldet bin",
        Delivery.immediate,
    ),
}


def kinds_for(is_moderator: bool) -> list[Kind]:
    """The kinds a person can receive, in the settings page's order."""
    return [k for k, info in KINDS.items() if is_moderator or not info.moderators_only]
