"""Moving on: one step, never back, only by the mover, only once the phase's result exists;
the key question and the method are set by the right person in the right phase."""

from __future__ import annotations

import asyncio

import pytest

from fachaustausch.consultations.phases import Phase, Role
from fachaustausch.consultations.tables import ConsultationPost, PhaseTransition
from tests.consultations.support import act_as, phase_of, put_in_phase, row_counts
from tests.factories import ApiClient, assert_problem

pytestmark = pytest.mark.database

# The result each phase needs, as the German refusal names it.
MISSING = {
    Phase.narration: "die Fallschilderung der Fallgeberin oder des Fallgebers",
    Phase.key_question: "die Schlüsselfrage",
    Phase.method: "die gewählte Methode",
    Phase.advice: "mindestens einen Beratungsbeitrag",
    Phase.conclusion: "den Abschluss der Fallgeberin oder des Fallgebers",
}


async def _transitions(cid: int) -> list[tuple[str, str]]:
    rows = (
        await PhaseTransition.select(PhaseTransition.from_phase, PhaseTransition.to_phase)
        .where(PhaseTransition.consultation == cid)
        .order_by(PhaseTransition.id)
        .run()
    )
    return [(r["from_phase"], r["to_phase"]) for r in rows]


@pytest.mark.parametrize("phase", list(MISSING), ids=[p.value for p in MISSING])
async def test_a_phase_is_not_left_before_its_result_exists(
    client: ApiClient, phase: Phase
) -> None:
    cast = await put_in_phase(phase)
    assert cast.facilitator is not None
    await act_as(client, cast.facilitator)
    before = await row_counts()
    response = await client.post(f"{cast.url}/advance")
    body = assert_problem(response, 409)
    assert body["detail"] == (
        f"Die Phase „{phase.label}“ kann erst verlassen werden, wenn {MISSING[phase]} vorliegt."
    )
    assert await phase_of(cast.id) is phase
    assert await row_counts() == before
    shown = (await client.get(cast.url)).json()
    assert shown["requires"] == MISSING[phase]
    assert shown["allowed"]["advance"] is True  # allowed in principle; the result is missing


@pytest.mark.parametrize("phase", list(MISSING), ids=[p.value for p in MISSING])
async def test_with_its_result_a_phase_moves_exactly_one_step(
    client: ApiClient, phase: Phase
) -> None:
    cast = await put_in_phase(phase, with_result=True)
    assert cast.facilitator is not None
    await act_as(client, cast.facilitator)
    before = await _transitions(cast.id)
    response = await client.post(f"{cast.url}/advance")
    assert response.status_code == 200, response.text
    assert response.json()["phase"] == phase.next
    assert await _transitions(cast.id) == [*before, (phase.value, str(phase.next))]


async def test_the_casting_ends_as_soon_as_the_mover_wants(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.casting)
    assert cast.facilitator is not None
    await act_as(client, cast.facilitator)
    response = await client.post(f"{cast.url}/advance")
    assert response.status_code == 200, response.text
    assert response.json()["phase"] == "narration"


async def test_a_hidden_narration_does_not_count_as_the_result(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.narration, with_result=True)
    assert cast.facilitator is not None
    await (
        ConsultationPost.update({ConsultationPost.hidden: True})
        .where(ConsultationPost.consultation == cast.id)
        .run()
    )
    await act_as(client, cast.facilitator)
    assert_problem(await client.post(f"{cast.url}/advance"), 409, detail="Fallschilderung")


@pytest.mark.parametrize("phase", list(MISSING), ids=[p.value for p in MISSING])
async def test_only_the_facilitator_moves_on_when_there_is_one(
    client: ApiClient, phase: Phase
) -> None:
    cast = await put_in_phase(phase, with_result=True)
    for person in (cast.case_giver, cast.advisor):
        await act_as(client, person)
        response = await client.post(f"{cast.url}/advance")
        assert_problem(response, 403, detail="Die Phase wechselt die Gesprächsleitung")
        assert (await client.get(cast.url)).json()["allowed"]["advance"] is False
    await act_as(client, cast.outsider)
    response = await client.post(f"{cast.url}/advance")
    assert_problem(response, 403, detail="Bitte treten Sie der Fallberatung zuerst bei.")
    assert await phase_of(cast.id) is phase


async def test_without_a_facilitator_the_case_giver_moves_on(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.narration, facilitator=False, with_result=True)
    await act_as(client, cast.advisor)
    assert_problem(await client.post(f"{cast.url}/advance"), 403)
    await act_as(client, cast.case_giver)
    assert (await client.get(cast.url)).json()["allowed"]["advance"] is True
    response = await client.post(f"{cast.url}/advance")
    assert response.status_code == 200, response.text
    assert response.json()["phase"] == "key_question"
    assert response.json()["transitions"][-1]["by"] == response.json()["case_giver"]["display_name"]


