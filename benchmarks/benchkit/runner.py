"""One benchmark run: the floor, then the platform endpoint by endpoint, then the report."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import subprocess
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchkit import profiling
from benchkit.endpoints import Endpoint, build
from benchkit.fixtures import BENCH_DIR, BENCH_USERS, RESULTS_DIR, default_var_dir, engine_of
from benchkit.processes import Server
from benchkit.project import CLI_MODULE, PROJECT_ROOT
from benchkit.report import chart, markdown
from benchkit.results import load, newest, remove_older
from benchkit.sampling import ensure_search_index, sample_database
from benchkit.signin import create_tokens, revoke_tokens, sign_in_sessions, sign_out_sessions
from benchkit.skew import zipf_share
from benchkit.targets import SCALED, Reference, cookie_costs, judge
from benchkit.wrk import Load, Result, ensure_wrk

TOKEN_ACCOUNTS = list(range(1, BENCH_USERS // 2 + 1))
COOKIE_ACCOUNTS = list(range(BENCH_USERS // 2 + 1, BENCH_USERS + 1))
ZIPF_TOP = 256  # the read cache's default size


def configuration(args: argparse.Namespace) -> str:
    """The part of a result's name that tells runs apart that are not comparable."""
    parts = [f"w{args.workers}"]
    if args.redis_url:
        parts.append("redis")
    if args.read_cache_entries is not None:
        parts.append(f"cache{args.read_cache_entries}")
    if args.loop != "asyncio":
        parts.append(args.loop)
    if os.environ.get("FACHAUSTAUSCH_SEARCH_BACKEND", "embedded") != "embedded":
        parts.append(os.environ["FACHAUSTAUSCH_SEARCH_BACKEND"])
    return "-".join(parts)


def references(directory: Path, engine: str, args: argparse.Namespace) -> Reference:
    """The baseline (--baseline, else the newest result of this engine and configuration)
    and, with several workers, the newest one-worker result of the same configuration."""
    ref = Reference()
    baseline = (
        Path(args.baseline)
        if args.baseline
        else newest(directory, f"{engine}-{configuration(args)}")
    )
    if baseline is not None and baseline.exists():
        data = load(baseline)
        ref.baseline_label = baseline.name
        ref.baseline_shares = {r["name"]: r["ratio_to_floor"] for r in data["results"]}
        ref.write_p99_ms = next(
            (r["p99_ms"] for r in data["results"] if r["name"] == "write_mix" and r["requests"]),
            None,
        )
    if args.workers > 1:
        one = newest(
            directory, f"{engine}-{configuration(args).replace(f'w{args.workers}', 'w1', 1)}"
        )
        if one is not None:
            data = load(one)
            ref.one_worker_label = one.name
            ref.one_worker_shares = {
                r["name"]: r["ratio_to_floor"] for r in data["results"] if r["name"] in SCALED
            }
    return ref


