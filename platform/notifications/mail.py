"""Outgoing e-mail: SMTP when FACHAUSTAUSCH_SMTP_URL is set, else .eml files in var/mail/."""

from __future__ import annotations

import logging
import smtplib
import time
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import unquote, urlsplit

import anyio.to_thread
from litestar.background_tasks import BackgroundTask

from fachaustausch.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mail:
    """An e-mail a service action wants sent, once the action has answered."""

    to: str
    subject: str
    body: str


def _message(settings: Settings, to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.mail_from
    msg["To"] = to
    msg["Subject"] = subject
    msg.set_content(body + "\n\n-- \nFachaustausch Willkommensbehörden\n" + settings.base_url)
    return msg


def _send_smtp(url: str, msg: EmailMessage) -> None:
    parts = urlsplit(url)  # smtp://user:pass@host:port or smtps://…
    cls = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    with cls(parts.hostname or "127.0.0.1", parts.port or 0, timeout=10) as smtp:
        if parts.scheme == "smtp+starttls":
            smtp.starttls()
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(msg)


def _write_file(directory: Path, msg: EmailMessage) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    name = f"{time.strftime('%Y%m%dT%H%M%S')}-{uuid.uuid4().hex[:8]}.eml"
    (directory / name).write_bytes(bytes(msg))


async def send_mail(settings: Settings, to: str, subject: str, body: str) -> None:
    """Never raises: a failed e-mail is logged, the user's action has already succeeded."""
    msg = _message(settings, to, subject, body)
    try:
        if settings.smtp_url:
            await anyio.to_thread.run_sync(_send_smtp, settings.smtp_url, msg)
        else:
            await anyio.to_thread.run_sync(_write_file, settings.mail_dir, msg)
    except (OSError, smtplib.SMTPException):
        log.exception("sending mail %r to %s failed", subject, to)


def send_later(settings: Settings, mails: list[Mail]) -> BackgroundTask | None:
    """The mails as a task that runs after the response has gone out: the answer takes no
    longer when there is mail to send (a reset for a known address looks like one for an
    unknown address), and a slow mail server delays no one."""
    if not mails:
        return None

    async def send_all() -> None:
        for mail in mails:
            await send_mail(settings, mail.to, mail.subject, mail.body)

    return BackgroundTask(send_all)
