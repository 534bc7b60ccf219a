"""A py-spy profile of the server while one endpoint is loaded, and its top entries.

py-spy writes speedscope JSON (open it at https://www.speedscope.app or with the
`speedscope` command); the entries are functions, by the share of samples in which they
ran themselves (self) or were on the stack at all (inclusive, leaving out the server's
and the framework's plumbing, which is on every stack), among the samples in which the
server was busy."""

from __future__ import annotations

import collections
import json
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

TOP = 20
PLUMBING = (
    "<frozen runpy>", "click/", "uvicorn/", "asyncio/", "threading.py", "<module>",
    "litestar/middleware/", "litestar/_asgi/", "litestar/app.py", "litestar/routes/",
    "proxy_headers.py", "selectors.py", "multiprocessing/", "(cli.py", "concurrent/futures/",
    "queue.py", "anyio/_backends/",
)  # fmt: skip
# A sample whose running function is one of these is a thread waiting for work (the
# event loop for the network, a pool thread for a task): not counted.
IDLE = ("wait (threading.py", "select (selectors.py", "get (queue.py")


def start(
    pid: int, seconds: float, out: Path, subprocesses: bool
) -> subprocess.Popen[bytes] | None:
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        print("py-spy not found (pip install -r benchmarks/requirements.txt): no profile")
        return None
    command = [
        spy, "record", "-d", str(max(1, round(seconds))), "-p", str(pid), "-f", "speedscope",
        "--function", "--nonblocking", "-o", str(out),
    ]  # fmt: skip
    if subprocesses:
        command.append("--subprocesses")
    with out.with_suffix(".log").open("wb") as log:
        return subprocess.Popen(  # noqa: S603 - py-spy on our own server process
            command, stdout=subprocess.DEVNULL, stderr=log
        )


def finish(spy: subprocess.Popen[bytes]) -> None:
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


def _frame_name(frame: dict[str, Any]) -> str:
    file = re.sub(r"^.*/lib/python3\.\d+/", "", str(frame.get("file", "")))
    for marker, keep in (("site-packages/", ""), ("/platform/", ""), ("/frontend/", "frontend/")):
        if marker in file:
            file = keep + file.split(marker, 1)[1]
            break
    line = frame.get("line")
    return f"{frame.get('name', '?')} ({file}{':' + str(line) if line else ''})"


def top_entries(speedscope: Path, limit: int = TOP) -> list[dict[str, Any]]:
    """The `limit` functions with the most samples by self and by inclusive share."""
    data = json.loads(speedscope.read_text(encoding="utf-8"))
    names = [_frame_name(f) for f in data["shared"]["frames"]]
    own: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    total = idle = 0.0
    for profile in data["profiles"]:
        weights = profile.get("weights") or [1] * len(profile.get("samples", []))
        for stack, weight in zip(profile.get("samples", []), weights, strict=False):
            if not stack:
                continue
            if any(names[stack[-1]].startswith(i) or i in names[stack[-1]] for i in IDLE):
                idle += weight
                continue
            total += weight
            # Stacks run from the root to the running function.
            own[names[stack[-1]]] += weight
            for name in {names[i] for i in stack}:
                inclusive[name] += weight
    if not total:
        return []

    def row(kind: str, name: str) -> dict[str, Any]:
        return {
            "kind": kind,
            "idle_pct": round(100 * idle / (idle + total), 1),
            "frame": name,
            "self_pct": round(100 * own[name] / total, 1),
            "inclusive_pct": round(100 * inclusive[name] / total, 1),
        }

    by_self = [row("self", name) for name, _ in own.most_common(limit)]
    by_inclusive = [
        row("inclusive", name)
        for name, _ in inclusive.most_common()
        if not name.startswith("process ") and not any(p in name for p in PLUMBING)
    ][:limit]
    return by_self + by_inclusive


def format_entries(endpoint: str, entries: list[dict[str, Any]]) -> list[str]:
    out = []
    idle = entries[0].get("idle_pct") if entries else None
    waiting = f" (leaving out the {idle} % spent waiting for work)" if idle is not None else ""
    for kind in ("self", "inclusive"):
        out += ["", f"py-spy, {endpoint}: top {TOP} by {kind} % of busy samples{waiting}", ""]
        out += [
            f"- {e[kind + '_pct']} % (self {e['self_pct']} %, inclusive {e['inclusive_pct']} %)"
            f" `{e['frame']}`"
            for e in entries
            if e["kind"] == kind
        ]
    return out
