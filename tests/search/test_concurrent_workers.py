"""Several workers draining the outbox at once (app instances, `fachaustausch search work`),
while people edit and an operator rebuilds: the index must end as a fresh rebuild of the
database would make it. Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest

from fachaustausch import database
from fachaustausch.accounts.policy import Role
from fachaustausch.consultations.phases import Phase
from fachaustausch.consultations.tables import Consultation
from fachaustausch.core.outbox import EntityType, enqueue
from fachaustausch.database import Database
from fachaustausch.questions.tables import Answer, Comment, Question
from fachaustausch.search import documents, worker
from fachaustausch.search.backend import SearchDocument
from fachaustausch.search.leases import SearchLease
from fachaustausch.settings import Settings
from fachaustausch.toolbox.tables import Instrument
from tests.consultations.support import start
from tests.factories import UserRecord, answer_question, ask_question, make_user
from tests.search.fakes import FakeBackend

pytestmark = pytest.mark.database

EDITS = 1000
WORKERS = 3
ROUND = 50  # edits between two comparisons with a fresh rebuild
WORKER_BATCH = worker.BATCH_SIZE
EDIT_GAP_SECONDS = 0.001
WRITE_SECONDS = 0.0005
SLOW_WRITES = 0.2
SLOW_WRITE_SECONDS = 0.02
POOL_SIZE = 10


class SlowEngine(FakeBackend):
    """An engine whose writes take a moment, and now and then a long one, as a real one's
    do: a worker that built a document and waits for the engine is overtaken by others."""

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self.rng = rng

    async def _moment(self) -> None:
        slow = self.rng.random() < SLOW_WRITES
        await asyncio.sleep(SLOW_WRITE_SECONDS if slow else WRITE_SECONDS)

    async def upsert(self, documents: Sequence[SearchDocument]) -> None:
        await self._moment()
        await super().upsert(documents)

    async def delete(self, ids: Sequence[str]) -> None:
        await self._moment()
        await super().delete(ids)


@dataclass
class World:
    author: UserRecord
    questions: list[int]
    answers: list[int]
    comments: list[int]
    consultations: list[int]
    instruments: list[int]


async def _world() -> World:
    author = await make_user(Role.member)
    expert = await make_user(Role.expert)
    questions = [
        await ask_question(author, title=f"Frage Nummer {n} zur Terminvergabe") for n in range(8)
    ]
    answers = [
        await answer_question(expert, q, f"Antwort zu {q}.") for q in questions for _ in range(2)
    ]
    consultations = []
    for n in range(3):
        cid = await start(author, title=f"Fallberatung Nummer {n}")
        await (
            Consultation.update({Consultation.phase: Phase.closed})
            .where(Consultation.id == cid)
            .run()
        )
        consultations.append(cid)
    instruments = await Instrument.select(Instrument.id).limit(4).output(as_list=True).run()
    return World(author, questions, answers, [], consultations, instruments)


async def _edit(rng: random.Random, world: World, n: int) -> None:
    """One random change and its outbox row, in one transaction, as a service makes it."""
    kind = rng.randrange(9)
    async with database.transaction():
        if kind == 0:
            qid = rng.choice(world.questions)
            await (
                Question.update({Question.title: f"Frage {qid}, Fassung {n}"})
                .where(Question.id == qid)
                .run()
            )
            await enqueue(EntityType.question, qid)
        elif kind == 1:
            qid = rng.choice(world.questions)
            await (
                Question.update({Question.hidden: rng.random() < 0.5})
                .where(Question.id == qid)
                .run()
            )
            await enqueue(EntityType.question, qid)
        elif kind in (2, 3):
            aid = rng.choice(world.answers)
            changes: dict[Any, Any] = {
                Answer.body: f"Antwort, Fassung {n}",
                Answer.hidden: rng.random() < 0.3,
            }
            [row] = (
                await Answer.update(changes)
                .where(Answer.id == aid)
                .returning(Answer.question)
                .run()
            )
            await enqueue(EntityType.question, row["question"])
        elif kind == 4:
            qid = rng.choice(world.questions)
            [row] = await Comment.insert(
                Comment(question=qid, body=f"Kommentar {n}", author=world.author.id)
            ).run()
            world.comments.append(row["id"])
            await enqueue(EntityType.question, qid)
        elif kind == 5 and world.comments:
            cid = world.comments.pop(rng.randrange(len(world.comments)))
            [row] = (
                await Comment.delete().where(Comment.id == cid).returning(Comment.question).run()
            )
            await enqueue(EntityType.question, row["question"])
        elif kind == 6:
            cid = rng.choice(world.consultations)
            await (
                Consultation.update(
                    {
                        Consultation.title: f"Fallberatung, Fassung {n}",
                        Consultation.hidden: rng.random() < 0.3,
                    }
                )
                .where(Consultation.id == cid)
                .run()
            )
            await enqueue(EntityType.consultation, cid)
        else:
            iid = rng.choice(world.instruments)
            await (
                Instrument.update({Instrument.title: f"Instrument, Fassung {n}"})
                .where(Instrument.id == iid)
                .run()
            )
            await enqueue(EntityType.instrument, iid)


async def _work(engine: FakeBackend, stop: asyncio.Event) -> int:
    """One worker, as in its own process, until stopped; returns the rows it applied."""
    applied = 0
    while not stop.is_set():
        done = await worker.process_batch(engine, batch_size=WORKER_BATCH)
        applied += done
        if not done:
            await asyncio.sleep(0.001)
    return applied


async def _settled() -> None:
    """Waits until the outbox is empty and no worker holds a document."""
    for _ in range(2000):
        if not await worker.backlog() and not await SearchLease.count():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("the workers did not catch up")


async def _differences(engine: FakeBackend) -> list[str]:
    fresh = FakeBackend()
    await fresh.rebuild(documents.all_documents())
    ids = set(fresh.documents) | set(engine.documents)
    return sorted(i for i in ids if engine.documents.get(i) != fresh.documents.get(i))


async def test_three_workers_racing_over_random_edits_end_as_a_fresh_rebuild(
    settings: Settings,
) -> None:
    """Each round of edits ends with the index equal to a fresh rebuild: the last edit of
    a document is where a worker writing an older build over a newer one would show. One
    round has an operator's `fachaustausch reindex` amid the edits."""
    rng = random.Random(17)
    on_a_pool = Database(settings.resolved_database_url, pool_size=POOL_SIZE)
    await on_a_pool.open()
    try:
        with database.use(on_a_pool):
            world = await _world()
            engine = SlowEngine(rng)
            await worker.reindex(engine)  # the index as it stood before the edits
            stop = asyncio.Event()
            workers = [asyncio.create_task(_work(engine, stop)) for _ in range(WORKERS)]
            try:
                for round_start in range(0, EDITS, ROUND):
                    rebuild = None
                    for n in range(round_start, round_start + ROUND):
                        await _edit(rng, world, n)
                        if n == EDITS // 2:
                            rebuild = asyncio.create_task(worker.reindex(engine))
                        await asyncio.sleep(rng.random() * EDIT_GAP_SECONDS)
                    if rebuild is not None:
                        await rebuild
                    await _settled()
                    assert await _differences(engine) == [], f"after edit {round_start + ROUND}"
            finally:
                stop.set()
                applied = await asyncio.gather(*workers)
            assert all(applied), f"every worker had a share: {applied}"
    finally:
        await on_a_pool.close()
