"""Every form that stores what a user writes refuses personal data the same way: 422, the
form again with the guard's findings next to the field (and in the summary), and the text as
the user typed it still in the field. Starting a consultation and its posts:
test_consultation_pages.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.consultations.phases import Phase
from fachaustausch.moderation.tables import Flag
from fachaustausch.questions.tables import Answer, Comment, Question
from tests.consultations.support import put_in_phase
from tests.factories import ApiClient, UserRecord, make_user
from tests.web.helpers import field_error, html, post_form, sign_in
from tests.web.html import Node
from tests.web.qa import answer, ask

PREFIX = "Bitte entfernen Sie personenbezogene Daten: "


@dataclass
class World:
    asker: UserRecord
    expert: UserRecord
    moderator: UserRecord
    question: int
    answer: int
    flag: int


async def _world() -> World:
    asker = await make_user(Role.member)
    expert = await make_user(Role.expert)
    moderator = await make_user(Role.moderator)
    question = await ask(asker)
    answer_id = await answer(expert, question, "Bei uns gibt es dafür ein Formular.")
    rows = await Flag.insert(
        Flag(target_type="answer", target_id=answer_id, reporter=asker.id, reason="wrong")
    ).run()
    return World(asker, expert, moderator, question, answer_id, int(rows[0]["id"]))


@dataclass(frozen=True)
class FormCase:
    who: str
    path: str
    fields: dict[str, str]
    field: str  # the field at fault, by the id of its control
    typed: str
    textarea: bool = False


QUESTION_FORM = {"cornerstone": "binnenorganisation", "instruments": "terminsystem"}
CASES: dict[str, FormCase] = {
    "ask: title": FormCase(
        "asker", "/fragen/neu",
        {**QUESTION_FORM, "title": "Fall Ayse Demir: wie weiter?", "body": "Wie gehen Sie vor?"},
        "title", "Fall Ayse Demir: wie weiter?",
    ),
    "ask: body": FormCase(
        "asker", "/fragen/neu",
        {**QUESTION_FORM, "title": "Wie gehen Sie mit Rückfragen um?",
         "body": "Herr Mehmet Yilmaz, geb. 12.03.1985, fragt nach."},
        "body", "Herr Mehmet Yilmaz, geb. 12.03.1985, fragt nach.", textarea=True,
    ),
    "edit question: reason": FormCase(
        "asker", "/fragen/{q}/bearbeiten",
        {**QUESTION_FORM, "title": "Wie organisieren Sie die Online-Terminvergabe?",
         "body": "Ergänzt: Wir nutzen noch Papier.", "reason": "Hinweis von Frau Nowak"},
        "reason", "Hinweis von Frau Nowak",
    ),
    "answer": FormCase(
        "expert", "/fragen/{q}/antworten",
        {"body": "Rufen Sie Bruder Ali unter 0176 23456789 an."},
        "answer-body", "Rufen Sie Bruder Ali unter 0176 23456789 an.", textarea=True,
    ),
    "edit answer: body": FormCase(
        "expert", "/antworten/{a}/bearbeiten",
        {"body": "Schreiben Sie an a.karimi[at]example.de", "reason": "ergänzt"},
        "body", "Schreiben Sie an a.karimi[at]example.de", textarea=True,
    ),
    "comment on the question": FormCase(
        "expert", "/fragen/{q}/kommentare",
        {"body": "Die Antragstellerin Ayşe Yılmaz hat das auch gefragt."},
        "body", "Die Antragstellerin Ayşe Yılmaz hat das auch gefragt.", textarea=True,
    ),
    "comment on an answer": FormCase(
        "asker", "/antworten/{a}/kommentare",
        {"body": "IBAN de44500105175407324931 stimmt nicht."},
        "body", "IBAN de44500105175407324931 stimmt nicht.", textarea=True,
    ),
    "flag": FormCase(
        "asker", "/melden",
        {"target_type": "answer", "target_id": "{a}", "reason": "other",
         "text": "Das betrifft die Kundin Fatou Diallo."},
        "text", "Das betrifft die Kundin Fatou Diallo.", textarea=True,
    ),
    "access token": FormCase(
        "asker", "/profil/token", {"name": "Abgleich Fall Haddad"},
        "name", "Abgleich Fall Haddad",
    ),
    "new instrument": FormCase(
        "moderator", "/werkzeugkoffer/neu",
        {"title": "Lotsendienst", "slug": "", "cornerstone": "vernetzung",
         "description": "Kontakt: lotsen@example.de", "origin_note": ""},
        "description", "Kontakt: lotsen@example.de", textarea=True,
    ),
    "instrument edit: reason": FormCase(
        "moderator", "/werkzeugkoffer/terminsystem/bearbeiten",
        {"title": "Terminsystem (online)", "description": "", "origin_note": "",
         "reason": "Wunsch von Herrn Haddad"},
        "reason", "Wunsch von Herrn Haddad",
    ),
    "instrument merge: reason": FormCase(
        "moderator", "/werkzeugkoffer/prozessgestaltung/zusammenfuehren",
        {"into": "terminsystem", "reason": "Doppelt, gemeldet von Frau Nowak"},
        "reason", "Doppelt, gemeldet von Frau Nowak",
    ),
    "cornerstone: statement": FormCase(
        "moderator", "/werkzeugkoffer/eckpunkte/vernetzung/bearbeiten",
        {"title": "Vernetzung", "statement": "Wir arbeiten mit Familie al-Hassan zusammen.",
         "description": "", "reason": ""},
        "statement", "Wir arbeiten mit Familie al-Hassan zusammen.", textarea=True,
    ),
    "moderator action: reason": FormCase(
        "moderator", "/moderation/aktionen",
        {"action": "hide", "target_type": "answer", "target_id": "{a}",
         "reason": "Enthielt Tel. 0361 123456", "zurueck": "/fragen/{q}"},
        "reason", "Enthielt Tel. 0361 123456",
    ),
    "dismissing flags: reason": FormCase(
        "moderator", "/moderation/meldungen-verwerfen",
        {"flag_id": "{f}", "reason": "Fall Ayse Demir ist erledigt", "zurueck": "/moderation"},
        "reason", "Fall Ayse Demir ist erledigt",
    ),
}  # fmt: skip


async def _texts() -> list[Any]:
    return [
        await Question.select(Question.title, Question.body).run(),
        await Answer.select(Answer.body, Answer.hidden).run(),
        await Comment.count().run(),
        await Flag.select(Flag.text, Flag.status).run(),
    ]


def _kept(page: Node, case: FormCase) -> str:
    control = page.by_id(case.field)
    return control.text if case.textarea else control.get("value")


Submit = Callable[[ApiClient, World, FormCase], Awaitable[Any]]


async def _submit(client: ApiClient, world: World, case: FormCase) -> Any:
    await sign_in(client, getattr(world, case.who))
    ids = {"q": world.question, "a": world.answer, "f": world.flag}
    fields = {name: value.format(**ids) for name, value in case.fields.items()}
    return await post_form(client, case.path.format(**ids), fields)


@pytest.mark.parametrize("name", CASES, ids=list(CASES))
async def test_the_form_comes_back_with_the_findings_and_the_text(
    client: ApiClient, name: str
) -> None:
    case = CASES[name]
    world = await _world()
    before = await _texts()
    response = await _submit(client, world, case)
    assert response.status_code == 422, response.text[:500]
    page = html(response)
    message = field_error(page, case.field)
    assert message.startswith(PREFIX), message
    assert "(Zeichen " in message
    assert _kept(page, case) == case.typed
    summary = page.find("main").find("div", role="alert")
    assert PREFIX in summary.text
    assert await _texts() == before


async def test_the_refused_moderator_action_can_be_sent_again(client: ApiClient) -> None:
    world = await _world()
    response = await _submit(client, world, CASES["moderator action: reason"])
    page = html(response)
    form = page.find("main").find("form")
    hidden = {i.get("name"): i.get("value") for i in form.find_all("input", type="hidden")}
    assert hidden["action"] == "hide"
    assert hidden["target_id"] == str(world.answer)
    assert hidden["zurueck"] == f"/fragen/{world.question}"
    again = await post_form(
        client, form.get("action"), {**hidden, "reason": "Enthielt eine Telefonnummer."}
    )
    assert again.status_code in {302, 303}, again.text[:500]
    hidden_now = await Answer.select(Answer.hidden).where(Answer.id == world.answer).first()
    assert hidden_now == {"hidden": True}


async def test_the_key_question_form_keeps_the_text(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.key_question)
    await sign_in(client, cast.case_giver)
    typed = "Wie helfen wir der Kundin Svetlana Morozova beim Pass?"
    response = await post_form(
        client, f"/fallberatungen/{cast.id}/schluesselfrage", {"key_question": typed}
    )
    assert response.status_code == 422
    page = html(response)
    assert field_error(page, "key_question").startswith(PREFIX)
    assert page.by_id("key_question").get("value") == typed
