"""The rating scale, the need formula, the means per cornerstone, the ranking of instruments
and the average over authorities. Pure: it sees numbers and ids, never rows or requests.

Criterion ids are whatever the caller uses consistently within one call (database ids or
the seed keys); the ranking only needs them to be comparable, to break ties the same way
every time."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Generic, TypeVar

CriterionId = TypeVar("CriterionId", int, str)
AuthorityId = TypeVar("AuthorityId", bound=Hashable)

CORNERSTONES = (1, 2, 3, 4, 5)
SCALE = (1, 2, 3, 4, 5)
SCALE_MIN = SCALE[0]
SCALE_MAX = SCALE[-1]

STATUS_QUESTION_DE = "Wo stehen wir heute?"
STATUS_LABELS_DE = {
    1: "keine Ansätze erkennbar",
    2: "erste Ansätze vorhanden",
    3: "teilweise umgesetzt",
    4: "weitgehend umgesetzt",
    5: "bereits sehr gut",
}
RELEVANCE_QUESTION_DE = "Welche Punkte sind für uns besonders relevant?"
RELEVANCE_LABELS_DE = {
    1: "nicht relevant/keine Priorität",
    2: "wenig relevant/geringe Priorität",
    3: "teilweise relevant/mittlere Priorität",
    4: "relevant/erhöhte Priorität",
    5: "sehr relevant/hohe Priorität",
}

# The need is the product of how far the status is from its best value and how far the
# relevance is above its lowest, scaled back to the width of the rating scale: it vanishes
# when a point is already very good or not relevant at all, and grows with both.
MAX_NEED = float(SCALE_MAX - SCALE_MIN)
NEED_FORMULA_DE = (
    "Der Bedarf eines Kriteriums ist (Relevanz − 1) × (5 − Stand) ÷ 4; er reicht von 0 "
    "(bereits sehr gut oder nicht relevant) bis 4 (sehr relevant, aber keine Ansätze erkennbar)."
)
CORNERSTONE_MEANS_DE = (
    "Stand, Relevanz und Bedarf eines Eckpunkts sind die Mittelwerte seiner bewerteten Kriterien."
)
RECOMMENDATION_RULE_DE = (
    "Empfohlen werden die Instrumente, die zu Kriterien mit Bedarf gehören, geordnet nach dem "
    "größten Bedarf unter diesen Kriterien; bei Gleichstand zählt die Summe ihres Bedarfs."
)

DEFAULT_RECOMMENDATION_LIMIT = 5

# k-anonymity: an average over fewer authorities would let an authority (or a moderator
# filtering by Land) work out another authority's ratings.
MIN_AUTHORITIES_FOR_AVERAGE = 5


def _check_rating(value: int, what: str) -> None:
    if isinstance(value, bool) or value not in SCALE:
        raise ValueError(f"{what} must be one of {SCALE}, got {value!r}")


def criterion_need(status: int, relevance: int) -> float:
    """(relevance − 1) × (5 − status) ÷ 4: 0 … 4."""
    _check_rating(status, "status")
    _check_rating(relevance, "relevance")
    return (relevance - SCALE_MIN) * (SCALE_MAX - status) / (SCALE_MAX - SCALE_MIN)


@dataclass(frozen=True, slots=True)
class Rating(Generic[CriterionId]):
    """One criterion's two ratings; either may still be missing (a draft, or left out)."""

    criterion: CriterionId
    cornerstone: int
    status: int | None
    relevance: int | None

    def __post_init__(self) -> None:
        if self.cornerstone not in CORNERSTONES:
            raise ValueError(f"cornerstone must be one of {CORNERSTONES}")
        if self.status is not None:
            _check_rating(self.status, "status")
        if self.relevance is not None:
            _check_rating(self.relevance, "relevance")

    @property
    def need(self) -> float | None:
        if self.status is None or self.relevance is None:
            return None
        return criterion_need(self.status, self.relevance)


@dataclass(frozen=True, slots=True)
class CornerstoneScore:
    """Means over a cornerstone's rated criteria; None where nothing was rated."""

    cornerstone: int
    status: float | None
    relevance: float | None
    need: float | None


