"""The run's table (Markdown) and latency chart (PNG), from the run's JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from benchkit.profiling import format_entries
from benchkit.targets import RSS_MB_PER_WORKER


def _pct(value: float | None) -> str:
    return f"{100 * value:.1f} %" if value is not None else "–"


def _targets(r: dict[str, Any]) -> tuple[str, str]:
    targets = r.get("targets") or []
    marks = {True: "met", False: "**missed**", None: "not judged"}
    text = "; ".join(f"{t['what']}: {marks[t['met']]} ({t['value']})" for t in targets)
    met = {True: "yes", False: "**no**", None: ""}[r.get("target_met")]
    return text, met


def _header(run: dict[str, Any]) -> list[str]:
    workers = run.get("workers", 1)
    return [
        f"# Benchmark {run['engine']} – {run['started_at']}",
        "",
        f"{run['questions']} questions; {run['connections']} connections, {run['threads']} wrk "
        f"threads (the journey: one per connection), {run['duration']} s per endpoint (after "
        f"{run['warmup']} s warm-up); `{run.get('server_command', 'uvicorn')}` with "
        f"{workers} worker{'s' if workers > 1 else ''} (event loop "
        f"`{run.get('platform_loop', 'asyncio')}`; the floor: uvicorn, `auto`); sessions in "
        f"{run.get('session_store', 'files')}; {_read_cache(run)}; search backend "
        f"`{run['search_backend']}`; {run['cpu_count']} CPUs, load average before the run "
        f"{run['load_before']}, after {run.get('load_after', '?')}.",
        "",
        f"Targets for {run['engine']} (issue 25); % of floor against "
        f"{run.get('floor_name', 'floor')}.",
        "",
        "| endpoint | auth | req/s | p50 ms | p95 ms | p99 ms | non-2xx | socket err. "
        "| % of floor | cookie/token cost | before: % of floor | target | met |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- "
        "| :---: |",
    ]


def _read_cache(run: dict[str, Any]) -> str:
    entries = run.get("read_cache_entries")
    if entries is None:
        return "read cache as configured by default"
    return "read cache off" if entries == 0 else f"read cache {entries} entries"


def _rows(run: dict[str, Any]) -> list[str]:
    rows = []
    before = run.get("baseline_shares") or {}
    for r in run["results"]:
        errors = r["socket_errors"] + r["timeouts"]
        if r["requests"]:
            latencies = f"{r['p50_ms']:.1f} | {r['p95_ms']:.1f} | {r['p99_ms']:.1f}"
        else:
            latencies = "none done | – | –"  # no request finished within the load time
        cost = r.get("cookie_cost_ratio")
        target, met = _targets(r)
        rows.append(
            f"| {r['name']} | {r.get('auth', '')} | {r['requests_per_second']:.0f} | {latencies} "
            f"| {r['non2xx']} | {errors} | {_pct(r['ratio_to_floor'])} "
            f"| {f'{cost:.2f}×' if cost else '–'} | {_pct(before.get(r['name']))} "
            f"| {target} | {met} |"
        )
        if len(r.get("kinds") or []) > 1:
            for k in r["kinds"]:
                rate = k["requests"] / r["seconds"] if r["seconds"] else 0
                timed = k["p50_ms"] is not None
                lat = (
                    f"{k['p50_ms']:.1f} | {k['p95_ms']:.1f} | {k['p99_ms']:.1f}"
                    if timed
                    else "– | – | –"
                )
                rows.append(
                    f"| ↳ {k['name']} ({100 * k['share']:.0f} %) | | {rate:.0f} | {lat} "
                    f"| {k['non2xx']} | | | | | | |"
                )
    return rows


def _distinct_notes(run: dict[str, Any]) -> list[str]:
    notes = []
    for r in run["results"]:
        for k in r.get("kinds") or []:
            where = r["name"] if len(r["kinds"]) == 1 else f"{r['name']} · {k['name']}"
            if k["pick"] == "unique":
                repeats = (
                    f"{k['repeats']} sent again after the list ran out"
                    if k["repeats"]
                    else "none sent twice"
                )
                notes.append(
                    f"- {where}: {k['distinct']} distinct sent of {k['lines']} prepared, {repeats}"
                )
            elif k["pick"] == "zipf":
                notes.append(
                    f"- {where}: {k['distinct']} distinct of {k['lines']} questions requested "
                    f"(Zipf exponent {run.get('zipf_exponent')}; the most popular "
                    f"{run.get('zipf_top', 256)} draw {_pct(run.get('zipf_top_share'))} of "
                    "the requests)"
                )
    return notes


def _memory_notes(run: dict[str, Any]) -> list[str]:
    per_worker = run.get("server_rss_per_worker_mb_after") or [run["server_rss_mb_after"]]
    ok = "met" if max(per_worker) <= RSS_MB_PER_WORKER else "**missed**"
    file_backed = run.get("server_rss_file_backed_mb_after")
    mapped = (
        f"; {file_backed} MB of all mapped files such as the search index" if file_backed else ""
    )
    notes = [
        f"- server RSS: {run['server_rss_mb_start']} MB after start, "
        f"{run['server_rss_mb_after']} MB after the run, per worker "
        f"{', '.join(f'{m} MB' for m in per_worker)} (target ≤ {RSS_MB_PER_WORKER} MB per "
        f"worker: {ok}{mapped}); floor app {run['floor_rss_mb']} MB",
    ]
    grown = [f"{r['name']} {r['rss_mb_after']}" for r in run["results"] if r.get("rss_mb_after")]
    if grown:
        notes.append(f"- server RSS (MB, all workers) after each endpoint: {', '.join(grown)}")
    return notes


def markdown(run: dict[str, Any]) -> str:
    rows = _header(run) + _rows(run) + [""]
    if run.get("baseline_label"):
        rows.append(f"- before: {run['baseline_label']}")
    rows += _distinct_notes(run) + _memory_notes(run)
    rows.append(
        f"- 'database is locked' in the server log: {run['database_locked']}; tracebacks: "
        f"{run['tracebacks']}; workers that died: {run.get('workers_died', 0)}"
    )
    if run.get("log_problems"):
        rows.append(f"- warnings and errors in the server log: {run['log_problems']}, e.g.:")
        rows += [f"  - `{example}`" for example in run.get("log_problem_examples", [])]
    busy = {r["name"]: r["settle_seconds"] for r in run["results"] if r["settle_seconds"] > 1}
    if busy:
        rows.append(f"- server still busy after wrk stopped (s, requests in flight): {busy}")
    statuses = {r["name"]: r["statuses"] for r in run["results"] if r["statuses"]}
    if statuses:
        rows.append(f"- non-2xx by status: {json.dumps(statuses)}")
    for r in run["results"]:
        if r.get("profile"):
            rows += [
                line.replace("py-spy,", "## py-spy,", 1)
                for line in format_entries(r["name"], r["profile"])
            ]
    return "\n".join(rows) + "\n"


def chart(run: dict[str, Any], out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    results = run["results"]
    names = [r["name"] for r in results]
    fig, ax = plt.subplots(figsize=(13, 5.5))
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
    ax.set_xticklabels(names, rotation=35, ha="right")
    for i, r in enumerate(results):
        ax.annotate(
            f"{r['requests_per_second']:.0f}/s" if r["requests"] else "none\ndone",
            (i, r["p99_ms"] if r["requests"] else 0.1),
            textcoords="offset points",
            xytext=(0, 4),
            ha="center",
            fontsize=7,
        )
    workers = run.get("workers", 1)
    ax.set_title(
        f"{run['engine']}, {workers} worker{'s' if workers > 1 else ''}: latency per endpoint, "
        f"{run['connections']} connections ({run['started_at']})"
    )
    ax.legend()
    ax.grid(axis="y", which="both", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out, dpi=110)
    plt.close(fig)
