"""Delivery to a real SMTP server (aiosmtpd in the test process) and to .eml files."""

from __future__ import annotations

import asyncio
import contextlib
import os
import ssl
from collections.abc import AsyncIterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest

from fachaustausch.notifications.compose import compose
from fachaustausch.notifications.smtp import (
    DeliveryFailed,
    FileTransport,
    Security,
    SmtpTransport,
    transport_for,
)
from tests.notifications.conftest import HOST, PASSWORD, USER, SmtpServer, TlsContexts, free_port

BASE_URL = "https://fachaustausch.example.de"
UNSUBSCRIBE = f"{BASE_URL}/benachrichtigungen/abbestellen/v1.abc.def"
SUBJECT = "Neue Antwort auf „Terminvergabe für Ärztinnen und Ärzte“"


def _mail(to: str = "anna.mueller@abh-beispiel.de") -> EmailMessage:
    return compose(
        to=to,
        subject=SUBJECT,
        template="notification_single",
        context={
            "recipient_name": "Anna Müller",
            "sentence": "Auf Ihre Frage gibt es eine neue Antwort.",
            "target_title": "Terminvergabe für Ärztinnen und Ärzte",
            "target_url": f"{BASE_URL}/fragen/42",
        },
        base_url=BASE_URL,
        mail_from="Fachaustausch Willkommensbehörden <noreply@fachaustausch.example.de>",
        unsubscribe_url=UNSUBSCRIBE,
    )


async def test_a_mail_arrives_with_its_headers_and_both_parts(smtp_server: SmtpServer) -> None:
    await SmtpTransport.from_url(smtp_server.url()).send(_mail())

    [received] = smtp_server.received
    assert received.mail_from == "noreply@fachaustausch.example.de"
    assert received.rcpt_tos == ["anna.mueller@abh-beispiel.de"]
    message = received.message
    assert message["From"] == (
        "Fachaustausch Willkommensbehörden <noreply@fachaustausch.example.de>"
    )
    assert message["To"] == "anna.mueller@abh-beispiel.de"
    assert message["Subject"] == SUBJECT
    assert message["Date"].datetime is not None
    assert message["Message-ID"].endswith("@fachaustausch.example.de>")
    assert message["Auto-Submitted"] == "auto-generated"
    # Folded after the colon on the wire (RFC 2369 allows it), which Python's parser keeps
    # as a leading space.
    assert message["List-Unsubscribe"].strip() == f"<{UNSUBSCRIBE}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    assert all(p.get_content_charset() == "utf-8" for p in parts)
    assert "Guten Tag Anna Müller," in parts[0].get_content()
    assert f"{BASE_URL}/fragen/42" in parts[0].get_content()
    assert 'lang="de"' in parts[1].get_content()
    assert received.login is None


async def test_umlauts_travel_encoded_and_arrive_intact(smtp_server: SmtpServer) -> None:
    await SmtpTransport.from_url(smtp_server.url()).send(_mail())

    [received] = smtp_server.received
    head, _, body = received.data.partition(b"\r\n\r\n")
    # Seven-bit on the wire: the subject as RFC 2047 words, the body quoted-printable.
    assert all(byte < 0x80 for byte in received.data)
    assert b"=?utf-8?" in head
    assert b"Content-Transfer-Encoding: quoted-printable" in body
    assert "Ärztinnen" in received.message["Subject"]
    plain = received.message.get_body(("plain",))
    assert plain is not None
    assert "„Terminvergabe für Ärztinnen und Ärzte“" in plain.get_content()


async def test_logs_in_when_the_url_names_a_user(smtp_server: SmtpServer) -> None:
    await SmtpTransport.from_url(smtp_server.url(USER, PASSWORD)).send(_mail())

    [received] = smtp_server.received
    assert received.login == USER


async def test_a_wrong_password_is_temporary_so_mails_wait_for_fixed_settings(
    smtp_server: SmtpServer,
) -> None:
    with pytest.raises(DeliveryFailed) as failed:
        await SmtpTransport.from_url(smtp_server.url(USER, "falsch")).send(_mail())

    assert failed.value.temporary
    assert failed.value.code == 535
    assert smtp_server.received == []


