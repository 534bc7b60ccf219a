"""Bad input on the question routes: a 4xx problem in German, never a 500, nothing stored."""

from __future__ import annotations

from typing import Any

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.core.outbox import SearchOutbox
from fachaustausch.questions.tables import (
    Answer,
    Comment,
    Question,
    QuestionInstrument,
    Revision,
    Vote,
)
from tests.factories import (
    QUESTION_DEFAULTS,
    ApiClient,
    answer_question,
    ask_question,
    assert_problem,
    make_user,
)

JSON = {"content-type": "application/json"}
ASK = "/api/v1/questions"
HUGE = 2**63
TABLES: list[Any] = [Answer, Comment, Question, QuestionInstrument, Revision, Vote, SearchOutbox]


def _q(**changes: Any) -> dict[str, Any]:
    return {**QUESTION_DEFAULTS, **changes}


async def _counts() -> dict[str, int]:
    return {t._meta.tablename: await t.count() for t in TABLES}


SIX = [
    "terminsystem",
    "service-point-front-office",
    "front-und-back-office-im-wechsel",
    "mobiler-arbeitsplatz",
    "spezialteams",
    "prozessgestaltung",
]

# (name, method, path, request kwargs, status, fields at fault or None)
# `{q}` is a question, `{a}` an answer on it.
CASES: list[tuple[str, str, str, dict[str, Any], int, list[str] | None]] = [
    ("title 9", "POST", ASK, {"json": _q(title="x" * 9)}, 422, ["title"]),
    ("title 151", "POST", ASK, {"json": _q(title="x" * 151)}, 422, ["title"]),
    (
        "title short once collapsed",
        "POST",
        ASK,
        {"json": _q(title="Wie         ?")},
        422,
        ["title"],
    ),
    ("title blank", "POST", ASK, {"json": _q(title=" " * 20)}, 422, ["title"]),
    ("body empty", "POST", ASK, {"json": _q(body="")}, 422, ["body"]),
    ("body blank", "POST", ASK, {"json": _q(body="  \n\t ")}, 422, ["body"]),
    ("body 20001", "POST", ASK, {"json": _q(body="x" * 20_001)}, 422, ["body"]),
    ("missing fields", "POST", ASK, {"json": {}}, 422, ["title", "body", "cornerstone"]),
    (
        "unknown cornerstone",
        "POST",
        ASK,
        {"json": _q(cornerstone="gibt-es-nicht")},
        422,
        ["cornerstone"],
    ),
    ("malformed cornerstone", "POST", ASK, {"json": _q(cornerstone="Eck Punkt!")}, 422, None),
    (
        "unknown instrument",
        "POST",
        ASK,
        {"json": _q(instruments=["terminsystem", "gibt-es-nicht"])},
        422,
        ["instruments.1"],
    ),
    ("six instruments", "POST", ASK, {"json": _q(instruments=SIX)}, 422, ["instruments"]),
    (
        "duplicate instrument",
        "POST",
        ASK,
        {"json": _q(instruments=["terminsystem", "terminsystem"])},
        422,
        ["instruments"],
    ),
    (
        "directed to a member authority",
        "POST",
        ASK,
        {"json": _q(directed_to="leipzig")},
        422,
        ["directed_to"],
    ),
    ("directed to BAMF", "POST", ASK, {"json": _q(directed_to="bamf")}, 422, ["directed_to"]),
    (
        "directed to a partner",
        "POST",
        ASK,
        {"json": _q(directed_to="heidelberg")},
        422,
        ["directed_to"],
    ),
    (
        "directed to nobody known",
        "POST",
        ASK,
        {"json": _q(directed_to="atlantis")},
        422,
        ["directed_to"],
    ),
    ("NUL in title", "POST", ASK, {"json": _q(title="Wie geht\x00 das hier?")}, 422, ["title"]),
    ("NUL in body", "POST", ASK, {"json": _q(body="Text\x00Text")}, 422, ["body"]),
    (
        "invalid UTF-8",
        "POST",
        ASK,
        {"content": b'{"title": "\xff\xfe"}', "headers": JSON},
        400,
        None,
    ),
    ("malformed JSON", "POST", ASK, {"content": b'{"title": ', "headers": JSON}, 400, None),
    ("array body", "POST", ASK, {"json": [QUESTION_DEFAULTS]}, 422, ["body"]),
    ("number title", "POST", ASK, {"json": _q(title=12345678901)}, 422, ["title"]),
    ("string instruments", "POST", ASK, {"json": _q(instruments="terminsystem")}, 422, None),
    ("object body", "POST", ASK, {"json": _q(body={"text": "x"})}, 422, ["body"]),
    ("extra field", "POST", ASK, {"json": _q(author_id=1)}, 422, ["author_id"]),
    ("extra field status", "POST", ASK, {"json": _q(status="solved")}, 422, ["status"]),
    (
        "answer empty",
        "POST",
        "/api/v1/questions/{q}/answers",
        {"json": {"body": ""}},
        422,
        ["body"],
    ),
    (
        "answer 20001",
        "POST",
        "/api/v1/questions/{q}/answers",
        {"json": {"body": "x" * 20_001}},
        422,
        ["body"],
    ),
    (
        "answer NUL",
        "POST",
        "/api/v1/questions/{q}/answers",
        {"json": {"body": "a\x00"}},
        422,
        ["body"],
    ),
    (
        "answer extra",
        "POST",
        "/api/v1/questions/{q}/answers",
        {"json": {"body": "x", "accepted": True}},
        422,
        ["accepted"],
    ),
    (
        "answer invalid UTF-8",
        "POST",
        "/api/v1/questions/{q}/answers",
        {"content": b'{"body": "\xc3\x28"}', "headers": JSON},
        400,
        None,
    ),
    (
        "comment 1001",
        "POST",
        "/api/v1/questions/{q}/comments",
        {"json": {"body": "x" * 1001}},
        422,
        ["body"],
    ),
    (
        "answer comment 1001",
        "POST",
        "/api/v1/answers/{a}/comments",
        {"json": {"body": "x" * 1001}},
        422,
        ["body"],
    ),
    ("comment number", "POST", "/api/v1/questions/{q}/comments", {"json": {"body": 1}}, 422, None),
    ("edit nothing", "PATCH", "/api/v1/questions/{q}", {"json": {"reason": "x"}}, 422, None),
    (
        "edit title 9",
        "PATCH",
        "/api/v1/questions/{q}",
        {"json": {"title": "x" * 9}},
        422,
        ["title"],
    ),
    (
        "edit unknown instrument",
        "PATCH",
        "/api/v1/questions/{q}",
        {"json": {"instruments": ["gibt-es-nicht"]}},
        422,
        ["instruments.0"],
    ),
    (
        "edit unknown cornerstone",
        "PATCH",
        "/api/v1/questions/{q}",
        {"json": {"cornerstone": "gibt-es-nicht"}},
        422,
        ["cornerstone"],
    ),
    (
        "edit reason 301",
        "PATCH",
        "/api/v1/questions/{q}",
        {"json": {"body": "Neu", "reason": "x" * 301}},
        422,
        ["reason"],
    ),
    (
        "edit answer without body",
        "PATCH",
        "/api/v1/answers/{a}",
        {"json": {"reason": "x"}},
        422,
        ["body"],
    ),
    ("vote 2", "POST", "/api/v1/questions/{q}/vote", {"json": {"value": 2}}, 422, ["value"]),
    ("vote text", "POST", "/api/v1/answers/{a}/vote", {"json": {"value": "up"}}, 422, ["value"]),
    ("vote extra", "POST", "/api/v1/answers/{a}/vote", {"json": {"value": 1, "x": 1}}, 422, ["x"]),
    ("unknown question", "GET", "/api/v1/questions/999999", {}, 404, None),
    ("huge question", "GET", f"/api/v1/questions/{HUGE}", {}, 404, None),
    ("huge question 2^31", "GET", f"/api/v1/questions/{2**31}", {}, 404, None),
    ("negative question", "GET", "/api/v1/questions/-1", {}, 404, None),
    ("zero question", "GET", "/api/v1/questions/0", {}, 404, None),
    ("question abc", "GET", "/api/v1/questions/abc", {}, 404, None),
    ("huge revisions", "GET", f"/api/v1/questions/{HUGE}/revisions", {}, 404, None),
    ("huge edit", "PATCH", f"/api/v1/questions/{HUGE}", {"json": {"body": "x"}}, 404, None),
    (
        "huge answer",
        "POST",
        f"/api/v1/questions/{HUGE}/answers",
        {"json": {"body": "x"}},
        404,
        None,
    ),
    (
        "unknown question answer",
        "POST",
        "/api/v1/questions/999999/answers",
        {"json": {"body": "x"}},
        404,
        None,
    ),
    ("huge vote", "POST", f"/api/v1/questions/{HUGE}/vote", {"json": {"value": 1}}, 404, None),
    (
        "huge comment",
        "POST",
        f"/api/v1/questions/{HUGE}/comments",
        {"json": {"body": "x"}},
        404,
        None,
    ),
    ("huge follow", "PUT", f"/api/v1/questions/{HUGE}/follow", {}, 404, None),
    ("huge unfollow", "DELETE", f"/api/v1/questions/{HUGE}/follow", {}, 404, None),
    ("unknown answer", "PATCH", "/api/v1/answers/999999", {"json": {"body": "x"}}, 404, None),
    ("huge answer edit", "PATCH", f"/api/v1/answers/{HUGE}", {"json": {"body": "x"}}, 404, None),
    ("huge accept", "POST", f"/api/v1/answers/{HUGE}/accept", {}, 404, None),
    ("unknown accept", "POST", "/api/v1/answers/999999/accept", {}, 404, None),
    ("huge answer vote", "POST", f"/api/v1/answers/{HUGE}/vote", {"json": {"value": 1}}, 404, None),
    (
        "huge answer comment",
        "POST",
        f"/api/v1/answers/{HUGE}/comments",
        {"json": {"body": "x"}},
        404,
        None,
    ),
    ("huge answer revisions", "GET", f"/api/v1/answers/{HUGE}/revisions", {}, 404, None),
    ("limit 0", "GET", "/api/v1/questions?limit=0", {}, 400, ["limit"]),
    ("limit 101", "GET", "/api/v1/questions?limit=101", {}, 400, ["limit"]),
    ("limit abc", "GET", "/api/v1/questions?limit=abc", {}, 400, ["limit"]),
    ("limit huge", "GET", f"/api/v1/questions?limit={HUGE}", {}, 400, ["limit"]),
    ("unknown sort", "GET", "/api/v1/questions?sort=beliebt", {}, 400, ["sort"]),
    ("unknown status", "GET", "/api/v1/questions?status=erledigt", {}, 400, ["status"]),
    ("mine not bool", "GET", "/api/v1/questions?mine=vielleicht", {}, 400, ["mine"]),
    ("for_me not bool", "GET", "/api/v1/questions?for_me=2", {}, 400, ["for_me"]),
    (
        "NUL cornerstone filter",
        "GET",
        "/api/v1/questions?cornerstone=%00",
        {},
        400,
        ["cornerstone"],
    ),
    ("NUL instrument filter", "GET", "/api/v1/questions?instrument=a%00b", {}, 400, ["instrument"]),
    ("NUL authority filter", "GET", "/api/v1/questions?authority=%00", {}, 400, ["authority"]),
    ("NUL directed filter", "GET", "/api/v1/questions?directed_to=%00", {}, 400, ["directed_to"]),
    (
        "long instrument filter",
        "GET",
        "/api/v1/questions?instrument=" + "x" * 200,
        {},
        400,
        ["instrument"],
    ),
    (
        "unknown cornerstone filter",
        "GET",
        "/api/v1/questions?cornerstone=gibt-es-nicht",
        {},
        422,
        ["cornerstone"],
    ),
    (
        "unknown instrument filter",
        "GET",
        "/api/v1/questions?instrument=gibt-es-nicht",
        {},
        422,
        ["instrument"],
    ),
    (
        "unknown authority filter",
        "GET",
        "/api/v1/questions?authority=atlantis",
        {},
        422,
        ["authority"],
    ),
    ("garbage cursor", "GET", "/api/v1/questions?cursor=abc", {}, 422, ["cursor"]),
    ("NUL cursor", "GET", "/api/v1/questions?cursor=%00", {}, 400, ["cursor"]),
    ("long cursor", "GET", "/api/v1/questions?cursor=" + "a" * 2000, {}, 400, ["cursor"]),
]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "fields"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
async def test_bad_input(
    client: ApiClient,
    method: str,
    path: str,
    kwargs: dict[str, Any],
    status: int,
    fields: list[str] | None,
) -> None:
    author = await make_user(Role.member)
    qid = await ask_question(author)
    aid = await answer_question(await make_user(Role.expert), qid)
    await client.login_token(author)
    before = await _counts()
    response = await client.request(method, path.format(q=qid, a=aid), **kwargs)
    body = assert_problem(response, status, fields=fields)
    if status == 422 and fields:
        assert body["title"] == "Eingaben unvollständig oder fehlerhaft"
    assert await _counts() == before
    assert (await Question.select(Question.title).first().run()) == {
        "title": QUESTION_DEFAULTS["title"]
    }


