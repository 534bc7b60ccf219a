"""What SQLite does with the queries of the question list and page: each seeks an index.
A count of queries does not show a query that reads every row of a user's (or of all)
votes, answers or questions; its plan does."""

from __future__ import annotations

import sqlite3

from fachaustausch import database
from fachaustausch.accounts.policy import Role
from fachaustausch.questions import service as questions
from fachaustausch.search import documents
from fachaustausch.settings import Settings
from tests.conftest import sqlite_only
from tests.factories import ApiClient, answer_question, ask_question, make_user
from tests.querycount import count_queries

# Tables that grow with use; a plan may scan the small ones (cornerstones, instruments).
LARGE = ("question", "answer", "vote", "comment", "follow", "access_token", "app_user")


def _plans(statements: list[tuple[str, list[object]]]) -> list[str]:
    connection = sqlite3.connect(database.current().engine.path)  # type: ignore[attr-defined]
    try:
        return [
            f"{row[-1]}  <-  {sql[:120]}"
            for sql, args in statements
            if sql.lstrip().upper().startswith("SELECT")
            for row in connection.execute(f"EXPLAIN QUERY PLAN {sql}", args)
        ]
    finally:
        connection.close()


def _full_reads(plans: list[str]) -> list[str]:
    """Plan lines that read a large table whole, or all of one user's votes."""
    return [
        line
        for line in plans
        if any(line.startswith((f"SCAN {t}", f"SCAN {t} ")) for t in LARGE)
        or line.startswith("SEARCH vote USING INDEX vote_once (user=?)")
    ]


@sqlite_only
async def test_the_question_page_and_list_seek_indexes(client: ApiClient) -> None:
    author = await make_user(Role.member)
    expert = await make_user(Role.expert, authority="weimar")
    question_id = await ask_question(author, title="Wie verteilen Sie die Termine am Tag?")
    for n in range(3):
        await answer_question(expert, question_id, body=f"Antwort Nummer {n}")
    # The viewer has voted elsewhere: those votes must not be read for this page.
    other = await ask_question(expert, title="Welche Sprachen bietet Ihre Aufrufanlage?")
    await questions.vote(await author.principal(), "question", other, 1)
    await client.login_token(author)
    assert (await client.get("/api/v1/me")).status_code == 200  # the token's first use

    with count_queries() as counter:
        for path in (
            f"/api/v1/questions/{question_id}",
            f"/fragen/{question_id}",
            "/api/v1/questions?cornerstone=binnenorganisation&instrument=terminsystem",
            "/api/v1/questions?sort=votes",
        ):
            response = await client.get(path)
            assert response.status_code == 200, (path, response.text)
    plans = _plans(counter.compiled)
    assert any("vote" in line for line in plans)  # the viewer's votes were read
    assert _full_reads(plans) == [], "\n".join(plans)


@sqlite_only
async def test_the_texts_of_search_hits_are_one_query_seeking_indexes(settings: Settings) -> None:
    """A search page's snippets are cut from texts read for its hits alone."""
    author = await make_user(Role.member)
    expert = await make_user(Role.expert, authority="weimar")
    ids = [
        await ask_question(author, title=f"Frage Nummer {n} zur Terminvergabe") for n in range(3)
    ]
    await answer_question(expert, ids[0], body="Wir vergeben **Termine** online.")
    with count_queries() as counter:
        texts = await documents.texts([f"question-{i}" for i in ids[:2]])
    assert counter.count == 1
    assert set(texts) == {f"question-{ids[0]}", f"question-{ids[1]}"}
    assert texts[f"question-{ids[0]}"][1] == "Wir vergeben Termine online."
    plans = _plans(counter.compiled)
    assert _full_reads(plans) == [], "\n".join(plans)
