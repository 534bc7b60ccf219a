"""A person's own data: the export holds each kind of it; deletion removes what names the
person and keeps the posts; signing out everywhere ends sessions and tokens."""

from __future__ import annotations

import io
import json
import zipfile
from email.message import EmailMessage
from typing import Any

import pytest

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.policy import Role
from fachaustausch.accounts.tables import AccountSession
from fachaustausch.consultations.phases import Phase
from fachaustausch.consultations.tables import Consultation
from fachaustausch.core.audit import AuditLog
from fachaustausch.core.outbox import SearchOutbox
from fachaustausch.moderation.tables import Flag
from fachaustausch.notifications.smtp import DeliveryFailed
from fachaustausch.notifications.tables import MailOutbox, Notification
from fachaustausch.questions.tables import Question
from fachaustausch.search import worker as search_worker
from fachaustausch.settings import Settings
from tests.consultations.support import start
from tests.factories import ApiClient, answer_question, ask_question, assert_problem, make_user
from tests.notifications.support import drain

pytestmark = pytest.mark.database

NAME = "Paula Sternberg"
EMAIL = "paula.sternberg@leipzig.de"


async def _busy_member(client: ApiClient) -> tuple[Any, int, int]:
    """A member with a question, an answer, a comment, a vote, a follow and a flag."""
    me = await make_user(display_name=NAME, email=EMAIL)
    other = await make_user(display_name="Quentin Other")
    own_question = await ask_question(me, title="Wie sind Ihre Öffnungszeiten geregelt?")
    other_question = await ask_question(other, title="Wer berät zur Einbürgerung bei Ihnen?")
    await answer_question(me, other_question)
    await client.login(me)
    assert (
        await client.post(f"/api/v1/questions/{other_question}/vote", json={"value": 1})
    ).status_code == 200
    assert (await client.put(f"/api/v1/questions/{other_question}/follow")).status_code == 204
    comment = await client.post(
        f"/api/v1/questions/{other_question}/comments", json={"body": "Gute Frage, danke."}
    )
    assert comment.status_code == 201, comment.text
    await Flag.insert(
        Flag(target_type="question", target_id=other_question, reporter=me.id, reason="spam")
    )
    return me, own_question, other_question


async def _mentioned_by(client: ApiClient, author: Any, question_id: int, handle: str) -> None:
    """`author` mentions `handle` in a comment on the question (a notification for them)."""
    client.logout_local()
    await client.login_token(author)
    comment = await client.post(
        f"/api/v1/questions/{question_id}/comments",
        json={"body": f"Das weiß @{handle} sicher, bitte ansehen."},
    )
    assert comment.status_code == 201, comment.text
    client.logout_local()


async def test_the_export_holds_each_kind_of_my_data(client: ApiClient, settings: Settings) -> None:
    me, own_question, other_question = await _busy_member(client)
    edited = await client.patch(
        f"/api/v1/questions/{own_question}",
        json={"body": "Wie regeln Sie die Öffnungszeiten am Nachmittag?", "reason": "genauer"},
    )
    assert edited.status_code == 200, edited.text
    consultation = await start(me)
    await Consultation.update({Consultation.phase: Phase.narration}).where(
        Consultation.id == consultation
    )
    post = await client.post(
        f"/api/v1/consultations/{consultation}/posts",
        json={"kind": "narration", "body": "Eine Familie kommt ohne Unterlagen zur Vorsprache."},
    )
    assert post.status_code == 201, post.text
    followed = await client.put("/api/v1/notifications/follows/cornerstone/binnenorganisation")
    assert followed.status_code == 204, followed.text
    await AuditLog.insert(
        AuditLog(actor=None, action="suspend", target_type="user", target_id=me.id, reason="Test")
    )
    await _mentioned_by(
        client, await make_user(display_name="Quirin Frager"), other_question, "paula.sternberg"
    )
    await drain(settings)
    await client.login(me)

    response = await client.get("/api/v1/me/export")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["daten.json", "uebersicht.html"]
    data = json.loads(archive.read("daten.json"))
    assert data["profil"]["email"] == EMAIL
    assert data["profil"]["handle"] == "paula.sternberg"
    assert [q["id"] for q in data["fragen"]] == [own_question]
    assert [a["question"] for a in data["antworten"]] == [other_question]
    assert [c["body"] for c in data["kommentare"]] == ["Gute Frage, danke."]
    assert [(r["target_id"], r["body"]) for r in data["versionen"]] == [
        (own_question, data["versionen"][0]["body"])
    ]
    assert data["versionen"][0]["body"] != "Wie regeln Sie die Öffnungszeiten am Nachmittag?"
    assert data["stimmen"] == [
        {**data["stimmen"][0], "target_type": "question", "target_id": other_question, "value": 1}
    ]
    assert other_question in [f["question"] for f in data["gefolgte_fragen"]]
    assert [f["reason"] for f in data["meldungen"]] == ["spam"]
    assert [c["id"] for c in data["fallberatungen_als_fallgeber"]] == [consultation]
    assert [p["body"] for p in data["fallberatungsbeitraege"]] == [
        "Eine Familie kommt ohne Unterlagen zur Vorsprache."
    ]
    mentions = [n["text"] for n in data["benachrichtigungen"] if n["kind"] == "mention"]
    assert [m.split(":")[0] for m in mentions] == ["Quirin Frager hat Sie erwähnt"]
    assert [t["topic_type"] for t in data["gefolgte_themen"]] == ["cornerstone"]
    # Signed in twice, by a client that names no browser.
    assert len(data["anmeldungen"]) == 2
    assert {s["browser"] for s in data["anmeldungen"]} == {""}
    assert [e["action"] for e in data["protokoll"]] == ["suspend"]
    summary = archive.read("uebersicht.html").decode()
    assert '<html lang="de">' in summary
    for readable in (
        "Wie sind Ihre Öffnungszeiten geregelt?",
        "Gute Frage, danke.",
        "Eine Familie kommt ohne Unterlagen zur Vorsprache.",
        "Quirin Frager hat Sie erwähnt",
        "<h2>Benachrichtigungen</h2>",
        "<h2>Anmeldungen in Browsern</h2>",
        "<h2>Frühere Fassungen Ihrer Beiträge</h2>",
    ):
        assert readable in summary, readable
    page = await client.get("/profil/daten/export.zip")
    assert page.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(page.content)).namelist()


