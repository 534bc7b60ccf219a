"""A real SMTP server in the test process (aiosmtpd), listening on 127.0.0.1.

`smtp_server` speaks plain SMTP and offers AUTH (not required); `smtp_server_starttls`
requires STARTTLS first; `smtp_server_tls` speaks TLS from the first byte. The TLS servers
use a certificate from a throwaway certificate authority made for the test session; clients
trust it through `tls.client_context`. Every server keeps what it received (envelope, raw
bytes and the parsed message) and refuses on demand: `server.fail("451 4.3.0 …", stage=…)`.
"""

from __future__ import annotations

import asyncio
import gc
import socket
import ssl
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, Literal, cast
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

HOST = "127.0.0.1"
USER = "fachaustausch"
PASSWORD = "geheim-äöü"

Stage = Literal["rcpt", "data"]


@dataclass(frozen=True, slots=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    data: bytes
    message: EmailMessage
    login: str | None  # the user the client authenticated as
    tls: bool  # whether the session was encrypted when the mail came


@dataclass(slots=True)
class _Failure:
    reply: str
    stage: Stage
    recipient: str | None
    times: int | None  # None: every time


@dataclass(slots=True)
class MailSink:
    """The aiosmtpd handler: runs in the server's thread, keeps every accepted mail."""

    received: list[Received] = field(default_factory=list)
    failures: list[_Failure] = field(default_factory=list)

    def fail(
        self,
        reply: str,
        *,
        stage: Stage = "rcpt",
        recipient: str | None = None,
        times: int | None = 1,
    ) -> None:
        """Answer `reply` (e.g. "550 5.1.1 Postfach unbekannt") at RCPT (for `recipient`, or
        any) or at DATA, for the next `times` commands at that stage."""
        self.failures.append(_Failure(reply, stage, recipient, times))

    def _failure(self, stage: Stage, recipient: str | None = None) -> str | None:
        for failure in self.failures:
            if failure.stage != stage or failure.recipient not in (None, recipient):
                continue
            if failure.times is not None:
                failure.times -= 1
                if failure.times == 0:
                    self.failures.remove(failure)
            return failure.reply
        return None

    async def handle_RCPT(
        self,
        server: SMTP,
        session: Session,
        envelope: Envelope,
        address: str,
        rcpt_options: list[str],
    ) -> str:
        refusal = self._failure("rcpt", address)
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        refusal = self._failure("data")
        if refusal:
            return refusal
        data = cast(bytes, envelope.original_content)
        login = None
        if session.authenticated:
            login = cast(LoginPassword, session.auth_data).login.decode()
        self.received.append(
            Received(
                mail_from=envelope.mail_from or "",
                rcpt_tos=list(envelope.rcpt_tos),
                data=data,
                message=message_from_bytes(data, policy=policy.default),
                login=login,
                tls=server.transport is not None
                and server.transport.get_extra_info("ssl_object") is not None,
            )
        )
        return "250 Message accepted for delivery"


def _authenticate(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and (
        auth_data.login.decode(),
        auth_data.password.decode(),
    ) == (USER, PASSWORD)
    # handled=False makes aiosmtpd answer the refusal (535) itself.
    return AuthResult(success=ok, handled=ok, auth_data=auth_data if ok else None)


@dataclass(frozen=True, slots=True)
class SmtpServer:
    host: str
    port: int
    scheme: str  # the URL scheme a client uses for it
    sink: MailSink

    @property
    def received(self) -> list[Received]:
        return self.sink.received

    def fail(
        self,
        reply: str,
        *,
        stage: Stage = "rcpt",
        recipient: str | None = None,
        times: int | None = 1,
    ) -> None:
        self.sink.fail(reply, stage=stage, recipient=recipient, times=times)

    def url(self, user: str | None = None, password: str | None = None) -> str:
        auth = f"{quote(user, safe='')}:{quote(password or '', safe='')}@" if user else ""
        return f"{self.scheme}://{auth}{self.host}:{self.port}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return cast(int, sock.getsockname()[1])


def _serve(scheme: str, **kwargs: Any) -> Iterator[SmtpServer]:
    sink = MailSink()
    port = free_port()
    controller = Controller(
        sink,
        hostname=HOST,
        port=port,
        server_hostname="mail.test",
        authenticator=_authenticate,
        auth_require_tls=False,
        **kwargs,
    )
    controller.start()
    try:
        yield SmtpServer(host=HOST, port=port, scheme=scheme, sink=sink)
    finally:
        controller.stop()


@dataclass(frozen=True, slots=True)
class TlsContexts:
    server_context: ssl.SSLContext
    client_context: ssl.SSLContext  # trusts only the throwaway authority


@pytest.fixture(scope="session")
def tls() -> TlsContexts:
    trustme = pytest.importorskip(
        "trustme", reason="trustme (dev extra) makes the test certificates for the TLS servers"
    )
    authority = trustme.CA()
    certificate = authority.issue_cert(HOST)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(server_context)
    client_context = ssl.create_default_context()
    authority.configure_trust(client_context)
    return TlsContexts(server_context=server_context, client_context=client_context)


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    yield from _serve("smtp")


@pytest.fixture
def smtp_server_starttls(tls: TlsContexts) -> Iterator[SmtpServer]:
    yield from _serve("smtp+starttls", tls_context=tls.server_context, require_starttls=True)


@pytest.fixture
def smtp_server_tls(tls: TlsContexts) -> Iterator[SmtpServer]:
    yield from _serve("smtps", ssl_context=tls.server_context)


@pytest.fixture(autouse=True)
async def _connections_closed(request: pytest.FixtureRequest) -> AsyncIterator[None]:
    """A TLS connection finishes its shutdown on the event loop after the client is done:
    give it a few turns before the test's loop closes, then collect, so a connection left
    open fails the test that opened it, not a later one."""
    yield
    if "tls" in request.fixturenames:
        await asyncio.sleep(0.1)
    gc.collect()