async def test_there_is_no_way_back(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.advice, with_result=True)
    assert cast.facilitator is not None
    await act_as(client, cast.facilitator)
    for method, path, kwargs in [
        ("PATCH", cast.url, {"json": {"phase": "narration"}}),
        ("PUT", cast.url, {"json": {"phase": "narration"}}),
        ("PUT", f"{cast.url}/phase", {"json": {"phase": "narration"}}),
        ("POST", f"{cast.url}/back", {}),
        ("POST", f"{cast.url}/advance", {"json": {"phase": "narration"}}),
    ]:
        response = await client.request(method, path, **kwargs)
        assert response.status_code in {200, 404, 405}, (method, path, response.text)
        assert await phase_of(cast.id) in {Phase.advice, Phase.conclusion}
    # The advance with a body asking for "narration" moved on, not back.
    assert await phase_of(cast.id) is Phase.conclusion


async def test_two_concurrent_advances_move_exactly_one_step(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.narration, with_result=True)
    assert cast.facilitator is not None
    await act_as(client, cast.facilitator)
    responses = await asyncio.gather(
        client.post(f"{cast.url}/advance"), client.post(f"{cast.url}/advance")
    )
    assert sorted(r.status_code for r in responses) == [200, 409]
    assert_problem(next(r for r in responses if r.status_code == 409), 409)
    assert await phase_of(cast.id) is Phase.key_question
    assert (await _transitions(cast.id))[-1] == ("narration", "key_question")
    assert len(await _transitions(cast.id)) == 2


async def test_a_closed_consultation_does_not_move(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.closed)
    assert cast.facilitator is not None
    await act_as(client, cast.facilitator)
    assert_problem(await client.post(f"{cast.url}/advance"), 409, detail="abgeschlossen")


# --- key question and method ------------------------------------------------------------------

KEY = {"key_question": "Wie kommen wir ohne die Urkunden weiter?"}


async def test_the_key_question_is_set_by_the_case_giver_in_its_phase(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.key_question)
    for role in (Role.facilitator, Role.advisor):
        await act_as(client, cast.by_role(role))
        response = await client.put(f"{cast.url}/key-question", json=KEY)
        assert_problem(response, 403, detail="Die Schlüsselfrage stellt die Fallgeberin")
        assert (await client.get(cast.url)).json()["allowed"]["set_key_question"] is False
    await act_as(client, cast.outsider)
    assert_problem(await client.put(f"{cast.url}/key-question", json=KEY), 403)
    await act_as(client, cast.case_giver)
    assert (await client.get(cast.url)).json()["allowed"]["set_key_question"] is True
    response = await client.put(f"{cast.url}/key-question", json=KEY)
    assert response.status_code == 200, response.text
    assert response.json()["key_question"] == KEY["key_question"]


@pytest.mark.parametrize("phase", [Phase.narration, Phase.method, Phase.advice, Phase.closed])
async def test_the_key_question_is_not_set_outside_its_phase(
    client: ApiClient, phase: Phase
) -> None:
    cast = await put_in_phase(phase)
    await act_as(client, cast.case_giver)
    response = await client.put(f"{cast.url}/key-question", json=KEY)
    assert_problem(response, 409)
    assert (await client.get(cast.url)).json()["allowed"]["set_key_question"] is False


async def test_the_method_is_set_by_the_mover_in_its_phase(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.method)
    for person in (cast.case_giver, cast.advisor):
        await act_as(client, person)
        response = await client.put(f"{cast.url}/method", json={"method": "resonance"})
        assert_problem(response, 403, detail="Die Methode wählt die Gesprächsleitung")
    await act_as(client, cast.outsider)
    assert_problem(await client.put(f"{cast.url}/method", json={"method": "resonance"}), 403)
    assert cast.facilitator is not None
    await act_as(client, cast.facilitator)
    assert (await client.get(cast.url)).json()["allowed"]["set_method"] is True
    response = await client.put(f"{cast.url}/method", json={"method": "resonance"})
    assert response.status_code == 200, response.text
    assert response.json()["method"] == "resonance"
    assert response.json()["method_label"] == "Resonanzrunde"


async def test_without_a_facilitator_the_case_giver_sets_the_method(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.method, facilitator=False)
    await act_as(client, cast.case_giver)
    response = await client.put(f"{cast.url}/method", json={"method": "hypotheses"})
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("phase", [Phase.key_question, Phase.advice, Phase.closed])
async def test_the_method_is_not_set_outside_its_phase(client: ApiClient, phase: Phase) -> None:
    cast = await put_in_phase(phase)
    assert cast.facilitator is not None
    await act_as(client, cast.facilitator)
    assert_problem(await client.put(f"{cast.url}/method", json={"method": "resonance"}), 409)
