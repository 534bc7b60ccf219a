"""Merging one instrument into another retags every question in one transaction: all or
nothing; the old slug redirects."""

from __future__ import annotations

from typing import Any

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.core import audit, outbox
from fachaustausch.core.outbox import SearchOutbox
from fachaustausch.questions.tables import QuestionInstrument
from fachaustausch.toolbox import upkeep
from fachaustausch.toolbox.tables import Instrument, InstrumentRedirect
from tests.factories import ApiClient, UserRecord, ask_question, assert_problem, make_user
from tests.moderation.support import audit_rows

pytestmark = pytest.mark.database

SOURCE, TARGET = "mobiler-arbeitsplatz", "spezialteams"
QUESTIONS = 100


async def _setup() -> tuple[list[int], UserRecord, UserRecord]:
    author = await make_user()
    ids = []
    for n in range(QUESTIONS):
        # Every fifth question carries the target already, before or after the source.
        tags = [SOURCE]
        if n % 5 == 0:
            tags = [TARGET, SOURCE] if n % 10 == 0 else [SOURCE, TARGET]
        ids.append(
            await ask_question(
                author, title=f"Frage Nummer {n} zum mobilen Arbeiten", instruments=tags
            )
        )
    expert = await make_user(Role.expert, expertise=[SOURCE])
    both = await make_user(Role.expert, expertise=[SOURCE, TARGET])
    await SearchOutbox.delete(force=True).run()
    return ids, expert, both


async def _instrument_id(slug: str) -> int | None:
    row = await Instrument.select(Instrument.id).where(Instrument.slug == slug).first().run()
    return int(row["id"]) if row else None


async def _tags() -> list[tuple[int, str]]:
    rows = await QuestionInstrument.select(
        QuestionInstrument.question, QuestionInstrument.instrument.slug.as_alias("slug")
    ).run()
    return sorted((r["question"], r["slug"]) for r in rows)


async def test_merge_retags_a_hundred_questions(client: ApiClient) -> None:
    ids, expert, both = await _setup()
    source_id = await _instrument_id(SOURCE)
    moderator = await make_user(Role.moderator)
    await client.login(moderator)
    response = await client.post(
        f"/api/v1/instruments/{SOURCE}/merge", json={"into": TARGET, "reason": "Doppelt geführt"}
    )
    assert response.status_code == 200, response.text
    merged = response.json()
    assert merged["slug"] == TARGET
    assert {e["id"] for e in merged["experts"]} == {expert.id, both.id}

    assert await _tags() == sorted((qid, TARGET) for qid in ids)
    assert await _instrument_id(SOURCE) is None
    assert await InstrumentRedirect.count().where(InstrumentRedirect.old_slug == SOURCE).run() == 1
    redirect = await client.get(f"/api/v1/instruments/{SOURCE}", follow_redirects=False)
    assert redirect.status_code == 301
    assert redirect.headers["location"] == f"/api/v1/instruments/{TARGET}"
    listed = await client.get("/api/v1/questions", params={"instrument": TARGET, "limit": 100})
    assert len(listed.json()["items"]) == QUESTIONS
    assert_problem(await client.get("/api/v1/questions", params={"instrument": SOURCE}), 422)

    outbox = await SearchOutbox.select(SearchOutbox.entity_type, SearchOutbox.entity_id).run()
    questions = sorted(r["entity_id"] for r in outbox if r["entity_type"] == "question")
    assert questions == sorted(ids)
    [row] = await audit_rows(action="merge_instrument")
    assert (row["actor"], row["target_id"]) == (moderator.id, source_id)
    assert row["after"] == {"merged_into": TARGET, "questions": QUESTIONS}

    # The old slug cannot be merged again or taken by a new instrument.
    assert_problem(
        await client.post(
            f"/api/v1/instruments/{SOURCE}/merge", json={"into": TARGET, "reason": "x"}
        ),
        404,
    )
    taken = await client.post(
        "/api/v1/instruments",
        json={"title": "Mobiler Arbeitsplatz", "slug": SOURCE, "cornerstone": "binnenorganisation"},
    )
    assert_problem(taken, 409)


