"""Domain errors. Services raise them with a German message; api/ turns them into
RFC 9457 problem details and web/ into a page or form messages."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One field at fault: `field` is the dotted input name (`title`, `instruments.2`).
    `details` are machine-readable facts about the fault that an API answer lists beside
    the message (the personal-data guard's findings with their positions)."""

    field: str
    message: str
    details: Mapping[str, Any] | None = dataclasses.field(default=None, compare=False)


@dataclass
class DomainError(Exception):
    detail: str
    status_code: int = 400
    title: str = "Ungültige Anfrage"
    errors: list[FieldError] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.detail


class InvalidInput(DomainError):
    def __init__(self, detail: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail, 422, "Eingaben unvollständig oder fehlerhaft", errors or [])

    @classmethod
    def for_field(cls, name: str, message: str) -> InvalidInput:
        return cls(message, [FieldError(name, message)])


class NotAuthenticated(DomainError):
    def __init__(self, detail: str = "Bitte melden Sie sich an.") -> None:
        super().__init__(detail, 401, "Anmeldung erforderlich")


class PermissionDenied(DomainError):
    def __init__(self, detail: str = "Dafür fehlt Ihnen die Berechtigung.") -> None:
        super().__init__(detail, 403, "Keine Berechtigung")


class NotFound(DomainError):
    def __init__(self, detail: str = "Der Eintrag wurde nicht gefunden.") -> None:
        super().__init__(detail, 404, "Nicht gefunden")


class Conflict(DomainError):
    def __init__(self, detail: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(detail, 409, "Konflikt", errors or [])


class TooManyRequests(DomainError):
    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(
            detail, 429, "Zu viele Versuche", headers={"Retry-After": str(max(retry_after, 1))}
        )