async def test_deletion_needs_the_password(client: ApiClient) -> None:
    await client.login(await make_user(display_name=NAME, email=EMAIL))
    response = await client.request("DELETE", "/api/v1/me", json={"password": "falsch"})
    assert_problem(response, 422, fields=["password"])
    assert (await client.get("/api/v1/me")).status_code == 200


class _MailServerDown:
    """Keeps every mail queued: the server answers "try again later"."""

    async def send(self, message: EmailMessage) -> None:
        raise DeliveryFailed("451 try again later", temporary=True)


async def test_after_deletion_my_name_and_email_appear_nowhere_and_my_posts_remain(
    client: ApiClient, settings: Settings
) -> None:
    reader = await make_user(Role.moderator, display_name="Rita Leser")
    me, own_question, other_question = await _busy_member(client)
    mention = await client.post(
        f"/api/v1/questions/{own_question}/comments",
        json={"body": "@rita.leser kennt sich damit aus."},
    )
    assert mention.status_code == 201, mention.text
    immediately = await client.put(
        "/api/v1/notifications/settings", json={"settings": {"new_answer": "immediate"}}
    )
    assert immediately.status_code == 200, immediately.text
    # An answer to the question I follow: a mail to me.
    await answer_question(await make_user(display_name="Quirin Frager"), other_question)
    await drain(settings, _MailServerDown())
    queued = await MailOutbox.select(MailOutbox.recipient, MailOutbox.message).where(
        MailOutbox.state == "pending"
    )
    # Before: a mail to me, and a mail to Rita that names me, wait to be sent.
    assert EMAIL in [m["recipient"] for m in queued]
    assert any(NAME in m["message"] for m in queued if m["recipient"] != EMAIL)
    await client.login(me)
    assert await AccountSession.exists().where(AccountSession.user == me.id)
    my_cookie = client.cookies.get("session")
    score_before = (await Question.select(Question.score).where(Question.id == other_question))[0]
    await SearchOutbox.delete(force=True)

    response = await client.request("DELETE", "/api/v1/me", json={"password": me.password})
    assert response.status_code == 204, response.text
    assert (await client.get("/api/v1/me")).status_code == 401
    assert not await AccountSession.exists().where(AccountSession.user == me.id)
    client.cookies.clear()
    client.cookies.set("session", my_cookie)
    assert (await client.get("/api/v1/me")).status_code == 401
    client.cookies.clear()
    assert_problem(
        await client.post("/api/v1/auth/login", json={"email": EMAIL, "password": me.password}),
        401,
    )

    # The search index, updated from the outbox as the worker does.
    assert await search_worker.drain(client.http.app.state.search) >= 1
    await client.login(reader)
    for url in (
        f"/fragen/{own_question}",
        f"/fragen/{other_question}",
        f"/api/v1/questions/{own_question}",
        f"/api/v1/questions/{other_question}",
        "/api/v1/people?q=paula",
        "/personen?q=Sternberg",
        "/behoerden/leipzig",
        "/moderation/protokoll",
        "/api/v1/notifications",
        "/benachrichtigungen",
        "/api/v1/search?q=Sternberg",
        "/api/v1/search?q=%C3%96ffnungszeiten",
        "/suche?q=Sternberg",
    ):
        page = await client.get(url)
        assert page.status_code == 200, url
        assert NAME not in page.text, url
        assert EMAIL not in page.text, url
        assert "paula.sternberg" not in page.text, url
    found = (await client.get("/api/v1/search?q=%C3%96ffnungszeiten")).json()
    assert [h["url"] for h in found["hits"]] == [f"/fragen/{own_question}"]
    assert (await client.get("/api/v1/search?q=Sternberg")).json()["hits"] == []
    inbox = (await client.get("/api/v1/notifications")).json()["items"]
    assert [n["text"] for n in inbox if n["kind"] == "mention"] == [
        "ehemaliges Mitglied hat Sie erwähnt: „Wie sind Ihre Öffnungszeiten geregelt?“"
    ]
    question = (await client.get(f"/api/v1/questions/{own_question}")).json()
    assert question["author"]["display_name"] == "ehemaliges Mitglied"
    assert question["author"]["authority_name"]
    assert "ehemaliges Mitglied" in (await client.get(f"/fragen/{other_question}")).text
    assert (await client.get("/api/v1/people/paula.sternberg")).status_code == 404
    score_after = (await Question.select(Question.score).where(Question.id == other_question))[0]
    assert score_after["score"] == score_before["score"] - 1

    # The queued mails: none to me, none naming me; my notifications are gone.
    for mail in await MailOutbox.select(MailOutbox.recipient, MailOutbox.message):
        assert EMAIL not in mail["recipient"] + mail["message"]
        assert NAME not in mail["message"]
    assert not await Notification.exists().where(Notification.user_id == me.id)
    assert not await Notification.exists().where(Notification.text.like(f"%{NAME}%"))
    audit = await AuditLog.select(AuditLog.before, AuditLog.after, AuditLog.action).where(
        (AuditLog.target_type == "user") & (AuditLog.target_id == me.id)
    )
    assert "delete_account" in [a["action"] for a in audit]
    assert all(EMAIL not in str(a["before"]) + str(a["after"]) for a in audit)


