"""The rules of questions and answers as an API matrix: every action × role × own/foreign post
× question state, with the exact status code each combination must answer."""

from __future__ import annotations

from typing import Any

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.questions.tables import Answer, Question
from tests.factories import (
    ApiClient,
    UserRecord,
    answer_question,
    ask_question,
    assert_german,
    make_user,
)

pytestmark = pytest.mark.database

ROLES = [Role.member, Role.expert, Role.moderator, Role.admin]
STATES: dict[str, dict[Any, Any]] = {
    "open": {},
    "locked": {Question.locked: True, Question.locked_reason: "Diskussion beendet"},
    "closed": {Question.closed_reason: "outdated", Question.closed_note: "Rechtslage geändert"},
    "hidden": {Question.hidden: True, Question.hidden_reason: "Personenbezug"},
}

# The actions in the order the test runs them (none changes what a later one checks).
ACTIONS = [
    "get question",
    "question revisions",
    "answer revisions",
    "follow",
    "unfollow",
    "vote question",
    "vote answer",
    "comment question",
    "comment answer",
    "edit question",
    "edit answer",
    "accept",
    "answer",
]

# Codes per state, in the order open, locked, closed, hidden.
EVERYWHERE = (200, 200, 200, 200)
VISIBLE = (200, 200, 200, 404)
# (moderator?, own post?) -> action -> codes. "Own" means the actor wrote the question and the
# answer; "foreign" that somebody else wrote both.
EXPECTED: dict[tuple[bool, bool], dict[str, tuple[int, int, int, int]]] = {
    (False, True): {
        "get question": VISIBLE,
        "question revisions": VISIBLE,
        "answer revisions": VISIBLE,
        "follow": (204, 204, 204, 404),
        "unfollow": (204, 204, 204, 404),
        "vote question": (403, 403, 403, 404),
        "vote answer": (403, 403, 403, 404),
        "comment question": (201, 409, 201, 404),
        "comment answer": (201, 409, 201, 404),
        "edit question": (200, 409, 200, 404),
        "edit answer": (200, 409, 200, 404),
        "accept": (200, 409, 200, 404),
        "answer": (201, 409, 409, 404),
    },
    (False, False): {
        "get question": VISIBLE,
        "question revisions": VISIBLE,
        "answer revisions": VISIBLE,
        "follow": (204, 204, 204, 404),
        "unfollow": (204, 204, 204, 404),
        "vote question": (200, 409, 200, 404),
        "vote answer": (200, 409, 200, 404),
        "comment question": (201, 409, 201, 404),
        "comment answer": (201, 409, 201, 404),
        "edit question": (403, 403, 403, 404),
        "edit answer": (403, 403, 403, 404),
        "accept": (403, 403, 403, 404),
        "answer": (201, 409, 409, 404),
    },
    (True, True): {
        "get question": EVERYWHERE,
        "question revisions": EVERYWHERE,
        "answer revisions": EVERYWHERE,
        "follow": (204, 204, 204, 204),
        "unfollow": (204, 204, 204, 204),
        "vote question": (403, 403, 403, 403),
        "vote answer": (403, 403, 403, 403),
        "comment question": (201, 409, 201, 201),
        "comment answer": (201, 409, 201, 201),
        "edit question": EVERYWHERE,
        "edit answer": EVERYWHERE,
        "accept": (200, 409, 200, 200),
        "answer": (201, 409, 409, 201),
    },
    (True, False): {
        "get question": EVERYWHERE,
        "question revisions": EVERYWHERE,
        "answer revisions": EVERYWHERE,
        "follow": (204, 204, 204, 204),
        "unfollow": (204, 204, 204, 204),
        "vote question": (200, 409, 200, 200),
        "vote answer": (200, 409, 200, 200),
        "comment question": (201, 409, 201, 201),
        "comment answer": (201, 409, 201, 201),
        "edit question": EVERYWHERE,
        "edit answer": EVERYWHERE,
        "accept": (200, 409, 200, 200),
        "answer": (201, 409, 409, 201),
    },
}


