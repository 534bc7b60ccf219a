"""Fills a database with realistic benchmark data, then builds the search index.

    python benchmarks/generate.py --database-url sqlite:///var/bench/bench.sqlite3
    python benchmarks/generate.py --database-url postgresql://postgres@127.0.0.1:5432/bench

Runs the migrations, seeds the reference data (cornerstones, instruments, model sites,
BAMF), then writes authorities, users, questions, answers, comments, votes, follows and
collegial case consultations with a realistic skew (benchkit/generator.py says how).

Rows go through the project's own Piccolo tables as multi-row INSERTs in transactions of a
few thousand rows (benchkit/bulk.py). On SQLite the load runs with `journal_mode=WAL` and
`synchronous=OFF`; the journal mode the database had before is restored afterwards, so the
benchmark measures the app's own setup.

Every account created here has the password BENCH_PASSWORD; `benchmark-1@benchmark-abh.de`
… `benchmark-8@benchmark-abh.de` are ordinary active members that author nothing (so the
load test's votes are never refused as votes on their own posts).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchkit.bulk import BulkWriter, SqliteLoadMode
from benchkit.fixtures import (
    BENCH_PASSWORD,
    BENCH_USERS,
    RESULTS_DIR,
    bench_email,
    default_var_dir,
    engine_of,
)
from benchkit.generator import Generator
from benchkit.german_text import TextGenerator
from benchkit.load import TABLES, write_plan
from benchkit.plan import Reference, Sizes
from benchkit.project import (
    PROJECT_ROOT,
    Authority,
    Cornerstone,
    Instrument,
    Question,
    Settings,
    create_backend,
    database_of,
    migrations,
    passwords,
    reindex,
    render_markdown,
    seed_reference_data,
)
from benchkit.results import remove_older
from benchkit.rows import body_html
from piccolo.engine.sqlite import SQLiteEngine


def check_render_equivalence(text: TextGenerator) -> None:
    for _ in range(50):
        body = text.question_body(text.topic())
        if render_markdown(body) != body_html(body):
            raise SystemExit(f"body_html shortcut differs from the Markdown renderer: {body!r}")


async def load_reference() -> Reference:
    cornerstones = [
        r["id"] for r in await Cornerstone.select(Cornerstone.id).order_by(Cornerstone.number).run()
    ]
    instruments = [
        (r["id"], r["cornerstone"], r["title"])
        for r in await Instrument.select(Instrument.id, Instrument.cornerstone, Instrument.title)
        .order_by(Instrument.id)
        .run()
    ]
    authorities = [
        (r["id"], r["slug"], r["kind"])
        for r in await Authority.select(Authority.id, Authority.slug, Authority.kind).run()
    ]
    return Reference(cornerstones, instruments, authorities)


async def build_index(settings: Settings) -> dict[str, Any]:
    backend = create_backend(settings)
    started = time.perf_counter()
    try:
        await backend.configure()
        documents = await reindex(backend)
    finally:
        await backend.close()
    seconds = time.perf_counter() - started
    return {
        "backend": backend.name,
        "documents": documents,
        "seconds": round(seconds, 2),
        "documents_per_second": round(documents / seconds, 1),
        "index_dir": str(settings.search_dir),
    }


async def generate(args: argparse.Namespace) -> dict[str, Any]:
    var_dir = Path(args.var_dir) if args.var_dir else default_var_dir(args.database_url)
    settings = Settings(database_url=args.database_url, var_dir=var_dir)
    sizes = Sizes(
        questions=args.questions,
        answers=args.answers,
        votes=args.votes,
        users=args.users,
        authorities=args.authorities,
        consultations=args.consultations,
        comments=args.comments,
    )
    overall = time.perf_counter()
    async with database_of(settings) as database:
        engine = database.engine
        started = time.perf_counter()
        await migrations.migrate()
        await seed_reference_data()
        print(f"migrated and seeded in {time.perf_counter() - started:.1f} s")
        existing = await Question.count().run()
        if existing:
            raise SystemExit(
                f"the database already holds {existing} questions: use an empty database"
            )
        writer = BulkWriter(engine, progress=not args.no_progress)
        first = {t._meta.tablename: await writer.next_id(t) for t in TABLES}
        gen = Generator(sizes, await load_reference(), args.seed, datetime.now(UTC))
        check_render_equivalence(gen.text)
        gen.authorities(first["authority"])
        gen.users(first["app_user"])
        gen.build()
        password_hash = await passwords.hash_password(BENCH_PASSWORD)

        load_started = time.perf_counter()
        load_mode = SqliteLoadMode(engine) if isinstance(engine, SQLiteEngine) else None
        if load_mode:
            writer.use(await load_mode.__aenter__())
        try:
            await write_plan(writer, gen, first, password_hash)
        finally:
            if load_mode:
                await load_mode.__aexit__()
        load_seconds = time.perf_counter() - load_started
        index = {"skipped": True} if args.skip_index else await build_index(settings)
    return {
        "database": engine_of(args.database_url),
        "sizes": asdict(sizes),
        "tables": [
            {**asdict(t), "rows_per_second": round(t.rows_per_second, 1)} for t in writer.timings
        ],
        "load_seconds": round(load_seconds, 2),
        "reindex": index,
        "total_seconds": round(time.perf_counter() - overall, 2),
        "bench_users": [bench_email(n) for n in range(1, BENCH_USERS + 1)],
        "var_dir": str(var_dir),
    }


def report(result: dict[str, Any]) -> str:
    lines = [
        f"{'table':<26}{'rows':>10}{'seconds':>10}{'rows/s':>12}",
        *(
            f"{t['table']:<26}{t['rows']:>10}{t['seconds']:>10.1f}{t['rows_per_second']:>12.0f}"
            for t in result["tables"]
        ),
        f"load total: {result['load_seconds']:.1f} s",
    ]
    r = result["reindex"]
    if not r.get("skipped"):
        lines.append(
            f"reindex ({r['backend']}): {r['documents']} documents in {r['seconds']:.1f} s "
            f"= {r['documents_per_second']:.0f} documents/s"
        )
    lines.append(f"everything: {result['total_seconds']:.1f} s")
    return "\n".join(lines)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    defaults = Sizes()
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", required=True, help="sqlite:///path or postgresql://…")
    p.add_argument("--var-dir", help="where the search index goes (default var/bench/<engine>)")
    p.add_argument("--questions", type=int, default=defaults.questions)
    p.add_argument("--answers", type=int, default=defaults.answers)
    p.add_argument("--votes", type=int, default=defaults.votes)
    p.add_argument("--users", type=int, default=defaults.users)
    p.add_argument("--authorities", type=int, default=defaults.authorities)
    p.add_argument("--consultations", type=int, default=defaults.consultations)
    p.add_argument("--comments", type=int, default=defaults.comments)
    p.add_argument("--seed", type=int, default=2015, help="random seed (same seed, same data)")
    p.add_argument("--skip-index", action="store_true", help="do not build the search index")
    p.add_argument("--no-progress", action="store_true", help="no progress bars")
    p.add_argument(
        "--results-dir", type=Path, default=RESULTS_DIR,
        help="where the timings go (default benchmarks/results; the older file of the same "
        "engine there is replaced)",
    )  # fmt: skip
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    os.environ.setdefault("FACHAUSTAUSCH_ENVIRONMENT", "development")
    result = asyncio.run(generate(args))
    print(report(result))
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    prefix = f"generate-{result['database']}"
    args.results_dir.mkdir(parents=True, exist_ok=True)
    out = args.results_dir / f"{prefix}-{stamp}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    remove_older(args.results_dir, prefix, stamp)
    shown = out.relative_to(PROJECT_ROOT) if out.is_relative_to(PROJECT_ROOT) else out
    print(f"timings written to {shown}")


if __name__ == "__main__":
    main()
