"""The personal-data guard in front of every consultation text: refused with every finding
and its position, nothing stored; ordinary case facts pass."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import Role as AccountRole
from fachaustausch.consultations.phases import Phase
from tests.consultations.support import API, CONSULTATION, act_as, put_in_phase, row_counts
from tests.factories import ApiClient, assert_problem, make_user

PERSONAL = "Herr Yilmaz, geb. 12.03.1985, AZR-Nr. 123456789012"
# Each finding as the guard names it, with its characters counted from 1.
FINDINGS = [
    "Name „Yilmaz“ (Zeichen 6–11)",
    "Geburtsdatum „12.03.1985“ (Zeichen 19–28)",
    "AZR-Nummer „123456789012“ (Zeichen 39–50)",
]
CLEAN = (
    "Eine syrische Familie in der Stadt Weimar hat eine Aufenthaltserlaubnis nach "
    "§ 25 Abs. 5 AufenthG; die Verlängerung stockt seit 2024."
)


def _assert_refused(body: dict[str, object], field: str) -> None:
    detail = str(body["detail"])
    assert detail.startswith("Der Text enthält personenbezogene Daten")
    for finding in FINDINGS:
        assert finding in detail
    errors = body["errors"]
    assert isinstance(errors, list)
    [error] = errors
    assert error["field"] == field
    assert error["message"] == "Bitte entfernen Sie personenbezogene Daten: " + "; ".join(FINDINGS)
    assert [(f["kind"], f["start"], f["end"]) for f in error["findings"]] == [
        ("person_name", 5, 11),
        ("birth_date", 18, 28),
        ("azr_number", 38, 50),
    ]


@pytest.mark.parametrize("field", ["summary", "title"])
async def test_a_new_consultation_with_personal_data_is_refused(
    client: ApiClient, field: str
) -> None:
    await act_as(client, await make_user(AccountRole.member))
    before = await row_counts()
    text = PERSONAL if field == "summary" else f"{PERSONAL} wartet"
    response = await client.post(API, json={**CONSULTATION, field: text})
    _assert_refused(assert_problem(response, 422, fields=[field]), field)
    assert await row_counts() == before


async def test_findings_in_title_and_summary_are_named_per_field(client: ApiClient) -> None:
    await act_as(client, await make_user(AccountRole.member))
    before = await row_counts()
    response = await client.post(
        API,
        json={
            **CONSULTATION,
            "title": "Frau Nowak wartet auf die Verlängerung",
            "summary": f"Wohnt in der Goethestraße 12, 99423 Weimar. {CLEAN}",
        },
    )
    body = assert_problem(response, 422, fields=["title", "summary"])
    assert "Nowak" in body["errors"][0]["message"]
    assert "Anschrift" in body["errors"][1]["message"]
    assert await row_counts() == before


@pytest.mark.parametrize(
    ("phase", "kind"),
    [
        (Phase.narration, "narration"),
        (Phase.narration, "clarification"),
        (Phase.conclusion, "conclusion"),
    ],
)
async def test_a_post_with_personal_data_is_refused(
    client: ApiClient, phase: Phase, kind: str
) -> None:
    cast = await put_in_phase(phase)
    await act_as(client, cast.case_giver)
    before = await row_counts()
    response = await client.post(f"{cast.url}/posts", json={"kind": kind, "body": PERSONAL})
    _assert_refused(assert_problem(response, 422, fields=["body"]), "body")
    assert await row_counts() == before


async def test_advice_with_personal_data_is_refused(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.advice)
    await act_as(client, cast.advisor)
    before = await row_counts()
    response = await client.post(
        f"{cast.url}/posts",
        json={"kind": "advice", "body": f"Rufen Sie an: 0361 1234567. {PERSONAL}"},
    )
    body = assert_problem(response, 422, fields=["body"])
    assert "Telefonnummer „0361 1234567“" in body["detail"]
    assert await row_counts() == before


async def test_a_key_question_with_personal_data_is_refused(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.key_question)
    await act_as(client, cast.case_giver)
    response = await client.put(f"{cast.url}/key-question", json={"key_question": PERSONAL})
    _assert_refused(assert_problem(response, 422, fields=["key_question"]), "key_question")
    assert (await client.get(cast.url)).json()["key_question"] == ""


async def test_clean_case_facts_pass_everywhere(client: ApiClient) -> None:
    await act_as(client, await make_user(AccountRole.member))
    created = await client.post(
        API,
        json={**CONSULTATION, "title": "Syrische Familie in der Stadt Weimar", "summary": CLEAN},
    )
    assert created.status_code == 201, created.text
    cast = await put_in_phase(Phase.narration)
    await act_as(client, cast.case_giver)
    posted = await client.post(f"{cast.url}/posts", json={"kind": "narration", "body": CLEAN})
    assert posted.status_code == 201, posted.text
    cast = await put_in_phase(Phase.key_question)
    await act_as(client, cast.case_giver)
    key = "Wie verlängern wir nach § 25 Abs. 5 AufenthG ohne Pass?"
    response = await client.put(f"{cast.url}/key-question", json={"key_question": key})
    assert response.status_code == 200, response.text
    # The anonymised form is fine.
    cast = await put_in_phase(Phase.advice)
    await act_as(client, cast.advisor)
    posted = await client.post(
        f"{cast.url}/posts", json={"kind": "advice", "body": "Herr A. sollte früh beraten werden."}
    )
    assert posted.status_code == 201, posted.text


async def test_the_privacy_check_route_finds_the_same(client: ApiClient) -> None:
    await act_as(client, await make_user(AccountRole.member))
    response = await client.post("/api/v1/privacy/check", json={"text": PERSONAL})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["ok"] is False
    assert [(f["kind"], f["start"], f["end"], f["text"]) for f in body["findings"]] == [
        ("person_name", 5, 11, "Yilmaz"),
        ("birth_date", 18, 28, "12.03.1985"),
        ("azr_number", 38, 50, "123456789012"),
    ]
    assert [f["message"] for f in body["findings"]] == FINDINGS
    for finding in body["findings"]:
        assert PERSONAL[finding["start"] : finding["end"]] == finding["text"]
    clean = (await client.post("/api/v1/privacy/check", json={"text": CLEAN})).json()
    assert clean == {"ok": True, "findings": [], "explanation": clean["explanation"]}
