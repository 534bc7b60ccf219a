"""The question page (the question with its answers and comments) and one answer as that
page shows it. What every viewer of one kind sees alike is read in a fixed number of
queries and kept in the read cache; the viewer's own votes, follow and permissions are
filled in per request."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, cast

from piccolo.columns.combination import WhereRaw

from fachaustausch.accounts.policy import Principal
from fachaustausch.core.errors import NotFound
from fachaustausch.core.ids import possible_id
from fachaustausch.core.markdown import render_plain
from fachaustausch.database import read_cache
from fachaustausch.database.prepared import Param, Prepared, placeholders, prepared
from fachaustausch.questions import policy, visibility
from fachaustausch.questions.models import (
    AnswerOut,
    CitationOut,
    CommentOut,
    Permissions,
    QuestionOut,
)
from fachaustausch.questions.policy import QuestionState
from fachaustausch.questions.queries.lists import (
    SUMMARY_COLUMNS,
    author_columns,
    author_of,
    instruments_of,
    summary,
)
from fachaustausch.questions.queries.states import answer_state
from fachaustausch.questions.tables import Answer, Comment, Question, Vote
from fachaustausch.review.citations import find_citations, law_portal_url
from fachaustausch.review.citing import distinct

_QUESTION = Prepared(
    lambda: (
        Question.select(
            *SUMMARY_COLUMNS,
            Question.body,
            Question.body_html,
            Question.updated_at,
            Question.accepted_answer_id,
            Question.hidden_reason,
            Question.locked_reason,
            Question.closed_note,
            Question.duplicate_of,
            Question.reviewed_at,
            Question.event_id,
        )
        .where(Question.id == Param("id"))
        .limit(1)
    )
)


def _answer_columns() -> tuple[Any, ...]:
    return (
        Answer.id,
        Answer.body,
        Answer.body_html,
        Answer.from_model_site,
        Answer.score,
        Answer.accepted,
        Answer.outdated,
        Answer.outdated_reason,
        Answer.outdated_successor_id,
        Answer.reviewed_at,
        Answer.hidden,
        Answer.hidden_reason,
        Answer.created_at,
        Answer.updated_at,
        *author_columns(Answer.author, Answer.authority),
    )


def _answers_query(with_hidden: bool) -> Prepared:
    def build() -> Any:
        query = (
            Answer.select(*_answer_columns())
            .where(Answer.question == Param("question"))
            # Accepted first, then by score, then oldest.
            .order_by(Answer.accepted, Answer.score, ascending=False)
            .order_by(Answer.created_at, Answer.id)
        )
        return query if with_hidden else query.where(WhereRaw(visibility.answer_visible()))

    return prepared(("answers", with_hidden), build)


_ANSWER = Prepared(
    lambda: Answer.select(*_answer_columns()).where(Answer.id == Param("id")).limit(1)
)
_MY_VOTE = Prepared(
    lambda: (
        Vote.select(Vote.id, Vote.value)
        .where(
            (Vote.user == Param("user"))
            & (Vote.target_type == Param("type"))
            & (Vote.target_id == Param("target"))
        )
        .limit(1)
    )
)


def _comments_query(with_hidden: bool, of: str = "question") -> Prepared:
    """The comments of a question (`of="question"`, on it and its answers) or of one
    answer (`of="answer"`), oldest first."""

    def build() -> Any:
        author = cast(Any, Comment.author)
        query = (
            Comment.select(
                Comment.id,
                Comment.body,
                Comment.answer.as_alias("answer_id"),
                Comment.created_at,
                Comment.hidden,
                *author_columns(author, author.authority),
            )
            .where(getattr(Comment, of) == Param("parent"))
            .order_by(Comment.created_at, Comment.id)
        )
        return query if with_hidden else query.where(WhereRaw(visibility.comment_visible()))

    return prepared(("comments", with_hidden, of), build)


def _comment_out(c: dict[str, Any]) -> CommentOut:
    return CommentOut(
        id=c["id"],
        body=c["body"],
        body_html=render_plain(c["body"]),
        author=author_of(c),
        answer_id=c["answer_id"],
        created_at=c["created_at"],
        hidden=c["hidden"],
    )


_NOTHING_ALLOWED = Permissions()


def citations_in(text: str) -> list[CitationOut]:
    """The provisions a text cites, each once, linked to the law portal. Read from the text
    the page shows, by the same parser that stored them (`review.citing`)."""
    return [
        CitationOut(label=c.label, url=law_portal_url(c)) for c in distinct(find_citations(text))
    ]


def _answer_out(
    a: dict[str, Any],
    question: QuestionState,
    comments: list[CommentOut],
    my_vote: int = 0,
    can: Permissions = _NOTHING_ALLOWED,
) -> AnswerOut:
    return AnswerOut(
        id=a["id"],
        question_id=question.id,
        body=a["body"],
        body_html=a["body_html"],
        author=author_of(a),
        from_model_site=a["from_model_site"],
        score=a["score"],
        accepted=a["accepted"],
        outdated=a["outdated"],
        outdated_reason=a["outdated_reason"],
        outdated_successor_id=a["outdated_successor_id"],
        reviewed_at=a["reviewed_at"],
        citations=citations_in(a["body"]),
        hidden=a["hidden"],
        hidden_reason=a["hidden_reason"],
        created_at=a["created_at"],
        updated_at=a["updated_at"],
        edited=a["updated_at"] > a["created_at"],
        comments=comments,
        my_vote=my_vote,
        can=can,
    )


async def get_answer(viewer: Principal, answer_id: int) -> AnswerOut:
    """One answer as its question's page shows it (comments, the viewer's vote, what they
    may do), in four queries, without loading the rest of the page."""
    state = await answer_state(answer_id)
    policy.ensure_answer_visible(viewer, state)
    row = await _ANSWER.first(id=answer_id)
    if row is None:  # deleted in between
        raise NotFound(policy.ANSWER_NOT_FOUND)
    comments = await _comments_query(viewer.is_moderator, of="answer").rows(parent=answer_id)
    vote = await _MY_VOTE.first(user=viewer.id, type="answer", target=answer_id)
    my_vote = vote["value"] if vote else 0
    comments_out = [_comment_out(c) for c in comments]
    can = policy.answer_permissions(viewer, state)
    return _answer_out(row, state.question, comments_out, my_vote, can)


@dataclass(frozen=True)
class _Thread:
    """What a question page shows alike to every viewer of one kind (moderator or not): the
    page with no vote, no follow and no permissions yet, which `get_question` fills in."""

    state: QuestionState
    question: QuestionOut
    text_length: int  # characters of every text and its HTML: what it weighs in memory
    # The page as filled in for a viewer, by everything filled in: most viewers have not
    # voted and may do the same, and they get the very same page (at most MAX_VIEWS).
    views: dict[_ViewerPart, QuestionOut] = field(default_factory=dict, compare=False)


# What differs between viewers of one kind: their vote, follow and permissions on the
# question, and their vote and permissions on each answer in order.
_ViewerPart = tuple[int, bool, Permissions, tuple[tuple[int, Permissions], ...]]

# Each view shares the thread's texts and is small. Viewers with votes of their own differ
# from everyone else, so past this many a thread's views are built per request.
MAX_VIEWS = 16


async def _thread(question_id: int, with_hidden: bool) -> _Thread | None:
    row = await _QUESTION.first(id=question_id)
    if not row:
        return None
    instruments = await instruments_of([question_id])
    answers = await _answers_query(with_hidden).rows(question=question_id)
    comments_by_answer: dict[int | None, list[CommentOut]] = defaultdict(list)
    text_length = len(row["body"]) + len(row["body_html"])
    text_length += sum(len(a["body"]) + len(a["body_html"]) for a in answers)
    for c in await _comments_query(with_hidden).rows(parent=question_id):
        comment = _comment_out(c)
        comments_by_answer[c["answer_id"]].append(comment)
        text_length += len(comment.body) + len(comment.body_html)
    state = QuestionState(
        row["id"], row["author_id"], row["hidden"], row["locked"], row["closed_reason"]
    )
    question = QuestionOut(
        **summary(row, instruments.get(question_id, [])).model_dump(),
        body=row["body"],
        body_html=row["body_html"],
        updated_at=row["updated_at"],
        edited=row["updated_at"] > row["created_at"],
        accepted_answer_id=row["accepted_answer_id"],
        hidden_reason=row["hidden_reason"],
        locked_reason=row["locked_reason"],
        closed_note=row["closed_note"],
        duplicate_of=row["duplicate_of"],
        reviewed_at=row["reviewed_at"],
        citations=citations_in(f"{row['title']}\n{row['body']}"),
        event_id=row["event_id"],
        answers=[_answer_out(a, state, comments_by_answer.get(a["id"], [])) for a in answers],
        comments=comments_by_answer.get(None, []),
        my_vote=0,
        following=False,
        can=_NOTHING_ALLOWED,
    )
    return _Thread(state, question, text_length)


# A thread's texts take a multiple of their length in the cache (the Markdown and its
# HTML, the read model); past this many characters a thread is read every time, so the
# thread cache stays small however long the longest threads are.
MAX_CACHED_THREAD_CHARACTERS = 32_000


def _small_thread(thread: _Thread | None) -> bool:
    return thread is None or thread.text_length <= MAX_CACHED_THREAD_CHARACTERS


async def get_question(viewer: Principal, question_id: int) -> QuestionOut:
    """The question page: five queries, however many answers and comments it has; one
    (the viewer's votes and follow) when the thread comes from the read cache. Viewers to
    whom it shows the same (votes, follow, permissions) get the same object while the
    thread is cached: callers must not change it (read models are frozen)."""
    if not possible_id(question_id):
        raise NotFound(policy.QUESTION_NOT_FOUND)
    with_hidden = viewer.is_moderator
    thread = await read_cache.threads(
        ("thread", question_id, with_hidden),
        lambda: _thread(question_id, with_hidden),
        keep=_small_thread,
    )
    if thread is None:
        raise NotFound(policy.QUESTION_NOT_FOUND)
    state, question = thread.state, thread.question
    policy.ensure_visible(viewer, state)

    answer_ids = [a.id for a in question.answers] or [0]
    names = [f"a{n}" for n in range(len(answer_ids))]
    rows = await prepared(("viewer_part", len(names)), lambda: _viewer_part_query(names)).rows(
        viewer=viewer.id, question=question_id, **dict(zip(names, answer_ids, strict=True))
    )
    my_votes = {(r["target_type"], r["target_id"]): r["value"] for r in rows}
    following = my_votes.pop(("follow", question_id), None) is not None

    answers = question.answers
    cans = policy.answers_permissions(viewer, state, [(a.author.id, a.hidden) for a in answers])
    part: _ViewerPart = (
        my_votes.get(("question", question_id), 0),
        following,
        policy.question_permissions(viewer, state),
        tuple(
            (my_votes.get(("answer", a.id), 0), can) for a, can in zip(answers, cans, strict=True)
        ),
    )
    view = thread.views.get(part)
    if view is None:
        view = _filled_in(question, part)
        if len(thread.views) < MAX_VIEWS:
            thread.views[part] = view
    return view


def _viewer_part_query(answer_params: list[str]) -> Any:
    """The viewer's votes on the question and its answers, and a row ("follow", question,
    1) if they follow it: one round trip. Raw SQL for the UNION, which Piccolo's select
    lacks. The user stands in each branch, so that each seeks the (user, type, id) index:
    outside the OR, SQLite read every vote the viewer ever cast."""
    in_answers, answers = placeholders(answer_params)
    sql = (
        'SELECT target_type, target_id, value FROM vote WHERE ("user" = {} AND '  # noqa: S608
        "target_type = 'question' AND target_id = {}) OR (\"user\" = {} AND "
        f"target_type = 'answer' AND target_id IN ({in_answers})) "
        "UNION ALL SELECT 'follow' AS target_type, question AS target_id, 1 AS value "
        'FROM follow WHERE "user" = {} AND question = {}'
    )
    return Vote.raw(
        sql,
        Param("viewer"),
        Param("question"),
        Param("viewer"),
        *answers,
        Param("viewer"),
        Param("question"),
    )


def _filled_in(question: QuestionOut, part: _ViewerPart) -> QuestionOut:
    """Copies that share the thread's parts (read models are frozen): no validation."""
    my_vote, following, can, answer_parts = part
    answers = [
        a.model_copy(update={"my_vote": vote, "can": answer_can})
        for a, (vote, answer_can) in zip(question.answers, answer_parts, strict=True)
    ]
    return question.model_copy(
        update={"answers": answers, "my_vote": my_vote, "following": following, "can": can}
    )