async def test_a_question_at_the_limits_is_stored(client: ApiClient) -> None:
    """The boundaries themselves pass: title 10 and 150, body 20,000, five instruments."""
    await client.login_token(await make_user(Role.member))
    for title, body in (("x" * 10, "y" * 20_000), ("x" * 150, "y")):
        response = await client.post(ASK, json=_q(title=title, body=body, instruments=SIX[:5]))
        assert response.status_code == 201, response.text
        assert response.json()["title"] == title
    comment = await client.post(
        f"/api/v1/questions/{response.json()['id']}/comments", json={"body": "z" * 1000}
    )
    assert comment.status_code == 201, comment.text


async def test_title_whitespace_is_collapsed(client: ApiClient) -> None:
    await client.login_token(await make_user(Role.member))
    response = await client.post(ASK, json=_q(title="  Wie   organisieren\n Sie das?  "))
    assert response.status_code == 201, response.text
    assert response.json()["title"] == "Wie organisieren Sie das?"


async def test_tampered_cursors(client: ApiClient) -> None:
    author = await make_user(Role.member)
    for n in range(3):
        await ask_question(author, title=f"Frage Nummer {n} zur Terminvergabe")
    await client.login_token(author)
    page = (await client.get("/api/v1/questions?limit=1")).json()
    cursor = page["next_cursor"]
    assert cursor
    assert (await client.get(f"/api/v1/questions?limit=1&cursor={cursor}")).status_code == 200
    for i in range(len(cursor)):
        flipped = "B" if cursor[i] != "B" else "C"
        tampered = cursor[:i] + flipped + cursor[i + 1 :]
        response = await client.get("/api/v1/questions", params={"limit": 1, "cursor": tampered})
        assert_problem(response, 422, fields=["cursor"], detail="ungültig oder veraltet")
    # A cursor of another sort order would skip or repeat questions: refused.
    for sort in ("activity", "votes", "unanswered"):
        response = await client.get(
            "/api/v1/questions", params={"limit": 1, "cursor": cursor, "sort": sort}
        )
        assert_problem(response, 422, fields=["cursor"])
    votes = (await client.get("/api/v1/questions?limit=1&sort=votes")).json()["next_cursor"]
    response = await client.get("/api/v1/questions", params={"limit": 1, "cursor": votes})
    assert_problem(response, 422, fields=["cursor"])
