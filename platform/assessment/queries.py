"""Reading the self-assessment: the criteria, an authority's own draft and rounds, a round's
results, and the averages over authorities (never one authority's ratings but its own)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from fachaustausch.accounts.policy import Principal, require_moderator
from fachaustausch.assessment import scoring
from fachaustausch.assessment.models import (
    AggregateOut,
    AssessmentOut,
    ComparisonOut,
    CriterionDetailOut,
    CriterionListOut,
    CriterionOut,
    DraftRatingOut,
    LandAggregateOut,
    RecommendationOut,
    RoundOut,
    RoundRatingOut,
    RoundSummaryOut,
    ScoreOut,
)
from fachaustausch.assessment.tables import (
    AssessmentRound,
    CriterionInstrument,
    CriterionVersion,
    DraftRating,
    RoundRating,
)
from fachaustausch.core.errors import NotFound
from fachaustausch.toolbox import queries as toolbox
from fachaustausch.toolbox.tables import Cornerstone

# The criterion a round rating's version belongs to (Piccolo types a two-step join loosely).
_RATED: Any = RoundRating.version.criterion

ROUND_NOT_FOUND = "Diese Runde der Standortbestimmung gibt es nicht in Ihrer Behörde."


async def _links(version_ids: list[int]) -> dict[int, list[str]]:
    if not version_ids:
        return {}
    rows = (
        await CriterionInstrument.select(
            CriterionInstrument.version, CriterionInstrument.instrument.slug.as_alias("slug")
        )
        .where(CriterionInstrument.version.is_in(version_ids))
        .order_by(CriterionInstrument.id)
        .run()
    )
    links: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        links[row["version"]].append(row["slug"])
    return links


async def criteria_details(include_retired: bool = False) -> list[CriterionDetailOut]:
    """The criteria in checklist order, each with its current version's text and links."""
    query = CriterionVersion.select(
        CriterionVersion.id,
        CriterionVersion.number,
        CriterionVersion.text,
        CriterionVersion.criterion.id.as_alias("criterion_id"),
        CriterionVersion.criterion.key.as_alias("key"),
        CriterionVersion.criterion.cornerstone.as_alias("cornerstone"),
        CriterionVersion.criterion.position.as_alias("position"),
        CriterionVersion.criterion.current_version.as_alias("current"),
        CriterionVersion.criterion.retired_at.as_alias("retired_at"),
    )
    if not include_retired:
        query = query.where(CriterionVersion.criterion.retired_at.is_null())
    # Every version comes back; the table stays small (a few dozen criteria, rarely edited).
    rows = [r for r in await query.run() if r["number"] == r["current"]]
    rows.sort(key=lambda r: (r["cornerstone"], r["position"], r["criterion_id"]))
    links = await _links([r["id"] for r in rows])
    return [
        CriterionDetailOut(
            id=r["criterion_id"],
            key=r["key"],
            cornerstone=r["cornerstone"],
            position=r["position"],
            version=r["number"],
            version_id=r["id"],
            text=r["text"],
            instruments=links.get(r["id"], []),
            retired=r["retired_at"] is not None,
        )
        for r in rows
    ]


async def list_criteria() -> CriterionListOut:
    return CriterionListOut(
        items=[
            CriterionOut(id=c.id, cornerstone=c.cornerstone, text=c.text, instruments=c.instruments)
            for c in await criteria_details()
        ]
    )


async def get_criterion(criterion_id: int) -> CriterionDetailOut:
    for criterion in await criteria_details(include_retired=True):
        if criterion.id == criterion_id:
            return criterion
    raise NotFound("Dieses Kriterium gibt es nicht.")


async def cornerstone_titles() -> dict[int, str]:
    rows = await Cornerstone.select(Cornerstone.number, Cornerstone.title).run()
    return {r["number"]: r["title"] for r in rows}


async def _rounds_of(authority_id: int) -> list[RoundSummaryOut]:
    rows = (
        await AssessmentRound.select(
            AssessmentRound.id, AssessmentRound.number, AssessmentRound.submitted_at
        )
        .where(AssessmentRound.authority == authority_id)
        .order_by(AssessmentRound.number, ascending=False)
        .run()
    )
    return [RoundSummaryOut(**r) for r in rows]


