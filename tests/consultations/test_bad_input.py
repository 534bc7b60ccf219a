"""Bad input on the consultation routes: a 4xx problem in German, never a 500, nothing
stored."""

from __future__ import annotations

from typing import Any

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.consultations.phases import Phase
from fachaustausch.consultations.tables import Consultation
from tests.consultations.support import API, CONSULTATION, act_as, row_counts, start
from tests.factories import ApiClient, assert_problem, make_user

JSON = {"content-type": "application/json"}
HUGE = 2**63
SIX = [
    "terminsystem",
    "service-point-front-office",
    "front-und-back-office-im-wechsel",
    "mobiler-arbeitsplatz",
    "spezialteams",
    "prozessgestaltung",
]


def _c(**changes: Any) -> dict[str, Any]:
    return {**CONSULTATION, **changes}


# (name, method, path, request kwargs, status, fields at fault or None); `{c}` is the URL of
# a consultation in the key-question phase whose case giver sends the request.
CASES: list[tuple[str, str, str, dict[str, Any], int, list[str] | None]] = [
    ("title 9", "POST", API, {"json": _c(title="x" * 9)}, 422, ["title"]),
    ("title blank", "POST", API, {"json": _c(title=" " * 20)}, 422, ["title"]),
    ("title 151", "POST", API, {"json": _c(title="x" * 151)}, 422, ["title"]),
    ("title NUL", "POST", API, {"json": _c(title="Familie\x00 wartet lange")}, 422, ["title"]),
    ("summary empty", "POST", API, {"json": _c(summary="  ")}, 422, ["summary"]),
    ("summary NUL", "POST", API, {"json": _c(summary="Fall\x00")}, 422, ["summary"]),
    ("summary 10001", "POST", API, {"json": _c(summary="x" * 10_001)}, 422, ["summary"]),
    ("summary a number", "POST", API, {"json": _c(summary=17)}, 422, ["summary"]),
    ("six instruments", "POST", API, {"json": _c(instruments=SIX)}, 422, ["instruments"]),
    (
        "unknown instrument",
        "POST",
        API,
        {"json": _c(instruments=["gibt-es-nicht"])},
        422,
        ["instruments.0"],
    ),
    ("twice the instrument", "POST", API, {"json": _c(instruments=SIX[:1] * 2)}, 422, None),
    (
        "unknown cornerstone",
        "POST",
        API,
        {"json": _c(cornerstone="gibt-es-nicht")},
        422,
        ["cornerstone"],
    ),
    ("odd cornerstone", "POST", API, {"json": _c(cornerstone="Eck Punkt!")}, 422, None),
    ("secret", "POST", API, {"json": _c(visibility="secret")}, 422, ["visibility"]),
    ("extra field", "POST", API, {"json": _c(phase="closed")}, 422, ["phase"]),
    ("missing fields", "POST", API, {"json": {}}, 422, ["title", "summary", "cornerstone"]),
    ("invalid JSON", "POST", API, {"content": b'{"title": "x"', "headers": JSON}, 400, None),
    ("JSON list", "POST", API, {"json": []}, 422, None),
    ("not UTF-8", "POST", API, {"content": b'{"title": "\xff"}', "headers": JSON}, 400, None),
    (
        "unknown kind",
        "POST",
        "{c}/posts",
        {"json": {"kind": "gossip", "body": "Hallo"}},
        422,
        ["kind"],
    ),
    (
        "post NUL",
        "POST",
        "{c}/posts",
        {"json": {"kind": "key_question_suggestion", "body": "a\x00b"}},
        422,
        ["body"],
    ),
    ("post empty", "POST", "{c}/posts", {"json": {"kind": "advice", "body": ""}}, 422, ["body"]),
    ("post invalid JSON", "POST", "{c}/posts", {"content": b"{kind", "headers": JSON}, 400, None),
    ("post without body", "POST", "{c}/posts", {}, 422, None),
    ("unknown method", "PUT", "{c}/method", {"json": {"method": "orakel"}}, 422, ["method"]),
    (
        "key question NUL",
        "PUT",
        "{c}/key-question",
        {"json": {"key_question": "Wie\x00 nun?"}},
        422,
        ["key_question"],
    ),
    (
        "key question 4",
        "PUT",
        "{c}/key-question",
        {"json": {"key_question": "Wie?"}},
        422,
        ["key_question"],
    ),
    (
        "key question 501",
        "PUT",
        "{c}/key-question",
        {"json": {"key_question": "x" * 501}},
        422,
        ["key_question"],
    ),
    ("join as boss", "POST", "{c}/join", {"json": {"role": "boss"}}, 422, ["role"]),
    ("invite text id", "POST", "{c}/invite", {"json": {"user_id": "eins"}}, 422, ["user_id"]),
    ("invite huge id", "POST", "{c}/invite", {"json": {"user_id": HUGE}}, 422, ["user_id"]),
    (
        "invite as case giver",
        "POST",
        "{c}/invite",
        {"json": {"user_id": 1, "role": "case_giver"}},
        422,
        ["role"],
    ),
    ("huge id", "GET", f"{API}/{HUGE}", {}, 404, None),
    ("int4 overflow id", "GET", f"{API}/{2**31}", {}, 404, None),
    ("negative id", "GET", f"{API}/-1", {}, 404, None),
    ("zero id", "GET", f"{API}/0", {}, 404, None),
    ("text id", "GET", f"{API}/eins", {}, 404, None),
    ("huge join", "POST", f"{API}/{HUGE}/join", {}, 404, None),
    ("huge invite", "POST", f"{API}/{HUGE}/invite", {"json": {"user_id": 1}}, 404, None),
    (
        "huge post",
        "POST",
        f"{API}/{HUGE}/posts",
        {"json": {"kind": "advice", "body": "x"}},
        404,
        None,
    ),
    (
        "huge key question",
        "PUT",
        f"{API}/{HUGE}/key-question",
        {"json": {"key_question": "Wie geht es weiter?"}},
        404,
        None,
    ),
    ("huge method", "PUT", f"{API}/{HUGE}/method", {"json": {"method": "resonance"}}, 404, None),
    ("huge advance", "POST", f"{API}/{HUGE}/advance", {}, 404, None),
    ("int4 advance", "POST", f"{API}/{2**31}/advance", {}, 404, None),
    ("list unknown phase", "GET", API, {"params": {"phase": "nirgends"}}, 400, None),
    ("list bad mine", "GET", API, {"params": {"mine": "vielleicht"}}, 400, None),
    (
        "list unknown cornerstone",
        "GET",
        API,
        {"params": {"cornerstone": "gibt-es-nicht"}},
        422,
        ["cornerstone"],
    ),
    (
        "list unknown instrument",
        "GET",
        API,
        {"params": {"instrument": "gibt-es-nicht"}},
        422,
        ["instrument"],
    ),
    ("list NUL filter", "GET", API, {"params": {"cornerstone": "a\x00b"}}, 422, ["cornerstone"]),
    ("list NUL instrument", "GET", API, {"params": {"instrument": "\x00"}}, 422, ["instrument"]),
]


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status", "fields"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
async def test_bad_input_is_a_german_problem(
    client: ApiClient,
    method: str,
    path: str,
    kwargs: dict[str, Any],
    status: int,
    fields: list[str] | None,
) -> None:
    case_giver = await make_user(Role.member)
    cid = await start(case_giver)
    await (
        Consultation.update({Consultation.phase: Phase.key_question})
        .where(Consultation.id == cid)
        .run()
    )
    url = f"{API}/{cid}"
    await act_as(client, case_giver)
    before = await row_counts()
    response = await client.request(method, path.replace("{c}", url), **kwargs)
    assert_problem(response, status, fields=fields)
    assert await row_counts() == before
    assert (await client.get(url)).json()["key_question"] == ""