@pytest.mark.parametrize(
    ("reply", "stage", "temporary"),
    [
        ("451 4.3.0 Bitte später erneut versuchen", "rcpt", True),
        ("421 4.3.2 Dienst nicht verfügbar", "data", True),
        ("452 4.2.2 Postfach voll", "data", True),
        ("550 5.1.1 Postfach unbekannt", "rcpt", False),
        ("554 5.6.0 Nachricht abgelehnt", "data", False),
    ],
)
async def test_refusals_are_classified_by_their_code(
    smtp_server: SmtpServer, reply: str, stage: str, temporary: bool
) -> None:
    smtp_server.fail(reply, stage="rcpt" if stage == "rcpt" else "data")

    with pytest.raises(DeliveryFailed) as failed:
        await SmtpTransport.from_url(smtp_server.url()).send(_mail())

    assert failed.value.temporary is temporary
    assert failed.value.code == int(reply[:3])
    assert smtp_server.received == []


async def test_a_temporary_refusal_goes_through_on_the_next_try(smtp_server: SmtpServer) -> None:
    smtp_server.fail("451 4.3.0 Bitte später erneut versuchen")
    transport = SmtpTransport.from_url(smtp_server.url())

    with pytest.raises(DeliveryFailed):
        await transport.send(_mail())
    await transport.send(_mail())

    assert len(smtp_server.received) == 1


async def test_all_recipients_refused_is_temporary_if_one_refusal_is(
    smtp_server: SmtpServer,
) -> None:
    mail = _mail(to="a@abh-beispiel.de, b@abh-beispiel.de")
    smtp_server.fail("550 5.1.1 Postfach unbekannt", recipient="a@abh-beispiel.de")
    smtp_server.fail("450 4.2.1 Später", recipient="b@abh-beispiel.de")

    with pytest.raises(DeliveryFailed) as failed:
        await SmtpTransport.from_url(smtp_server.url()).send(mail)

    assert failed.value.temporary
    assert failed.value.code == 450


async def test_some_recipients_refused_is_permanent_as_the_others_have_it(
    smtp_server: SmtpServer,
) -> None:
    mail = _mail(to="a@abh-beispiel.de, b@abh-beispiel.de")
    smtp_server.fail("451 4.3.0 Später", recipient="a@abh-beispiel.de")

    with pytest.raises(DeliveryFailed) as failed:
        await SmtpTransport.from_url(smtp_server.url()).send(mail)

    assert not failed.value.temporary
    assert "a@abh-beispiel.de (451)" in str(failed.value)
    [received] = smtp_server.received
    assert received.rcpt_tos == ["b@abh-beispiel.de"]


async def test_a_server_that_is_down_is_a_temporary_failure() -> None:
    transport = SmtpTransport.from_url(f"smtp://{HOST}:{free_port()}")

    with pytest.raises(DeliveryFailed) as failed:
        await transport.send(_mail())

    assert failed.value.temporary
    assert failed.value.code is None