def _requests(qid: int, aid: int) -> dict[str, tuple[str, str, dict[str, Any] | None]]:
    return {
        "get question": ("GET", f"/api/v1/questions/{qid}", None),
        "question revisions": ("GET", f"/api/v1/questions/{qid}/revisions", None),
        "answer revisions": ("GET", f"/api/v1/answers/{aid}/revisions", None),
        "follow": ("PUT", f"/api/v1/questions/{qid}/follow", None),
        "unfollow": ("DELETE", f"/api/v1/questions/{qid}/follow", None),
        "vote question": ("POST", f"/api/v1/questions/{qid}/vote", {"value": 1}),
        "vote answer": ("POST", f"/api/v1/answers/{aid}/vote", {"value": -1}),
        "comment question": ("POST", f"/api/v1/questions/{qid}/comments", {"body": "Danke."}),
        "comment answer": ("POST", f"/api/v1/answers/{aid}/comments", {"body": "Hilfreich."}),
        "edit question": (
            "PATCH",
            f"/api/v1/questions/{qid}",
            {"body": "Geänderter Fragetext.", "reason": "präziser"},
        ),
        "edit answer": ("PATCH", f"/api/v1/answers/{aid}", {"body": "Geänderte Antwort."}),
        "accept": ("POST", f"/api/v1/answers/{aid}/accept", None),
        "answer": ("POST", f"/api/v1/questions/{qid}/answers", {"body": "Noch eine Antwort."}),
    }


async def _run_all(client: ApiClient, qid: int, aid: int) -> dict[str, int]:
    codes = {}
    for action, (method, path, body) in _requests(qid, aid).items():
        kwargs = {"json": body} if body is not None else {}
        response = await client.request(method, path, **kwargs)
        assert response.status_code != 500, (action, response.text)
        if response.status_code >= 400:
            assert_german(response.text)
            assert response.json()["detail"], (action, response.text)
        codes[action] = response.status_code
    return codes


async def _setup(role: Role, own: bool, state: str) -> tuple[UserRecord, int, int]:
    actor = await make_user(role)
    author = actor if own else await make_user(Role.member, authority="bremen")
    qid = await ask_question(author)
    aid = await answer_question(author, qid)
    if STATES[state]:
        await Question.update(STATES[state]).where(Question.id == qid).run()
    return actor, qid, aid


@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("own", [True, False], ids=["own", "foreign"])
@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
async def test_rule_matrix(client: ApiClient, role: Role, own: bool, state: str) -> None:
    actor, qid, aid = await _setup(role, own, state)
    await client.login(actor)
    column = list(STATES).index(state)
    expected = {
        action: codes[column]
        for action, codes in EXPECTED[(role.rank >= Role.moderator.rank, own)].items()
    }
    assert list(expected) == ACTIONS
    assert await _run_all(client, qid, aid) == expected


@pytest.mark.parametrize("state", list(STATES))
async def test_anonymous_gets_401_everywhere(client: ApiClient, state: str) -> None:
    _, qid, aid = await _setup(Role.member, True, state)
    await client.csrf_token()  # so that unsafe requests get past CSRF to the sign-in guard
    for action, (method, path, body) in _requests(qid, aid).items():
        kwargs = {"json": body} if body is not None else {}
        response = await client.request(method, path, **kwargs)
        assert response.status_code == 401, (action, response.text)
        assert_german(response.text)
    assert (await client.get("/api/v1/questions")).status_code == 401


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
async def test_hidden_answer(client: ApiClient, role: Role) -> None:
    """A hidden answer on a visible question: 404 for everyone but moderators."""
    actor = await make_user(role)
    author = await make_user(Role.expert, authority="kiel")
    qid = await ask_question(actor)
    aid = await answer_question(author, qid)
    await (
        Answer.update({Answer.hidden: True, Answer.hidden_reason: "Werbung"})
        .where(Answer.id == aid)
        .run()
    )
    await client.login(actor)
    moderator = role.rank >= Role.moderator.rank
    codes = {
        action: code
        for action, code in (await _run_all(client, qid, aid)).items()
        if action in {"answer revisions", "vote answer", "comment answer", "edit answer", "accept"}
    }
    if moderator:
        assert codes == {
            "answer revisions": 200,
            "vote answer": 200,
            "comment answer": 201,
            "edit answer": 200,
            "accept": 409,  # a hidden answer cannot be the accepted one
        }
    else:
        assert codes == dict.fromkeys(codes, 404)
    detail = (await client.get(f"/api/v1/questions/{qid}")).json()
    assert (aid in [a["id"] for a in detail["answers"]]) is moderator
