"""The rows of the benchmark: what each loads, how it authenticates, and the journey."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from benchkit.sampling import Sample
from benchkit.searches import REPEATED_WORDS, Search, repeated_searches, unique_searches
from benchkit.writes import write_lines

# Requests of the journey by kind, in per cent: what a working day on the platform looks
# like from the server (benchmarks/README.md says why).
JOURNEY = {"list": 35, "detail": 25, "page": 20, "search": 15, "write": 5}
# Distinct searches a unique row keeps ready per second of load: each one is sent once
# unless a machine runs uncached searches faster than this.
UNIQUE_PER_SECOND = 1500
MIN_UNIQUE = 5000


@dataclass
class Kind:
    """One kind of request: its lines (paths, or "METHOD PATH BODY" for writes), how they
    are picked (cycle | zipf | unique, see wrk/load.lua) and its weight in a mix."""

    name: str
    lines: list[str]
    pick: str = "cycle"
    method: str = "get"  # get | write
    weight: float = 1.0
    # A unique kind's warm-up has lines of its own, so the load sends none it saw before.
    warmup_lines: list[str] | None = None


@dataclass
class Endpoint:
    name: str
    description: str
    kinds: list[Kind]
    auth: str = "token"  # none | token | cookie
    server: str = "platform"  # platform | floor
    # A cookie row's token row: the same requests, whose cost the cookie's is compared to.
    compare_with: str | None = None
    # Several kinds: one connection per wrk thread, so latency is known per kind.
    journey: bool = False


def _slices(items: list[str], sizes: list[int]) -> list[list[str]]:
    out, start = [], 0
    for size in sizes:
        out.append(items[start : start + size])
        start += size
    return out


def build(sample: Sample, rng: random.Random, duration: float, warmup: float) -> list[Endpoint]:
    pairs = sample.pairs
    detail = sample.detail_ids
    cold = sample.cold_ids
    load_n = max(MIN_UNIQUE, math.ceil(duration * UNIQUE_PER_SECOND))
    warm_n = max(500, math.ceil(warmup * UNIQUE_PER_SECOND))
    searches = unique_searches(3 * (load_n + warm_n), pairs, rng)
    api_searches = [s.api_path() for s in searches]
    page_searches = [s.page_path() for s in searches]
    api_load, api_warm, _, _, _, _ = _slices(api_searches, [load_n, warm_n] * 3)
    _, _, page_load, page_warm, journey_load, journey_warm = _slices(
        page_searches, [load_n, warm_n] * 3
    )
    repeated = repeated_searches(pairs, rng)
    list_filtered = [f"/api/v1/questions?cornerstone={c}&instrument={i}" for c, i in pairs]
    list_pages = (
        ["/fragen"] * max(1, len(pairs))
        + [f"/fragen?eckpunkt={c}&instrument={i}" for c, i in pairs]
        + [f"/fragen?seite={c}" for c in sample.cursors]
    )
    rng.shuffle(list_pages)
    writes = write_lines(sample, rng)
    cold_json = [f"/api/v1/questions/{i}" for i in cold]
    cold_pages = [f"/fragen/{i}" for i in cold]
    cold_note = f"{len(cold)} distinct questions, Zipf-skewed"
    warm_note = f"{len(detail)} questions with 5–20 answers in turn"
    share = ", ".join(f"{k} {v} %" for k, v in JOURNEY.items())

    return [
        Endpoint("floor", "minimal Litestar app, GET / (JSON)", [Kind("get", ["/"])],
                 auth="none", server="floor"),
        Endpoint("health", "GET /health (database + search state)", [Kind("get", ["/health"])],
                 auth="none"),
        Endpoint("questions_list", "GET /api/v1/questions (newest, 20 items)",
                 [Kind("get", ["/api/v1/questions"])]),
        Endpoint("questions_list_cookie", "the same by session cookie",
                 [Kind("get", ["/api/v1/questions"])], auth="cookie",
                 compare_with="questions_list"),
        Endpoint("questions_filtered", "GET /api/v1/questions?cornerstone=…&instrument=…",
                 [Kind("get", list_filtered)]),
        Endpoint("questions_deep_cursor", "GET /api/v1/questions?cursor=… (20–90 % deep)",
                 [Kind("get", [f"/api/v1/questions?cursor={c}" for c in sample.cursors])]),
        Endpoint("list_page", "GET /fragen (HTML: first page, filtered, later pages)",
                 [Kind("get", list_pages)], auth="cookie"),
        Endpoint("question_detail", f"GET /api/v1/questions/{{id}} ({warm_note})",
                 [Kind("get", [f"/api/v1/questions/{i}" for i in detail])]),
        Endpoint("question_detail_cold", f"GET /api/v1/questions/{{id}} ({cold_note})",
                 [Kind("get", cold_json, pick="zipf")]),
        Endpoint("question_page", f"GET /fragen/{{id}} (HTML, {warm_note})",
                 [Kind("get", [f"/fragen/{i}" for i in detail])]),
        Endpoint("question_page_cookie", "the same by session cookie",
                 [Kind("get", [f"/fragen/{i}" for i in detail])], auth="cookie",
                 compare_with="question_page"),
        Endpoint("question_page_cold", f"GET /fragen/{{id}} (HTML, {cold_note})",
                 [Kind("get", cold_pages, pick="zipf")], auth="cookie"),
        Endpoint("search", "GET /api/v1/search?q=… (20 queries, repeated)",
                 [Kind("get", [Search(w).api_path() for w in REPEATED_WORDS])]),
        Endpoint("search_filtered", "GET /api/v1/search?q=…&filters (40 queries, repeated)",
                 [Kind("get", [s.api_path() for s in repeated])]),
        Endpoint("search_unique", "GET /api/v1/search?q=… (1–3 words, some filtered, each once)",
                 [Kind("get", api_load, pick="unique", warmup_lines=api_warm)]),
        Endpoint("search_page_unique", "GET /suche?q=… (HTML, 1–3 words, each once)",
                 [Kind("get", page_load, pick="unique", warmup_lines=page_warm)],
                 auth="cookie"),
        Endpoint("write_mix", "POST vote 60 % / answer 25 % / ask 15 % (API)",
                 [Kind("write", writes, method="write")]),
        Endpoint("journey", f"mixed by session cookie: {share}", [
            Kind("list", list_pages, weight=JOURNEY["list"]),
            Kind("detail", cold_json, pick="zipf", weight=JOURNEY["detail"]),
            Kind("page", cold_pages, pick="zipf", weight=JOURNEY["page"]),
            Kind("search", journey_load, pick="unique", weight=JOURNEY["search"],
                 warmup_lines=journey_warm),
            Kind("write", writes, method="write", weight=JOURNEY["write"]),
        ], auth="cookie", journey=True),
    ]  # fmt: skip
