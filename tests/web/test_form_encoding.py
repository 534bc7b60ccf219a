"""Bytes that are no UTF-8 in an HTML form are refused like the API refuses them: a German
message at the field, the form shown again with what could be read, nothing stored."""

from __future__ import annotations

from urllib.parse import quote_from_bytes

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.accounts.tables import User
from fachaustausch.questions.tables import Comment, Question
from fachaustausch.settings import Settings
from tests.factories import (
    ApiClient,
    UserRecord,
    ask_question,
    assert_problem,
    make_user,
    sent_mails,
)
from tests.web.helpers import csrf_token, field_error, html, sign_in

UNREADABLE = "Hier ist beim Senden oder Kopieren ein Zeichen verloren gegangen"
FORM = {"content-type": "application/x-www-form-urlencoded"}


def _encode(fields: dict[str, bytes]) -> bytes:
    """A URL-encoded body from raw bytes, as a browser with a wrong charset would send it."""
    return b"&".join(
        name.encode() + b"=" + quote_from_bytes(value).encode() for name, value in fields.items()
    )


@pytest.fixture
async def member(client: ApiClient) -> UserRecord:
    user = await make_user(Role.member)
    await sign_in(client, user)
    return user


async def test_a_question_in_latin_1_is_refused_and_shown_again(
    client: ApiClient, member: UserRecord
) -> None:
    token = await csrf_token(client, "/fragen/neu")
    body = _encode(
        {
            "_csrf_token": token.encode(),
            "title": "Wie regeln Sie die Terminvergabe für Familien?".encode("latin-1"),
            "body": "Wir planen ein Terminsystem für alle Fälle.".encode("latin-1"),
            "cornerstone": b"binnenorganisation",
        }
    )
    response = await client.post("/fragen/neu", content=body, headers=FORM)
    assert response.status_code == 422, response.text
    page = html(response)
    assert UNREADABLE in field_error(page, "title")
    assert UNREADABLE in field_error(page, "body")
    # What could be read stays in the form, with the lost characters marked.
    assert page.by_id("title").get("value") == "Wie regeln Sie die Terminvergabe f\ufffdr Familien?"
    assert "Terminsystem f\ufffdr alle F\ufffdlle." in page.by_id("body").text
    assert await Question.count().run() == 0


async def test_the_same_text_in_utf_8_is_taken(client: ApiClient, member: UserRecord) -> None:
    token = await csrf_token(client, "/fragen/neu")
    body = _encode(
        {
            "_csrf_token": token.encode(),
            "title": "Wie regeln Sie die Terminvergabe für Familien?".encode(),
            "body": "Wir planen ein Terminsystem für alle Fälle.".encode(),
            "cornerstone": b"binnenorganisation",
        }
    )
    response = await client.post("/fragen/neu", content=body, headers=FORM, follow_redirects=False)
    assert response.status_code in (302, 303), response.text
    assert await Question.select(Question.title).first().run() == {
        "title": "Wie regeln Sie die Terminvergabe für Familien?"
    }


async def test_a_comment_with_a_broken_byte_is_refused(
    client: ApiClient, member: UserRecord
) -> None:
    question = await ask_question(await make_user())
    token = await csrf_token(client, f"/fragen/{question}/kommentieren")
    body = _encode({"_csrf_token": token.encode(), "body": b"Danke \xff f\xfcr den Hinweis"})
    response = await client.post(f"/fragen/{question}/kommentare", content=body, headers=FORM)
    assert response.status_code == 422, response.text
    assert UNREADABLE in field_error(html(response), "body")
    assert await Comment.count().run() == 0


async def test_registration_with_a_broken_name_sends_no_mail(
    client: ApiClient, settings: Settings
) -> None:
    token = await csrf_token(client, "/registrieren")
    body = _encode(
        {
            "_csrf_token": token.encode(),
            "email": b"neu@leipzig.de",
            "password": "Herbstlaub fällt leise auf den Rathausplatz".encode(),
            "display_name": "Jürgen Neumann".encode("latin-1"),
            "authority": b"leipzig",
        }
    )
    response = await client.post("/registrieren", content=body, headers=FORM)
    assert response.status_code == 422, response.text
    assert UNREADABLE in field_error(html(response), "display_name")
    assert await User.count().where(User.email == "neu@leipzig.de").run() == 0
    assert sent_mails(settings.mail_dir) == []


async def test_a_multipart_form_with_a_broken_byte_is_a_german_error_not_a_500(
    client: ApiClient, member: UserRecord
) -> None:
    token = await csrf_token(client, "/fragen/neu")
    parts = [
        (b"_csrf_token", token.encode()),
        (b"title", b"Wie regeln Sie die Terminvergabe f\xfcr Familien?"),
        (b"body", b"Wir planen ein Terminsystem."),
        (b"cornerstone", b"binnenorganisation"),
    ]
    head = b'--grenze\r\nContent-Disposition: form-data; name="'
    body = b"".join(head + name + b'"\r\n\r\n' + value + b"\r\n" for name, value in parts)
    response = await client.post(
        "/fragen/neu",
        content=body + b"--grenze--\r\n",
        headers={"content-type": "multipart/form-data; boundary=grenze"},
    )
    assert response.status_code == 400, response.text
    assert "nicht UTF-8-kodiert" in html(response).find("main").text
    assert await Question.count().run() == 0


async def test_the_api_refuses_the_replacement_character_at_the_field(client: ApiClient) -> None:
    """What a lenient decoder left behind is refused in JSON too, not only its bytes."""
    await client.login(await make_user())
    response = await client.post(
        "/api/v1/questions",
        json={
            "title": "Wie regeln Sie die Terminvergabe f\ufffdr Familien?",
            "body": "Wir planen ein Terminsystem.",
            "cornerstone": "binnenorganisation",
        },
    )
    assert_problem(response, 422, fields=["title"], detail=UNREADABLE)
