"""The read cache: a repeated list costs no query, and any commit — of this process's
writer, of another process, a moderator hiding a question, a revoked token — is seen by
the very next read. Runs on the pooled SQLite engine, where the change counter exists;
elsewhere everything is read from the database (checked at the end)."""

from __future__ import annotations

import sqlite3
from typing import Any

import httpx
import pytest

from fachaustausch import database
from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.policy import AccountStatus, Role
from fachaustausch.accounts.tables import User
from fachaustausch.core.errors import InvalidInput
from fachaustausch.database.sqlite_pool import PooledSQLiteEngine
from fachaustausch.questions import queries
from fachaustausch.questions import service as questions
from fachaustausch.questions.queries import QuestionFilters, thread
from fachaustausch.questions.tables import Answer, Question
from tests.conftest import POOL_SIZE, sqlite_only
from tests.factories import ApiClient, answer_question, ask_question, make_user
from tests.querycount import count_queries


async def _titles(viewer: Any, **filters: Any) -> list[str]:
    items, _ = await queries.list_questions(viewer, QuestionFilters(**filters))
    return [item.title for item in items]


def _other_process_writes(engine: PooledSQLiteEngine, sql: str, *args: Any) -> None:
    """A commit through a connection of its own, as another server process would make."""
    connection = sqlite3.connect(engine.path, isolation_level=None)
    try:
        connection.execute(sql, args)
    finally:
        connection.close()


@sqlite_only
async def test_a_repeated_list_runs_no_query_until_something_is_committed(
    pooled: PooledSQLiteEngine,
) -> None:
    author = await make_user(Role.member)
    await ask_question(author, title="Wie läuft die Terminvergabe bei Ihnen?")
    viewer = await author.principal()
    with count_queries() as first:
        titles = await _titles(viewer)
    assert first.count >= 2
    with count_queries() as again:
        assert await _titles(viewer) == titles
    assert again.count == 0
    await ask_question(author, title="Welche Sprachen bietet Ihr Service-Point an?")
    with count_queries() as after_write:
        assert await _titles(viewer) == ["Welche Sprachen bietet Ihr Service-Point an?", *titles]
    assert after_write.count >= 2


@sqlite_only
async def test_a_commit_of_another_process_is_seen_by_the_next_read(
    pooled: PooledSQLiteEngine,
) -> None:
    author = await make_user(Role.member)
    question_id = await ask_question(author, title="Wie läuft die Terminvergabe bei Ihnen?")
    viewer = await author.principal()
    assert await _titles(viewer) == ["Wie läuft die Terminvergabe bei Ihnen?"]
    _other_process_writes(
        pooled, "UPDATE question SET title = ? WHERE id = ?", "Terminvergabe neu", question_id
    )
    assert await _titles(viewer) == ["Terminvergabe neu"]


@sqlite_only
async def test_members_never_get_the_moderators_cached_list(pooled: PooledSQLiteEngine) -> None:
    author = await make_user(Role.member)
    moderator = await (await make_user(Role.moderator)).principal()
    member = await author.principal()
    await ask_question(author, title="Sichtbare Frage zur Terminvergabe")
    hidden = await ask_question(author, title="Versteckte Frage mit Personendaten")
    await Question.update({Question.hidden: True}).where(Question.id == hidden).run()
    for _ in range(2):  # the second round comes from the cache
        assert await _titles(moderator) == [
            "Versteckte Frage mit Personendaten",
            "Sichtbare Frage zur Terminvergabe",
        ]
        assert await _titles(member) == ["Sichtbare Frage zur Terminvergabe"]
        counts = await queries.status_counts(member, QuestionFilters())
        assert counts.all == 1


@sqlite_only
async def test_unknown_filters_are_refused_from_the_cache_too(pooled: PooledSQLiteEngine) -> None:
    viewer = await (await make_user(Role.member)).principal()
    for _ in range(2):
        with pytest.raises(InvalidInput):
            await _titles(viewer, cornerstone="gibt-es-nicht")


@sqlite_only
async def test_inside_a_transaction_reads_see_its_own_writes(pooled: PooledSQLiteEngine) -> None:
    author = await make_user(Role.member)
    question_id = await ask_question(author, title="Vor der Änderung")
    viewer = await author.principal()
    assert await _titles(viewer) == ["Vor der Änderung"]  # now cached
    async with database.transaction():
        assert database.change_counter() is None
        await (
            Question.update({Question.title: "In der Transaktion"})
            .where(Question.id == question_id)
            .run()
        )
        assert await _titles(viewer) == ["In der Transaktion"]
    assert await _titles(viewer) == ["In der Transaktion"]


@sqlite_only
async def test_a_revoked_token_and_a_suspended_account_are_refused_at_once(
    pooled: PooledSQLiteEngine,
) -> None:
    user = await make_user(Role.member)
    principal = await user.principal()
    created = await accounts.create_token(principal, "Skript")
    for _ in range(2):
        assert (await accounts.principal_by_token(created.token)) is not None
    await accounts.revoke_token(principal, created.id)
    assert await accounts.principal_by_token(created.token) is None

    assert await accounts.principal_by_id(user.id) is not None
    _other_process_writes(
        pooled,
        "UPDATE app_user SET status = ? WHERE id = ?",
        AccountStatus.suspended.value,
        user.id,
    )
    assert await accounts.principal_by_id(user.id) is None
    await User.update({User.status: AccountStatus.active}).where(User.id == user.id).run()
    assert await accounts.principal_by_id(user.id) is not None


