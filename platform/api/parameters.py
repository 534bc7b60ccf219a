"""Query parameters of the API as the OpenAPI document describes them.

Litestar reads them leniently: of repeated values of a parameter that takes one
(`?land=A&land=B`) it keeps the last, and a number is a date (`until=0.5`, seconds since
1970). A request the document forbids would be answered as if it were another; these are
refused with 400 instead. No API parameter takes a list."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from urllib.parse import unquote_plus

from litestar.params import QueryParameter
from litestar.types import ASGIApp, Receive, Scope, Send

from fachaustausch.core.errors import DomainError, FieldError

REPEATED = "Dieser Parameter darf nur einmal angegeben werden."


def refuse_repeated_parameters(app: ASGIApp) -> ASGIApp:
    """Middleware of the API router (api/__init__.py)."""

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        query: bytes = scope.get("query_string", b"")
        if b"&" in query:  # one parameter cannot repeat
            seen: set[str] = set()
            for pair in query.split(b"&"):
                name = unquote_plus(pair.partition(b"=")[0].decode("latin-1"))
                if not name:
                    continue  # `a=1&&b=2`
                if name in seen:
                    raise DomainError(
                        f"Bitte prüfen Sie den Parameter „{name}“: {REPEATED}",
                        400,
                        "Ungültige Anfrage",
                        [FieldError(name, REPEATED)],
                    )
                seen.add(name)
        await app(scope, receive, send)

    return middleware


# RFC 3339, which the document's `format: date-time` means: date, time and offset.
RFC_3339 = r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
NOT_A_TIME = "Bitte geben Sie Datum und Uhrzeit mit Zeitzone an, z. B. 2026-03-01T09:00:00+01:00."
DateTimeParameter = Annotated[
    str | None,
    QueryParameter(pattern=RFC_3339, max_length=40, schema_extra={"format": "date-time"}),
]


def date_time(name: str, value: str | None) -> datetime | None:
    """A `DateTimeParameter`'s value; the pattern lets impossible dates (month 13) by."""
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value.upper())
    except ValueError:
        raise DomainError(
            f"Bitte prüfen Sie den Parameter „{name}“: {NOT_A_TIME}",
            400,
            "Ungültige Anfrage",
            [FieldError(name, NOT_A_TIME)],
        ) from None
