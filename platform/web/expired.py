"""The page for a form sent after the session or the CSRF cookie expired: a German
explanation, the user's text, and the way back to the form with it (web/drafts.py)."""

from __future__ import annotations

import hmac
from typing import Any

from litestar import Request, Response
from litestar.datastructures import Cookie
from litestar.middleware.csrf import (
    CSRF_SECRET_LENGTH,
    generate_csrf_hash,
    generate_csrf_token,
)
from litestar.response import Redirect, Template
from litestar.utils.scope.state import ScopeState

from fachaustausch.http.security import SESSION_USER_KEY
from fachaustausch.settings import Settings
from fachaustausch.web import drafts
from fachaustausch.web.forms import Form

EXPIRED = "Ihre Sitzung ist abgelaufen, vermutlich weil die Seite lange offen war."
CSRF_COOKIE = "csrftoken"  # Litestar's CSRFConfig default, as app.py uses it


def _signed_token(token: str, secret: str) -> bool:
    """Whether `token` is a CSRF token this app signed (Litestar's format: a random hex
    secret, then its HMAC)."""
    body, signature = token[:CSRF_SECRET_LENGTH], token[CSRF_SECRET_LENGTH:]
    return len(body) == CSRF_SECRET_LENGTH and hmac.compare_digest(
        signature, generate_csrf_hash(body, secret)
    )


def _signed_in(request: Request[Any, Any, Any]) -> bool:
    session = request.scope.get("session")
    return isinstance(session, dict) and isinstance(session.get(SESSION_USER_KEY), int)


def expired_page(request: Request[Any, Any, Any], *, fresh_csrf: bool) -> Response[Any]:
    """The form's input kept (never a password), with a German explanation; without a
    session a login form that brings the user back to the form with it, with one (only the
    CSRF cookie was gone) a button that does. A lost CSRF cookie gets a new one, so the
    page's own form can be sent."""
    if request.url.path == "/abmelden":
        return Redirect("/anmelden")  # signing out of a session that has ended already
    cookies: list[Cookie] = []
    if fresh_csrf:
        settings: Settings = request.app.state.settings
        token = request.cookies.get(CSRF_COOKIE, "")
        if not _signed_token(token, settings.resolved_secret_key):
            # The cookie is gone (or not ours): a new one. A cookie that is still good stays,
            # so the forms in the user's other tabs keep working.
            token = generate_csrf_token(settings.resolved_secret_key)
            cookies.append(
                Cookie(
                    key=CSRF_COOKIE,
                    value=token,
                    path="/",
                    secure=settings.base_url.startswith("https://"),
                    httponly=False,
                    samesite="lax",
                )
            )
        ScopeState.from_scope(request.scope).csrf_token = token  # read by csrf_input
    form_values = ScopeState.from_scope(request.scope).form
    email = form_values.get("email", "") if isinstance(form_values, dict) else ""
    if request.url.path == "/anmelden":
        # The login form itself: only a draft it was carrying is kept, not its fields.
        kept = form_values.get(drafts.DRAFT_FIELD) if isinstance(form_values, dict) else None
        draft = drafts.Draft.from_field(kept)
    else:
        draft = drafts.of_refused_post(request)
    signed_in = fresh_csrf and _signed_in(request) and request.url.path != "/anmelden"
    weiter = form_values.get("weiter") if isinstance(form_values, dict) else None
    next_page = draft.page if draft else drafts.local_path(weiter) or "/"
    return Template(
        "auth/expired.html" if signed_in else "auth/login.html",
        context={
            "form": Form(values={"email": email if isinstance(email, str) else ""}),
            "next": next_page,
            "draft": draft,
            "expired": EXPIRED,
        },
        status_code=403 if signed_in else 401,
        cookies=cookies,
    )