@sqlite_only
async def test_a_question_thread_is_shared_but_votes_and_hidden_answers_are_not(
    pooled: PooledSQLiteEngine,
) -> None:
    asker, expert = await make_user(Role.member), await make_user(Role.expert, authority="kiel")
    question_id = await ask_question(asker)
    visible = await answer_question(expert, question_id, "Bei uns mit Terminkontingent.")
    hidden = await answer_question(expert, question_id, "Mit Namen einer Kundin.")
    await Answer.update({Answer.hidden: True}).where(Answer.id == hidden).run()
    member, moderator = await asker.principal(), await (await make_user(Role.moderator)).principal()
    await questions.vote(member, "answer", visible, 1)

    for _ in range(2):  # the second round takes the threads from the cache
        with count_queries() as counter:
            seen_by_member = await queries.get_question(member, question_id)
            seen_by_moderator = await queries.get_question(moderator, question_id)
        assert [a.id for a in seen_by_member.answers] == [visible]
        assert [a.my_vote for a in seen_by_member.answers] == [1]
        assert sorted(a.id for a in seen_by_moderator.answers) == sorted([visible, hidden])
        assert {a.id: a.my_vote for a in seen_by_moderator.answers} == {visible: 0, hidden: 0}
    assert counter.count == 2  # per viewer: their votes and whether they follow, in one

    await answer_question(expert, question_id, "Nachtrag: auch samstags.")
    latest = await queries.get_question(member, question_id)
    assert [a.body for a in latest.answers][-1] == "Nachtrag: auch samstags."
    assert latest.answer_count == 2


