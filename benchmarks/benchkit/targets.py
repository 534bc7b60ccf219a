"""Issue 25's targets, each judged on figures of the same run (shares of the floor, cost
ratios) or of a stated earlier run (the write mix's p99, the gain of a second worker)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from benchkit.wrk import Result

# (SQLite, PostgreSQL): the least share of the floor's requests/s.
SHARE_OF_FLOOR: dict[str, tuple[float, float]] = {
    "health": (0.50, 0.50),
    "questions_list": (0.35, 0.20),
    "questions_list_cookie": (0.35, 0.20),
    "questions_filtered": (0.35, 0.20),
    "questions_deep_cursor": (0.35, 0.20),
    "question_detail": (0.35, 0.20),
    "question_detail_cold": (0.15, 0.10),
    "question_page": (0.12, 0.08),
    "question_page_cookie": (0.12, 0.08),
    "question_page_cold": (0.06, 0.04),
    "search_unique": (0.05, 0.05),
    "search_page_unique": (0.05, 0.05),
}
COOKIE_COST_MAX = 1.2  # a cookie request costs at most this many token requests
WRITE_P99_FACTOR = 1.2  # the write mix's p99 against the baseline's
RSS_MB_PER_WORKER = 250
SECOND_WORKER_GAIN = 1.6  # list and detail with two workers against one
SCALED = ("questions_list", "question_detail")


@dataclass
class Reference:
    """Earlier figures a target compares with: the baseline run's write mix p99, and the
    one-worker run's list and detail as shares of its floor."""

    baseline_label: str = ""
    baseline_shares: dict[str, float] | None = None
    write_p99_ms: float | None = None
    one_worker_label: str = ""
    one_worker_shares: dict[str, float] | None = None


def _share_label(share: float) -> str:
    return f"≥ {100 * share:.0f} % of floor"


def share_targets(engine: str) -> dict[str, str]:
    """Each row's share target for `engine`, as the table shows it."""
    index = 0 if engine == "sqlite" else 1
    return {name: _share_label(shares[index]) for name, shares in SHARE_OF_FLOOR.items()}


def judge(
    result: Result,
    engine: str,
    reference: Reference,
    one_worker_share: float | None,
) -> None:
    """Fills result.targets (what, met, the figure) and result.target_met (all met; None
    when the row has no target or nothing to compare with). `one_worker_share` is the
    row's share of the one-worker floor of this run, for the gain of several workers."""
    targets: list[dict[str, Any]] = []
    shares = SHARE_OF_FLOOR.get(result.name)
    if shares is not None and result.ratio_to_floor is not None:
        wanted = shares[0 if engine == "sqlite" else 1]
        targets.append(
            {
                "what": _share_label(wanted),
                "met": result.ratio_to_floor >= wanted,
                "value": f"{100 * result.ratio_to_floor:.1f} %",
            }
        )
    if result.cookie_cost_ratio is not None:
        targets.append(
            {
                "what": f"cost ≤ {COOKIE_COST_MAX}× token's",
                "met": result.cookie_cost_ratio <= COOKIE_COST_MAX,
                "value": f"{result.cookie_cost_ratio:.2f}×",
            }
        )
    if result.name == "write_mix":
        if reference.write_p99_ms:
            limit = WRITE_P99_FACTOR * reference.write_p99_ms
            targets.append(
                {
                    "what": f"p99 ≤ {WRITE_P99_FACTOR}× {reference.write_p99_ms:.1f} ms "
                    f"({reference.baseline_label})",
                    "met": result.p99_ms <= limit,
                    "value": f"{result.p99_ms:.1f} ms",
                }
            )
        else:
            targets.append(
                {
                    "what": f"p99 ≤ {WRITE_P99_FACTOR}× the baseline's (none given)",
                    "met": None,
                    "value": f"{result.p99_ms:.1f} ms",
                }
            )
    previous = (reference.one_worker_shares or {}).get(result.name)
    if result.name in SCALED and previous and one_worker_share is not None:
        gain = one_worker_share / previous
        targets.append(
            {
                "what": f"≥ {SECOND_WORKER_GAIN}× one worker ({reference.one_worker_label})",
                "met": gain >= SECOND_WORKER_GAIN,
                "value": f"{gain:.2f}×",
            }
        )
    if targets and (result.non2xx or result.socket_errors or result.timeouts):
        targets.append({"what": "no errors", "met": False, "value": "errors"})
    result.targets = targets
    decided = [t["met"] for t in targets if t["met"] is not None]
    result.target_met = all(decided) if decided else None


def cookie_costs(results: list[Result], twins: dict[str, str]) -> None:
    """A cookie row's cost against its token twin: the twin's requests/s over its own."""
    by_name = {r.name: r for r in results}
    for result in results:
        twin = by_name.get(twins.get(result.name, ""))
        if twin is not None and result.requests_per_second > 0:
            result.cookie_cost_ratio = round(
                twin.requests_per_second / result.requests_per_second, 3
            )
