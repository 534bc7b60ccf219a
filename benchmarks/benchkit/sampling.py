"""What the load needs from the benchmark database, read before the servers start: question
ids (warm, cold in order of popularity, writable), answers, filters and deep cursors."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

from benchkit.project import CursorCodec, Question, SearchBackendName, Settings, database_of
from benchkit.project import create_backend as create_search_backend
from benchkit.project import reindex as rebuild_search_index

# Not the benchmark accounts' own posts (earlier runs wrote some): voting on one's own post
# is refused.
_NOT_BENCH_AUTHOR = (
    "author NOT IN (SELECT id FROM app_user WHERE email LIKE 'benchmark-%@benchmark-abh.de')"
)


@dataclass
class Sample:
    questions: int
    detail_ids: list[int]  # 5–20 answers: the warm rows cycle through them
    cold_ids: list[int]  # visible questions in a random order: rank 1 is the most popular
    writable_ids: list[int]
    answer_ids: list[int]
    pairs: list[tuple[str, str]]  # (cornerstone slug, instrument slug)
    cursors: list[str]


@contextlib.asynccontextmanager
async def connected(database_url: str, var_dir: Path | None = None) -> AsyncIterator[Settings]:
    """The project's database layer on `database_url` (no pooled connections) while open."""
    settings = Settings(database_url=database_url, database_pool_size=0)
    if var_dir is not None:
        settings = Settings(database_url=database_url, database_pool_size=0, var_dir=var_dir)
    async with database_of(settings):
        yield settings


async def _ids(sql: str) -> list[int]:
    return [int(r["id"]) for r in await Question.raw(sql).run()]


async def _cursors(secret_key: str) -> list[str]:
    """Cursors 20–90 % deep into the newest-first list, signed with the server's key."""
    codec = CursorCodec(secret_key)
    cursors = []
    visible = await Question.count().where(Question.hidden.eq(False)).run()
    for fraction in (0.2, 0.35, 0.5, 0.65, 0.8, 0.9):
        row = (
            await Question.select(Question.id, Question.created_at)
            .where(Question.hidden.eq(False))
            .order_by(Question.created_at, Question.id, ascending=False)
            .offset(int(visible * fraction))
            .first()
            .run()
        )
        if row:
            value = {"sort": "newest", "value": row["created_at"].isoformat(), "id": row["id"]}
            cursors.append(codec.encode(value))
    return cursors


async def sample_database(database_url: str, secret_key: str, cold_questions: int) -> Sample:
    async with connected(database_url):
        total = await Question.count().run()
        if total == 0:
            raise SystemExit("the database holds no questions: run benchmarks/generate.py first")
        detail = await _ids(
            "SELECT id FROM question WHERE answer_count BETWEEN 5 AND 20 AND hidden = false "
            "ORDER BY random() LIMIT 500"
        )
        cold = await _ids(
            "SELECT id FROM question WHERE hidden = false "  # noqa: S608 - an int
            f"ORDER BY random() LIMIT {int(cold_questions)}"
        )
        writable = await _ids(
            "SELECT id FROM question WHERE hidden = false AND locked = false "  # noqa: S608
            f"AND closed_reason = '' AND {_NOT_BENCH_AUTHOR} ORDER BY random() LIMIT 2000"
        )
        answers = await _ids(
            "SELECT a.id AS id FROM answer a JOIN question q ON q.id = a.question "  # noqa: S608
            "WHERE a.hidden = false AND q.hidden = false AND q.locked = false "
            f"AND q.closed_reason = '' AND a.{_NOT_BENCH_AUTHOR} ORDER BY random() LIMIT 1000"
        )
        pairs = [
            (r["cornerstone"], r["instrument"])
            for r in await Question.raw(
                "SELECT c.slug AS cornerstone, i.slug AS instrument FROM instrument i "
                "JOIN cornerstone c ON c.id = i.cornerstone ORDER BY i.id"
            ).run()
        ]
        cursors = await _cursors(secret_key)
    if not detail:
        raise SystemExit("no question with 5–20 answers: is this a generate.py database?")
    return Sample(total, detail, cold, writable, answers, pairs, cursors)


async def ensure_search_index(database_url: str, var_dir: Path) -> None:
    """Rebuilds an embedded index an earlier version wrote (another schema) before the run:
    the server would otherwise rebuild it as it starts, under the load."""
    async with connected(database_url, var_dir) as settings:
        if settings.search_backend is not SearchBackendName.embedded:
            return
        backend = create_search_backend(settings)
        try:
            await backend.configure()
            if backend.rebuild_needed:
                print("search index of an earlier version: rebuilding it before the run")
                await rebuild_search_index(backend)
        finally:
            await backend.close()
