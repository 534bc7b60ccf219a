"""Everything the benchmark takes from the platform's code, in one place.

The platform's modules move now and then (a package renamed, a module split): when they do,
this file is the one to adapt. The rest of the benchmark talks to the platform over HTTP,
through its command line (CLI_MODULE) or through the names below."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from fachaustausch import piccolo_app  # noqa: F401 - routes every table to the current database
from fachaustausch.accounts import passwords
from fachaustausch.accounts.handles import handle_for
from fachaustausch.accounts.tables import Authority, User, UserInstrument
from fachaustausch.consultations.tables import (
    Consultation,
    ConsultationInstrument,
    ConsultationPost,
    Participant,
    PhaseTransition,
)
from fachaustausch.core.markdown import render as render_markdown
from fachaustausch.database import Database, migrations
from fachaustausch.database.context import make_current, reset
from fachaustausch.http.pagination import CursorCodec
from fachaustausch.questions.service import EXCERPT_LENGTH
from fachaustausch.questions.tables import (
    Answer,
    Comment,
    Follow,
    Question,
    QuestionInstrument,
    Vote,
)
from fachaustausch.search.factory import create_backend
from fachaustausch.search.worker import reindex
from fachaustausch.settings import PROJECT_ROOT, SearchBackendName, Settings
from fachaustausch.toolbox.seed import seed_reference_data
from fachaustausch.toolbox.tables import Cornerstone, Instrument


@contextlib.asynccontextmanager
async def database_of(settings: Settings) -> AsyncIterator[Database]:
    """The platform's database for `settings`, open and current while the block runs."""
    database = Database.from_settings(settings)
    await database.open()
    token = make_current(database)
    try:
        yield database
    finally:
        reset(token)
        await database.close()


# `python -m CLI_MODULE serve|migrate …`: the `fachaustausch` command.
CLI_MODULE = "fachaustausch.cli"

# The session cookie's and the CSRF cookie's names, the CSRF form field and header
# (Litestar's defaults, which the platform keeps), and the sign-in form.
SESSION_COOKIE = "session"
CSRF_COOKIE = "csrftoken"
CSRF_FIELD = "_csrf_token"
CSRF_HEADER = "X-CSRFToken"
LOGIN_PAGE = "/anmelden"
LOGOUT_PATH = "/abmelden"

__all__ = [
    "CLI_MODULE",
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "EXCERPT_LENGTH",
    "LOGIN_PAGE",
    "LOGOUT_PATH",
    "PROJECT_ROOT",
    "SESSION_COOKIE",
    "Answer",
    "Authority",
    "Comment",
    "Consultation",
    "ConsultationInstrument",
    "ConsultationPost",
    "Cornerstone",
    "CursorCodec",
    "Follow",
    "Instrument",
    "Participant",
    "PhaseTransition",
    "Question",
    "QuestionInstrument",
    "SearchBackendName",
    "Settings",
    "User",
    "UserInstrument",
    "Vote",
    "create_backend",
    "database_of",
    "handle_for",
    "migrations",
    "passwords",
    "reindex",
    "render_markdown",
    "seed_reference_data",
]
