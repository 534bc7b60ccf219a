"""List and detail cost the same number of queries however much data there is."""

from __future__ import annotations

from fachaustausch.accounts.policy import Role
from fachaustausch.questions import service as questions
from fachaustausch.questions.models import AnswerInput, CommentInput, QuestionInput
from tests.factories import ApiClient, UserRecord, make_user
from tests.querycount import count_queries


async def _question(author: UserRecord, answerers: list[UserRecord], answers: int) -> int:
    actor = await author.principal()
    qid = await questions.ask(
        actor,
        QuestionInput(
            title="Wie gestalten Sie den Wartebereich?",
            body="Text",
            cornerstone="erscheinungsbild-kommunikation",
            instruments=["raum-und-wartebereichsgestaltung", "mehrsprachige-aufrufanlage"],
        ),
    )
    for n in range(answers):
        answerer = await answerers[n % len(answerers)].principal()
        aid = await questions.answer(answerer, qid, AnswerInput(body=f"Antwort {n}"))
        await questions.comment(actor, None, aid, CommentInput(body="Danke"))
        await questions.vote(actor, "answer", aid, 1)
    return qid


async def _detail_queries(client: ApiClient, qid: int) -> int:
    with count_queries() as counter:
        response = await client.get(f"/api/v1/questions/{qid}")
    assert response.status_code == 200
    return counter.count


async def test_detail_query_count_is_constant(client: ApiClient) -> None:
    author = await make_user(Role.member)
    answerers = [await make_user(Role.expert), await make_user(Role.member)]
    small = await _question(author, answerers, 1)
    large = await _question(author, answerers, 50)
    await client.login(author)
    assert await _detail_queries(client, small) == await _detail_queries(client, large)


async def test_list_query_count_is_constant(client: ApiClient) -> None:
    author = await make_user(Role.member)
    answerers = [await make_user(Role.expert)]
    await _question(author, answerers, 1)
    await client.login(author)
    with count_queries() as one:
        first = await client.get(
            "/api/v1/questions?limit=100&instrument=raum-und-wartebereichsgestaltung"
        )
    for _ in range(99):
        await _question(author, answerers, 0)
    with count_queries() as hundred:
        second = await client.get(
            "/api/v1/questions?limit=100&instrument=raum-und-wartebereichsgestaltung"
        )
    assert len(first.json()["items"]) == 1
    assert len(second.json()["items"]) == 100
    assert one.count == hundred.count
