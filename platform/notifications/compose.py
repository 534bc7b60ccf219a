"""Composing notification mails: a plain-text and an HTML part from the Jinja templates in
frontend/templates/mail/, and the headers mail clients and providers look for.

Each template `<name>` is a pair, `<name>.txt` and `<name>.html`; both get the caller's
context plus `subject`, `base_url`, `settings_url`, `unsubscribe_url` and `site_name`. The
plain-text part comes first and is always there (clients that show no HTML, screen readers,
filters); the HTML part is the alternative a client prefers when it can."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from fachaustausch.settings import PROJECT_ROOT

TEMPLATE_DIR = PROJECT_ROOT / "frontend" / "templates" / "mail"
SITE_NAME = "Fachaustausch Willkommensbehörden"
SETTINGS_PATH = "/profil/benachrichtigungen"


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One notification in a digest: what happened, and where to read it."""

    text: str
    url: str


@dataclass(frozen=True, slots=True)
class DigestGroup:
    """The notifications about one question or one consultation."""

    kind: str  # "question", "consultation" or "event"
    title: str
    url: str
    items: Sequence[DigestItem] = field(default_factory=tuple)

    @property
    def kind_label(self) -> str:
        labels = {"question": "Frage", "consultation": "Fallberatung", "event": "Veranstaltung"}
        return labels.get(self.kind, "Beitrag")


@lru_cache(maxsize=4)
def _environment(directory: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(directory),
        # The .txt part is plain text: escaping would put &amp; into the mail.
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.globals["site_name"] = SITE_NAME
    return env


def compose(
    *,
    to: str,
    subject: str,
    template: str,
    context: Mapping[str, object],
    base_url: str,
    mail_from: str,
    unsubscribe_url: str | None = None,
    template_dir: Path = TEMPLATE_DIR,
) -> EmailMessage:
    """One mail to `to`. With `unsubscribe_url` (an https address that takes the RFC 8058
    one-click POST) the mail carries List-Unsubscribe and List-Unsubscribe-Post, and its
    footer the same link."""
    base = base_url.rstrip("/")
    values = {
        **context,
        "subject": subject,
        "base_url": base,
        "settings_url": base + SETTINGS_PATH,
        "unsubscribe_url": unsubscribe_url,
    }
    env = _environment(template_dir)
    text = env.get_template(f"{template}.txt").render(values)
    html = env.get_template(f"{template}.html").render(values)

    message = EmailMessage()
    message["From"] = mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain=urlsplit(base).hostname or "localhost")
    # Tells mail servers and out-of-office assistants not to answer (RFC 3834), and
    # Exchange not to send its automatic replies.
    message["Auto-Submitted"] = "auto-generated"
    message["X-Auto-Response-Suppress"] = "All"
    if unsubscribe_url:
        message["List-Unsubscribe"] = f"<{unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    # Quoted-printable keeps every line 7-bit, for relays that do not take 8-bit mail.
    message.set_content(text, subtype="plain", charset="utf-8", cte="quoted-printable")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="quoted-printable")
    return message
