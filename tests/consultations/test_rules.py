"""Every cell of the phase table: role × post kind × phase, over HTTP.

The matrix is driven from phases.RULES, so the test reads the same table as the service;
DOMAIN_TABLE below is DOMAIN.md's table written out by hand, so a wrong RULES cannot pass."""

from __future__ import annotations

import pytest

from fachaustausch.consultations.phases import (
    ORDER,
    RULES,
    Phase,
    PostKind,
    Refusal,
    Role,
    post_refusal,
)
from fachaustausch.consultations.tables import ConsultationPost
from tests.consultations.support import BODIES, act_as, put_in_phase
from tests.factories import ApiClient, assert_problem

pytestmark = pytest.mark.database

P, K, R = Phase, PostKind, Role

# DOMAIN.md, "Collegial case consultation": who writes what in which phase.
DOMAIN_TABLE: dict[Phase, dict[Role, set[PostKind]]] = {
    P.casting: {R.case_giver: set(), R.facilitator: set(), R.advisor: set()},
    P.narration: {
        R.case_giver: {K.narration, K.clarification},
        R.facilitator: {K.clarifying_question},
        R.advisor: {K.clarifying_question},
    },
    P.key_question: {
        R.case_giver: set(),  # sets the key question itself (PUT key-question)
        R.facilitator: {K.key_question_suggestion},
        R.advisor: set(),
    },
    P.method: {
        R.case_giver: {K.method_suggestion},
        R.facilitator: set(),  # sets the method itself (PUT method)
        R.advisor: {K.method_suggestion},
    },
    P.advice: {
        R.case_giver: set(),  # only listens
        R.facilitator: {K.advice, K.summary},
        R.advisor: {K.advice},
    },
    P.conclusion: {R.case_giver: {K.conclusion}, R.facilitator: set(), R.advisor: set()},
    P.closed: {R.case_giver: set(), R.facilitator: set(), R.advisor: set()},
}

# A few cells spelled out with their exact answer.
SPOT_CHECKS: list[tuple[Role, PostKind, Phase, int]] = [
    (R.advisor, K.clarifying_question, P.narration, 201),
    (R.case_giver, K.advice, P.advice, 403),
    (R.case_giver, K.narration, P.advice, 409),
    (R.facilitator, K.summary, P.advice, 201),
    (R.case_giver, K.conclusion, P.conclusion, 201),
    (R.case_giver, K.clarification, P.narration, 201),
    (R.advisor, K.summary, P.advice, 403),
    (R.advisor, K.advice, P.narration, 409),
    (R.facilitator, K.conclusion, P.conclusion, 403),
    (R.case_giver, K.clarifying_question, P.narration, 403),
    *((R.advisor, K.conclusion, phase, 403) for phase in ORDER if phase is not P.closed),
    *((role, K.conclusion, P.closed, 409) for role in Role),
    # An advisor writes questions, method suggestions and advice, never anything else.
    *((R.advisor, kind, P.casting,
       409 if kind in {K.clarifying_question, K.method_suggestion, K.advice} else 403)
      for kind in PostKind),
]  # fmt: skip


def expected(phase: Phase, role: Role, kind: PostKind) -> int:
    """The answer RULES gives: 201, 403 (never this role) or 409 (not now, or closed)."""
    if phase is Phase.closed:
        return 409
    refusal = post_refusal(phase, role, kind)
    return {None: 201, Refusal.role: 403, Refusal.phase: 409}[refusal]


def test_rules_is_the_table_of_domain_md() -> None:
    assert list(RULES) == ORDER
    for phase in ORDER:
        assert {role: set(kinds) for role, kinds in RULES[phase].posts.items()} == (
            DOMAIN_TABLE[phase]
        ), phase
        assert RULES[phase].explanation
        assert bool(RULES[phase].requires) is (phase is not Phase.closed)


def test_the_domain_table_gives_the_spot_checks() -> None:
    for role, kind, phase, status in SPOT_CHECKS:
        assert expected(phase, role, kind) == status, (role, kind, phase)


@pytest.mark.parametrize("phase", ORDER, ids=[p.value for p in ORDER])
async def test_every_role_and_kind_in_a_phase(client: ApiClient, phase: Phase) -> None:
    cast = await put_in_phase(phase)
    for role in Role:
        await act_as(client, cast.by_role(role))
        allowed = (await client.get(cast.url)).json()["allowed"]["post_kinds"]
        assert set(allowed) == DOMAIN_TABLE[phase][role], (phase, role)
        for kind in PostKind:
            response = await client.post(
                f"{cast.url}/posts", json={"kind": kind.value, "body": BODIES[kind]}
            )
            status = expected(phase, role, kind)
            cell = f"{phase} {role} {kind}"
            if status == 201:
                assert response.status_code == 201, (cell, response.text)
                post = response.json()
                assert (post["phase"], post["kind"], post["body"]) == (phase, kind, BODIES[kind])
                continue
            body = assert_problem(response, status)
            detail = body["detail"]
            if phase is Phase.closed:
                assert "abgeschlossen" in detail, cell
            elif status == 409:
                # Not now: names the kind, the phase(s) it belongs to, and the current phase.
                assert f"„{kind.label}“" in detail, cell
                assert f"„{phase.label}“" in detail, cell
            elif role is Role.case_giver and phase is Phase.advice:
                assert detail == (
                    "In der Beratungsphase hört die Fallgeberin oder der Fallgeber nur zu."
                )
            else:
                assert (
                    detail
                    == f"Als {role.label} schreiben Sie keinen Beitrag der Art „{kind.label}“."
                )
    stored = (
        await ConsultationPost.select(
            ConsultationPost.kind, ConsultationPost.author, ConsultationPost.phase
        )
        .where((ConsultationPost.consultation == cast.id) & (ConsultationPost.phase == phase))
        .run()
    )
    written = sorted((r["author"], r["kind"]) for r in stored)
    assert written == sorted(
        (cast.by_role(role).id, kind.value) for role in Role for kind in DOMAIN_TABLE[phase][role]
    )


@pytest.mark.parametrize(("role", "kind", "phase", "status"), SPOT_CHECKS[:10])
async def test_spot_checks_over_http(
    client: ApiClient, role: Role, kind: PostKind, phase: Phase, status: int
) -> None:
    cast = await put_in_phase(phase)
    await act_as(client, cast.by_role(role))
    response = await client.post(f"{cast.url}/posts", json={"kind": kind, "body": BODIES[kind]})
    if status == 201:
        assert response.status_code == 201, response.text
    else:
        assert_problem(response, status)


async def test_a_non_participant_is_asked_to_join_and_posts_nothing(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.narration)
    await act_as(client, cast.outsider)
    response = await client.post(
        f"{cast.url}/posts", json={"kind": "clarifying_question", "body": "Darf ich fragen?"}
    )
    assert_problem(response, 403, detail="Bitte treten Sie der Fallberatung zuerst bei.")
    assert await ConsultationPost.count().where(ConsultationPost.consultation == cast.id).run() == 0


async def test_a_closed_consultation_refuses_posts_from_anyone_as_read_only(
    client: ApiClient,
) -> None:
    cast = await put_in_phase(Phase.closed)
    await act_as(client, cast.outsider)
    response = await client.post(f"{cast.url}/posts", json={"kind": "advice", "body": "Spät."})
    assert_problem(response, 409, detail="kann nur noch gelesen werden")
