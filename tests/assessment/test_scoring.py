"""The scale, the need formula, the means per cornerstone, the ranking of instruments and
the average that only appears from five authorities up."""

from __future__ import annotations

import itertools

import pytest

from fachaustausch.assessment.scoring import (
    MAX_NEED,
    MIN_AUTHORITIES_FOR_AVERAGE,
    NEED_FORMULA_DE,
    RELEVANCE_LABELS_DE,
    RELEVANCE_QUESTION_DE,
    SCALE,
    STATUS_LABELS_DE,
    STATUS_QUESTION_DE,
    CornerstoneScore,
    Rating,
    Recommendation,
    average_over_authorities,
    cornerstone_scores,
    criterion_need,
    recommendations,
)


def test_scale_and_published_labels() -> None:
    assert SCALE == (1, 2, 3, 4, 5)
    assert STATUS_QUESTION_DE == "Wo stehen wir heute?"
    assert RELEVANCE_QUESTION_DE == "Welche Punkte sind für uns besonders relevant?"
    assert STATUS_LABELS_DE[1] == "keine Ansätze erkennbar"
    assert STATUS_LABELS_DE[5] == "bereits sehr gut"
    assert RELEVANCE_LABELS_DE[1] == "nicht relevant/keine Priorität"
    assert RELEVANCE_LABELS_DE[5] == "sehr relevant/hohe Priorität"
    for labels in (STATUS_LABELS_DE, RELEVANCE_LABELS_DE):
        assert sorted(labels) == list(SCALE)
        assert len(set(labels.values())) == len(SCALE)


# --- the need formula ------------------------------------------------------------------------


@pytest.mark.parametrize("relevance", SCALE)
def test_no_need_when_already_very_good(relevance: int) -> None:
    assert criterion_need(status=5, relevance=relevance) == 0


@pytest.mark.parametrize("status", SCALE)
def test_no_need_when_not_relevant(status: int) -> None:
    assert criterion_need(status=status, relevance=1) == 0


def test_largest_need_for_very_relevant_without_any_start() -> None:
    assert criterion_need(status=1, relevance=5) == MAX_NEED == 4
    assert max(criterion_need(s, r) for s, r in itertools.product(SCALE, SCALE)) == MAX_NEED


@pytest.mark.parametrize(
    ("status", "relevance", "expected"),
    [(3, 3, 1.0), (2, 4, 2.25), (4, 5, 1.0), (1, 2, 1.0), (3, 5, 2.0)],
)
def test_need_in_between(status: int, relevance: int, expected: float) -> None:
    assert criterion_need(status, relevance) == expected


def test_need_falls_with_status_and_rises_with_relevance() -> None:
    for relevance in SCALE[1:]:
        needs = [criterion_need(s, relevance) for s in SCALE]
        assert needs == sorted(needs, reverse=True)
        assert len(set(needs)) == len(needs)
    for status in SCALE[:-1]:
        needs = [criterion_need(status, r) for r in SCALE]
        assert needs == sorted(needs)
        assert len(set(needs)) == len(needs)


def test_the_stated_formula_is_the_computed_one() -> None:
    assert "(Relevanz − 1) × (5 − Stand) ÷ 4" in NEED_FORMULA_DE
    assert NEED_FORMULA_DE.endswith(".")
    assert ". " not in NEED_FORMULA_DE
    for status, relevance in itertools.product(SCALE, SCALE):
        assert criterion_need(status, relevance) == (relevance - 1) * (5 - status) / 4


@pytest.mark.parametrize("bad", [0, 6, -1, True])
def test_values_outside_the_scale_are_refused(bad: int) -> None:
    with pytest.raises(ValueError, match="status"):
        criterion_need(bad, 3)
    with pytest.raises(ValueError, match="relevance"):
        criterion_need(3, bad)
    with pytest.raises(ValueError, match="status"):
        Rating("k", 1, bad, 3)


def test_a_rating_needs_a_real_cornerstone() -> None:
    with pytest.raises(ValueError, match="cornerstone"):
        Rating("k", 6, 3, 3)


def test_a_half_rated_criterion_has_no_need() -> None:
    assert Rating("a", 1, 2, None).need is None
    assert Rating("a", 1, None, 4).need is None
    assert Rating("a", 1, None, None).need is None
    assert Rating("a", 1, 2, 4).need == 2.25


# --- means per cornerstone ---------------------------------------------------------------------


def test_cornerstone_means() -> None:
    ratings = [
        Rating("a", 1, 1, 5),  # need 4
        Rating("b", 1, 3, 3),  # need 1
        Rating("c", 1, 5, 2),  # need 0
        Rating("d", 2, 2, 4),  # need 2.25
        Rating("e", 2, 4, 4),  # need 0.75
    ]
    scores = cornerstone_scores(ratings)
    assert scores[1] == CornerstoneScore(1, status=3.0, relevance=10 / 3, need=5 / 3)
    assert scores[2] == CornerstoneScore(2, status=3.0, relevance=4.0, need=1.5)


