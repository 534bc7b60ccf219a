"""Runs wrk with wrk/load.lua for one endpoint and turns its report into a Result."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchkit.endpoints import Endpoint, Kind
from benchkit.fixtures import BENCH_DIR

LUA_SCRIPT = BENCH_DIR / "wrk" / "load.lua"


@dataclass
class KindResult:
    name: str
    pick: str
    lines: int
    requests: int
    share: float  # of the endpoint's requests
    non2xx: int
    statuses: dict[str, int]
    # unique: lines sent once (and how many went round again); zipf: lines drawn at all
    distinct: int
    repeats: int
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None


@dataclass
class Result:
    name: str
    description: str
    auth: str
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
    kinds: list[KindResult] = field(default_factory=list)
    ratio_to_floor: float | None = None
    # Cookie rows: the token twin's requests/s over this row's, i.e. the cookie's cost in
    # units of the token's.
    cookie_cost_ratio: float | None = None
    targets: list[dict[str, Any]] = field(default_factory=list)
    target_met: bool | None = None
    profile: list[dict[str, Any]] = field(default_factory=list)
    # How long the server stayed busy after wrk stopped (requests still in flight).
    settle_seconds: float = 0.0
    # The server's memory once this endpoint's load has settled: which load makes it grow.
    rss_mb_after: float = 0.0
    rss_per_worker_mb_after: list[float] = field(default_factory=list)
    rss_file_backed_mb_after: float = 0.0


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


@dataclass
class Load:
    """How wrk loads: binary, connections, threads, the credentials of each kind of auth,
    the files' directory, the Zipf exponent and the random seed."""

    wrk: str
    connections: int
    threads: int
    work: Path
    credentials: dict[str, Path]
    zipf_exponent: float
    seed: int

    def _kind_spec(self, endpoint: Endpoint, kind: Kind, warmup: bool) -> str:
        lines = kind.warmup_lines if warmup and kind.warmup_lines is not None else kind.lines
        suffix = "-warmup" if warmup and kind.warmup_lines is not None else ""
        path = self.work / f"{endpoint.name}-{kind.name}{suffix}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return f"{kind.name}|{kind.weight:g}|{kind.pick}|{kind.method}|{path}"

    def run(self, url: str, endpoint: Endpoint, seconds: float, warmup: bool = False) -> Result:
        # A journey runs one connection per thread, so that each response belongs to the
        # request its thread sent last and the latency is known per kind.
        threads = self.connections if endpoint.journey else self.threads
        creds = self.credentials.get(endpoint.auth)
        command = [
            self.wrk, "-t", str(threads), "-c", str(self.connections),
            "-d", f"{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(LUA_SCRIPT), url,
            "--", f"auth={endpoint.auth}", f"creds={creds or '-'}", f"threads={threads}",
            f"zipf={self.zipf_exponent}", f"seed={self.seed}",
            f"timing={1 if endpoint.journey else 0}",
            *(self._kind_spec(endpoint, kind, warmup) for kind in endpoint.kinds),
        ]  # fmt: skip
        done = subprocess.run(  # noqa: S603 - wrk against loopback, bounded by -d
            command, capture_output=True, text=True, timeout=seconds + 90, check=False
        )
        for line in done.stdout.splitlines():
            if line.startswith("WRKJSON "):
                return to_result(endpoint, json.loads(line.removeprefix("WRKJSON ")))
        raise RuntimeError(f"wrk gave no result:\n{done.stdout}\n{done.stderr}")


def _ms(us: float) -> float:
    return round(us / 1000, 2)


def to_result(endpoint: Endpoint, data: dict[str, Any]) -> Result:
    seconds = data["duration_us"] / 1e6
    latency = data["latency_us"]
    kinds = []
    total = max(1, data["requests"])
    non2xx = 0
    statuses: dict[str, int] = {}
    for name, k in data["kinds"].items():
        non2xx += k["non2xx"]
        for status, count in k["statuses"].items():
            statuses[status] = statuses.get(status, 0) + count
        timed = k["timed"] > 0
        kinds.append(
            KindResult(
                name=name,
                pick=k["pick"],
                lines=k["lines"],
                requests=k["requests"],
                share=round(k["requests"] / total, 3),
                non2xx=k["non2xx"],
                statuses=k["statuses"],
                distinct=k["taken"] - k["repeats"]
                if k["pick"] == "unique"
                else k["distinct_drawn"],
                repeats=k["repeats"],
                p50_ms=_ms(k["latency_us"]["p50"]) if timed else None,
                p95_ms=_ms(k["latency_us"]["p95"]) if timed else None,
                p99_ms=_ms(k["latency_us"]["p99"]) if timed else None,
            )
        )
    return Result(
        name=endpoint.name,
        description=endpoint.description,
        auth=endpoint.auth,
        requests=data["requests"],
        seconds=round(seconds, 2),
        requests_per_second=round(data["requests"] / seconds, 1) if seconds else 0.0,
        p50_ms=latency["p50"] / 1000,
        p90_ms=latency["p90"] / 1000,
        p95_ms=latency["p95"] / 1000,
        p99_ms=latency["p99"] / 1000,
        max_ms=latency["max"] / 1000,
        mean_ms=round(latency["mean"] / 1000, 2),
        non2xx=non2xx,
        statuses=statuses,
        socket_errors=data["connect_errors"] + data["read_errors"] + data["write_errors"],
        timeouts=data["timeouts"],
        kinds=kinds,
    )