@pytest.mark.parametrize("failing", ["enqueue", "audit"])
async def test_a_failing_merge_changes_nothing(
    client: ApiClient, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    ids, expert, both = await _setup()
    before = await _tags()
    calls = 0

    async def broken(*args: Any, **kwargs: Any) -> None:
        nonlocal calls
        calls += 1
        if calls > 3 or failing == "audit":
            raise RuntimeError("Netzwerkfehler mitten in der Zusammenführung")
        await original(*args, **kwargs)

    if failing == "enqueue":
        original: Any = outbox.enqueue
        # The questions' search documents are queued by the questions domain.
        monkeypatch.setattr("fachaustausch.questions.upkeep.enqueue", broken)
        monkeypatch.setattr("fachaustausch.toolbox.upkeep.enqueue", broken)
    else:
        original = audit.record
        monkeypatch.setattr("fachaustausch.core.audit.record", broken)

    moderator = await make_user(Role.moderator)
    with pytest.raises(RuntimeError):
        await upkeep.merge_instrument(
            await moderator.principal(), SOURCE, upkeep.InstrumentMerge(into=TARGET, reason="x")
        )
    await client.login(moderator)
    response = await client.post(
        f"/api/v1/instruments/{SOURCE}/merge", json={"into": TARGET, "reason": "Doppelt"}
    )
    assert response.status_code == 500
    assert calls >= 2

    assert await _tags() == before
    assert len([t for t in before if t[1] == SOURCE]) == QUESTIONS
    assert await _instrument_id(SOURCE) is not None
    assert await InstrumentRedirect.count().run() == 0
    assert await SearchOutbox.count().run() == 0
    assert await audit_rows() == []
    monkeypatch.undo()
    instrument = await client.get(f"/api/v1/instruments/{SOURCE}", follow_redirects=False)
    assert instrument.status_code == 200
    assert {e["id"] for e in instrument.json()["experts"]} == {expert.id, both.id}
    target = (await client.get(f"/api/v1/instruments/{TARGET}")).json()
    assert {e["id"] for e in target["experts"]} == {both.id}
    assert ids


async def test_merge_refusals(client: ApiClient) -> None:
    await client.login(await make_user(Role.moderator))

    async def merge(slug: str, body: Any) -> Any:
        return await client.post(f"/api/v1/instruments/{slug}/merge", json=body)

    assert_problem(await merge(SOURCE, {"into": SOURCE, "reason": "x"}), 422, fields=["into"])
    assert_problem(
        await merge(SOURCE, {"into": "gibt-es-nicht", "reason": "x"}), 422, fields=["into"]
    )
    assert_problem(await merge("gibt-es-nicht", {"into": TARGET, "reason": "x"}), 404)
    assert_problem(await merge(SOURCE, {"into": TARGET}), 422, fields=["reason"])
    assert_problem(await merge(SOURCE, {"into": TARGET, "reason": ""}), 422, fields=["reason"])
    assert_problem(await merge(SOURCE, {"into": "Kein Slug!", "reason": "x"}), 422, fields=["into"])
    assert await _instrument_id(SOURCE) is not None


async def test_merge_keeps_the_events_of_the_merged_instrument(client: ApiClient) -> None:
    """Events are tagged with the target instead of losing the tag through the cascade."""
    from fachaustausch.events.tables import EventInstrument
    from tests.events.support import make_event

    moderator = await make_user(Role.moderator)
    only_source = await make_event(moderator, instruments=[SOURCE])
    both = await make_event(moderator, instruments=[SOURCE, TARGET])
    await client.login(moderator)
    response = await client.post(
        f"/api/v1/instruments/{SOURCE}/merge", json={"into": TARGET, "reason": "Doppelt geführt"}
    )
    assert response.status_code == 200, response.text
    rows = await EventInstrument.select(
        EventInstrument.event, EventInstrument.instrument.slug.as_alias("slug")
    ).run()
    assert sorted((r["event"], r["slug"]) for r in rows) == sorted(
        [(only_source, TARGET), (both, TARGET)]
    )