def test_means_ignore_unrated_criteria_and_empty_cornerstones_have_none() -> None:
    ratings = [
        Rating("a", 3, 2, 4),
        Rating("b", 3, 4, None),  # counts for the status mean only
        Rating("c", 3, None, 2),  # counts for the relevance mean only
        Rating("d", 3, None, None),  # counts for nothing
        Rating("e", 4, None, None),
    ]
    scores = cornerstone_scores(ratings)
    assert scores[3] == CornerstoneScore(3, status=3.0, relevance=3.0, need=2.25)
    assert set(scores) == {1, 2, 3, 4, 5}
    for cornerstone in (1, 2, 4, 5):
        assert scores[cornerstone] == CornerstoneScore(cornerstone, None, None, None)


def test_a_criterion_rated_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        cornerstone_scores([Rating("a", 1, 2, 3), Rating("a", 1, 4, 3)])


# --- recommendations ---------------------------------------------------------------------------


LINKS = {
    "a": ["terminsystem", "prozessgestaltung"],
    "b": ["prozessgestaltung", "spezialteams"],
    "c": ["website-mit-faq"],
    "d": ["spezialteams"],
    "e": ["willkommensbroschuere"],
}


def test_instruments_are_ranked_by_the_largest_need_of_their_criteria() -> None:
    ratings = [
        Rating("a", 2, 2, 4),  # 2.25
        Rating("b", 2, 1, 5),  # 4.0
        Rating("c", 3, 4, 5),  # 1.0
        Rating("d", 2, 3, 3),  # 1.0
        Rating("e", 3, 5, 5),  # 0: no recommendation
    ]
    result = recommendations(ratings, LINKS, limit=10)
    assert result == [
        # 4.0 and 4.0: prozessgestaltung's needs add up to more than spezialteams'.
        Recommendation("prozessgestaltung", 4.0, ("b", "a")),
        Recommendation("spezialteams", 4.0, ("b", "d")),
        Recommendation("terminsystem", 2.25, ("a",)),
        Recommendation("website-mit-faq", 1.0, ("c",)),
    ]


def test_full_ties_are_broken_by_slug_and_reasons_by_id() -> None:
    links = {"x": ["zeta", "alpha"], "y": ["zeta", "alpha"]}
    ratings = [Rating("y", 1, 3, 3), Rating("x", 1, 3, 3)]
    result = recommendations(ratings, links, limit=10)
    assert [r.instrument for r in result] == ["alpha", "zeta"]
    assert all(r.reasons == ("x", "y") for r in result)


def test_limit_keeps_the_best() -> None:
    ratings = [Rating(k, 2, 1, 5) for k in LINKS]
    result = recommendations(ratings, LINKS, limit=2)
    assert [r.instrument for r in result] == ["prozessgestaltung", "spezialteams"]
    with pytest.raises(ValueError, match="limit"):
        recommendations(ratings, LINKS, limit=0)


def test_unrated_and_half_rated_criteria_recommend_nothing() -> None:
    ratings = [Rating("a", 2, None, 5), Rating("b", 2, 1, None)]
    assert recommendations(ratings, LINKS) == []


def test_an_instrument_named_twice_by_one_criterion_counts_once() -> None:
    links = {1: ["terminsystem", "terminsystem"], 2: ["spezialteams"]}
    ratings = [Rating(1, 2, 3, 3), Rating(2, 2, 3, 3)]
    # Counted twice, terminsystem's larger sum would put it first.
    result = recommendations(ratings, links)
    assert result == [
        Recommendation("spezialteams", 1.0, (2,)),
        Recommendation("terminsystem", 1.0, (1,)),
    ]


def test_criteria_without_links_are_fine() -> None:
    assert recommendations([Rating(7, 1, 1, 5)], {}) == []


# --- the average over authorities --------------------------------------------------------------


def _authority(status: float, relevance: float, need: float) -> dict[int, CornerstoneScore]:
    return {c: CornerstoneScore(c, status, relevance, need) for c in range(1, 6)}


def test_no_average_below_five_authorities() -> None:
    assert MIN_AUTHORITIES_FOR_AVERAGE == 5
    four = {f"authority-{i}": _authority(2, 3, 1) for i in range(4)}
    assert average_over_authorities(four) is None
    assert average_over_authorities({}) is None


def test_average_from_five_authorities_counts_each_once() -> None:
    five = {i: _authority(float(i), 5.0 - i, i / 2) for i in range(1, 6)}
    result = average_over_authorities(five)
    assert result is not None
    assert result.authorities == 5
    for cornerstone in range(1, 6):
        assert result.scores[cornerstone] == CornerstoneScore(cornerstone, 3.0, 2.0, 1.5)


def test_a_cornerstone_rated_by_fewer_than_five_authorities_stays_hidden() -> None:
    per_authority = {i: _authority(3, 3, 1) for i in range(6)}
    # Two authorities did not rate cornerstone 4, one left out its relevance on cornerstone 2.
    per_authority[0] = {**per_authority[0], 4: CornerstoneScore(4, None, None, None)}
    per_authority[1] = {c: s for c, s in per_authority[1].items() if c != 4}
    per_authority[2] = {**per_authority[2], 2: CornerstoneScore(2, 3, None, None)}
    result = average_over_authorities(per_authority)
    assert result is not None
    assert result.authorities == 6
    assert result.scores[4] == CornerstoneScore(4, None, None, None)
    assert result.scores[2] == CornerstoneScore(2, 3.0, 3.0, 1.0)
    assert result.scores[1] == CornerstoneScore(1, 3.0, 3.0, 1.0)
