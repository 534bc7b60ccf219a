"""The notification mails: one notification at once, or a digest grouped by question and
consultation; each with the one-click unsubscribe link of its kind."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage

from fachaustausch.notifications import unsubscribe
from fachaustausch.notifications.audience import target_url
from fachaustausch.notifications.compose import SITE_NAME, DigestGroup, DigestItem, compose
from fachaustausch.settings import Settings

DIGEST_KIND = "digest"


@dataclass(frozen=True, slots=True)
class Letter:
    """A notification as a mail needs it."""

    id: int
    kind: str
    text: str
    target_type: str
    target_id: int
    topic_type: str
    topic_id: int
    topic_title: str


def open_url(settings: Settings, notification_id: int) -> str:
    """The link in a mail: opens the target and marks the notification read."""
    return f"{settings.base_url.rstrip('/')}/benachrichtigungen/{notification_id}"


def _unsubscribe(settings: Settings, user_id: int, kind: str) -> str:
    token = unsubscribe.make_token(settings.resolved_secret_key, user_id, kind)
    return unsubscribe.unsubscribe_url(settings.base_url, token)


def single(settings: Settings, *, to: str, name: str, user_id: int, letter: Letter) -> EmailMessage:
    subject = letter.text if len(letter.text) <= 150 else letter.text[:149] + "…"
    return compose(
        to=to,
        subject=subject,
        template="notification_single",
        context={
            "recipient_name": name,
            "sentence": letter.text,
            "target_title": letter.topic_title or SITE_NAME,
            "target_url": open_url(settings, letter.id),
        },
        base_url=settings.base_url,
        mail_from=settings.mail_from,
        unsubscribe_url=_unsubscribe(settings, user_id, letter.kind),
    )


def digest(
    settings: Settings,
    *,
    to: str,
    name: str,
    user_id: int,
    period: str,
    letters: Sequence[Letter],
) -> EmailMessage:
    """Grouped by question and consultation, in the order their first notification came;
    notifications about nothing of the kind (an account, a flag) form one group."""
    base = settings.base_url.rstrip("/")
    groups: dict[tuple[str, int], list[Letter]] = {}
    for letter in letters:
        groups.setdefault((letter.topic_type, letter.topic_id), []).append(letter)
    digest_groups = []
    for (topic_type, topic_id), members in groups.items():
        first = members[0]
        url = base + target_url(first.target_type, first.target_id, topic_type, topic_id)
        if topic_type:
            title = first.topic_title
            url = base + target_url(topic_type, topic_id, topic_type, topic_id)
        else:
            title = "Konto und Moderation"
        items = [DigestItem(text=m.text, url=open_url(settings, m.id)) for m in members]
        digest_groups.append(DigestGroup(kind=topic_type, title=title, url=url, items=items))
    label = "wöchentliche" if period == "weekly" else "tägliche"
    count = len(letters)
    subject = f"Ihre {label} Zusammenfassung: {count} neue Benachrichtigung" + (
        "en" if count != 1 else ""
    )
    return compose(
        to=to,
        subject=subject,
        template="digest",
        context={"recipient_name": name, "groups": digest_groups, "period": period},
        base_url=settings.base_url,
        mail_from=settings.mail_from,
        unsubscribe_url=_unsubscribe(settings, user_id, DIGEST_KIND),
    )
