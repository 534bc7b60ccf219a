"""A person's own data: the export holds each kind of it; deletion removes what names the
person and keeps the posts; signing out everywhere ends sessions and tokens."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.policy import Role
from fachaustausch.core.audit import AuditLog
from fachaustausch.core.outbox import SearchOutbox
from fachaustausch.moderation.tables import Flag
from fachaustausch.questions.tables import Question
from tests.factories import ApiClient, answer_question, ask_question, assert_problem, make_user

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


async def test_the_export_holds_each_kind_of_my_data(client: ApiClient) -> None:
    me, own_question, other_question = await _busy_member(client)
    await AuditLog.insert(
        AuditLog(actor=None, action="suspend", target_type="user", target_id=me.id, reason="Test")
    )
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
    assert data["stimmen"] == [
        {**data["stimmen"][0], "target_type": "question", "target_id": other_question, "value": 1}
    ]
    assert other_question in [f["question"] for f in data["gefolgte_fragen"]]
    assert [f["reason"] for f in data["meldungen"]] == ["spam"]
    assert [e["action"] for e in data["protokoll"]] == ["suspend"]
    summary = archive.read("uebersicht.html").decode()
    assert "Wie sind Ihre Öffnungszeiten geregelt?" in summary
    assert '<html lang="de">' in summary
    page = await client.get("/profil/daten/export.zip")
    assert page.status_code == 200
    assert zipfile.ZipFile(io.BytesIO(page.content)).namelist()


async def test_deletion_needs_the_password(client: ApiClient) -> None:
    await client.login(await make_user(display_name=NAME, email=EMAIL))
    response = await client.request("DELETE", "/api/v1/me", json={"password": "falsch"})
    assert_problem(response, 422, fields=["password"])
    assert (await client.get("/api/v1/me")).status_code == 200


async def test_after_deletion_my_name_and_email_appear_nowhere_and_my_posts_remain(
    client: ApiClient,
) -> None:
    me, own_question, other_question = await _busy_member(client)
    score_before = (await Question.select(Question.score).where(Question.id == other_question))[0]
    await SearchOutbox.delete(force=True)
    response = await client.request("DELETE", "/api/v1/me", json={"password": me.password})
    assert response.status_code == 204, response.text
    assert (await client.get("/api/v1/me")).status_code == 401

    assert_problem(
        await client.post("/api/v1/auth/login", json={"email": EMAIL, "password": me.password}),
        401,
    )
    reader = await make_user(Role.moderator, display_name="Rita Leser")
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
    ):
        page = await client.get(url)
        assert page.status_code == 200, url
        assert NAME not in page.text, url
        assert EMAIL not in page.text, url
        assert "paula.sternberg" not in page.text, url
    question = (await client.get(f"/api/v1/questions/{own_question}")).json()
    assert question["author"]["display_name"] == "ehemaliges Mitglied"
    assert question["author"]["authority_name"]
    assert "ehemaliges Mitglied" in (await client.get(f"/fragen/{other_question}")).text
    assert (await client.get("/api/v1/people/paula.sternberg")).status_code == 404
    score_after = (await Question.select(Question.score).where(Question.id == other_question))[0]
    assert score_after["score"] == score_before["score"] - 1
    queued = await SearchOutbox.select(SearchOutbox.entity_type, SearchOutbox.entity_id)
    assert {("question", own_question), ("question", other_question)} <= {
        (r["entity_type"], r["entity_id"]) for r in queued
    }
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