@dataclass(frozen=True, slots=True)
class Recommendation(Generic[CriterionId]):
    instrument: str
    need: float
    # The linked criteria with a need, largest need first.
    reasons: tuple[CriterionId, ...]


@dataclass(frozen=True, slots=True)
class AggregateScores:
    authorities: int
    scores: dict[int, CornerstoneScore]


def _one_per_criterion(
    ratings: Iterable[Rating[CriterionId]],
) -> list[Rating[CriterionId]]:
    seen: set[CriterionId] = set()
    unique = []
    for rating in ratings:
        if rating.criterion in seen:
            raise ValueError(f"criterion {rating.criterion!r} is rated twice")
        seen.add(rating.criterion)
        unique.append(rating)
    return unique


def _mean(values: Sequence[float]) -> float | None:
    return fmean(values) if values else None


def cornerstone_scores(ratings: Iterable[Rating[CriterionId]]) -> dict[int, CornerstoneScore]:
    """Mean status, relevance and need of each of the five cornerstones.

    Each mean skips the criteria that lack what it needs: the status mean counts every
    criterion with a status, the need mean only those with both ratings."""
    by_cornerstone: dict[int, list[Rating[CriterionId]]] = {c: [] for c in CORNERSTONES}
    for rating in _one_per_criterion(ratings):
        by_cornerstone[rating.cornerstone].append(rating)
    scores = {}
    for cornerstone, rated in by_cornerstone.items():
        scores[cornerstone] = CornerstoneScore(
            cornerstone=cornerstone,
            status=_mean([r.status for r in rated if r.status is not None]),
            relevance=_mean([r.relevance for r in rated if r.relevance is not None]),
            need=_mean([n for r in rated if (n := r.need) is not None]),
        )
    return scores


def recommendations(
    ratings: Iterable[Rating[CriterionId]],
    criteria_instruments: Mapping[CriterionId, Sequence[str]],
    limit: int = DEFAULT_RECOMMENDATION_LIMIT,
) -> list[Recommendation[CriterionId]]:
    """The instruments linked to criteria with a need above 0, best first.

    An instrument's need is the largest need among its linked criteria, so it stays on the
    0 … 4 scale of a single criterion; ties go to the larger sum of those needs (an
    instrument that helps with more), then to the slug."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    needs = {
        r.criterion: n for r in _one_per_criterion(ratings) if (n := r.need) is not None and n > 0
    }
    linked: dict[str, list[tuple[float, CriterionId]]] = {}
    for criterion, instruments in criteria_instruments.items():
        if criterion not in needs:
            continue
        for slug in dict.fromkeys(instruments):
            linked.setdefault(slug, []).append((needs[criterion], criterion))
    ranked: list[tuple[float, float, str, Recommendation[CriterionId]]] = []
    for slug, reasons in linked.items():
        reasons.sort(key=lambda item: (-item[0], item[1]))
        top = reasons[0][0]
        total = sum(n for n, _ in reasons)
        recommendation = Recommendation(slug, top, tuple(c for _, c in reasons))
        ranked.append((-top, -total, slug, recommendation))
    ranked.sort(key=lambda item: item[:3])
    return [item[3] for item in ranked[:limit]]


def average_over_authorities(
    per_authority: Mapping[AuthorityId, Mapping[int, CornerstoneScore]],
) -> AggregateScores | None:
    """Per cornerstone, the mean of the authorities' own means (each authority counts once,
    however many criteria it rated).

    None below MIN_AUTHORITIES_FOR_AVERAGE authorities; a single value is None as well when
    fewer than that many authorities contributed to it."""
    if len(per_authority) < MIN_AUTHORITIES_FOR_AVERAGE:
        return None

    def average(values: list[float | None]) -> float | None:
        present = [v for v in values if v is not None]
        return fmean(present) if len(present) >= MIN_AUTHORITIES_FOR_AVERAGE else None

    scores = {}
    for cornerstone in CORNERSTONES:
        own = [s[cornerstone] for s in per_authority.values() if cornerstone in s]
        scores[cornerstone] = CornerstoneScore(
            cornerstone=cornerstone,
            status=average([s.status for s in own]),
            relevance=average([s.relevance for s in own]),
            need=average([s.need for s in own]),
        )
    return AggregateScores(authorities=len(per_authority), scores=scores)
