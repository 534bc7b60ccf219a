"""List and detail cost the same, small number of queries however much data there is."""

from __future__ import annotations

from typing import Any

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.questions import queries
from fachaustausch.questions import service as questions
from fachaustausch.questions.models import AnswerInput, CommentInput, QuestionInput
from fachaustausch.settings import Settings
from tests.factories import ApiClient, UserRecord, make_user
from tests.querycount import count_queries

# Counted on the database itself: a cached read would hide a query that grows.
pytestmark = [pytest.mark.database, pytest.mark.uncached]

# Signing in (session or token) included: a page must not grow past these.
MAX_DETAIL_QUERIES = 10
MAX_LIST_QUERIES = 10


async def _question(
    author: UserRecord, answerers: list[UserRecord], answers: int, comments: int = 0
) -> int:
    actor = await author.principal()
    qid = await questions.ask(
        actor,
        QuestionInput(
            title="Wie gestalten Sie den Wartebereich?",
            body="Text",
            cornerstone="erscheinungsbild-kommunikation",
            instruments=["raum-und-wartebereichsgestaltung", "mehrsprachige-aufrufanlage"],
            directed_to="weimar",
        ),
    )
    for n in range(answers):
        answerer = await answerers[n % len(answerers)].principal()
        aid = await questions.answer(answerer, qid, AnswerInput(body=f"Antwort {n}"))
        await questions.comment(actor, None, aid, CommentInput(body="Danke"))
        await questions.vote(actor, "answer", aid, 1)
        await questions.vote(answerer, "question", qid, 1)
    for n in range(comments):
        commenter = await answerers[n % len(answerers)].principal()
        await questions.comment(commenter, qid, None, CommentInput(body=f"Rückfrage {n}"))
    return qid


async def _warm_up(client: ApiClient) -> None:
    """A token records when it was last used, every quarter hour at most: that write is not
    counted."""
    assert (await client.get("/api/v1/me")).status_code == 200


async def _detail_queries(client: ApiClient, qid: int) -> int:
    await _warm_up(client)
    with count_queries() as counter:
        response = await client.get(f"/api/v1/questions/{qid}")
    assert response.status_code == 200
    assert counter.count <= MAX_DETAIL_QUERIES, counter.statements
    return counter.count


@pytest.mark.parametrize("sign_in", ["session", "token"])
async def test_detail_query_count_is_constant(client: ApiClient, sign_in: str) -> None:
    author = await make_user(Role.member)
    answerers = [await make_user(Role.expert), await make_user(Role.member, authority="bremen")]
    small = await _question(author, answerers, 1)
    large = await _question(author, answerers, 50, comments=30)
    if sign_in == "session":
        await client.login(author)
    else:
        await client.login_token(author)
    assert await _detail_queries(client, small) == await _detail_queries(client, large)
    detail = (await client.get(f"/api/v1/questions/{large}")).json()
    assert len(detail["answers"]) == 50
    assert len(detail["comments"]) == 30
    # The moderator's view (hidden posts included) costs the same.
    client.logout_local()
    await client.login_token(await make_user(Role.moderator))
    assert await _detail_queries(client, small) == await _detail_queries(client, large)


LISTS = [
    "instrument=raum-und-wartebereichsgestaltung",
    "for_me=true",
    "cornerstone=erscheinungsbild-kommunikation&instrument=mehrsprachige-aufrufanlage"
    "&status=open&directed_to=weimar&authority=leipzig&mine=true&sort=votes",
    "sort=activity",
    "sort=unanswered",
]


@pytest.mark.parametrize("query", LISTS)
async def test_list_query_count_is_constant(client: ApiClient, query: str) -> None:
    author = await make_user(Role.member)
    expert = await make_user(
        Role.expert, authority="weimar", expertise=["raum-und-wartebereichsgestaltung"]
    )
    await _question(author, [expert], 0)
    reader = expert if "for_me" in query else author
    await client.login_token(reader)

    async def page() -> tuple[int, list[Any]]:
        await _warm_up(client)
        with count_queries() as counter:
            response = await client.get(f"/api/v1/questions?limit=100&{query}")
        assert response.status_code == 200, response.text
        items: list[Any] = response.json()["items"]
        return counter.count, items

    one, first = await page()
    for _ in range(99):
        await _question(author, [expert], 0)
    hundred, second = await page()
    assert len(first) == 1
    assert len(second) == 100
    assert one == hundred
    assert hundred <= MAX_LIST_QUERIES


async def test_one_answer_is_read_in_four_queries_as_the_page_shows_it(
    settings: Settings,
) -> None:
    """What answer, edit, accept and comment return: the answer as on its question's page,
    without loading its siblings; the count does not grow with them or with comments."""
    author = await make_user(Role.member)
    answerers = [await make_user(Role.expert), await make_user(Role.member, authority="bremen")]
    small = await _question(author, answerers, 1)
    large = await _question(author, answerers, 40)
    viewer = await author.principal()
    for qid in (small, large):
        page = await queries.get_question(viewer, qid)
        ends = {a.id: a for a in (page.answers[0], page.answers[-1])}  # one answer: once
        for expected in ends.values():
            await questions.comment(viewer, None, expected.id, CommentInput(body="Noch eine"))
            expected = next(
                a for a in (await queries.get_question(viewer, qid)).answers if a.id == expected.id
            )
            with count_queries() as counter:
                answer = await queries.get_answer(viewer, expected.id)
            assert counter.count == 4, counter.statements
            assert answer == expected
            assert [c.body for c in answer.comments] == ["Danke", "Noch eine"]
