"""Loads the platform endpoint by endpoint with wrk and writes a results table.

    python benchmarks/run.py --database-url sqlite:///var/bench/sqlite/fachaustausch.sqlite3
    python benchmarks/run.py --database-url postgresql://postgres@127.0.0.1:5432/bench

Expects a database filled by benchmarks/generate.py (and its search index in --var-dir).
In one run it

1. serves benchmarks/floor_app.py (one JSON route) with uvicorn and loads it: the floor;
2. starts the platform the same way (uvicorn, one worker, 127.0.0.1, a free port, log level
   warning; its event loop from --loop, by default asyncio as `fachaustausch serve`) in
   production settings (FACHAUSTAUSCH_ENVIRONMENT=production, a fresh secret key,
   search worker on) against the database, and waits for /health;
3. signs in benchmark accounts through the API and creates personal access tokens;
4. loads each endpoint for --duration seconds with --connections connections (after a short
   warm-up): /health, the question list (unfiltered, by cornerstone + instrument, deep
   cursor), question detail (questions with 5–20 answers), search (with and without
   filters), the question page HTML and a write mix (ask / answer / vote);
5. revokes the tokens, stops the servers (also on failure or Ctrl-C) and writes
   benchmarks/results/<engine>-<timestamp>.json, .md and .png (latency per endpoint).

Traffic goes to 127.0.0.1 only, and every load is bounded in time.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import AsyncIterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import psutil

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))
from generate import BENCH_PASSWORD, BENCH_USERS, default_var_dir  # noqa: E402
from german_text import DOCUMENTS, MEASURES, PROBLEMS, TOPICS, TextGenerator  # noqa: E402

from fachaustausch.settings import PROJECT_ROOT, SearchBackendName, Settings  # noqa: E402

RESULTS_DIR = BENCH_DIR / "results"
LUA_SCRIPT = BENCH_DIR / "wrk" / "rotate.lua"
HOST = "127.0.0.1"
TOKENS = 4

SEARCH_WORDS = [
    "Terminvergabe",
    "Aufenthaltserlaubnis",
    "Service-Point",
    "Blaue Karte",
    "Fiktionsbescheinigung",
    "Wartezeiten",
    "Dolmetscher",
    "Einbürgerung",
    "ABH",
    "Familiennachzug",
    "Jobcenter",
    "Terminvergbe",
    "Verpflichtungserklärung",
    "Willkommenscenter",
    "Ausländerbehörden",
    "Chancenkarte",
    "elektronischer Aufenthaltstitel",
    "Kundenbefragung",
    "Leitbild",
    "Sprachmittlung",
]

# (target description, check) per endpoint, from issue 7's performance budget.
TARGETS: dict[str, str] = {
    "questions_list": "≥ 25 % of floor, p99 ≤ 50 ms",
    "questions_filtered": "≥ 25 % of floor, p99 ≤ 50 ms",
    "questions_deep_cursor": "≥ 25 % of floor, p99 ≤ 50 ms",
    "question_detail": "≥ 25 % of floor, p99 ≤ 50 ms",
    "question_page": "p99 ≤ 60 ms",
    "search": "p95 ≤ 30 ms",
    "search_filtered": "p95 ≤ 30 ms",
    "write_mix": "p99 ≤ 150 ms, no 'database is locked'",
}
RSS_TARGET_MB = 250


@dataclass
class Endpoint:
    name: str
    description: str
    lines: list[str]
    mode: str = "get"  # get | write
    server: str = "platform"  # platform | floor
    authenticated: bool = True
    # Lines for the warm-up where the load must not repeat them (default: `lines`).
    warmup_lines: list[str] | None = None


@dataclass
class Result:
    name: str
    description: str
    requests: int
    seconds: float
    requests_per_second: float
    p50_ms: float
    p90_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    mean_ms: float
    non2xx: int
    statuses: dict[str, int]
    socket_errors: int
    timeouts: int
    ratio_to_floor: float | None = None
    target: str = ""
    target_met: bool | None = None
    profile: list[dict[str, Any]] = field(default_factory=list)
    # How long the server stayed busy after wrk stopped (requests still in flight).
    settle_seconds: float = 0.0
    # The server's memory once this endpoint's load has settled: which load makes it grow.
    rss_mb_after: float = 0.0
    rss_file_backed_mb_after: float = 0.0


# --- processes --------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class Server:
    """A uvicorn process on 127.0.0.1; stopped on exit whatever happens."""

    def __init__(
        self, name: str, args: list[str], env: dict[str, str], log: Path, loop: str = "auto"
    ) -> None:
        self.name = name
        self.port = free_port()
        self.log_path = log
        self.args = [
            sys.executable, "-m", "uvicorn", *args, "--host", HOST, "--port", str(self.port),
            "--workers", "1", "--log-level", "warning", "--no-access-log", "--loop", loop,
        ]  # fmt: skip
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, ready_path: str, timeout: float = 90.0) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
            self.args, env=self.env, stdout=log, stderr=subprocess.STDOUT, cwd=PROJECT_ROOT
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with {self.process.returncode}; see {self.log_path}"
                )
            try:
                with urllib.request.urlopen(self.url + ready_path, timeout=5) as response:  # noqa: S310 - loopback
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not answer {ready_path} within {timeout:.0f} s")

    def rss_mb(self) -> float:
        return self._memory_mb("rss")

    def file_backed_mb(self) -> float:
        """The part of RSS that maps files (the search index, libraries): page cache the
        kernel can drop, unlike the process's own (anonymous) memory."""
        return self._memory_mb("shared")

    def _memory_mb(self, field: str) -> float:
        if self.process is None or self.process.poll() is not None:
            return 0.0
        proc = psutil.Process(self.process.pid)
        total = sum(getattr(p.memory_info(), field) for p in [proc, *proc.children(recursive=True)])
        return round(total / 2**20, 1)

    def settle(self, timeout: float = 120.0) -> float:
        """Waits until the server is idle (below 10 % CPU over half a second), so requests
        left over from one endpoint's load do not spill into the next; returns the wait."""
        if self.process is None or self.process.poll() is not None:
            return 0.0
        proc = psutil.Process(self.process.pid)
        started = time.monotonic()
        proc.cpu_percent(None)
        while time.monotonic() - started < timeout:
            time.sleep(0.5)
            if proc.cpu_percent(None) < 10:
                break
        return round(time.monotonic() - started, 1)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: installing the Debian package …")
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=False)  # noqa: S607
        found = shutil.which("wrk")
        if found:
            return found
    raise SystemExit("wrk is needed: apt-get install wrk (Debian/Ubuntu)")