@pytest.fixture
async def silent_server() -> AsyncIterator[int]:
    """Accepts connections and never greets, like a hung mail server."""

    writers: list[asyncio.StreamWriter] = []

    async def hang(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writers.append(writer)
        await reader.read()

    server = await asyncio.start_server(hang, HOST, 0)
    async with server:
        yield server.sockets[0].getsockname()[1]
    # Closed here and awaited, so no connection outlives the test's event loop (its
    # transport would warn as unclosed in whichever test collects it).
    for writer in writers:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


async def test_a_server_that_does_not_answer_times_out_temporarily(silent_server: int) -> None:
    transport = SmtpTransport.from_url(f"smtp://{HOST}:{silent_server}", timeout=0.3)

    with pytest.raises(DeliveryFailed) as failed:
        await transport.send(_mail())

    assert failed.value.temporary
    assert "Timeout" in str(failed.value)


async def test_starttls_encrypts_before_logging_in(
    smtp_server_starttls: SmtpServer, tls: TlsContexts
) -> None:
    url = smtp_server_starttls.url(USER, PASSWORD)
    transport = SmtpTransport.from_url(url, tls_context=tls.client_context)

    await transport.send(_mail())

    [received] = smtp_server_starttls.received
    assert received.tls
    assert received.login == USER


async def test_a_certificate_nobody_vouches_for_is_refused(
    smtp_server_starttls: SmtpServer,
) -> None:
    # The system's trust store does not know the test's certificate authority.
    transport = SmtpTransport.from_url(smtp_server_starttls.url())

    with pytest.raises(DeliveryFailed) as failed:
        await transport.send(_mail())

    assert failed.value.temporary
    assert isinstance(failed.value.__cause__, ssl.SSLError | OSError)
    assert smtp_server_starttls.received == []


async def test_plain_smtp_does_not_send_to_a_server_that_requires_starttls(
    smtp_server_starttls: SmtpServer,
) -> None:
    transport = SmtpTransport.from_url(f"smtp://{HOST}:{smtp_server_starttls.port}")

    with pytest.raises(DeliveryFailed) as failed:
        await transport.send(_mail())

    assert failed.value.temporary
    assert failed.value.code == 530


async def test_smtps_speaks_tls_from_the_start(
    smtp_server_tls: SmtpServer, tls: TlsContexts
) -> None:
    url = smtp_server_tls.url(USER, PASSWORD)

    await SmtpTransport.from_url(url, tls_context=tls.client_context).send(_mail())

    [received] = smtp_server_tls.received
    assert received.tls
    assert received.login == USER


@pytest.mark.parametrize(
    ("url", "host", "port", "security", "user", "password"),
    [
        ("smtp://mail.example.de", "mail.example.de", 25, Security.plain, None, None),
        ("smtps://u:p@mail.example.de", "mail.example.de", 465, Security.implicit_tls, "u", "p"),
        (
            "smtp+starttls://postfach%40abh.de:p%3Aw@mail.example.de:2525",
            "mail.example.de",
            2525,
            Security.starttls,
            "postfach@abh.de",
            "p:w",
        ),
        ("SMTP+STARTTLS://mail.example.de", "mail.example.de", 587, Security.starttls, None, None),
    ],
)
def test_from_url_reads_scheme_host_port_and_credentials(
    url: str, host: str, port: int, security: Security, user: str | None, password: str | None
) -> None:
    transport = SmtpTransport.from_url(url)

    assert (transport.host, transport.port, transport.security) == (host, port, security)
    assert (transport.username, transport.password) == (user, password)
    assert "p:w" not in repr(transport)


@pytest.mark.parametrize(
    ("url", "complaint"),
    [
        ("http://mail.example.de", "must start with one of"),
        ("smtp://", "names no host"),
        ("smtp://mail.example.de:99999", "invalid port"),
    ],
)
def test_from_url_refuses_what_it_cannot_use(url: str, complaint: str) -> None:
    with pytest.raises(ValueError, match=complaint):
        SmtpTransport.from_url(url)


def test_without_an_smtp_url_mails_go_to_files(tmp_path: Path) -> None:
    assert transport_for("", tmp_path) == FileTransport(tmp_path)
    assert isinstance(transport_for("smtp://mail.example.de", tmp_path), SmtpTransport)


async def test_the_file_transport_writes_complete_eml_files(tmp_path: Path) -> None:
    directory = tmp_path / "mail"
    transport = FileTransport(directory)

    await transport.send(_mail())
    await transport.send(_mail(to="b@abh-beispiel.de"))

    files = sorted(directory.iterdir())
    assert [f.suffix for f in files] == [".eml", ".eml"]
    first = message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert first["Subject"] == SUBJECT
    assert first["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    second = message_from_bytes(files[1].read_bytes(), policy=policy.default)
    assert second["To"] == "b@abh-beispiel.de"


async def test_a_failed_file_write_leaves_no_partial_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    directory = tmp_path / "mail"

    def crash(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(DeliveryFailed) as failed:
        await FileTransport(directory).send(_mail())

    assert failed.value.temporary
    assert list(directory.iterdir()) == []


async def test_the_file_transport_reports_an_unwritable_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "mail"
    blocker.write_text("a file where the folder should be")

    with pytest.raises(DeliveryFailed) as failed:
        await FileTransport(blocker).send(_mail())

    assert failed.value.temporary
