"""Error pages: anonymous visitors go to the login page, everything else gets a German page."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.response import Redirect, Template

from fachaustausch.core.errors import DomainError, NotAuthenticated
from fachaustausch.web.expired import expired_page

log = logging.getLogger(__name__)

_PAGES = {
    400: ("Ungültige Anfrage", "Die Anfrage konnte nicht verarbeitet werden."),
    403: ("Keine Berechtigung", "Dafür fehlt Ihnen die Berechtigung."),
    404: ("Seite nicht gefunden", "Diese Seite gibt es nicht oder nicht mehr."),
    405: ("Nicht erlaubt", "Diese Aktion ist an dieser Adresse nicht möglich."),
    429: ("Zu viele Anfragen", "Bitte warten Sie einen Moment und versuchen Sie es erneut."),
    500: (
        "Interner Fehler",
        "Ein interner Fehler ist aufgetreten. Bitte versuchen Sie es später erneut.",
    ),
}
NOT_UTF_8 = (
    "Das Formular enthält Zeichen, die nicht UTF-8-kodiert sind. Bitte laden Sie die Seite "
    "neu und senden Sie es erneut."
)
CSRF_MESSAGE = (
    "Die Sicherheitsprüfung ist fehlgeschlagen, vermutlich weil die Seite zu lange offen war. "
    "Bitte gehen Sie zurück, laden Sie die Seite neu und senden Sie das Formular erneut."
)


def error_page(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    csrf_failed = isinstance(exc, HTTPException) and "CSRF" in str(exc.detail)
    if request.method == "POST" and (csrf_failed or isinstance(exc, NotAuthenticated)):
        # A form sent after the session or the CSRF cookie ran out: keep what was typed.
        return expired_page(request, fresh_csrf=csrf_failed)
    if isinstance(exc, DomainError):
        status, detail = exc.status_code, exc.detail
    elif isinstance(exc, UnicodeDecodeError):
        # A multipart form with a part that is no UTF-8 (Litestar decodes those strictly;
        # URL-encoded forms arrive with U+FFFD, which the input models refuse per field).
        status, detail = 400, NOT_UTF_8
    elif isinstance(exc, HTTPException):
        status = exc.status_code
        detail = CSRF_MESSAGE if csrf_failed else _PAGES.get(status, _PAGES[400])[1]
    else:
        log.exception("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        status, detail = 500, _PAGES[500][1]
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return Redirect(f"/anmelden?weiter={quote(target)}")
    title = _PAGES.get(status, _PAGES[400])[0]
    return Template(
        "error.html",
        context={"status": status, "title": title, "detail": detail},
        status_code=status,
    )