# --- load -------------------------------------------------------------------------------------


def run_wrk(
    wrk: str,
    url: str,
    lines_file: Path,
    tokens_file: Path | None,
    mode: str,
    seconds: float,
    connections: int,
    threads: int,
) -> dict[str, Any]:
    command = [
        wrk, "-t", str(threads), "-c", str(connections), "-d", f"{max(1, round(seconds))}s",
        "--timeout", "10s", "-s", str(LUA_SCRIPT), url, "--",
        str(lines_file), str(tokens_file) if tokens_file else "-", mode,
    ]  # fmt: skip
    done = subprocess.run(  # noqa: S603 - wrk against loopback, bounded by -d
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    for line in done.stdout.splitlines():
        if line.startswith("WRKJSON "):
            data: dict[str, Any] = json.loads(line.removeprefix("WRKJSON "))
            return data
    raise RuntimeError(f"wrk gave no result:\n{done.stdout}\n{done.stderr}")


def to_result(endpoint: Endpoint, data: dict[str, Any]) -> Result:
    seconds = data["duration_us"] / 1e6
    latency = data["latency_us"]
    return Result(
        name=endpoint.name,
        description=endpoint.description,
        requests=data["requests"],
        seconds=round(seconds, 2),
        requests_per_second=round(data["requests"] / seconds, 1) if seconds else 0.0,
        p50_ms=latency["p50"] / 1000,
        p90_ms=latency["p90"] / 1000,
        p95_ms=latency["p95"] / 1000,
        p99_ms=latency["p99"] / 1000,
        max_ms=latency["max"] / 1000,
        mean_ms=round(latency["mean"] / 1000, 2),
        non2xx=data["non2xx"],
        statuses=data["statuses"],
        socket_errors=data["connect_errors"] + data["read_errors"] + data["write_errors"],
        timeouts=data["timeouts"],
    )


def profile_during(pid: int, seconds: float, out: Path) -> subprocess.Popen[bytes] | None:
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        print("py-spy not found (pip install py-spy): no profile")
        return None
    return subprocess.Popen(  # noqa: S603 - py-spy on our own server process
        [spy, "record", "-d", str(max(1, round(seconds))), "-p", str(pid), "-f", "raw", "-o",
         str(out), "--nonblocking"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def finish_profile(spy: subprocess.Popen[bytes]) -> None:
    """py-spy stops by itself after -d seconds; if it hangs, SIGINT makes it write what it
    has, and a kill ends it: profiling never breaks a run."""
    try:
        spy.wait(timeout=30)
        return
    except subprocess.TimeoutExpired:
        spy.send_signal(signal.SIGINT)
    try:
        spy.wait(timeout=15)
    except subprocess.TimeoutExpired:
        spy.kill()
        spy.wait(timeout=5)


GENERIC_FRAMES = (
    "<frozen runpy>", "click/", "uvicorn/", "asyncio/", "threading.py", "<module>",
    "litestar/middleware/", "litestar/_asgi/", "proxy_headers.py", "selectors.py",
)  # fmt: skip


def top_frames(collapsed: Path, limit: int = 12) -> list[dict[str, Any]]:
    """From py-spy's collapsed stacks: the frames with the most samples on top of the stack
    (self) and, leaving out the server's and the framework's plumbing, on the stack at all
    (inclusive), as a share of all samples."""
    inclusive: collections.Counter[str] = collections.Counter()
    own: collections.Counter[str] = collections.Counter()
    total = 0
    for line in collapsed.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = stack.split(";")
        for frame in set(frames):
            inclusive[frame] += count
        own[frames[-1]] += count
    if not total:
        return []

    def row(kind: str, frame: str) -> dict[str, Any]:
        return {
            "kind": kind,
            "frame": frame,
            "inclusive_pct": round(100 * inclusive[frame] / total, 1),
            "self_pct": round(100 * own[frame] / total, 1),
        }

    by_self = [row("self", f) for f, _ in own.most_common(limit)]
    by_inclusive = [
        row("inclusive", f)
        for f, _ in inclusive.most_common()
        if not any(g in f for g in GENERIC_FRAMES)
    ][:limit]
    return by_self + by_inclusive


# --- preparation: ids, cursors and tokens -----------------------------------------------------


@contextlib.asynccontextmanager
async def connected(database_url: str, var_dir: Path | None = None) -> AsyncIterator[Settings]:
    """The project's database layer on `database_url` (no pooled connections) while open."""
    from fachaustausch import piccolo_app  # noqa: F401 - routes every table to the current one
    from fachaustausch.database import Database, use

    extra = {"var_dir": var_dir} if var_dir is not None else {}
    settings = Settings(database_url=database_url, database_pool_size=0, **extra)
    with use(Database.from_settings(settings)):
        yield settings


async def sample_database(database_url: str, secret_key: str) -> dict[str, Any]:
    """Ids and filters worth loading, read from the benchmark database before the run."""
    from fachaustausch.http.pagination import CursorCodec
    from fachaustausch.questions.tables import Question

    async with connected(database_url):
        total = await Question.count().run()
        if total == 0:
            raise SystemExit("the database holds no questions: run benchmarks/generate.py first")

        async def ids(sql: str) -> list[int]:
            return [int(r["id"]) for r in await Question.raw(sql).run()]

        detail = await ids(
            "SELECT id FROM question WHERE answer_count BETWEEN 5 AND 20 AND hidden = false "
            "ORDER BY random() LIMIT 500"
        )
        # Not written by the signed-in benchmark accounts (earlier runs' posts): nobody may
        # vote on their own post, and such votes would be refused.
        writable = await ids(
            "SELECT id FROM question WHERE hidden = false AND locked = false "
            "AND closed_reason = '' AND author NOT IN (SELECT id FROM app_user "
            "WHERE email LIKE 'benchmark-%@benchmark-abh.de') ORDER BY random() LIMIT 2000"
        )
        answers = await ids(
            "SELECT a.id AS id FROM answer a JOIN question q ON q.id = a.question "
            "WHERE a.hidden = false AND q.hidden = false AND q.locked = false "
            "AND q.closed_reason = '' AND a.author NOT IN (SELECT id FROM app_user "
            "WHERE email LIKE 'benchmark-%@benchmark-abh.de') ORDER BY random() LIMIT 1000"
        )
        pairs = [
            (r["cornerstone"], r["instrument"])
            for r in await Question.raw(
                "SELECT c.slug AS cornerstone, i.slug AS instrument FROM instrument i "
                "JOIN cornerstone c ON c.id = i.cornerstone ORDER BY i.id"
            ).run()
        ]
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
                cursors.append(
                    codec.encode(
                        {"sort": "newest", "value": row["created_at"].isoformat(), "id": row["id"]}
                    )
                )
    if not detail:
        raise SystemExit("no question with 5–20 answers: is this a generate.py database?")
    return {
        "questions": total,
        "detail_ids": detail,
        "writable_ids": writable,
        "answer_ids": answers,
        "pairs": pairs,
        "cursors": cursors,
    }


async def ensure_search_index(database_url: str, var_dir: Path) -> None:
    """Rebuilds an embedded index an earlier version wrote (another schema) before the run:
    the server would otherwise rebuild it as it starts, under the load."""
    from fachaustausch.search.factory import create_backend
    from fachaustausch.search.worker import reindex

    async with connected(database_url, var_dir) as settings:
        if settings.search_backend is not SearchBackendName.embedded:
            return
        backend = create_backend(settings)
        try:
            await backend.configure()
            if backend.rebuild_needed:
                print("search index of an earlier version: rebuilding it before the run")
                await reindex(backend)
        finally:
            await backend.close()


def create_tokens(base_url: str, count: int) -> list[tuple[str, str]]:
    """Signs in benchmark accounts over the API; returns (token, token id) pairs."""
    tokens = []
    for n in range(1, count + 1):
        with httpx.Client(base_url=base_url, timeout=30) as client:
            email = f"benchmark-{n}@benchmark-abh.de"
            response = client.post(
                "/api/v1/auth/login", json={"email": email, "password": BENCH_PASSWORD}
            )
            if response.status_code != 200:
                raise RuntimeError(
                    f"login of {email} failed: {response.status_code} {response.text}"
                )
            client.get("/api/v1/me")  # a safe request sets the CSRF cookie
            csrf = client.cookies.get("csrftoken") or ""
            created = client.post(
                "/api/v1/tokens/",
                json={"name": f"benchmark {datetime.now(UTC):%Y-%m-%d %H:%M}"},
                headers={"x-csrftoken": csrf},
            )
            if created.status_code not in (200, 201):
                raise RuntimeError(f"token for {email}: {created.status_code} {created.text}")
            body = created.json()
            tokens.append((body["token"], str(body["id"])))
    return tokens


def revoke_tokens(base_url: str, tokens: list[tuple[str, str]]) -> None:
    for token, token_id in tokens:
        with contextlib.suppress(httpx.HTTPError):
            httpx.delete(
                f"{base_url}/api/v1/tokens/{token_id}",
                headers={"authorization": f"Bearer {token}"},
                timeout=10,
            )


def write_lines(sample: dict[str, Any], rng: random.Random) -> list[str]:
    """The write mix: 45 % question votes, 15 % answer votes, 25 % answers, 15 % questions."""
    text = TextGenerator(random.Random(rng.random()))
    lines = []
    for _ in range(3000):
        roll = rng.random()
        value = rng.choice([1, -1])
        if roll < 0.45:
            qid = rng.choice(sample["writable_ids"])
            lines.append(f'POST /api/v1/questions/{qid}/vote {{"value": {value}}}')
        elif roll < 0.60 and sample["answer_ids"]:
            aid = rng.choice(sample["answer_ids"])
            lines.append(f'POST /api/v1/answers/{aid}/vote {{"value": {value}}}')
        elif roll < 0.85:
            qid = rng.choice(sample["writable_ids"])
            body = json.dumps({"body": text.answer_body(text.topic())}, ensure_ascii=False)
            lines.append(f"POST /api/v1/questions/{qid}/answers {body}")
        else:
            cornerstone, instrument = rng.choice(sample["pairs"])
            topic = text.topic()
            body = json.dumps(
                {
                    "title": text.title(topic),
                    "body": text.question_body(topic),
                    "cornerstone": cornerstone,
                    "instruments": [instrument],
                },
                ensure_ascii=False,
            )
            lines.append(f"POST /api/v1/questions {body}")
    return lines


def unique_searches(rng: random.Random) -> tuple[list[str], list[str]]:
    """Searches for what a search costs when nothing is cached: a topic and a word of a
    problem, document or measure, in every combination, shuffled; one half for the load,
    the other for its warm-up, so no query of the load ran before. Each wrk thread starts
    at its own place in the list, and at the uncached rates measured (under 100 req/s)
    none comes round to a query another one sent."""
    phrases = PROBLEMS + DOCUMENTS + MEASURES
    words = sorted({w for phrase in phrases for w in phrase.split() if len(w) > 4})
    queries = sorted({f"{topic} {word}" for topic in TOPICS for word in words})
    rng.shuffle(queries)
    paths = [f"/api/v1/search?q={quote(q)}" for q in queries]
    half = len(paths) // 2
    return paths[:half], paths[half:]


def endpoints(sample: dict[str, Any], rng: random.Random) -> list[Endpoint]:
    pairs = sample["pairs"]
    detail = sample["detail_ids"]
    statuses = ["solved", "answered", "open"]
    unique = unique_searches(rng)
    search_filtered = []
    for word in SEARCH_WORDS:
        cornerstone, instrument = rng.choice(pairs)
        q = quote(word)
        search_filtered.append(f"/api/v1/search?q={q}&cornerstone={cornerstone}")
        search_filtered.append(
            f"/api/v1/search?q={q}&type=question&instrument={instrument}"
            f"&status={rng.choice(statuses)}"
        )
    return [
        Endpoint("floor", "minimal Litestar app, GET / (JSON)", ["/"], server="floor",
                 authenticated=False),
        Endpoint("health", "GET /health (database + search state)", ["/health"],
                 authenticated=False),
        Endpoint("questions_list", "GET /api/v1/questions (newest, 20 items)",
                 ["/api/v1/questions"]),
        Endpoint("questions_filtered", "GET /api/v1/questions?cornerstone=…&instrument=…",
                 [f"/api/v1/questions?cornerstone={c}&instrument={i}" for c, i in pairs]),
        Endpoint("questions_deep_cursor", "GET /api/v1/questions?cursor=… (20–90 % deep)",
                 [f"/api/v1/questions?cursor={c}" for c in sample["cursors"]]),
        Endpoint("question_detail", "GET /api/v1/questions/{id} (5–20 answers)",
                 [f"/api/v1/questions/{i}" for i in detail]),
        Endpoint("search", "GET /api/v1/search?q=…",
                 [f"/api/v1/search?q={quote(w)}" for w in SEARCH_WORDS]),
        Endpoint("search_filtered", "GET /api/v1/search?q=…&cornerstone|instrument|status=…",
                 search_filtered),
        Endpoint("search_unique", "GET /api/v1/search?q=… (each query once: no cache hits)",
                 unique[0], warmup_lines=unique[1]),
        Endpoint("question_page", "GET /fragen/{id} (HTML, 5–20 answers)",
                 [f"/fragen/{i}" for i in detail]),
        Endpoint("write_mix", "POST vote 60 % / answer 25 % / ask 15 % (API, token)",
                 write_lines(sample, rng), mode="write"),
    ]  # fmt: skip


# --- report -----------------------------------------------------------------------------------


def judge(result: Result, locked: int) -> None:
    result.target = TARGETS.get(result.name, "")
    if not result.target:
        return
    ok = result.non2xx == 0 and result.socket_errors == 0 and result.timeouts == 0
    if result.name.startswith("question") and result.name != "question_page":
        ok = ok and (result.ratio_to_floor or 0) >= 0.25 and result.p99_ms <= 50
    elif result.name == "question_page":
        ok = ok and result.p99_ms <= 60
    elif result.name.startswith("search"):
        ok = ok and result.p95_ms <= 30
    elif result.name == "write_mix":
        ok = ok and result.p99_ms <= 150 and locked == 0
    result.target_met = ok


def file_backed_note(run: dict[str, Any]) -> str:
    file_backed = run.get("server_rss_file_backed_mb_after")  # absent in older results
    if file_backed is None:
        return ""
    own = round(run["server_rss_mb_after"] - file_backed, 1)
    return f"; of it {file_backed} MB mapped files such as the search index, {own} MB its own"


def _read_cache(run: dict[str, Any]) -> str:
    entries = run.get("read_cache_entries")
    if entries is None:
        return "read cache as configured by default"
    return "read cache off" if entries == 0 else f"read cache {entries} entries"


def markdown(run: dict[str, Any]) -> str:
    rows = [
        f"# Benchmark {run['engine']} – {run['started_at']}",
        "",
        f"{run['questions']} questions; {run['connections']} connections, {run['threads']} wrk "
        f"threads, {run['duration']} s per endpoint (after {run['warmup']} s warm-up); "
        f"uvicorn, one worker (event loop: platform "
        f"`{run.get('platform_loop', 'auto')}`, floor `auto`); "
        f"{_read_cache(run)}; "
        f"search backend `{run['search_backend']}`; "
        f"{run['cpu_count']} CPUs, load average before the run {run['load_before']}.",
        "",
        "| endpoint | req/s | p50 ms | p95 ms | p99 ms | non-2xx | socket err. "
        "| % of floor | target | met |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | :---: |",
    ]
    for r in run["results"]:
        ratio = f"{100 * r['ratio_to_floor']:.1f} %" if r["ratio_to_floor"] is not None else "–"
        met = {True: "yes", False: "**no**", None: ""}[r["target_met"]]
        errors = r["socket_errors"] + r["timeouts"]
        if r["requests"]:
            latencies = f"{r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f}"
        else:
            latencies = "none done | – | –"  # no request finished within the load time
        rows.append(
            f"| {r['name']} | {r['requests_per_second']:.0f} | {latencies} | {r['non2xx']} | "
            f"{errors} | {ratio} | {r['target']} | {met} |"
        )
    rss_ok = "yes" if run["server_rss_mb_after"] <= RSS_TARGET_MB else "**no**"
    rows += [
        "",
        f"- server RSS: {run['server_rss_mb_start']} MB after start, "
        f"{run['server_rss_mb_after']} MB after the run (target ≤ {RSS_TARGET_MB} MB: {rss_ok}"
        f"{file_backed_note(run)}); floor app {run['floor_rss_mb']} MB",
        f"- 'database is locked' in the server log: {run['database_locked']}; "
        f"tracebacks: {run['tracebacks']}",
    ]
    grown = [
        f"{r['name']} {r['rss_mb_after']}"
        for r in run["results"]
        if r.get("rss_mb_after")  # absent in older results
    ]
    if grown:
        rows.append(f"- server RSS (MB) after each endpoint: {', '.join(grown)}")
    busy = {r["name"]: r["settle_seconds"] for r in run["results"] if r["settle_seconds"] > 1}
    if busy:
        rows.append(f"- server still busy after wrk stopped (s, requests in flight): {busy}")
    statuses = {r["name"]: r["statuses"] for r in run["results"] if r["statuses"]}
    if statuses:
        rows.append(f"- non-2xx by status: {json.dumps(statuses)}")
    for r in run["results"]:
        if r["profile"]:
            for kind in ("self", "inclusive"):
                rows += ["", f"## py-spy, {r['name']}: top frames by {kind} % of samples", ""]
                rows += [
                    f"- {p[kind + '_pct']} % (self {p['self_pct']} %, inclusive "
                    f"{p['inclusive_pct']} %) `{p['frame']}`"
                    for p in r["profile"]
                    if p["kind"] == kind
                ]
    return "\n".join(rows) + "\n"


def chart(run: dict[str, Any], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results = run["results"]
    names = [r["name"] for r in results]
    fig, ax = plt.subplots(figsize=(11, 5.5))
    width = 0.27
    for k, (key, label) in enumerate([("p50_ms", "p50"), ("p95_ms", "p95"), ("p99_ms", "p99")]):
        ax.bar(
            [i + (k - 1) * width for i in range(len(names))],
            [r[key] if r["requests"] else 0 for r in results],
            width,
            label=label,
        )
    ax.set_yscale("log")
    ax.set_ylabel("latency (ms, log scale)")
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=30, ha="right")
    for i, r in enumerate(results):
        ax.annotate(
            f"{r['requests_per_second']:.0f}/s" if r["requests"] else "none\ndone",
            (i, r["p99_ms"] if r["requests"] else 0.1),
            textcoords="offset points",
            xytext=(0, 4),
            ha="center",
            fontsize=8,
        )
    ax.set_title(
        f"{run['engine']}: latency per endpoint, {run['connections']} connections "
        f"({run['started_at']})"
    )
    ax.legend()
    ax.grid(axis="y", which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)


# --- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--database-url", required="--render" not in (argv or sys.argv))
    p.add_argument("--var-dir", help="the generate.py var dir (default var/bench/<engine>)")
    p.add_argument("--duration", type=float, default=15.0, help="seconds per endpoint")
    p.add_argument("--warmup", type=float, default=2.0, help="warm-up seconds per endpoint")
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--threads", type=int, default=2, help="wrk threads")
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
    p.add_argument("--only", help="comma-separated endpoint names (the floor always runs)")
    p.add_argument("--profile", default="", help="comma-separated endpoints to py-spy")
    p.add_argument("--render", metavar="JSON", help="only rewrite .md and .png of a result")
    args = p.parse_args(argv)
    if args.render:
        source = Path(args.render)
        saved = json.loads(source.read_text(encoding="utf-8"))
        source.with_suffix(".md").write_text(markdown(saved), encoding="utf-8")
        chart(saved, source.with_suffix(".png"))
        return

    engine = "postgres" if args.database_url.startswith("postgres") else "sqlite"
    var_dir = Path(args.var_dir).resolve() if args.var_dir else default_var_dir(args.database_url)
    if not (var_dir / "search").exists():
        print(f"note: no search index under {var_dir / 'search'} (run generate.py without "
              "--skip-index); search will start empty")  # fmt: skip
    wrk = ensure_wrk()
    started_at = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    secret_key = secrets.token_urlsafe(48)
    rng = random.Random(20151130)
    sample = asyncio.run(sample_database(args.database_url, secret_key))
    all_endpoints = endpoints(sample, rng)
    if args.only:
        wanted = {"floor", *args.only.split(",")}
        all_endpoints = [e for e in all_endpoints if e.name in wanted]
    profiled = {n for n in args.profile.split(",") if n}

    work = var_dir / "bench-run"
    work.mkdir(parents=True, exist_ok=True)
    base_env = {k: v for k, v in os.environ.items() if not k.startswith("FACHAUSTAUSCH_")}
    base_env["FACHAUSTAUSCH_SEARCH_BACKEND"] = os.environ.get(
        "FACHAUSTAUSCH_SEARCH_BACKEND", "embedded"
    )
    floor = Server(
        "floor app", ["--app-dir", str(BENCH_DIR), "floor_app:app"], base_env,
        work / "floor.log",
    )  # fmt: skip
    platform_env = {
        **base_env,
        "FACHAUSTAUSCH_ENVIRONMENT": "production",
        "FACHAUSTAUSCH_SECRET_KEY": secret_key,
        "FACHAUSTAUSCH_DATABASE_URL": args.database_url,
        "FACHAUSTAUSCH_VAR_DIR": str(var_dir),
        "FACHAUSTAUSCH_SEARCH_WORKER_ENABLED": "true",
    }
    if args.read_cache_entries is not None:
        platform_env["FACHAUSTAUSCH_READ_CACHE_ENTRIES"] = str(args.read_cache_entries)
    # As `fachaustausch serve` caps them before the server's threads start; glibc reads the
    # variable as the process starts (an operator's own MALLOC_ARENA_MAX is kept).
    arenas = Settings.model_fields["malloc_arena_max"].default
    platform_env.setdefault("MALLOC_ARENA_MAX", str(arenas))
    platform = Server(
        "platform", ["--factory", "fachaustausch.app:create_app"], platform_env,
        work / "server.log", loop=args.loop,
    )  # fmt: skip
    platform.env["FACHAUSTAUSCH_BASE_URL"] = platform.url

    migrate = subprocess.run(
        [sys.executable, "-m", "fachaustausch.cli", "migrate"],
        env=platform_env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if migrate.returncode:
        raise SystemExit(f"migrate failed:\n{migrate.stdout}{migrate.stderr}")
    if (var_dir / "search").exists():
        asyncio.run(ensure_search_index(args.database_url, var_dir))

    results: list[Result] = []
    tokens: list[tuple[str, str]] = []
    spies: list[subprocess.Popen[bytes]] = []
    run: dict[str, Any] = {}
    load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    tokens_file = work / "tokens.txt"
    try:
        floor.start("/")
        floor_endpoint = all_endpoints[0]
        lines_file = work / "floor.txt"
        lines_file.write_text("/\n")
        print(f"floor app on {floor.url}")
        run_wrk(wrk, floor.url, lines_file, None, "get", args.warmup, args.connections,
                args.threads)  # fmt: skip
        floor_result = to_result(
            floor_endpoint,
            run_wrk(wrk, floor.url, lines_file, None, "get", args.duration, args.connections,
                    args.threads),
        )  # fmt: skip
        floor_rss = floor.rss_mb()
        floor.stop()
        results.append(floor_result)
        print(f"  floor: {floor_result.requests_per_second:.0f} req/s, "
              f"p99 {floor_result.p99_ms:.1f} ms")  # fmt: skip

        platform.start("/health")
        print(
            f"platform ({engine}) on {platform.url}, pid "
            f"{platform.process.pid if platform.process else '?'}"
        )
        rss_start = platform.rss_mb()
        tokens = create_tokens(platform.url, min(TOKENS, BENCH_USERS))
        tokens_file.write_text("\n".join(t for t, _ in tokens) + "\n")
        platform.settle()
        for endpoint in all_endpoints[1:]:
            lines_file = work / f"{endpoint.name}.txt"
            lines_file.write_text("\n".join(endpoint.lines) + "\n", encoding="utf-8")
            token_arg = tokens_file if endpoint.authenticated else None
            if args.warmup > 0:
                warmup_file = lines_file
                if endpoint.warmup_lines is not None:
                    warmup_file = work / f"{endpoint.name}-warmup.txt"
                    warmup_file.write_text("\n".join(endpoint.warmup_lines) + "\n", "utf-8")
                run_wrk(wrk, platform.url, warmup_file, token_arg, endpoint.mode, args.warmup,
                        args.connections, args.threads)  # fmt: skip
            spy = None
            raw = work / f"profile-{endpoint.name}.txt"
            if endpoint.name in profiled and platform.process:
                spy = profile_during(platform.process.pid, args.duration, raw)
                if spy is not None:
                    spies.append(spy)
            data = run_wrk(wrk, platform.url, lines_file, token_arg, endpoint.mode,
                           args.duration, args.connections, args.threads)  # fmt: skip
            result = to_result(endpoint, data)
            if spy is not None:
                finish_profile(spy)
                if raw.exists():
                    result.profile = top_frames(raw)
            result.ratio_to_floor = round(
                result.requests_per_second / floor_result.requests_per_second, 4
            )
            results.append(result)
            print(f"  {endpoint.name}: {result.requests_per_second:.0f} req/s, "
                  f"p50 {result.p50_ms:.1f} / p95 {result.p95_ms:.1f} / p99 {result.p99_ms:.1f} ms,"
                  f" non-2xx {result.non2xx}, socket errors {result.socket_errors}, "
                  f"timeouts {result.timeouts}")  # fmt: skip
            waited = platform.settle()
            if waited > 1:
                print(f"    (server busy with left-over requests for {waited} s after the load)")
            result.settle_seconds = waited
            result.rss_mb_after = platform.rss_mb()
            result.rss_file_backed_mb_after = platform.file_backed_mb()
            print(f"    server RSS {result.rss_mb_after} MB "
                  f"(mapped files {result.rss_file_backed_mb_after} MB)")  # fmt: skip
        rss_after = platform.rss_mb()
        file_backed_after = platform.file_backed_mb()
    finally:
        if tokens and platform.process and platform.process.poll() is None:
            revoke_tokens(platform.url, tokens)
        for spy in spies:
            if spy.poll() is None:
                spy.kill()
        floor.stop()
        platform.stop()
        tokens_file.unlink(missing_ok=True)

    log_text = platform.log_path.read_text(encoding="utf-8", errors="replace")
    locked = log_text.count("database is locked")
    for r in results:
        judge(r, locked)
    run = {
        "engine": engine,
        "database_url": args.database_url,
        "started_at": started_at,
        "questions": sample["questions"],
        "duration": args.duration,
        "warmup": args.warmup,
        "connections": args.connections,
        "threads": args.threads,
        "search_backend": base_env["FACHAUSTAUSCH_SEARCH_BACKEND"],
        "platform_loop": args.loop,
        "read_cache_entries": args.read_cache_entries,
        "cpu_count": os.cpu_count(),
        "load_before": load_before,
        "load_after": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
        "server_rss_mb_start": rss_start,
        "server_rss_mb_after": rss_after,
        "server_rss_file_backed_mb_after": file_backed_after,
        "rss_target_met": rss_after <= RSS_TARGET_MB,
        "floor_rss_mb": floor_rss,
        "database_locked": locked,
        "tracebacks": log_text.count("Traceback"),
        "server_log": str(platform.log_path),
        "results": [asdict(r) for r in results],
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stem = RESULTS_DIR / f"{engine}-{started_at}"
    stem.with_suffix(".json").write_text(
        json.dumps(run, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    stem.with_suffix(".md").write_text(markdown(run), encoding="utf-8")
    chart(run, stem.with_suffix(".png"))
    print(markdown(run))
    print(f"written: {stem.relative_to(PROJECT_ROOT)}.json / .md / .png")


if __name__ == "__main__":
    main()
