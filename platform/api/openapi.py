"""The OpenAPI document as the API behaves: its error answers (RFC 9457 problem details, see
problems.py) and how a client signs in.

Errors every operation of a kind can answer are added here, once, from what the handler
takes (`document_errors`); those that depend on the domain's rules (403 for a rule, 404 for
an object named in the body, 409, 422 from a query, 429) are named at the handler with
`errors(…)`. tests/api/test_schemathesis.py checks the document against the answers."""

from __future__ import annotations

from litestar import Litestar
from litestar.enums import HttpMethod
from litestar.handlers import HTTPRouteHandler
from litestar.openapi import ResponseSpec
from litestar.openapi.spec import Components, SecurityRequirement, SecurityScheme
from litestar.routes import HTTPRoute
from pydantic import BaseModel, Field

from fachaustausch.api.problems import MEDIA_TYPE
from fachaustausch.http.security import PUBLIC


class ProblemFieldError(BaseModel):
    field: str = Field(description="Das Feld, z. B. `title` oder `instruments.2`.")
    message: str = Field(description="Was an diesem Feld nicht stimmt, auf Deutsch.")


class Problem(BaseModel):
    """RFC 9457 problem details; `detail` and `errors` are German and meant for people."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[ProblemFieldError] = Field(
        default_factory=list, description="Bei fehlerhaften Eingaben: jedes Feld mit Grund."
    )


DESCRIPTIONS = {
    400: "Ungültige Anfrage: ein Parameter, kein gültiges JSON, zu tief verschachtelt.",
    401: "Anmeldung erforderlich: kein, ein ungültiges oder widerrufenes Zugangstoken.",
    403: "Keine Berechtigung, oder die CSRF-Prüfung einer Sitzung ist fehlgeschlagen.",
    404: "Nicht gefunden (oder für Sie nicht sichtbar).",
    409: "Konflikt mit dem aktuellen Zustand.",
    415: "Der Körper ist nicht als JSON (`Content-Type: application/json`) gesendet.",
    422: "Eingaben unvollständig oder fehlerhaft; `errors` nennt jedes Feld.",
    429: "Zu viele Versuche; `Retry-After` nennt die Wartezeit in Sekunden.",
}


def errors(*statuses: int) -> dict[int, ResponseSpec]:
    """The problem responses a handler documents beyond those of its kind."""
    return {
        status: ResponseSpec(
            data_container=Problem,
            media_type=MEDIA_TYPE,
            description=DESCRIPTIONS[status],
            generate_examples=False,
        )
        for status in statuses
    }


# Parameters that Litestar fills from the connection, not from the client's request.
_RESERVED = {"request", "state", "scope", "headers", "cookies", "query", "body", "data"}
_UNSAFE = {HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE}


def _kind_errors(route: HTTPRoute, handler: HTTPRouteHandler) -> set[int]:
    parameters = set(handler.parsed_fn_signature.parameters) - _RESERVED
    parameters -= set(handler.resolve_dependencies())
    has_body = "data" in handler.parsed_fn_signature.parameters
    public = bool(handler.opt.get(PUBLIC))
    statuses = set()
    if parameters or has_body:
        statuses.add(400)  # a parameter out of range, or a body that is no JSON
    statuses.add(401)  # public operations too, when they are sent an invalid token
    if not public and handler.http_methods & _UNSAFE:
        statuses.add(403)  # the CSRF check of a session
    if route.path_parameters:
        statuses.add(404)
    if has_body:
        statuses |= {415, 422}
    return statuses


def document_errors(app: Litestar) -> None:
    """Adds the problem responses of each API operation's kind, and marks the public ones
    as needing no sign-in. The document is built on first request, after this."""
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            if not handler.resolve_include_in_schema():
                continue
            declared: dict[int, ResponseSpec] = dict(handler.responses or {})
            for status, spec in errors(*_kind_errors(route, handler)).items():
                declared.setdefault(status, spec)
            handler.responses = declared
            if handler.opt.get(PUBLIC):
                handler.security = [ANONYMOUS]


TOKEN, SESSION = "zugangstoken", "sitzung"
ANONYMOUS: SecurityRequirement = {}
COMPONENTS = Components(
    security_schemes={
        TOKEN: SecurityScheme(
            type="http",
            scheme="bearer",
            description="Persönliches Zugangstoken (`fa_…`), im Profil erstellt.",
        ),
        SESSION: SecurityScheme(
            type="apiKey",
            name="session",
            security_scheme_in="cookie",
            description="Sitzung nach der Anmeldung; schreibende Anfragen brauchen dazu den "
            "Header `X-CSRFToken` mit dem Wert des Cookies `csrftoken`.",
        ),
    }
)
SECURITY: list[SecurityRequirement] = [{TOKEN: []}, {SESSION: []}]