async def my_assessment(actor: Principal) -> AssessmentOut:
    """The actor's authority's draft (ratings of current criteria only) and its rounds,
    newest first."""
    draft = (
        await DraftRating.select(
            DraftRating.criterion.as_alias("criterion_id"),
            DraftRating.status,
            DraftRating.relevance,
            DraftRating.note,
        )
        .where(
            (DraftRating.authority == actor.authority_id)
            & DraftRating.criterion.retired_at.is_null()
        )
        .order_by(DraftRating.criterion)
        .run()
    )
    return AssessmentOut(
        authority=actor.authority_slug,
        authority_name=actor.authority_name,
        draft=[DraftRatingOut(**r) for r in draft],
        rounds=await _rounds_of(actor.authority_id),
    )


def score_list(scores: dict[int, scoring.CornerstoneScore]) -> list[ScoreOut]:
    return [
        ScoreOut(cornerstone=c, status=s.status, relevance=s.relevance, need=s.need)
        for c, s in sorted(scores.items())
    ]


@dataclass(frozen=True)
class _RoundRatings:
    ratings: list[RoundRatingOut]
    links: dict[int, list[str]]  # criterion id → instrument slugs, as linked when rated


async def _round_ratings(round_id: int) -> _RoundRatings:
    rows = (
        await RoundRating.select(
            RoundRating.status,
            RoundRating.relevance,
            RoundRating.note,
            RoundRating.version.id.as_alias("version_id"),
            RoundRating.version.number.as_alias("version"),
            RoundRating.version.text.as_alias("text"),
            _RATED.id.as_alias("criterion_id"),
            _RATED.cornerstone.as_alias("cornerstone"),
            _RATED.position.as_alias("position"),
        )
        .where(RoundRating.round == round_id)
        .run()
    )
    rows.sort(key=lambda r: (r["cornerstone"], r["position"], r["criterion_id"]))
    by_version = await _links([r["version_id"] for r in rows])
    ratings = [
        RoundRatingOut(
            criterion_id=r["criterion_id"],
            cornerstone=r["cornerstone"],
            version=r["version"],
            text=r["text"],
            status=r["status"],
            relevance=r["relevance"],
            note=r["note"],
            need=scoring.criterion_need(r["status"], r["relevance"]),
        )
        for r in rows
    ]
    links = {r["criterion_id"]: by_version.get(r["version_id"], []) for r in rows}
    return _RoundRatings(ratings, links)


def _scoring_ratings(ratings: list[RoundRatingOut]) -> list[scoring.Rating[int]]:
    return [scoring.Rating(r.criterion_id, r.cornerstone, r.status, r.relevance) for r in ratings]


async def _latest_rounds() -> list[dict[str, Any]]:
    """Each authority's latest round, with the authority's Land."""
    rows = await AssessmentRound.select(
        AssessmentRound.id,
        AssessmentRound.authority,
        AssessmentRound.number,
        AssessmentRound.authority.land.as_alias("land"),
    ).run()
    latest: dict[int, dict[str, Any]] = {}
    for row in rows:
        if row["authority"] not in latest or row["number"] > latest[row["authority"]]["number"]:
            latest[row["authority"]] = row
    return list(latest.values())


async def _scores_per_authority(
    rounds: list[dict[str, Any]],
) -> dict[int, dict[int, scoring.CornerstoneScore]]:
    if len(rounds) < scoring.MIN_AUTHORITIES_FOR_AVERAGE:
        return {}
    authority_of = {r["id"]: r["authority"] for r in rounds}
    rows = (
        await RoundRating.select(
            RoundRating.round,
            RoundRating.status,
            RoundRating.relevance,
            _RATED.id.as_alias("criterion"),
            _RATED.cornerstone.as_alias("cornerstone"),
        )
        .where(RoundRating.round.is_in(list(authority_of)))
        .run()
    )
    per_round: dict[int, list[scoring.Rating[int]]] = defaultdict(list)
    for r in rows:
        per_round[r["round"]].append(
            scoring.Rating(r["criterion"], r["cornerstone"], r["status"], r["relevance"])
        )
    return {
        authority_of[round_id]: scoring.cornerstone_scores(ratings)
        for round_id, ratings in per_round.items()
    }


