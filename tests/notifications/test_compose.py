"""Composing notification mails from the templates in frontend/templates/mail/."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
from jinja2 import UndefinedError

from fachaustausch.notifications.compose import DigestGroup, DigestItem, compose

BASE = "https://fachaustausch.example.de"
FROM = "Fachaustausch Willkommensbehörden <noreply@fachaustausch.example.de>"
SINGLE = {
    "recipient_name": "Jürgen Groß",
    "sentence": "Eine neue Frage zu Ihrem Instrument „Terminsystem“ wartet auf Fachleute.",
    "target_title": "Wie vergeben Sie Termine für <Familiennachzug> & Co.?",
    "target_url": f"{BASE}/fragen/7",
}


def _single(**overrides: object) -> EmailMessage:
    arguments: dict[str, object] = {
        "to": "juergen.gross@abh-beispiel.de",
        "subject": "Neue Frage zu „Terminsystem“",
        "template": "notification_single",
        "context": SINGLE,
        "base_url": BASE + "/",
        "mail_from": FROM,
    }
    arguments.update(overrides)
    return compose(**arguments)  # type: ignore[arg-type]


def _parts(message: EmailMessage) -> tuple[str, str]:
    plain, html = message.get_body(("plain",)), message.get_body(("html",))
    assert plain is not None
    assert html is not None
    return plain.get_content(), html.get_content()


def _roundtrip(message: EmailMessage) -> EmailMessage:
    parsed = message_from_bytes(message.as_bytes(policy=policy.SMTP), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def test_headers() -> None:
    message = _roundtrip(_single())

    assert message["From"] == FROM
    assert message["To"] == "juergen.gross@abh-beispiel.de"
    assert message["Subject"] == "Neue Frage zu „Terminsystem“"
    assert parsedate_to_datetime(message["Date"]).tzinfo is not None
    assert message["Message-ID"].startswith("<")
    assert message["Message-ID"].endswith("@fachaustausch.example.de>")
    assert message["Auto-Submitted"] == "auto-generated"
    assert "List-Unsubscribe" not in message
    assert "List-Unsubscribe-Post" not in message


def test_every_mail_gets_its_own_message_id() -> None:
    assert _single()["Message-ID"] != _single()["Message-ID"]


def test_an_unsubscribe_url_adds_the_one_click_headers_and_the_footer_link() -> None:
    url = f"{BASE}/benachrichtigungen/abbestellen/v1.MTI6bWVudGlvbg.sig"
    message = _single(unsubscribe_url=url)

    assert message["List-Unsubscribe"] == f"<{url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    plain, html = _parts(message)
    assert f"Diese E-Mails abbestellen:\n{url}" in plain
    assert f'<a href="{url}"' in html


def test_plain_text_and_html_are_alternatives_in_that_order() -> None:
    message = _single()

    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]


def test_the_plain_text_part_says_it_all_without_escaping() -> None:
    plain, _ = _parts(_single())

    assert plain.startswith("Guten Tag Jürgen Groß,\n")
    assert SINGLE["sentence"] in plain
    assert "„Wie vergeben Sie Termine für <Familiennachzug> & Co.?“" in plain
    assert f"{BASE}/fragen/7" in plain
    assert f"{BASE}/profil/benachrichtigungen" in plain
    assert "&amp;" not in plain


def test_the_html_part_escapes_what_users_wrote() -> None:
    _, html = _parts(_single())

    assert '<html lang="de">' in html
    assert "Wie vergeben Sie Termine für &lt;Familiennachzug&gt; &amp; Co.?" in html
    assert "<Familiennachzug>" not in html
    assert f'<a href="{BASE}/fragen/7"' in html
    assert f'<a href="{BASE}/profil/benachrichtigungen"' in html
    assert "<title>Neue Frage zu „Terminsystem“</title>" in html


def test_an_optional_detail_such_as_a_moderation_reason_is_shown() -> None:
    context = {**SINGLE, "detail": "Begründung: enthält personenbezogene Daten"}

    plain, html = _parts(_single(context=context))

    assert "Begründung: enthält personenbezogene Daten" in plain
    assert "Begründung: enthält personenbezogene Daten" in html
    assert "Begründung" not in _parts(_single())[0]


def test_a_missing_context_value_is_an_error_not_an_empty_line() -> None:
    context = {k: v for k, v in SINGLE.items() if k != "target_url"}

    with pytest.raises(UndefinedError):
        _single(context=context)


def _digest(period: str = "daily") -> EmailMessage:
    groups = [
        DigestGroup(
            kind="question",
            title="Wartezeiten bei der Verlängerung von Aufenthaltstiteln",
            url=f"{BASE}/fragen/3",
            items=[
                DigestItem("Neue Antwort von Fachleuten aus Kiel", f"{BASE}/fragen/3#antwort-9"),
                DigestItem("Ihre Antwort wurde akzeptiert", f"{BASE}/fragen/3"),
            ],
        ),
        DigestGroup(
            kind="consultation",
            title="Fallberatung: Arbeitsmarktzugang",
            url=f"{BASE}/fallberatungen/5",
            items=[
                DigestItem("Die Phase „Schlüsselfrage“ hat begonnen", f"{BASE}/fallberatungen/5")
            ],
        ),
    ]
    return compose(
        to="a@abh-beispiel.de",
        subject="Ihre Zusammenfassung aus dem Fachaustausch",
        template="digest",
        context={"recipient_name": "Alex Schmidt", "period": period, "groups": groups},
        base_url=BASE,
        mail_from=FROM,
        unsubscribe_url=f"{BASE}/benachrichtigungen/abbestellen/v1.x.y",
    )


def test_the_digest_groups_by_question_and_consultation() -> None:
    plain, html = _parts(_digest())

    assert "hier ist Ihre tägliche Zusammenfassung: 3 neue Benachrichtigungen." in plain
    question = plain.index("== Frage: Wartezeiten bei der Verlängerung von Aufenthaltstiteln ==")
    consultation = plain.index("== Fallberatung: Fallberatung: Arbeitsmarktzugang ==")
    assert question < plain.index("- Neue Antwort von Fachleuten aus Kiel") < consultation
    assert question < plain.index("- Ihre Antwort wurde akzeptiert") < consultation
    assert consultation < plain.index("- Die Phase „Schlüsselfrage“ hat begonnen")
    assert f"{BASE}/fragen/3#antwort-9" in plain

    assert html.count("<section") == 2
    assert html.count("<h2") == 2
    assert html.count("<li") == 3
    assert f'<a href="{BASE}/fragen/3#antwort-9"' in html
    assert f'<a href="{BASE}/fallberatungen/5"' in html


def test_the_digest_footer_links_settings_and_unsubscribe() -> None:
    plain, html = _parts(_digest())

    footer = plain[plain.index("\n-- \n") :]
    assert f"Benachrichtigungen einstellen:\n{BASE}/profil/benachrichtigungen" in footer
    assert f"Diese E-Mails abbestellen:\n{BASE}/benachrichtigungen/abbestellen/v1.x.y" in footer
    html_footer = html[html.index("<footer") :]
    assert f'href="{BASE}/profil/benachrichtigungen"' in html_footer
    assert f'href="{BASE}/benachrichtigungen/abbestellen/v1.x.y"' in html_footer


def test_a_weekly_digest_says_so() -> None:
    plain, _ = _parts(_digest("weekly"))

    assert "hier ist Ihre wöchentliche Zusammenfassung" in plain


def test_templates_come_from_the_given_folder(tmp_path: Path) -> None:
    (tmp_path / "hallo.txt").write_text("Hallo {{ name }}, {{ settings_url }}\n")
    (tmp_path / "hallo.html").write_text("<p>Hallo {{ name }}</p>\n")

    message = compose(
        to="a@abh-beispiel.de",
        subject="Hallo",
        template="hallo",
        context={"name": "Welt & Co."},
        base_url=BASE,
        mail_from=FROM,
        template_dir=tmp_path,
    )

    plain, html = _parts(message)
    assert plain == f"Hallo Welt & Co., {BASE}/profil/benachrichtigungen\n"
    assert html == "<p>Hallo Welt &amp; Co.</p>\n"