async def test_a_new_registration_can_take_the_name_and_address_again(client: ApiClient) -> None:
    me = await make_user(display_name=NAME, email=EMAIL)
    await client.login(me)
    await client.request("DELETE", "/api/v1/me", json={"password": me.password})
    again = await make_user(display_name=NAME, email=EMAIL)
    await client.login(again)
    assert (await client.get("/api/v1/me")).json()["handle"] == "paula.sternberg"


async def test_sign_out_everywhere_ends_sessions_and_tokens(client: ApiClient) -> None:
    me = await make_user(display_name=NAME)
    token = (await accounts.create_token(await me.principal(), "Fachverfahren")).token
    await client.login(me)
    response = await client.post("/api/v1/me/sign-out-everywhere")
    assert response.status_code == 204
    assert (await client.get("/api/v1/me")).status_code == 401
    with_token = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert with_token.status_code == 401


async def test_the_email_shows_on_the_profile_once_allowed(client: ApiClient) -> None:
    me = await make_user(display_name=NAME, email=EMAIL)
    await client.login(me)
    response = await client.request("PATCH", "/api/v1/me", json={"show_email": True})
    assert response.json()["show_email"] is True
    await client.login(await make_user(display_name="Sven Leser"))
    assert (await client.get("/api/v1/people/paula.sternberg")).json()["email"] == EMAIL


async def test_the_data_page_deletes_with_the_password(client: ApiClient) -> None:
    me = await make_user(display_name=NAME, email=EMAIL)
    await client.login(me)
    page = await client.get("/profil/daten")
    assert page.status_code == 200
    token = await client.csrf_token()
    wrong = await client.post(
        "/profil/daten/loeschen", data={"_csrf_token": token, "password": "x"}
    )
    assert wrong.status_code == 422
    assert "Das Passwort ist nicht richtig." in wrong.text
    done = await client.post(
        "/profil/daten/loeschen",
        data={"_csrf_token": token, "password": me.password},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert (await client.get("/api/v1/me")).status_code == 401