def _comparison(
    authorities: int, per_authority: dict[int, dict[int, scoring.CornerstoneScore]]
) -> ComparisonOut:
    aggregate = scoring.average_over_authorities(per_authority)
    return ComparisonOut(
        authorities=authorities,
        scores=score_list(aggregate.scores) if aggregate is not None else None,
    )


async def get_round(actor: Principal, round_id: int) -> RoundOut:
    """A round of the actor's own authority; any other round is "not found" to everyone,
    moderators included, so no route tells whether it exists."""
    row = (
        await AssessmentRound.select(
            AssessmentRound.id,
            AssessmentRound.number,
            AssessmentRound.submitted_at,
            AssessmentRound.authority,
        )
        .where((AssessmentRound.id == round_id) & (AssessmentRound.authority == actor.authority_id))
        .first()
        .run()
    )
    if row is None:
        raise NotFound(ROUND_NOT_FOUND)
    own = await _round_ratings(round_id)
    ratings = _scoring_ratings(own.ratings)
    previous_row = (
        await AssessmentRound.select(
            AssessmentRound.id, AssessmentRound.number, AssessmentRound.submitted_at
        )
        .where(
            (AssessmentRound.authority == actor.authority_id)
            & (AssessmentRound.number < row["number"])
        )
        .order_by(AssessmentRound.number, ascending=False)
        .first()
        .run()
    )
    previous_scores = None
    if previous_row is not None:
        before = await _round_ratings(previous_row["id"])
        previous_scores = score_list(scoring.cornerstone_scores(_scoring_ratings(before.ratings)))
    latest = await _latest_rounds()
    return RoundOut(
        id=row["id"],
        number=row["number"],
        submitted_at=row["submitted_at"],
        authority=actor.authority_slug,
        authority_name=actor.authority_name,
        scores=score_list(scoring.cornerstone_scores(ratings)),
        ratings=own.ratings,
        recommendations=[
            RecommendationOut(instrument=r.instrument, need=r.need, reasons=list(r.reasons))
            for r in scoring.recommendations(ratings, own.links)
        ],
        previous=RoundSummaryOut(**previous_row) if previous_row else None,
        previous_scores=previous_scores,
        comparison=_comparison(len(latest), await _scores_per_authority(latest)),
    )


async def aggregate(actor: Principal) -> AggregateOut:
    """For the BAMF moderation: the average over all authorities' latest rounds and per
    Land, each only from five authorities up."""
    require_moderator(actor)
    latest = await _latest_rounds()
    per_authority = await _scores_per_authority(latest)
    lands: dict[str, list[int]] = defaultdict(list)
    for r in latest:
        lands[r["land"] or "ohne Land"].append(r["authority"])
    land_rows = []
    for land, authority_ids in sorted(lands.items()):
        scores = {a: per_authority[a] for a in authority_ids if a in per_authority}
        land_rows.append(
            LandAggregateOut(
                land=land,
                authorities=len(authority_ids),
                scores=_comparison(len(authority_ids), scores).scores,
            )
        )
    return AggregateOut(overall=_comparison(len(latest), per_authority), lands=land_rows)


@dataclass(frozen=True)
class FormState:
    """What the assessment's steps show: the checklist, the draft by criterion, the
    cornerstones' titles and the rounds so far."""

    criteria: list[CriterionDetailOut]
    draft: dict[int, DraftRatingOut]
    titles: dict[int, str]
    rounds: list[RoundSummaryOut]
    instrument_titles: dict[str, str]

    def of_cornerstone(self, number: int) -> list[CriterionDetailOut]:
        return [c for c in self.criteria if c.cornerstone == number]

    @property
    def complete(self) -> int:
        return sum(
            1
            for c in self.criteria
            if (d := self.draft.get(c.id)) and d.status is not None and d.relevance is not None
        )


async def form_state(actor: Principal) -> FormState:
    mine = await my_assessment(actor)
    return FormState(
        criteria=await criteria_details(),
        draft={d.criterion_id: d for d in mine.draft},
        titles=await cornerstone_titles(),
        rounds=mine.rounds,
        instrument_titles={i.slug: i.title for i in await toolbox.list_instruments()},
    )
