"""Delivering composed e-mails: over SMTP (aiosmtplib), or as .eml files when no server is set.

Both transports raise `DeliveryFailed` and nothing else for a mail that did not go out, and
say whether trying again later can help, so the outbox worker retries with backoff or gives
up without knowing which transport it holds."""

from __future__ import annotations

import logging
import os
import ssl
import tempfile
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from enum import StrEnum
from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

import aiosmtplib
import anyio.to_thread

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_SECONDS = 30.0


class DeliveryFailed(Exception):
    """A mail was not delivered. `temporary`: the same mail may go through later (server down
    or busy, a 4xx reply, our configuration being fixed); otherwise the server refused this
    mail or its recipient for good (5xx) and sending it again would be refused again."""

    def __init__(self, reason: str, *, temporary: bool, code: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.temporary = temporary
        self.code = code


class Transport(Protocol):
    async def send(self, message: EmailMessage) -> None:
        """Deliver one message to the recipients in its headers; raises `DeliveryFailed`."""
        ...


class Security(StrEnum):
    plain = "smtp"
    implicit_tls = "smtps"
    starttls = "smtp+starttls"


_DEFAULT_PORTS = {Security.plain: 25, Security.implicit_tls: 465, Security.starttls: 587}


@dataclass(frozen=True, slots=True)
class SmtpTransport:
    host: str
    port: int
    security: Security = Security.plain
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = DEFAULT_TIMEOUT_SECONDS
    # None verifies the server against the system's trust store.
    tls_context: ssl.SSLContext | None = field(default=None, repr=False)

    @classmethod
    def from_url(
        cls,
        url: str,
        *,
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        tls_context: ssl.SSLContext | None = None,
    ) -> SmtpTransport:
        """`smtp://user:pass@host:port` (no encryption), `smtps://…` (TLS from the first
        byte) or `smtp+starttls://…` (upgrade required; a server without STARTTLS fails).
        User and password are percent-decoded, so `%40` stands for an `@` in a user name."""
        parts = urlsplit(url)
        try:
            security = Security(parts.scheme.lower())
        except ValueError:
            schemes = ", ".join(f"{s.value}://" for s in Security)
            raise ValueError(f"SMTP URL must start with one of {schemes}: {url!r}") from None
        if not parts.hostname:
            raise ValueError(f"SMTP URL names no host: {url!r}")
        try:
            port = parts.port or _DEFAULT_PORTS[security]
        except ValueError as exc:  # a port out of range or not a number
            raise ValueError(f"SMTP URL has an invalid port: {exc}") from None
        return cls(
            host=parts.hostname,
            port=port,
            security=security,
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password is not None else None,
            timeout=timeout,
            tls_context=tls_context,
        )

    async def send(self, message: EmailMessage) -> None:
        try:
            refused, _reply = await aiosmtplib.send(
                message,
                hostname=self.host,
                port=self.port,
                username=self.username,
                password=self.password if self.username else None,
                timeout=self.timeout,
                use_tls=self.security is Security.implicit_tls,
                # Explicit either way: aiosmtplib would otherwise upgrade a plain connection
                # whenever the server offers it, and then insist on a valid certificate.
                start_tls=self.security is Security.starttls,
                tls_context=self.tls_context,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise _all_refused(exc) from exc
        except (aiosmtplib.SMTPRecipientRefused, aiosmtplib.SMTPDataError) as exc:
            raise DeliveryFailed(
                f"server refused the mail: {exc.code} {exc.message}",
                temporary=_is_temporary(exc.code),
                code=exc.code,
            ) from exc
        except aiosmtplib.SMTPResponseException as exc:
            # Refusals at greeting, HELO, AUTH or MAIL FROM are about the server or our
            # settings and hit every mail alike: the mail waits until they are fixed.
            raise DeliveryFailed(
                f"SMTP server {self.host}:{self.port} answered {exc.code} {exc.message}",
                temporary=True,
                code=exc.code,
            ) from exc
        except (aiosmtplib.SMTPException, OSError) as exc:
            # Connection refused or reset, timeouts, TLS failures, a missing STARTTLS or AUTH.
            raise DeliveryFailed(
                f"SMTP server {self.host}:{self.port} not usable: {type(exc).__name__}: {exc}",
                temporary=True,
            ) from exc
        if refused:
            # Some recipients have the mail: sending it again would give it to them twice.
            listed = ", ".join(f"{rcpt} ({resp.code})" for rcpt, resp in refused.items())
            raise DeliveryFailed(
                f"mail delivered, but these recipients were refused: {listed}", temporary=False
            )


def _is_temporary(code: int) -> bool:
    return not 500 <= code < 600


def _all_refused(exc: aiosmtplib.SMTPRecipientsRefused) -> DeliveryFailed:
    # Nobody has the mail, so a retry is harmless; worth it if any refusal was temporary.
    codes = [r.code for r in exc.recipients]
    listed = ", ".join(f"{r.recipient} ({r.code} {r.message})" for r in exc.recipients)
    temporary = any(_is_temporary(code) for code in codes)
    return DeliveryFailed(
        f"all recipients refused: {listed}",
        temporary=temporary,
        code=next((c for c in codes if _is_temporary(c) == temporary), None),
    )


@dataclass(frozen=True, slots=True)
class FileTransport:
    """Writes each mail as an .eml file, for development and installations without SMTP.

    The file appears whole or not at all: it is written under a hidden temporary name in the
    same folder and then renamed, so a reader listing `*.eml` never sees half a mail."""

    directory: Path

    async def send(self, message: EmailMessage) -> None:
        data = message.as_bytes()
        try:
            await anyio.to_thread.run_sync(self._write, data)
        except OSError as exc:
            raise DeliveryFailed(
                f"cannot write mail to {self.directory}: {exc}", temporary=True
            ) from exc

    def _write(self, data: bytes) -> Path:
        self.directory.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
        target = self.directory / f"{stamp}-{uuid.uuid4().hex[:12]}.eml"
        fd, tmp_name = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as tmp:
                tmp.write(data)
                tmp.flush()
                os.fsync(tmp.fileno())
            os.replace(tmp_name, target)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        log.info("mail written to %s", target)
        return target


def transport_for(smtp_url: str, mail_dir: Path) -> Transport:
    """SMTP when a server is configured, else .eml files in `mail_dir`."""
    if smtp_url:
        return SmtpTransport.from_url(smtp_url)
    return FileTransport(mail_dir)
