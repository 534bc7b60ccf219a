"""What a user typed into a form whose session ran out: kept, shown again, and put back into
the form once they are signed in again.

A form sent after the session or the CSRF cookie expired reaches no handler (error
pages, web/errors.py). Its fields, which the CSRF check has already read, travel on as one
hidden field of the page that explains the expiry (`entwurf`, JSON), so nothing is stored
for a visitor nobody knows. Signing in there (or, still signed in, "Zurück zum Formular")
puts the draft into the new session under the form's page; that page's handler takes it
out once (`restored`) and fills the form with it. Nothing is sent on the user's behalf:
they see their text in the form and send it themselves, so a form posted from another site
gains nothing by a draft."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from litestar import Request
from litestar.types import Empty
from litestar.utils.scope.state import ScopeState

DRAFT_FIELD = "entwurf"  # the hidden field carrying a draft through the expiry page
SESSION_KEY = "draft"
# Bigger drafts are not kept (the longest text a form takes is 20,000 characters).
MAX_CHARS = 100_000
MAX_FIELDS = 60
# Never kept: secrets, and the fields that only steer the form.
NOT_KEPT = frozenset(
    {"_csrf_token", "password", "current_password", "new_password", "weiter", DRAFT_FIELD}
)
# Forms whose POST address has no page of its own: after a refused send the browser shows
# the POST address, so a Referer pointing there means the form's page is this one.
_FORM_PAGES = (
    (re.compile(r"^(/fragen/\d+)/antworten$"), r"\1"),
    (re.compile(r"^(/(?:fragen|antworten)/\d+)/kommentare$"), r"\1/kommentieren"),
    (re.compile(r"^(/fallberatungen/\d+)/(?:beitraege|schluesselfrage|methode|einladen)$"), r"\1"),
)
# German names of the fields a draft may show; others show as "Eingabe".
FIELD_LABELS = {
    "title": "Titel",
    "body": "Text",
    "summary": "Fallzusammenfassung",
    "key_question": "Schlüsselfrage",
    "text": "Erläuterung",
    "reason": "Begründung",
    "name": "Name",
}

Value = str | list[str]


def local_path(value: Any) -> str | None:
    """A path on this site (no other host, no scheme, no line breaks), else None."""
    if (
        isinstance(value, str)
        and value.startswith("/")
        and not value.startswith("//")
        and not any(c in value for c in "\\\r\n")
        and len(value) <= 2000
    ):
        return value
    return None


@dataclass(frozen=True)
class Draft:
    page: str  # path and query of the page the form is on
    values: dict[str, Value]

    def as_field(self) -> str:
        return json.dumps({"seite": self.page, "felder": self.values}, ensure_ascii=False)

    def as_session(self) -> dict[str, Any]:
        return {"page": self.page, "values": self.values}

    @property
    def texts(self) -> list[tuple[str, str]]:
        """(German label, text) of what the user wrote, for the expiry page to show."""
        return [
            (FIELD_LABELS.get(name, "Eingabe"), value)
            for name, value in self.values.items()
            if isinstance(value, str) and name in FIELD_LABELS and value.strip()
        ]

    @classmethod
    def from_field(cls, text: Any) -> Draft | None:
        """The draft of a hidden field, or None when it is missing or malformed."""
        if not isinstance(text, str) or len(text) > 2 * MAX_CHARS:
            return None
        try:
            data = json.loads(text)
        except ValueError:
            return None
        if not isinstance(data, dict):
            return None
        page = local_path(data.get("seite"))
        values = _clean(data.get("felder"))
        return cls(page, values) if page is not None and values is not None else None


def _clean(raw: Any) -> dict[str, Value] | None:
    """Form values as kept: strings and lists of strings, no secrets, within the bounds."""
    if not isinstance(raw, dict):
        return None
    values: dict[str, Value] = {}
    for name, value in raw.items():
        if not isinstance(name, str) or name in NOT_KEPT or name.startswith("_"):
            continue
        if isinstance(value, str):
            values[name] = value
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            values[name] = list(value)
    size = sum(len(v) if isinstance(v, str) else sum(map(len, v)) for v in values.values())
    if len(values) > MAX_FIELDS or size > MAX_CHARS:
        return None
    return values


def form_page(request: Request[Any, Any, Any]) -> str:
    """The page a refused POST's form is on: where the browser was (Referer, same site),
    or the page that POST address belongs to."""
    post_path = request.url.path
    referer = urlsplit(request.headers.get("referer", ""))
    if referer.netloc == request.url.netloc and referer.path and referer.path != post_path:
        page = local_path(referer.path + (f"?{referer.query}" if referer.query else ""))
        if page:
            return page
    for pattern, replacement in _FORM_PAGES:
        if pattern.match(post_path):
            return pattern.sub(replacement, post_path)
    return post_path


def of_refused_post(request: Request[Any, Any, Any]) -> Draft | None:
    """The draft of a form POST that reached no handler, read from the form the CSRF check
    parsed (a draft sent back from the expiry page itself is taken as it is)."""
    form = ScopeState.from_scope(request.scope).form
    if form is Empty or not isinstance(form, dict):
        return None
    if DRAFT_FIELD in form:
        return Draft.from_field(form[DRAFT_FIELD])
    values = _clean(form)
    return Draft(form_page(request), values) if values else None


def keep(session: dict[str, Any], draft: Draft | None) -> None:
    """Puts the draft into a (new) session, for its page to take out."""
    if draft is not None:
        session[SESSION_KEY] = draft.as_session()


def restored(request: Request[Any, Any, Any]) -> dict[str, Value] | None:
    """The values of a draft kept for this page, taken out of the session (once)."""
    session = request.scope.get("session")
    if not isinstance(session, dict):
        return None
    kept = session.get(SESSION_KEY)
    if not isinstance(kept, dict):
        return None
    page = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    if kept.get("page") != page:
        return None
    session.pop(SESSION_KEY)
    return _clean(kept.get("values"))
