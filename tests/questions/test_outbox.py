"""Every write that changes what search shows records an outbox row for its question, in the
same transaction: a refused write records none, and a failing outbox undoes the write."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.core.outbox import SearchOutbox
from fachaustausch.questions import answers, comments, votes
from fachaustausch.questions import service as questions
from fachaustausch.questions.models import AnswerEdit, AnswerInput, CommentInput, QuestionInput
from fachaustausch.questions.tables import Answer, Comment, Question, Vote
from tests.factories import QUESTION_DEFAULTS, ApiClient, answer_question, ask_question, make_user

pytestmark = pytest.mark.database


async def _rows() -> list[tuple[str, int]]:
    rows = await SearchOutbox.select(SearchOutbox.entity_type, SearchOutbox.entity_id).run()
    return [(r["entity_type"], r["entity_id"]) for r in rows]


async def test_each_write_adds_one_outbox_row(client: ApiClient) -> None:
    asker = await make_user(Role.member)
    expert = await make_user(Role.expert)
    await client.login_token(asker)

    async def write(method: str, path: str, body: Any = None) -> Any:
        before = await _rows()
        response = await client.request(method, path, **({"json": body} if body else {}))
        assert response.status_code in (200, 201, 204), response.text
        return response, (await _rows())[len(before) :]

    response, added = await write("POST", "/api/v1/questions", QUESTION_DEFAULTS)
    qid = response.json()["id"]
    assert added == [("question", qid)]
    _, added = await write("PATCH", f"/api/v1/questions/{qid}", {"body": "Neuer Text"})
    assert added == [("question", qid)]
    _, added = await write("POST", f"/api/v1/questions/{qid}/comments", {"body": "Nachtrag"})
    assert added == [("question", qid)]

    client.logout_local()
    await client.login_token(expert)
    response, added = await write("POST", f"/api/v1/questions/{qid}/answers", {"body": "So."})
    aid = response.json()["id"]
    assert added == [("question", qid)]
    _, added = await write("PATCH", f"/api/v1/answers/{aid}", {"body": "So und so."})
    assert added == [("question", qid)]
    _, added = await write("POST", f"/api/v1/questions/{qid}/vote", {"value": 1})
    assert added == [("question", qid)]
    _, added = await write("POST", f"/api/v1/answers/{aid}/comments", {"body": "Ergänzung"})
    assert added == [("question", qid)]

    client.logout_local()
    await client.login_token(asker)
    _, added = await write("POST", f"/api/v1/answers/{aid}/vote", {"value": 1})
    assert added == [("question", qid)]
    _, added = await write("POST", f"/api/v1/answers/{aid}/accept")
    assert added == [("question", qid)]
    # Following changes nothing search shows.
    _, added = await write("PUT", f"/api/v1/questions/{qid}/follow")
    assert added == []


async def test_refused_writes_add_no_row(client: ApiClient) -> None:
    asker = await make_user(Role.member)
    qid = await ask_question(asker)
    aid = await answer_question(await make_user(Role.expert), qid)
    await Question.update({Question.locked: True}).where(Question.id == qid).run()
    other = await make_user(Role.member, authority="bremen")
    await client.login_token(other)
    before = await _rows()
    refused = [
        ("POST", f"/api/v1/questions/{qid}/answers", {"body": "x"}, 409),
        ("POST", f"/api/v1/questions/{qid}/comments", {"body": "x"}, 409),
        ("POST", f"/api/v1/questions/{qid}/vote", {"value": 1}, 409),
        ("POST", f"/api/v1/answers/{aid}/vote", {"value": 1}, 409),
        ("POST", f"/api/v1/answers/{aid}/accept", None, 403),
        ("PATCH", f"/api/v1/questions/{qid}", {"body": "x"}, 403),
        ("PATCH", f"/api/v1/answers/{aid}", {"body": "x"}, 403),
        ("POST", "/api/v1/questions", {**QUESTION_DEFAULTS, "cornerstone": "nein"}, 422),
        ("POST", f"/api/v1/questions/{qid}/vote", {"value": 5}, 422),
    ]
    for method, path, body, status in refused:
        response = await client.request(method, path, **({"json": body} if body else {}))
        assert response.status_code == status, (path, response.text)
    assert await _rows() == before


class OutboxDown(Exception):
    pass


@pytest.mark.parametrize("write", ["ask", "answer", "comment", "vote", "accept", "edit"])
async def test_a_failing_outbox_undoes_the_write(
    client: ApiClient, monkeypatch: pytest.MonkeyPatch, write: str
) -> None:
    asker = await make_user(Role.member)
    expert = await make_user(Role.expert)
    qid = await ask_question(asker)
    aid = await answer_question(expert, qid)
    tables: list[Any] = [Question, Answer, Comment, Vote, SearchOutbox]
    before = {t._meta.tablename: await t.select().run() for t in tables}

    async def broken(*_: Any) -> None:
        raise OutboxDown

    for module in (questions, answers, comments, votes):
        monkeypatch.setattr(module, "enqueue", broken)
    asker_p, expert_p = await asker.principal(), await expert.principal()
    calls: dict[str, Callable[[], Awaitable[Any]]] = {
        "ask": lambda: questions.ask(asker_p, QuestionInput(**QUESTION_DEFAULTS)),
        "answer": lambda: questions.answer(expert_p, qid, AnswerInput(body="Noch eine")),
        "comment": lambda: questions.comment(asker_p, None, aid, CommentInput(body="Danke")),
        "vote": lambda: questions.vote(asker_p, "answer", aid, 1),
        "accept": lambda: questions.accept(asker_p, aid),
        "edit": lambda: questions.edit_answer(expert_p, aid, AnswerEdit(body="Anders", reason="")),
    }
    with pytest.raises(OutboxDown):
        await calls[write]()
    assert {t._meta.tablename: await t.select().run() for t in tables} == before
