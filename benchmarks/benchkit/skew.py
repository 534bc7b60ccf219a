"""Skewed random choices: Zipf-like ranks, geometric counts, totals nudged to a target."""

from __future__ import annotations

import random
from collections.abc import Iterable


def zipf_cum_weights(n: int, exponent: float) -> list[float]:
    """Cumulative weights of ranks 1..n under 1/rank**exponent."""
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += 1.0 / rank**exponent
        out.append(total)
    return out


def cumulative(weights: Iterable[float]) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out


def truncated_geometric(mean: float, high: int) -> list[float]:
    """P(n) ∝ r**n on 0..high, with r chosen by bisection so that the mean is `mean`."""
    mean = min(max(mean, 0.0), high - 1e-6)

    def mean_of(r: float) -> float:
        weights = [r**n for n in range(high + 1)]
        return sum(n * w for n, w in enumerate(weights)) / sum(weights)

    low, up = 1e-9, 50.0
    for _ in range(100):
        mid = (low + up) / 2
        low, up = (mid, up) if mean_of(mid) < mean else (low, mid)
    r = (low + up) / 2
    weights = [r**n for n in range(high + 1)]
    return [w / sum(weights) for w in weights]


def fix_total(counts: list[int], target: int, high: int, rng: random.Random) -> None:
    """Nudges counts up or down by one at random until they add up to `target`."""
    diff = target - sum(counts)
    n = len(counts)
    while diff:
        i = rng.randrange(n)
        if diff > 0 and counts[i] < high:
            counts[i] += 1
            diff -= 1
        elif diff < 0 and counts[i] > 0:
            counts[i] -= 1
            diff += 1


def zipf_share(n: int, exponent: float, top: int) -> float:
    """The share of draws that fall on the `top` most popular of `n` ranks."""
    weights = zipf_cum_weights(n, exponent)
    return weights[min(top, n) - 1] / weights[-1] if n else 0.0
