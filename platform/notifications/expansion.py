"""What a domain event becomes: the people concerned, each with the kind and sentence of
their notification, and who of them may see the target now."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from fachaustausch.notifications.kinds import Kind


@dataclass
class Expansion:
    """What an event becomes: one sentence per recipient (the first kind found for a person
    wins, so the more specific kinds are added first), and who may see the target now."""

    target_type: str
    target_id: int
    topic_type: str = ""
    topic_id: int = 0
    topic_title: str = ""
    visible_to: Callable[[int], bool] = lambda _user: True
    recipients: dict[int, tuple[Kind, str]] = field(default_factory=dict)

    def add(self, users: list[int] | set[int] | frozenset[int], kind: Kind, text: str) -> None:
        for user in sorted(users):
            self.recipients.setdefault(user, (kind, text))