def _migrate(env: dict[str, str]) -> None:
    done = subprocess.run(  # noqa: S603 - our own interpreter and the project's CLI
        [sys.executable, "-m", CLI_MODULE, "migrate"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode:
        raise SystemExit(f"migrate failed:\n{done.stdout}{done.stderr}")


def _floor(workers: int, env: dict[str, str], work: Path) -> Server:
    command = [
        sys.executable, "-m", "uvicorn", "--app-dir", str(BENCH_DIR), "floor_app:app",
        "--workers", str(workers), "--log-level", "info", "--no-access-log", "--loop", "auto",
    ]  # fmt: skip
    name = "floor" if workers == 1 else "floor_workers"
    return Server(name, command, env, work / f"floor-w{workers}.log", workers=workers)


def _servers(
    args: argparse.Namespace, var_dir: Path, work: Path, secret_key: str
) -> tuple[list[Server], Server, dict[str, str]]:
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("FACHAUSTAUSCH_")}
    base_env["FACHAUSTAUSCH_SEARCH_BACKEND"] = os.environ.get(
        "FACHAUSTAUSCH_SEARCH_BACKEND", "embedded"
    )
    floors = [_floor(workers, base_env, work) for workers in sorted({1, args.workers})]
    env = {
        **base_env,
        "FACHAUSTAUSCH_ENVIRONMENT": "production",
        "FACHAUSTAUSCH_SECRET_KEY": secret_key,
        "FACHAUSTAUSCH_DATABASE_URL": args.database_url,
        "FACHAUSTAUSCH_VAR_DIR": str(var_dir),
        "FACHAUSTAUSCH_SEARCH_WORKER_ENABLED": "true",
    }
    if args.read_cache_entries is not None:
        env["FACHAUSTAUSCH_READ_CACHE_ENTRIES"] = str(args.read_cache_entries)
    if args.redis_url:
        env["FACHAUSTAUSCH_REDIS_URL"] = args.redis_url
    platform = Server(
        "platform",
        [sys.executable, "-m", CLI_MODULE, "serve", "--workers", str(args.workers),
         "--loop", args.loop],
        env, work / "server.log", workers=args.workers,
    )  # fmt: skip
    platform.env["FACHAUSTAUSCH_BASE_URL"] = platform.url
    return floors, platform, env


def _print(result: Result) -> None:
    print(
        f"  {result.name}: {result.requests_per_second:.0f} req/s, p50 {result.p50_ms:.1f} / "
        f"p95 {result.p95_ms:.1f} / p99 {result.p99_ms:.1f} ms, non-2xx {result.non2xx}, "
        f"socket errors {result.socket_errors}, timeouts {result.timeouts}"
    )
    for k in result.kinds:
        detail = f"{k.distinct} distinct of {k.lines}" if k.pick in ("unique", "zipf") else ""
        if k.repeats:
            detail += f", {k.repeats} sent again"
        lat = (
            f", p50 {k.p50_ms} / p95 {k.p95_ms} / p99 {k.p99_ms} ms" if k.p50_ms is not None else ""
        )
        if detail or lat:
            print(f"    {k.name}: {k.requests} requests{lat}{'; ' + detail if detail else ''}")


def _measure(
    platform: Server,
    endpoint: Endpoint,
    load_runner: Load,
    args: argparse.Namespace,
    work: Path,
    spies: list[subprocess.Popen[bytes]],
) -> Result:
    """Warm-up, load (with py-spy if asked), then the wait until the server is idle and
    its memory."""
    if args.warmup > 0:
        load_runner.run(platform.url, endpoint, args.warmup, warmup=True)
    spy = None
    profile_file = work / f"profile-{endpoint.name}.speedscope.json"
    if endpoint.name in args.profile.split(",") and platform.pid:
        spy = profiling.start(platform.pid, args.duration, profile_file, args.workers > 1)
        if spy is not None:
            spies.append(spy)
    result = load_runner.run(platform.url, endpoint, args.duration)
    _print(result)
    if spy is not None:
        profiling.finish(spy)
        if profile_file.exists():
            result.profile = profiling.top_entries(profile_file)
            print("\n".join(profiling.format_entries(endpoint.name, result.profile)))
            print(f"    (profile: {profile_file})")
    result.settle_seconds = platform.settle()
    if result.settle_seconds > 1:
        print(f"    (server busy with left-over requests for {result.settle_seconds} s)")
    result.rss_mb_after = platform.rss_mb()
    result.rss_per_worker_mb_after = platform.rss_per_worker_mb()
    result.rss_file_backed_mb_after = platform.file_backed_mb()
    print(f"    server RSS {result.rss_mb_after} MB, per worker "
          f"{result.rss_per_worker_mb_after} MB")  # fmt: skip
    return result


def run(args: argparse.Namespace) -> Path:
    engine = engine_of(args.database_url)
    var_dir = Path(args.var_dir).resolve() if args.var_dir else default_var_dir(args.database_url)
    if not (var_dir / "search").exists():
        print(f"note: no search index under {var_dir / 'search'} (run generate.py without "
              "--skip-index); search will start empty")  # fmt: skip
    wrk = ensure_wrk()
    started_at = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    secret_key = secrets.token_urlsafe(48)
    rng = random.Random(args.seed)
    sample = asyncio.run(sample_database(args.database_url, secret_key, args.cold_questions))
    endpoints = build(sample, rng, args.duration, args.warmup)
    if args.only:
        wanted = {"floor", *args.only.split(",")}
        endpoints = [e for e in endpoints if e.name in wanted]
    work = var_dir / "bench-run"
    work.mkdir(parents=True, exist_ok=True)
    reference_dir = Path(args.results_dir) if args.results_dir else RESULTS_DIR
    out_dir = reference_dir if (args.results_dir or not args.only) else work / "results"
    reference = references(reference_dir, engine, args)

    floors, platform, env = _servers(args, var_dir, work, secret_key)
    _migrate(env)
    if (var_dir / "search").exists():
        asyncio.run(ensure_search_index(args.database_url, var_dir))
    credentials = {"token": work / "tokens.txt", "cookie": work / "cookies.txt"}
    load_runner = Load(
        wrk, args.connections, args.threads, work, credentials, args.zipf_exponent, args.seed
    )
    results: list[Result] = []
    tokens: list[tuple[str, str]] = []
    cookies: list[str] = []
    spies: list[subprocess.Popen[bytes]] = []
    floor_rss: list[float] = []
    load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    floor_endpoint = next(e for e in endpoints if e.name == "floor")
    try:
        for floor in floors:
            floor.start("/")
            print(f"{floor.name} on {floor.url} ({floor.workers} worker(s))")
            endpoint = Endpoint(floor.name, floor_endpoint.description, floor_endpoint.kinds,
                                auth="none", server="floor")  # fmt: skip
            if floor.workers > 1:
                endpoint.description += f", {floor.workers} workers"
            if args.warmup > 0:
                load_runner.run(floor.url, endpoint, args.warmup, warmup=True)
            result = load_runner.run(floor.url, endpoint, args.duration)
            floor_rss.append(floor.rss_mb())
            floor.stop()
            results.append(result)
            _print(result)
        floor_one, floor_same = results[0], results[-1]

        platform.start("/health")
        print(f"platform ({engine}, `{' '.join(platform.command[2:])}`) on {platform.url}, "
              f"pid {platform.pid}")  # fmt: skip
        rss_start = platform.rss_mb()
        tokens = create_tokens(platform.url, TOKEN_ACCOUNTS)
        credentials["token"].write_text("\n".join(t for t, _ in tokens) + "\n")
        cookies = sign_in_sessions(platform.url, COOKIE_ACCOUNTS)
        credentials["cookie"].write_text("\n".join(cookies) + "\n")
        platform.settle()
        for endpoint in endpoints:
            if endpoint.server == "platform":
                result = _measure(platform, endpoint, load_runner, args, work, spies)
                result.ratio_to_floor = round(
                    result.requests_per_second / floor_same.requests_per_second, 4
                )
                results.append(result)
        rss_after = platform.rss_mb()
        rss_per_worker = platform.rss_per_worker_mb()
        file_backed_after = platform.file_backed_mb()
    finally:
        alive = platform.process is not None and platform.process.poll() is None
        if tokens and alive:
            revoke_tokens(platform.url, tokens)
        if cookies and alive:
            sign_out_sessions(platform.url, cookies)
        for spy in spies:
            if spy.poll() is None:
                spy.kill()
        for floor in floors:
            floor.stop()
        platform.stop()
        for path in credentials.values():
            path.unlink(missing_ok=True)

    cookie_costs(results, {e.name: e.compare_with for e in endpoints if e.compare_with})
    for r in results:
        one_worker_share = r.requests_per_second / floor_one.requests_per_second
        judge(r, engine, reference, one_worker_share if args.workers > 1 else None)
    log_text = platform.log_text()
    run_data: dict[str, Any] = {
        "engine": engine,
        "configuration": configuration(args),
        "database_url": args.database_url,
        "started_at": started_at,
        "questions": sample.questions,
        "duration": args.duration,
        "warmup": args.warmup,
        "connections": args.connections,
        "threads": args.threads,
        "workers": args.workers,
        "server_command": " ".join(["fachaustausch", *platform.command[3:-4]]),
        "session_store": "Redis" if args.redis_url else "files (var/stores/sessions)",
        "search_backend": env["FACHAUSTAUSCH_SEARCH_BACKEND"],
        "platform_loop": args.loop,
        "read_cache_entries": args.read_cache_entries,
        "zipf_exponent": args.zipf_exponent,
        "zipf_top": ZIPF_TOP,
        "zipf_top_share": round(zipf_share(len(sample.cold_ids), args.zipf_exponent, ZIPF_TOP), 3),
        "cpu_count": os.cpu_count(),
        "load_before": load_before,
        "load_after": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "floor_name": floor_same.name,
        "floor_rss_mb": max(floor_rss),
        "server_rss_mb_start": rss_start,
        "server_rss_mb_after": rss_after,
        "server_rss_per_worker_mb_after": rss_per_worker,
        "server_rss_file_backed_mb_after": file_backed_after,
        "database_locked": log_text.count("database is locked"),
        "tracebacks": log_text.count("Traceback"),
        "workers_died": log_text.count("] died") + log_text.count("failed to start"),
        **log_problems(log_text),
        "server_log": str(platform.log_path),
        "baseline_label": reference.baseline_label,
        "baseline_shares": reference.baseline_shares,
        "results": [asdict(r) for r in results],
    }
    return write(run_data, out_dir, f"{engine}-{configuration(args)}", started_at)


def log_problems(log_text: str) -> dict[str, Any]:
    """Warnings and errors in the server log: how many, and one example of each kind (the
    same message with other figures counts as the same kind)."""
    problems = [line for line in log_text.splitlines() if line.startswith(("WARNING", "ERROR"))]
    kinds: dict[str, str] = {}
    for line in problems:
        message = line.split(" - ", 4)[-1]
        kinds.setdefault(re.sub(r"\d+", "N", message)[:120], message[:300])
    return {"log_problems": len(problems), "log_problem_examples": list(kinds.values())[:5]}


def write(run_data: dict[str, Any], directory: Path, prefix: str, stamp: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stem = directory / f"{prefix}-{stamp}"
    stem.with_suffix(".json").write_text(
        json.dumps(run_data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    stem.with_suffix(".md").write_text(markdown(run_data), encoding="utf-8")
    chart(run_data, stem.with_suffix(".png"))
    removed = remove_older(directory, prefix, stamp)
    print(markdown(run_data))
    shown = stem.relative_to(PROJECT_ROOT) if stem.is_relative_to(PROJECT_ROOT) else stem
    print(
        f"written: {shown}.json / .md / .png"
        + (f"; replaced {len(removed)} older files" if removed else "")
    )
    return stem
