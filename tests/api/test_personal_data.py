"""Every text a user writes through the API passes the personal-data guard: a text with
personal data is refused with 422, a German detail naming each finding with its position,
and per field the findings as data; nothing is stored. Consultations: tests/consultations."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.accounts.tables import AccessToken, User
from fachaustausch.core.audit import AuditLog
from fachaustausch.moderation.tables import Flag
from fachaustausch.questions.tables import Answer, Comment, Question, Revision
from fachaustausch.toolbox.tables import Cornerstone, Instrument
from tests.factories import (
    ApiClient,
    UserRecord,
    answer_question,
    ask_question,
    assert_problem,
    make_user,
)

# The answer from issue 17 that was published and found by searching "Yilmaz".
PERSONAL = (
    "Wir hatten den Fall von Herrn Mehmet Yilmaz, geb. 12.03.1985, AZR-Nr. 123456789012, "
    "Tel. 0361 123456"
)
PERSONAL_TITLE = "Frage zum Fall von Herrn Yilmaz aus Weimar"
PREFIX = "Bitte entfernen Sie personenbezogene Daten: "


@dataclass
class World:
    member: UserRecord
    expert: UserRecord
    moderator: UserRecord
    question: int
    answer: int
    flag: int
    member_handle: str


async def _world() -> World:
    member = await make_user(Role.member)
    expert = await make_user(Role.expert)
    moderator = await make_user(Role.moderator)
    question = await ask_question(member)
    answer = await answer_question(expert, question, "Bei uns gibt es dafür ein Formular.")
    rows = await Flag.insert(
        Flag(target_type="answer", target_id=answer, reporter=member.id, reason="wrong")
    ).run()
    handle = await User.select(User.handle).where(User.id == member.id).first()
    assert handle is not None
    return World(member, expert, moderator, question, answer, int(rows[0]["id"]), handle["handle"])


async def _stored() -> list[Any]:
    """Every text a refused request could have changed, and every row it could have added."""
    return [
        await Question.select(Question.title, Question.body, Question.hidden).run(),
        await Answer.select(Answer.body, Answer.hidden, Answer.outdated).run(),
        await Comment.select(Comment.body).run(),
        await Flag.select(Flag.text, Flag.status).run(),
        await Revision.count().run(),
        await AuditLog.count().run(),
        await AccessToken.select(AccessToken.name).run(),
        await User.select(User.role, User.status).order_by(User.id).run(),
        await Instrument.select(Instrument.slug, Instrument.title, Instrument.description).run(),
        await Cornerstone.select(Cornerstone.title, Cornerstone.statement).run(),
    ]


Request = Callable[[ApiClient, World], Awaitable[Any]]


def _call(
    who: str, method: str, path: str, body: Callable[[World], dict[str, Any]]
) -> Callable[[ApiClient, World], Awaitable[Any]]:
    async def run(client: ApiClient, world: World) -> Any:
        await client.login(getattr(world, who))
        url = path.format(q=world.question, a=world.answer, h=world.member_handle)
        return await client.request(method, url, json=body(world))

    return run


def _action(**fields: Any) -> Callable[[World], dict[str, Any]]:
    def body(world: World) -> dict[str, Any]:
        ids = {
            "question": world.question,
            "answer": world.answer,
            "flag": world.flag,
            "user": world.member.id,
        }
        return {**fields, "target_id": ids[fields["target_type"]]}

    return body


QUESTION = {"cornerstone": "binnenorganisation", "instruments": ["terminsystem"]}
CASES: dict[str, tuple[Request, str, str]] = {
    # name: (request, field at fault, the text typed into that field)
    "question title": (
        _call("member", "POST", "/api/v1/questions/", lambda w: {
            **QUESTION, "title": PERSONAL_TITLE, "body": "Wie gehen Sie damit um?"}),
        "title", PERSONAL_TITLE,
    ),
    "question body": (
        _call("member", "POST", "/api/v1/questions/", lambda w: {
            **QUESTION, "title": "Wie gehen Sie mit Rückfragen um?", "body": PERSONAL}),
        "body", PERSONAL,
    ),
    "question edit title": (
        _call("member", "PATCH", "/api/v1/questions/{q}", lambda w: {"title": PERSONAL_TITLE}),
        "title", PERSONAL_TITLE,
    ),
    "question edit body": (
        _call("member", "PATCH", "/api/v1/questions/{q}", lambda w: {"body": PERSONAL}),
        "body", PERSONAL,
    ),
    "question edit reason": (
        _call("member", "PATCH", "/api/v1/questions/{q}", lambda w: {
            "body": "Neuer Text ohne Namen.", "reason": "Rückfrage von Herrn Yilmaz"}),
        "reason", "Rückfrage von Herrn Yilmaz",
    ),
    "answer": (
        _call("expert", "POST", "/api/v1/questions/{q}/answers", lambda w: {"body": PERSONAL}),
        "body", PERSONAL,
    ),
    "answer edit body": (
        _call("expert", "PATCH", "/api/v1/answers/{a}", lambda w: {"body": PERSONAL}),
        "body", PERSONAL,
    ),
    "answer edit reason": (
        _call("expert", "PATCH", "/api/v1/answers/{a}", lambda w: {
            "body": "Anders gelöst.", "reason": "Hinweis von Frau Nowak"}),
        "reason", "Hinweis von Frau Nowak",
    ),
    "comment on a question": (
        _call("expert", "POST", "/api/v1/questions/{q}/comments", lambda w: {
            "body": "Mail an a.karimi@example.net"}),
        "body", "Mail an a.karimi@example.net",
    ),
    "comment on an answer": (
        _call("member", "POST", "/api/v1/answers/{a}/comments", lambda w: {
            "body": "Bruder Ali hat das auch so erlebt."}),
        "body", "Bruder Ali hat das auch so erlebt.",
    ),
    "flag text": (
        _call("member", "POST", "/api/v1/flags/", lambda w: {
            "target_type": "answer", "target_id": w.answer, "reason": "other",
            "text": "Das betrifft Frau Ayşe Yılmaz"}),
        "text", "Das betrifft Frau Ayşe Yılmaz",
    ),
    "moderator reason": (
        _call("moderator", "POST", "/api/v1/moderation/actions", _action(
            action="hide", target_type="answer", reason="Enthielt Tel. 0361 123456")),
        "reason", "Enthielt Tel. 0361 123456",
    ),
    "moderator edit of a question": (
        _call("moderator", "POST", "/api/v1/moderation/actions", _action(
            action="edit", target_type="question", reason="Bereinigt",
            title=PERSONAL_TITLE)),
        "title", PERSONAL_TITLE,
    ),
    "moderator edit of an answer": (
        _call("moderator", "POST", "/api/v1/moderation/actions", _action(
            action="edit", target_type="answer", reason="Bereinigt", body=PERSONAL)),
        "body", PERSONAL,
    ),
    "moderator dismissing a flag": (
        _call("moderator", "POST", "/api/v1/moderation/actions", _action(
            action="dismiss", target_type="flag", reason="Fall Ayse Demir ist erledigt")),
        "reason", "Fall Ayse Demir ist erledigt",
    ),
    "moderator suspending an account": (
        _call("moderator", "POST", "/api/v1/moderation/actions", _action(
            action="suspend", target_type="user", reason="Hat Akte von Herrn Yilmaz gepostet")),
        "reason", "Hat Akte von Herrn Yilmaz gepostet",
    ),
    "moderator suspending on the people page": (
        _call("moderator", "PATCH", "/api/v1/people/{h}", lambda w: {
            "status": "suspended", "reason": "Hat Akte von Herrn Yilmaz gepostet"}),
        "reason", "Hat Akte von Herrn Yilmaz gepostet",
    ),
    "moderator changing a role": (
        _call("moderator", "PATCH", "/api/v1/people/{h}", lambda w: {
            "role": "expert", "authority": "weimar", "reason": "Rückruf unter 0176 23456789"}),
        "reason", "Rückruf unter 0176 23456789",
    ),
    "token name": (
        _call("member", "POST", "/api/v1/tokens/", lambda w: {
            "name": "Abgleich Kunde Mohammed A."}),
        "name", "Abgleich Kunde Mohammed A.",
    ),
    "new instrument": (
        _call("moderator", "POST", "/api/v1/instruments", lambda w: {
            "title": "Lotsendienst", "cornerstone": "vernetzung",
            "description": "Ansprechpartner: lotsen@example.de"}),
        "description", "Ansprechpartner: lotsen@example.de",
    ),
    "instrument edit reason": (
        _call("moderator", "PATCH", "/api/v1/instruments/terminsystem", lambda w: {
            "title": "Terminsystem (online)", "reason": "Wunsch von Herrn Haddad"}),
        "reason", "Wunsch von Herrn Haddad",
    ),
    "instrument merge reason": (
        _call("moderator", "POST", "/api/v1/instruments/prozessgestaltung/merge", lambda w: {
            "into": "terminsystem", "reason": "Doppelt, gemeldet von Frau Nowak"}),
        "reason", "Doppelt, gemeldet von Frau Nowak",
    ),
    "cornerstone statement": (
        _call("moderator", "PATCH", "/api/v1/cornerstones/vernetzung", lambda w: {
            "statement": "Vernetzung mit Familie al-Hassan"}),
        "statement", "Vernetzung mit Familie al-Hassan",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
async def test_a_text_with_personal_data_is_refused(client: ApiClient, case: str) -> None:
    request, field, typed = CASES[case]
    world = await _world()
    before = await _stored()
    response = await request(client, world)
    body = assert_problem(response, 422, fields=[field])
    assert body["detail"].startswith("Der Text enthält personenbezogene Daten – im Feld „")
    assert "(Zeichen " in body["detail"]
    [error] = body["errors"]
    assert error["message"].startswith(PREFIX)
    assert error["findings"], error
    for finding in error["findings"]:
        # Positions refer to the text as typed, counted from 0 here and from 1 in messages.
        assert typed[finding["start"] : finding["end"]] == finding["text"]
        assert (
            f"„{finding['text']}“ (Zeichen {finding['start'] + 1}–{finding['end']})"
            in (error["message"])
        )
        assert finding["label"]
    assert await _stored() == before


async def test_every_finding_of_the_issue_example_is_named(client: ApiClient) -> None:
    world = await _world()
    await client.login(world.expert)
    response = await client.post(
        f"/api/v1/questions/{world.question}/answers", json={"body": PERSONAL}
    )
    [error] = assert_problem(response, 422, fields=["body"])["errors"]
    assert [(f["kind"], f["text"]) for f in error["findings"]] == [
        ("person_name", "Mehmet Yilmaz"),
        ("birth_date", "12.03.1985"),
        ("azr_number", "123456789012"),
        ("phone", "0361 123456"),
    ]


async def test_findings_in_several_fields_are_reported_per_field(client: ApiClient) -> None:
    member = await make_user(Role.member)
    await client.login(member)
    response = await client.post(
        "/api/v1/questions/",
        json={**QUESTION, "title": PERSONAL_TITLE, "body": "Rückruf unter 0176 23456789"},
    )
    body = assert_problem(response, 422, fields=["title", "body"])
    assert "im Feld „Titel“" in body["detail"]
    assert "im Feld „Text“" in body["detail"]
    assert [f["kind"] for f in body["errors"][1]["findings"]] == ["phone"]


async def test_clean_texts_still_pass(client: ApiClient) -> None:
    world = await _world()
    await client.login(world.expert)
    answered = await client.post(
        f"/api/v1/questions/{world.question}/answers",
        json={
            "body": "Frau Kollegin aus Essen hat uns am 12.03.2025 in Raum 2.14 das Verfahren "
            "nach § 18a AufenthG und Art. 6 GG erklärt; die Stadt Weimar macht es genauso."
        },
    )
    assert answered.status_code == 201, answered.text
    await client.login(world.moderator)
    hidden = await client.post(
        "/api/v1/moderation/actions",
        json={
            "action": "hide",
            "target_type": "answer",
            "target_id": world.answer,
            "reason": "Enthielt einen Namen; bitte anonymisiert neu einstellen.",
        },
    )
    assert hidden.status_code == 200, hidden.text
