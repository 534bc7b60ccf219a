"""Loads the platform endpoint by endpoint with wrk and writes a results table.

    python benchmarks/run.py --database-url sqlite:///var/bench/sqlite/fachaustausch.sqlite3
    python benchmarks/run.py --database-url postgresql://postgres@127.0.0.1:5432/bench

Expects a database filled by benchmarks/generate.py (and its search index in --var-dir).
In one run it

1. serves benchmarks/floor_app.py (one JSON route) with uvicorn and loads it: the floor
   (with --workers N > 1, once more with N workers);
2. starts the platform with `fachaustausch serve --workers N` (127.0.0.1, a free port) in
   production settings (FACHAUSTAUSCH_ENVIRONMENT=production, a fresh secret key, search
   worker on; sessions in files, or in Redis with --redis-url) and waits for every worker;
3. creates personal access tokens for four benchmark accounts over the API, and signs four
   others in through the login form for session cookies;
4. loads each endpoint for --duration seconds with --connections connections after a short
   warm-up: JSON by token, pages by session cookie, the same requests both ways, cold
   questions drawn with a Zipf skew, searches sent once each, a write mix and a journey
   mixing them all (benchmarks/README.md lists the rows);
5. revokes the tokens, signs the sessions out, stops the servers (also on failure or
   Ctrl-C) and writes benchmarks/results/<engine>-<configuration>-<timestamp>.json, .md and
   .png, replacing the older result of the same engine and configuration.

Traffic goes to 127.0.0.1 only, and every load is bounded in time.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from benchkit.report import chart, markdown


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", required="--render" not in (argv or sys.argv))
    p.add_argument("--var-dir", help="the generate.py var dir (default var/bench/<engine>)")
    p.add_argument("--duration", type=float, default=15.0, help="seconds per endpoint")
    p.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per endpoint")
    p.add_argument("--connections", type=int, default=32)
    p.add_argument(
        "--threads", type=int, default=2, help="wrk threads (the journey: one per connection)"
    )
    p.add_argument(
        "--workers", type=int, default=1,
        help="passed to `fachaustausch serve --workers N`; the floor then runs with 1 and N",
    )  # fmt: skip
    p.add_argument(
        "--redis-url", default="",
        help="FACHAUSTAUSCH_REDIS_URL: sessions (and the other stores) in Redis, not in files",
    )  # fmt: skip
    p.add_argument(
        "--loop", choices=["asyncio", "uvloop", "auto"], default="asyncio",
        help="the platform's event loop (default: as `fachaustausch serve`); the floor always "
        "runs on uvicorn's fastest (auto: uvloop), so the ratio never flatters the platform",
    )  # fmt: skip
    p.add_argument(
        "--read-cache-entries", type=int, metavar="N",
        help="the platform's FACHAUSTAUSCH_READ_CACHE_ENTRIES (default: the app's); 0 measures "
        "without the read cache, as under steady writes, which empty it at every commit",
    )  # fmt: skip
    p.add_argument(
        "--cold-questions", type=int, default=20_000,
        help="distinct questions of the cold rows and the journey",
    )  # fmt: skip
    p.add_argument(
        "--zipf-exponent", type=float, default=0.8,
        help="how strongly requests favour the popular ones of the cold questions",
    )  # fmt: skip
    p.add_argument("--seed", type=int, default=20151130, help="random seed of the load")
    p.add_argument("--only", help="comma-separated endpoint names (the floor always runs)")
    p.add_argument(
        "--profile", default="", metavar="ENDPOINT[,ENDPOINT]",
        help="record the server with py-spy while these endpoints are loaded and print the "
        "top 20 functions (speedscope JSON in <var-dir>/bench-run/)",
    )  # fmt: skip
    p.add_argument(
        "--results-dir",
        help="where results go and where the baseline is looked up (default "
        "benchmarks/results; with --only, <var-dir>/bench-run/results)",
    )  # fmt: skip
    p.add_argument(
        "--baseline", metavar="JSON",
        help="an earlier result to compare with (the write mix's p99 target, the 'before' "
        "column); default: the newest result of the same engine and configuration",
    )  # fmt: skip
    p.add_argument("--render", metavar="JSON", help="only rewrite .md and .png of a result")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    if args.render:
        source = Path(args.render)
        saved = json.loads(source.read_text(encoding="utf-8"))
        source.with_suffix(".md").write_text(markdown(saved), encoding="utf-8")
        chart(saved, source.with_suffix(".png"))
        return
    if args.workers < 1:
        raise SystemExit("--workers must be at least 1")
    from benchkit.runner import run

    run(args)


if __name__ == "__main__":
    main()
