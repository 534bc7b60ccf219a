"""RFC 9457 problem details with German texts for every error the API can answer with."""

from __future__ import annotations

import logging
from typing import Any

from asyncpg.exceptions import DataError as PostgresDataError
from litestar import Request, Response
from litestar._signature.types import ExtendedMsgSpecValidationError
from litestar.exceptions import HTTPException, ValidationException
from litestar.status_codes import HTTP_500_INTERNAL_SERVER_ERROR

from fachaustausch.core.errors import DomainError, FieldError
from fachaustausch.http.validation import field_errors

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"

_TITLES = {
    400: "Ungültige Anfrage",
    401: "Anmeldung erforderlich",
    403: "Keine Berechtigung",
    404: "Nicht gefunden",
    405: "Methode nicht erlaubt",
    409: "Konflikt",
    413: "Anfrage zu groß",
    415: "Format nicht unterstützt",
    422: "Eingaben unvollständig oder fehlerhaft",
    429: "Zu viele Anfragen",
    500: "Interner Fehler",
    503: "Dienst vorübergehend nicht verfügbar",
}
_DETAILS = {
    400: "Die Anfrage konnte nicht verarbeitet werden.",
    401: "Bitte melden Sie sich an.",
    403: "Dafür fehlt Ihnen die Berechtigung.",
    404: "Die angeforderte Adresse gibt es nicht.",
    405: "Diese Methode ist für diese Adresse nicht erlaubt.",
    413: "Die Anfrage ist zu groß.",
    415: "Bitte senden Sie die Daten als JSON (Content-Type: application/json).",
    429: "Zu viele Anfragen. Bitte warten Sie einen Moment und versuchen Sie es erneut.",
    500: "Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.",
    503: "Der Dienst ist vorübergehend nicht verfügbar.",
}
CSRF_DETAIL = (
    "Die Sicherheitsprüfung (CSRF) ist fehlgeschlagen. Bitte laden Sie die Seite neu und "
    "senden Sie das Formular erneut."
)

# msgspec's messages for query and path parameters, in German.
_PARAMETER_MESSAGES = {
    "Expected `int`": "Bitte geben Sie eine ganze Zahl an.",
    "Expected `bool`": "Bitte geben Sie true oder false an.",
    "Expected `str` matching regex": "Der Wert hat nicht das erwartete Format.",
    "Expected `str` of length <=": "Der Wert ist zu lang.",
    "Expected `str` of length >=": "Der Wert ist zu kurz.",
    "Invalid enum value": "Bitte wählen Sie einen der erlaubten Werte.",
    "Missing required": "Dieser Parameter fehlt.",
}
# Where Litestar found a faulty value: query and path parameters make a bad request (400),
# a faulty JSON body an unprocessable one (422).
_PARAMETER_SOURCES = {"query", "path", "header", "cookie"}
BODY_NOT_OBJECT = "Bitte senden Sie ein JSON-Objekt."


# The detail of the InternalServerException Litestar raises when the body stops mid-way.
CLIENT_GONE = "client disconnected prematurely"


def problem(
    status: int,
    detail: str,
    *,
    title: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[dict[str, Any]]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": title or _TITLES.get(status, "Fehler"),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = [
            {"field": e.field, "message": e.message, **(e.details or {})} for e in errors
        ]
    return Response(body, status_code=status, media_type=MEDIA_TYPE, headers=headers)


def _validation_errors(exc: ValidationException) -> list[FieldError]:
    cause = exc.__cause__
    if isinstance(cause, ExtendedMsgSpecValidationError):
        return field_errors(cause.errors)
    errors = []
    for item in exc.extra if isinstance(exc.extra, list) else []:
        key = str(item.get("key") or "body")
        if key == "data":
            # The body as a whole is missing or `null`.
            errors.append(FieldError("body", BODY_NOT_OBJECT))
            continue
        message = str(item.get("message", ""))
        german = next(
            (text for prefix, text in _PARAMETER_MESSAGES.items() if message.startswith(prefix)),
            "Der Wert ist ungültig.",
        )
        errors.append(FieldError(key, german))
    return errors


def _is_parameter_error(exc: ValidationException) -> bool:
    items = [i for i in exc.extra if isinstance(i, dict)] if isinstance(exc.extra, list) else []
    # `source` is a ParamType (a str enum) for parameters and the plain "body" for the body.
    sources = [getattr(item.get("source"), "value", item.get("source")) for item in items]
    return bool(sources) and all(source in _PARAMETER_SOURCES for source in sources)


def problem_for(request: Request[Any, Any, Any], exc: Exception) -> Response[dict[str, Any]]:
    if isinstance(exc, DomainError):
        return problem(
            exc.status_code, exc.detail, title=exc.title, errors=exc.errors, headers=exc.headers
        )
    if isinstance(exc, ValidationException):
        errors = _validation_errors(exc)
        if not errors:
            # Litestar's own body decoding: malformed JSON, wrong encoding, NUL bytes.
            return problem(400, "Die Anfrage enthält kein gültiges JSON-Objekt.")
        detail = (
            f"Bitte prüfen Sie das Feld „{errors[0].field}“: {errors[0].message}"
            if len(errors) == 1
            else "Bitte prüfen Sie die markierten Felder."
        )
        status = 400 if _is_parameter_error(exc) else 422
        return problem(status, detail, errors=errors)
    if isinstance(exc, UnicodeDecodeError):
        # A body that is not UTF-8: Litestar's JSON decoding lets this through unwrapped.
        return problem(400, "Die Anfrage ist nicht UTF-8-kodiert und enthält kein gültiges JSON.")
    if isinstance(exc, PostgresDataError):
        # Last line of defence: a value PostgreSQL cannot take (a NUL character, a number out
        # of range) is the client's fault, not a server error. Inputs should be checked before.
        log.warning("database refused a value on %s: %s", request.url.path, exc)
        return problem(400, "Die Anfrage enthält ungültige Zeichen oder Werte.")
    if isinstance(exc, HTTPException):
        status = exc.status_code
        if status == 403 and "CSRF" in str(exc.detail):
            return problem(403, CSRF_DETAIL, title="Sicherheitsprüfung fehlgeschlagen")
        if status == 400 and "JSON" in str(exc.detail):
            return problem(400, "Die Anfrage enthält kein gültiges JSON.")
        if status >= 500 and exc.detail == CLIENT_GONE:
            # Litestar's word for a client that hung up while sending: nobody reads the
            # answer, and it is not the server's fault (load tests end this way).
            log.info("client went away during %s %s", request.method, request.url.path)
        elif status >= 500:
            log.error("HTTP %s on %s: %s", status, request.url.path, exc.detail)
        return problem(
            status,
            _DETAILS.get(status, "Die Anfrage konnte nicht verarbeitet werden."),
            headers=exc.headers,
        )
    log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    return problem(HTTP_500_INTERNAL_SERVER_ERROR, _DETAILS[500])
