"""Reads of the content review: the posts a change in the law reaches, the review queue
and the recorded changes. The queue is read in a fixed number of queries however long it
is; the posts' visibility is the questions domain's one rule (`questions.visibility`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from piccolo.columns.combination import WhereRaw

from fachaustausch.accounts.policy import Principal
from fachaustausch.core import clock
from fachaustausch.core.errors import InvalidInput, NotFound
from fachaustausch.core.ids import possible_id
from fachaustausch.questions import visibility
from fachaustausch.questions.tables import Answer, Question, QuestionInstrument
from fachaustausch.review import policy
from fachaustausch.review.citations import Citation, affects, parse_provision
from fachaustausch.review.models import (
    Cause,
    LegalChangeOut,
    ReviewItemOut,
    ReviewOut,
    ReviewQueueOut,
)
from fachaustausch.review.tables import (
    ContentReview,
    LegalChange,
    LegalChangeProvision,
    PostCitation,
    ReviewTask,
)

# A month as the age rule counts it: the rule is a rough "about two years", not a date.
_MONTH = timedelta(days=30)
# The queue shows at most this many posts at once; the filters narrow it.
QUEUE_LIMIT = 200


@dataclass(frozen=True, slots=True)
class CitingPost:
    post_type: str
    post_id: int
    question_id: int
    provisions: list[str]  # the post's citations the change concerns, as labels


def citation_of(row: dict[str, Any]) -> Citation:
    return Citation(
        law=row["law"],
        kind=row["kind"],
        section=row["section"],
        paragraph=row["paragraph"],
        sentence=row["sentence"],
        number=row["number"],
        following=bool(row["following"]),
        through=row["through"],
    )


async def citing_visible_posts(changed: list[Citation]) -> list[CitingPost]:
    """The visible questions and answers whose stored citations a change of the provisions
    `changed` concerns (citations.affects), in the order they were written."""
    if not changed:
        return []
    where: Any = None
    for (law, kind), sections in _sections_by_law(changed).items():
        # The changed sections, and the citations with "ff." or of a range, which may
        # stand for them; `affects` decides among what this reads.
        term = (
            (PostCitation.law == law)
            & (PostCitation.kind == kind)
            & (
                PostCitation.section.is_in(sorted(sections))
                | PostCitation.following.eq(True)
                | PostCitation.through.is_not_null()
            )
        )
        where = term if where is None else where | term
    rows = await PostCitation.select().where(where).order_by(PostCitation.id).run()
    found: dict[tuple[str, int], CitingPost] = {}
    for row in rows:
        cited = citation_of(row)
        if not any(affects(change, cited) for change in changed):
            continue
        key = (row["post_type"], row["post_id"])
        post = found.setdefault(key, CitingPost(key[0], key[1], row["question_id"], []))
        if row["label"] not in post.provisions:
            post.provisions.append(row["label"])
    visible = await _visible_posts(list(found))
    return [post for key, post in found.items() if key in visible]


def _sections_by_law(changed: list[Citation]) -> dict[tuple[str, str], set[str]]:
    found: dict[tuple[str, str], set[str]] = defaultdict(set)
    for citation in changed:
        found[(citation.law, citation.kind)].add(citation.section)
    return found


async def _visible_posts(keys: list[tuple[str, int]]) -> set[tuple[str, int]]:
    """Which of these posts exist and are visible to members."""
    question_ids = [i for t, i in keys if t == "question"]
    answer_ids = [i for t, i in keys if t == "answer"]
    visible: set[tuple[str, int]] = set()
    if question_ids:
        rows = await (
            Question.select(Question.id)
            .where(Question.id.is_in(question_ids) & WhereRaw(visibility.question_visible()))
            .run()
        )
        visible |= {("question", r["id"]) for r in rows}
    if answer_ids:
        rows = await (
            Answer.select(Answer.id)
            .where(Answer.id.is_in(answer_ids) & WhereRaw(visibility.answer_visible()))
            .run()
        )
        visible |= {("answer", r["id"]) for r in rows}
    return visible


def age_cutoff(months: int, now: datetime | None = None) -> datetime:
    return (now or clock.now()) - months * _MONTH


def _due_by_age_query(months: int) -> Any:
    """Accepted, visible, current answers last reviewed (or, never reviewed, written) before
    the cut-off."""
    return Answer.select(
        Answer.id, Answer.question.as_alias("question_id"), Answer.body, Answer.outdated
    ).where(
        (Answer.accepted == True)  # noqa: E712
        & (Answer.outdated == False)  # noqa: E712
        & WhereRaw(visibility.answer_visible())
        & WhereRaw("COALESCE(answer.reviewed_at, answer.created_at) < {}", age_cutoff(months))
    )


async def due_by_age(answer_id: int, months: int) -> bool:
    rows = await _due_by_age_query(months).where(Answer.id == answer_id).run()
    return bool(rows)


async def queue(
    months: int,
    *,
    provision: Citation | None = None,
    instrument: str | None = None,
    change: int | None = None,
) -> ReviewQueueOut:
    """The posts due for review: those a change put up (open tasks of visible posts), then
    accepted answers due by age. Filtered by a provision the post cites (as a change of it
    would reach it), an instrument of the question, or one change (which leaves out the
    posts due by age)."""
    task_query = ReviewTask.select(
        ReviewTask.post_type,
        ReviewTask.post_id,
        ReviewTask.question_id,
        ReviewTask.change,
        ReviewTask.provisions,
    ).where(ReviewTask.review.is_null())
    if change is not None:
        task_query = task_query.where(ReviewTask.change == change)
    tasks = await task_query.order_by(ReviewTask.id).limit(5 * QUEUE_LIMIT).run()
    items: dict[tuple[str, int], dict[str, Any]] = {}
    for task in tasks:
        key = (task["post_type"], task["post_id"])
        item = items.setdefault(
            key,
            {"question_id": task["question_id"], "cause": Cause.legal_change, "changes": [],
             "provisions": []},
        )  # fmt: skip
        item["changes"].append(task["change"])
        for label in task["provisions"].split("; "):
            if label and label not in item["provisions"]:
                item["provisions"].append(label)
    if change is None:
        for row in await _due_by_age_query(months).order_by(Answer.id).limit(QUEUE_LIMIT).run():
            items.setdefault(
                ("answer", row["id"]),
                {"question_id": row["question_id"], "cause": Cause.age, "changes": [],
                 "provisions": []},
            )  # fmt: skip
    return ReviewQueueOut(items=(await _filled_in(items, provision, instrument))[:QUEUE_LIMIT])


async def _filled_in(
    items: dict[tuple[str, int], dict[str, Any]],
    provision: Citation | None,
    instrument: str | None,
) -> list[ReviewItemOut]:
    """The queue's items with their posts (visible ones only), questions, instruments and
    citations: four queries."""
    if not items:
        return []
    visible_answers: dict[int, dict[str, Any]] = {}
    answer_ids = [i for t, i in items if t == "answer"]
    if answer_ids:
        rows = await (
            Answer.select(Answer.id, Answer.body, Answer.outdated)
            .where(Answer.id.is_in(answer_ids) & WhereRaw(visibility.answer_visible()))
            .run()
        )
        visible_answers = {r["id"]: r for r in rows}
    question_ids = sorted({item["question_id"] for item in items.values()})
    question_rows = await (
        Question.select(Question.id, Question.title, Question.excerpt, Question.hidden)
        .where(Question.id.is_in(question_ids))
        .run()
    )
    questions = {r["id"]: r for r in question_rows}
    tags: dict[int, list[str]] = defaultdict(list)
    for r in await (
        QuestionInstrument.select(
            QuestionInstrument.question, QuestionInstrument.instrument.slug.as_alias("slug")
        )
        .where(QuestionInstrument.question.is_in(question_ids))
        .order_by(QuestionInstrument.id)
        .run()
    ):
        tags[r["question"]].append(r["slug"])
    cited: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for r in await PostCitation.select().where(PostCitation.question_id.is_in(question_ids)).run():
        cited[(r["post_type"], r["post_id"])].append(r)
    result: list[ReviewItemOut] = []
    for (post_type, post_id), item in items.items():
        question = questions.get(item["question_id"])
        if question is None or question["hidden"]:
            continue
        if post_type == "answer" and post_id not in visible_answers:
            continue
        if instrument is not None and instrument not in tags[item["question_id"]]:
            continue
        citations = cited[(post_type, post_id)]
        if provision is not None and not any(affects(provision, citation_of(c)) for c in citations):
            continue
        provisions = item["provisions"] or [c["label"] for c in citations]
        answer = visible_answers.get(post_id) if post_type == "answer" else None
        excerpt = _excerpt(answer["body"]) if answer else question["excerpt"]
        anchor = f"#antwort-{post_id}" if post_type == "answer" else ""
        result.append(
            ReviewItemOut(
                post_type=post_type,
                post_id=post_id,
                question_id=item["question_id"],
                provisions=provisions,
                cause=item["cause"],
                question_title=question["title"],
                excerpt=excerpt,
                url=f"/fragen/{item['question_id']}{anchor}",
                instruments=tags[item["question_id"]],
                changes=item["changes"],
                outdated=bool(answer and answer["outdated"]),
            )
        )
    return result


def _excerpt(text: str, length: int = 240) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= length else flat[: length - 1] + "…"


async def legal_changes() -> list[LegalChangeOut]:
    """Every recorded change, the newest first, in three queries."""
    rows = await (
        LegalChange.select(
            LegalChange.id,
            LegalChange.title,
            LegalChange.note,
            LegalChange.effective_on,
            LegalChange.created_at,
            LegalChange.recorded_by.display_name.as_alias("recorded_by"),
        )
        .order_by(LegalChange.id, ascending=False)
        .run()
    )
    if not rows:
        return []
    ids = [r["id"] for r in rows]
    provisions: dict[int, list[str]] = defaultdict(list)
    for r in await (
        LegalChangeProvision.select(LegalChangeProvision.change, LegalChangeProvision.label)
        .where(LegalChangeProvision.change.is_in(ids))
        .order_by(LegalChangeProvision.id)
        .run()
    ):
        provisions[r["change"]].append(r["label"])
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for r in await (
        ReviewTask.select(ReviewTask.change, ReviewTask.review)
        .where(ReviewTask.change.is_in(ids))
        .run()
    ):
        counts[r["change"]][0] += 1
        counts[r["change"]][1] += r["review"] is None
    return [
        LegalChangeOut(
            id=r["id"],
            title=r["title"],
            note=r["note"],
            effective_on=r["effective_on"],
            provisions=provisions[r["id"]],
            recorded_by=r["recorded_by"],
            created_at=r["created_at"],
            posts=counts[r["id"]][0],
            open=counts[r["id"]][1],
        )
        for r in rows
    ]


async def successor_state(answer_id: int) -> str:
    """ "ok" for a visible, current answer; "outdated" for a visible outdated one;
    "missing" for none that members can see."""
    if not possible_id(answer_id):
        return "missing"
    row = await (
        Answer.select(Answer.outdated)
        .where((Answer.id == answer_id) & WhereRaw(visibility.answer_visible()))
        .first()
        .run()
    )
    if row is None:
        return "missing"
    return "outdated" if row["outdated"] else "ok"


async def review_queue(
    viewer: Principal,
    months: int,
    *,
    provision: str | None = None,
    instrument: str | None = None,
    change: int | None = None,
) -> ReviewQueueOut:
    """The queue as the page and the API show it, to experts and the moderation; a
    provision as typed ("§ 18 AufenthG"), refused with a German message if unreadable."""
    policy.ensure_can_review(viewer)
    parsed = None
    if provision:
        try:
            parsed = parse_provision(provision)
        except ValueError as error:
            raise InvalidInput.for_field("provision", str(error)) from None
    if change is not None and not possible_id(change):
        change = 0
    return await queue(months, provision=parsed, instrument=instrument or None, change=change)


async def all_changes(viewer: Principal) -> list[LegalChangeOut]:
    """The recorded changes, for everyone signed in (they are public law)."""
    return await legal_changes()


async def get_review(review_id: int) -> ReviewOut:
    row = await ContentReview.select().where(ContentReview.id == review_id).first().run()
    if row is None:
        raise NotFound("Diese Prüfung gibt es nicht.")
    return ReviewOut(
        id=row["id"],
        post_type=row["post_type"],
        post_id=row["post_id"],
        action=row["action"],
        cause=Cause(row["cause"]),
        created_at=row["created_at"],
    )
