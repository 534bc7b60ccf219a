"""What a round's results page shows beyond the round itself: for each recommended
instrument its toolbox page, the model sites it came from, the experts to ask and the
best-answered questions about it."""

from __future__ import annotations

from dataclasses import dataclass

from fachaustausch.accounts.policy import AuthorityKind, Principal
from fachaustausch.assessment import queries
from fachaustausch.assessment.models import RoundOut, RoundRatingOut
from fachaustausch.questions.models import QuestionSummaryOut, Sort, Status
from fachaustausch.questions.queries import QuestionFilters, list_questions
from fachaustausch.toolbox import queries as toolbox
from fachaustausch.toolbox.models import InstrumentOut

BEST_QUESTIONS = 3
# Asked for more than shown: the best-voted may still be open, and only answered ones count.
QUESTIONS_LOOKED_AT = 12


@dataclass(frozen=True)
class RecommendedInstrument:
    instrument: InstrumentOut
    need: float
    reasons: list[RoundRatingOut]
    questions: list[QuestionSummaryOut]
    # The model site the ask form is directed to: the first where the instrument was tried.
    ask_site: str | None


@dataclass(frozen=True)
class RoundPage:
    round: RoundOut
    titles: dict[int, str]
    recommended: list[RecommendedInstrument]


async def _best_answered(viewer: Principal, slug: str) -> list[QuestionSummaryOut]:
    items, _ = await list_questions(
        viewer, QuestionFilters(instrument=slug), Sort.votes, QUESTIONS_LOOKED_AT
    )
    return [q for q in items if q.status is not Status.open][:BEST_QUESTIONS]


async def round_page(actor: Principal, round_id: int) -> RoundPage:
    result = await queries.get_round(actor, round_id)
    by_criterion = {r.criterion_id: r for r in result.ratings}
    recommended = []
    for recommendation in result.recommendations:
        instrument = await toolbox.get_instrument(recommendation.instrument)
        sites = [o.slug for o in instrument.origins if o.kind is AuthorityKind.model_site]
        recommended.append(
            RecommendedInstrument(
                instrument=instrument,
                need=recommendation.need,
                reasons=[by_criterion[c] for c in recommendation.reasons],
                questions=await _best_answered(actor, instrument.slug),
                ask_site=sites[0] if sites else None,
            )
        )
    return RoundPage(result, await queries.cornerstone_titles(), recommended)