@sqlite_only
async def test_viewers_who_see_the_same_page_share_it_and_nobody_gets_anothers(
    pooled: PooledSQLiteEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    asker, expert = await make_user(Role.member), await make_user(Role.expert, authority="kiel")
    question_id = await ask_question(asker)
    answer_id = await answer_question(expert, question_id, "Bei uns mit Terminkontingent.")
    readers = [await (await make_user(Role.member)).principal() for _ in range(4)]
    voter = readers[0]
    await questions.vote(voter, "answer", answer_id, -1)
    author = await asker.principal()

    # Two who have not voted and are not the author: the same object, and so one JSON.
    first = await queries.get_question(readers[1], question_id)
    assert await queries.get_question(readers[2], question_id) is first
    assert (first.my_vote, first.answers[0].my_vote, first.can.edit) == (0, 0, False)
    assert first.can.vote
    assert first.answers[0].can.vote
    # Everyone else differs in what is filled in, and sees only their own.
    voted = await queries.get_question(voter, question_id)
    assert voted.answers[0].my_vote == -1
    assert voted is not first
    own = await queries.get_question(author, question_id)
    assert own.can.edit
    assert own.can.accept
    assert not own.can.vote
    assert own.following
    assert (await queries.get_question(readers[3], question_id)) is first

    # Past MAX_VIEWS a thread keeps no more: those are built each time, still right.
    monkeypatch.setattr(thread, "MAX_VIEWS", 0)
    later = await answer_question(expert, question_id, "Nachtrag: auch samstags.")
    again = await queries.get_question(readers[1], question_id)  # a new thread
    assert await queries.get_question(readers[1], question_id) is not again
    seen = await queries.get_question(voter, question_id)
    assert {a.id: a.my_vote for a in seen.answers} == {answer_id: -1, later: 0}


@sqlite_only
async def test_a_thread_too_long_to_hold_is_read_every_time(
    pooled: PooledSQLiteEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    author, expert = await make_user(Role.member), await make_user(Role.expert, authority="kiel")
    short_id = await ask_question(author)
    long_id = await ask_question(author)
    await answer_question(expert, long_id, "Ausführlich: " + "Terminvergabe am Vormittag. " * 20)
    viewer = await author.principal()
    short = await queries.get_question(viewer, short_id)
    limit = len(short.body) + len(short.body_html)
    monkeypatch.setattr(thread, "MAX_CACHED_THREAD_CHARACTERS", limit)
    for question_id, queries_the_second_time in ((short_id, 1), (long_id, 5)):
        await queries.get_question(viewer, question_id)
        with count_queries() as counter:
            await queries.get_question(viewer, question_id)
        assert counter.count == queries_the_second_time, question_id


@sqlite_only
async def test_over_http_every_write_shows_in_the_next_request(client: ApiClient) -> None:
    """The app as in production (pool open, cache on), one request after another: lists,
    the question JSON and page, and a token, each read twice so the cache holds them."""
    author, expert = await make_user(Role.member), await make_user(Role.expert, authority="kiel")
    question_id = await ask_question(author, title="Wie organisieren Sie die Terminvergabe?")
    http = client
    tokens = {}
    for user in (author, expert):
        token = await accounts.create_token(await user.principal(), "Skript")
        tokens[user.id] = {"authorization": f"Bearer {token.token}"}

    async def twice(path: str, who: Any) -> httpx.Response:
        first = await http.get(path, headers=tokens[who.id])
        second: httpx.Response = await http.get(path, headers=tokens[who.id])
        assert first.status_code == 200, first.text
        assert second.text == first.text
        return second

    listed = await twice("/api/v1/questions", author)
    assert [i["title"] for i in listed.json()["items"]] == [
        "Wie organisieren Sie die Terminvergabe?"
    ]
    await twice(f"/api/v1/questions/{question_id}", expert)
    assert "Noch keine Antwort" in (await twice(f"/fragen/{question_id}", author)).text

    answered = await http.post(
        f"/api/v1/questions/{question_id}/answers",
        json={"body": "Mit einem offenen Kontingent am Vormittag."},
        headers=tokens[expert.id],
    )
    assert answered.status_code == 201, answered.text
    detail = await twice(f"/api/v1/questions/{question_id}", expert)
    assert [a["body"] for a in detail.json()["answers"]] == [
        "Mit einem offenen Kontingent am Vormittag."
    ]
    page = await twice(f"/fragen/{question_id}", author)
    assert "Mit einem offenen Kontingent am Vormittag." in page.text
    listed = await twice("/api/v1/questions", author)
    assert listed.json()["items"][0]["answer_count"] == 1

    voted = await http.post(
        f"/api/v1/answers/{answered.json()['id']}/vote",
        json={"value": 1},
        headers=tokens[author.id],
    )
    assert voted.status_code == 200, voted.text
    mine = (await http.get(f"/api/v1/questions/{question_id}", headers=tokens[author.id])).json()
    theirs = await http.get(f"/api/v1/questions/{question_id}", headers=tokens[expert.id])
    assert [a["my_vote"] for a in mine["answers"]] == [1]
    assert [a["my_vote"] for a in theirs.json()["answers"]] == [0]
    assert [a["score"] for a in theirs.json()["answers"]] == [1]

    own_tokens = await http.get("/api/v1/tokens", headers=tokens[author.id])
    token_id = own_tokens.json()[0]["id"]
    await accounts.revoke_token(await author.principal(), token_id)
    refused = await http.get("/api/v1/questions", headers=tokens[author.id])
    assert refused.status_code == 401


@sqlite_only
async def test_a_lists_json_is_shared_only_by_who_sees_the_same_page(client: ApiClient) -> None:
    """The API keeps a cached page's JSON with it: still one per viewer kind, order and
    position, and the next cursor leads on."""
    author = await make_user(Role.member)
    moderator = await make_user(Role.moderator)
    low = await ask_question(author, title="Erste Frage zur Terminvergabe")
    high = await ask_question(author, title="Zweite Frage zum Service-Point")
    hidden = await ask_question(author, title="Versteckte Frage mit Personendaten")
    await Question.update({Question.score: 5}).where(Question.id == low).run()
    await Question.update({Question.hidden: True}).where(Question.id == hidden).run()
    http = client
    headers = {}
    for user in (author, moderator):
        token = await accounts.create_token(await user.principal(), "Skript")
        headers[user.id] = {"authorization": f"Bearer {token.token}"}

    async def ids(path: str, who: Any) -> tuple[list[int], str | None]:
        pages = [(await http.get(path, headers=headers[who.id])).json() for _ in range(2)]
        assert pages[0] == pages[1]
        return [i["id"] for i in pages[0]["items"]], pages[0]["next_cursor"]

    for _ in range(2):  # the second round from the cache
        assert (await ids("/api/v1/questions", moderator))[0] == [hidden, high, low]
        assert (await ids("/api/v1/questions", author))[0] == [high, low]
        assert (await ids("/api/v1/questions?sort=votes", author))[0] == [low, high]
        first, cursor = await ids("/api/v1/questions?limit=1", author)
        assert first == [high]
        assert cursor
        rest, end = await ids(f"/api/v1/questions?limit=1&cursor={cursor}", author)
        assert rest == [low]
        assert end is None
        empty = await ids("/api/v1/questions?cornerstone=vernetzung", author)
        assert empty == ([], None)


@sqlite_only
async def test_each_pool_counts_on_its_own(pooled: PooledSQLiteEngine) -> None:
    first = database.change_counter()
    assert first is not None
    assert database.change_counter() == first  # nothing committed in between
    await pooled.close_pool()
    assert database.change_counter() is None
    await pooled.open_pool(POOL_SIZE)
    # The same database and the same count of commits, but another pool.
    assert database.change_counter() != first


async def test_without_the_pool_nothing_is_cached(settings: object) -> None:
    """The engine of the CLI and of PostgreSQL: no counter, so every read is a query."""
    assert database.change_counter() is None
    author = await make_user(Role.member)
    await ask_question(author)
    viewer = await author.principal()
    for _ in range(2):
        with count_queries() as counter:
            await _titles(viewer)
        assert counter.count >= 2
