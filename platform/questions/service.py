"""Questions and answers: one function per user action, each one transaction.

Reads load a whole page in a fixed number of queries (no query per item), and every write
that changes what search shows records an outbox row in the same transaction."""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Count, Sum

from fachaustausch import database
from fachaustausch.accounts.policy import AuthorityKind, Principal
from fachaustausch.accounts.tables import Authority, UserInstrument
from fachaustausch.core import clock, events
from fachaustausch.core.errors import FieldError, InvalidInput, NotFound
from fachaustausch.core.events import EventKind
from fachaustausch.core.ids import possible_id
from fachaustausch.core.keyset import Position
from fachaustausch.core.markdown import render, render_plain
from fachaustausch.core.outbox import EntityType, enqueue
from fachaustausch.core.schemas import AuthorOut, CornerstoneTagOut, TagOut
from fachaustausch.database import read_cache
from fachaustausch.database.prepared import Param, Prepared, placeholders, prepared
from fachaustausch.privacy.refusal import ensure_anonymous
from fachaustausch.questions import policy, visibility
from fachaustausch.questions.models import (
    AnswerEdit,
    AnswerInput,
    AnswerOut,
    AuthorityRefOut,
    CommentInput,
    CommentOut,
    EditorOut,
    Permissions,
    QuestionEdit,
    QuestionInput,
    QuestionOut,
    QuestionSummaryOut,
    RevisionOut,
    Sort,
    Status,
    StatusCountsOut,
    VoteOut,
)
from fachaustausch.questions.policy import AnswerState, QuestionState
from fachaustausch.questions.tables import (
    Answer,
    Comment,
    Follow,
    Question,
    QuestionInstrument,
    Revision,
    Vote,
)
from fachaustausch.toolbox.tables import Cornerstone, Instrument

EXCERPT_LENGTH = 240


def question_url(question_id: int) -> str:
    return f"/fragen/{question_id}"


_INLINE_TAGS = re.compile(r"</?(?:a|strong|em|s|del|code)\b[^>]*>")
_TAGS = re.compile(r"<[^>]+>")


def _excerpt(body_html: str) -> str:
    """Plain text from the rendered body: markup gone, words and punctuation kept together
    (`ein **Terminsystem**.` gives `ein Terminsystem.`)."""
    text = html.unescape(_TAGS.sub(" ", _INLINE_TAGS.sub("", body_html)))
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT_LENGTH else text[: EXCERPT_LENGTH - 1].rstrip() + "…"


# --- filters and sorting ----------------------------------------------------------------------


@dataclass(frozen=True)
class QuestionFilters:
    cornerstone: str | None = None
    instrument: str | None = None
    status: Status | None = None
    authority: str | None = None
    directed_to: str | None = None
    mine: bool = False
    for_me: bool = False


# (column, descending) per sort; the id breaks ties so the keyset order is total.
_SORT_KEYS: dict[Sort, tuple[Any, str]] = {
    Sort.newest: (Question.created_at, "created_at"),
    Sort.unanswered: (Question.created_at, "created_at"),
    Sort.activity: (Question.last_activity_at, "last_activity_at"),
    Sort.votes: (Question.score, "score"),
}


def _result_key(shape: tuple[Any, ...], values: dict[str, Any]) -> tuple[Any, ...]:
    """The read cache's key for what a prepared query of `shape` gives for `values`."""
    return (*shape, *sorted(values.items()))


async def _id_of(table: Any, slug: str, field: str, message: str) -> int:
    shape = ("id_of", table)
    by_slug = prepared(
        shape, lambda: table.select(table.id).where(table.slug == Param("slug")).limit(1)
    )
    row = await read_cache.shared(
        _result_key(shape, {"slug": slug}), lambda: by_slug.first(slug=slug)
    )
    if not row:
        raise InvalidInput.for_field(field, message)
    return int(row["id"])


@dataclass(frozen=True)
class _Where:
    """A filter set as the shape of its WHERE clause (which conditions apply: the key of
    the prepared query) and the values bound to it."""

    shape: tuple[str, ...]
    values: dict[str, Any]


async def _where(viewer: Principal, filters: QuestionFilters) -> _Where:
    """Resolves a filter set; unknown slugs are refused, not ignored."""
    shape: list[str] = []
    values: dict[str, Any] = {}
    if not viewer.is_moderator:
        shape.append("visible")
    if filters.cornerstone:
        shape.append("cornerstone")
        values["cornerstone"] = await _id_of(
            Cornerstone, filters.cornerstone, "cornerstone", UNKNOWN_CORNERSTONE
        )
    if filters.instrument:
        shape.append("instrument")
        values["instrument"] = await _id_of(
            Instrument, filters.instrument, "instrument", UNKNOWN_INSTRUMENT
        )
    if filters.status:
        shape.append("status")
        values["status"] = filters.status.value
    if filters.authority:
        shape.append("authority")
        values["authority"] = await _id_of(
            Authority, filters.authority, "authority", UNKNOWN_AUTHORITY
        )
    if filters.directed_to:
        shape.append("directed_to")
        values["directed_to"] = await _id_of(
            Authority, filters.directed_to, "directed_to", UNKNOWN_AUTHORITY
        )
    if filters.mine:
        shape.append("mine")
        values["viewer"] = viewer.id
    if filters.for_me:
        shape.append("for_me")
        values["viewer"] = viewer.id
        values["viewer_authority"] = viewer.authority_id
    return _Where(tuple(shape), values)


def _clauses(shape: tuple[str, ...]) -> list[Any]:
    """The Piccolo conditions of a filter shape, with parameters for the values."""
    clauses: list[Any] = []
    for name in shape:
        if name == "visible":
            clauses.append(WhereRaw(visibility.question_visible()))
        elif name == "instrument" and "cornerstone" in shape:
            # Within a cornerstone, walk its questions in list order and probe each one's
            # tags (index question_instrument_once): a page costs a few dozen look-ups.
            # An IN list would fetch and sort every question of a popular instrument.
            clauses.append(
                WhereRaw(
                    "EXISTS (SELECT 1 FROM question_instrument WHERE "
                    "question_instrument.question = question.id AND "
                    "question_instrument.instrument = {})",
                    Param("instrument"),
                )
            )
        elif name == "instrument":
            clauses.append(
                Question.id.is_in(
                    QuestionInstrument.select(QuestionInstrument.question).where(
                        QuestionInstrument.instrument == Param("instrument")
                    )
                )
            )
        elif name == "mine":
            clauses.append(Question.author == Param("viewer"))
        elif name == "for_me":
            clauses.append(_routed_to())
        else:  # cornerstone, status, authority, directed_to: a column equal to the value
            clauses.append(getattr(Question, name) == Param(name))
    return clauses


def _routed_to() -> Any:
    """Unanswered questions of the viewer's instruments or directed to their authority; only
    those they can answer (not locked, not closed) and did not ask themselves."""
    mine = UserInstrument.select(UserInstrument.instrument).where(
        UserInstrument.user == Param("viewer")
    )
    tagged = QuestionInstrument.select(QuestionInstrument.question).where(
        QuestionInstrument.instrument.is_in(mine)
    )
    return (
        (Question.answer_count == 0)
        & Question.locked.eq(False)
        & (Question.closed_reason == "")
        & (Question.author != Param("viewer"))
        & (Question.id.is_in(tagged) | (Question.directed_to == Param("viewer_authority")))
    )


UNKNOWN_CORNERSTONE = "Diesen Eckpunkt gibt es nicht."
UNKNOWN_INSTRUMENT = "Dieses Instrument gibt es nicht."
UNKNOWN_AUTHORITY = "Diese Behörde ist nicht bekannt."


# --- reading ----------------------------------------------------------------------------------


def _author_columns(author: Any, authority: Any) -> tuple[Any, ...]:
    """The columns `_author` reads, from a post's author and authority (the authority the
    post was written for, or the author's own)."""
    return (
        author.id.as_alias("author_id"),
        author.display_name.as_alias("author_name"),
        authority.slug.as_alias("authority_slug"),
        authority.name.as_alias("authority_name"),
        authority.kind.as_alias("authority_kind"),
    )


def _author(row: dict[str, Any]) -> AuthorOut:
    return AuthorOut(
        id=row["author_id"],
        display_name=row["author_name"],
        authority=row["authority_slug"],
        authority_name=row["authority_name"],
        authority_kind=row["authority_kind"],
    )


_SUMMARY_COLUMNS = (
    Question.id,
    Question.title,
    Question.excerpt,
    Question.status,
    Question.score,
    Question.answer_count,
    Question.created_at,
    Question.last_activity_at,
    Question.hidden,
    Question.locked,
    Question.closed_reason,
    Question.cornerstone.slug.as_alias("cs_slug"),
    Question.cornerstone.number.as_alias("cs_number"),
    Question.cornerstone.title.as_alias("cs_title"),
    *_author_columns(Question.author, Question.authority),
    Question.directed_to.slug.as_alias("directed_slug"),
    Question.directed_to.name.as_alias("directed_name"),
)


def _summary(row: dict[str, Any], instruments: list[TagOut]) -> QuestionSummaryOut:
    status = Status(row["status"])
    return QuestionSummaryOut(
        id=row["id"],
        title=row["title"],
        excerpt=row["excerpt"],
        url=question_url(row["id"]),
        cornerstone=CornerstoneTagOut(
            slug=row["cs_slug"], number=row["cs_number"], title=row["cs_title"]
        ),
        instruments=instruments,
        author=_author(row),
        directed_to=AuthorityRefOut(slug=row["directed_slug"], name=row["directed_name"])
        if row["directed_slug"]
        else None,
        status=status,
        status_label=status.label,
        score=row["score"],
        answer_count=row["answer_count"],
        created_at=row["created_at"],
        last_activity_at=row["last_activity_at"],
        hidden=row["hidden"],
        locked=row["locked"],
        closed_reason=row["closed_reason"],
    )


async def _instruments_of(question_ids: list[int]) -> dict[int, list[TagOut]]:
    if not question_ids:
        return {}
    names = [f"q{n}" for n in range(len(question_ids))]
    tags_of = prepared(
        ("instruments_of", len(question_ids)),
        lambda: (
            QuestionInstrument.select(
                QuestionInstrument.question.as_alias("question_id"),
                QuestionInstrument.instrument.slug.as_alias("slug"),
                QuestionInstrument.instrument.title.as_alias("title"),
            )
            .where(QuestionInstrument.question.is_in([Param(name) for name in names]))
            .order_by(QuestionInstrument.id)
        ),
    )
    rows = await tags_of.rows(**dict(zip(names, question_ids, strict=True)))
    result: dict[int, list[TagOut]] = defaultdict(list)
    for row in rows:
        result[row["question_id"]].append(TagOut(slug=row["slug"], title=row["title"]))
    return result


def _position_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


async def list_questions(
    viewer: Principal,
    filters: QuestionFilters,
    sort: Sort = Sort.newest,
    limit: int = 20,
    after: Position | None = None,
) -> tuple[tuple[QuestionSummaryOut, ...], Position | None]:
    """One page in three queries at most (slug look-ups aside), however long the list.
    While the read cache holds the page, every caller gets the very same tuple."""
    if sort is Sort.unanswered:
        filters = QuestionFilters(**{**filters.__dict__, "status": Status.open})
    where = await _where(viewer, filters)
    column, key = _SORT_KEYS[sort]
    values = dict(where.values)
    if after is not None:
        value = after.value
        if key != "score":
            try:
                value = datetime.fromisoformat(str(value))
            except ValueError:
                raise InvalidInput.for_field("cursor", "Der Seitenverweis ist ungültig.") from None
        elif not isinstance(value, int):
            raise InvalidInput.for_field("cursor", "Der Seitenverweis ist ungültig.")
        values["after_value"], values["after_id"] = value, after.id

    def build() -> Any:
        query = Question.select(*_SUMMARY_COLUMNS).order_by(column, Question.id, ascending=False)
        for clause in _clauses(where.shape):
            query = query.where(clause)
        if after is not None:
            # "at most the value" first: a range the (…, sort key, id) index can seek to,
            # where the OR alone would make the database scan from the top of the list.
            query = query.where(
                (column <= Param("after_value"))
                & ((column < Param("after_value")) | (Question.id < Param("after_id")))
            )
        return query.limit(limit + 1)

    shape = ("questions", sort, where.shape, after is not None, limit)
    page = prepared(shape, build)

    async def load() -> tuple[tuple[QuestionSummaryOut, ...], Position | None]:
        rows = await page.rows(**values)
        more = len(rows) > limit
        rows = rows[:limit]
        instruments = await _instruments_of([r["id"] for r in rows])
        items = tuple(_summary(r, instruments.get(r["id"], [])) for r in rows)
        last = rows[-1] if more and rows else None
        return items, Position(_position_value(last[key]), last["id"]) if last else None

    # The rows depend on the resolved filters alone (visibility is part of the shape).
    return await read_cache.shared(_result_key(shape, values), load)


async def status_counts(viewer: Principal, filters: QuestionFilters) -> StatusCountsOut:
    """Counts per status for the list's tabs, in one grouped query."""
    where = await _where(viewer, QuestionFilters(**{**filters.__dict__, "status": None}))

    def build() -> Any:
        query = Question.select(Question.status, Count(alias="n")).group_by(Question.status)
        for clause in _clauses(where.shape):
            query = query.where(clause)
        return query

    shape = ("status_counts", where.shape)
    by_status = prepared(shape, build)

    async def load() -> dict[str, int]:
        return {row["status"]: row["n"] for row in await by_status.rows(**where.values)}

    counts = await read_cache.shared(_result_key(shape, where.values), load)
    return StatusCountsOut(
        all=sum(counts.values()),
        open=counts.get("open", 0),
        answered=counts.get("answered", 0),
        solved=counts.get("solved", 0),
    )


# What every write checks first: built once (see fachaustausch.database.prepared).
_QUESTION_STATE = Prepared(
    lambda: (
        Question.select(
            Question.id, Question.author, Question.hidden, Question.locked, Question.closed_reason
        )
        .where(Question.id == Param("id"))
        .limit(1)
    )
)
_ANSWER_STATE = Prepared(
    lambda: (
        Answer.select(
            Answer.id,
            Answer.author,
            Answer.hidden,
            Answer.question.id.as_alias("q_id"),
            Answer.question.author.as_alias("q_author"),
            Answer.question.hidden.as_alias("q_hidden"),
            Answer.question.locked.as_alias("q_locked"),
            Answer.question.closed_reason.as_alias("q_closed"),
        )
        .where(Answer.id == Param("id"))
        .limit(1)
    )
)


async def _question_state(question_id: int) -> QuestionState:
    if not possible_id(question_id):
        raise NotFound(policy.QUESTION_NOT_FOUND)
    row = await _QUESTION_STATE.first(id=question_id)
    if not row:
        raise NotFound(policy.QUESTION_NOT_FOUND)
    return QuestionState(
        row["id"], row["author"], row["hidden"], row["locked"], row["closed_reason"]
    )


async def _answer_state(answer_id: int) -> AnswerState:
    if not possible_id(answer_id):
        raise NotFound(policy.ANSWER_NOT_FOUND)
    row = await _ANSWER_STATE.first(id=answer_id)
    if not row:
        raise NotFound(policy.ANSWER_NOT_FOUND)
    question = QuestionState(
        row["q_id"], row["q_author"], row["q_hidden"], row["q_locked"], row["q_closed"]
    )
    return AnswerState(row["id"], row["author"], row["hidden"], question)


_QUESTION = Prepared(
    lambda: (
        Question.select(
            *_SUMMARY_COLUMNS,
            Question.body,
            Question.body_html,
            Question.updated_at,
            Question.accepted_answer_id,
            Question.hidden_reason,
            Question.locked_reason,
            Question.closed_note,
            Question.duplicate_of,
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
        Answer.hidden,
        Answer.hidden_reason,
        Answer.created_at,
        Answer.updated_at,
        *_author_columns(Answer.author, Answer.authority),
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
                *_author_columns(author, author.authority),
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
        author=_author(c),
        answer_id=c["answer_id"],
        created_at=c["created_at"],
        hidden=c["hidden"],
    )


_NOTHING_ALLOWED = Permissions()


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
        author=_author(a),
        from_model_site=a["from_model_site"],
        score=a["score"],
        accepted=a["accepted"],
        outdated=a["outdated"],
        outdated_reason=a["outdated_reason"],
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
    state = await _answer_state(answer_id)
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

# Each view shares the thread's texts: a few KB. Viewers with votes of their own differ
# from everyone else, so past this many a thread's views are built per request.
MAX_VIEWS = 16


async def _thread(question_id: int, with_hidden: bool) -> _Thread | None:
    row = await _QUESTION.first(id=question_id)
    if not row:
        return None
    instruments = await _instruments_of([question_id])
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
    summary = _summary(row, instruments.get(question_id, []))
    question = QuestionOut(
        **summary.model_dump(),
        body=row["body"],
        body_html=row["body_html"],
        updated_at=row["updated_at"],
        edited=row["updated_at"] > row["created_at"],
        accepted_answer_id=row["accepted_answer_id"],
        hidden_reason=row["hidden_reason"],
        locked_reason=row["locked_reason"],
        closed_note=row["closed_note"],
        duplicate_of=row["duplicate_of"],
        answers=[_answer_out(a, state, comments_by_answer.get(a["id"], [])) for a in answers],
        comments=comments_by_answer.get(None, []),
        my_vote=0,
        following=False,
        can=_NOTHING_ALLOWED,
    )
    return _Thread(state, question, text_length)


# A thread of the benchmark's data (ten answers of 670 characters) takes about 25 KB in
# the cache; one of at most this many characters of text about 100 KB, so 512 cached
# threads stay near 50 MB even if all were that long. Longer ones are read every time.
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
    outside the OR, SQLite read every vote the viewer ever cast (0.2 ms for 1,500)."""
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


# --- writing ----------------------------------------------------------------------------------


async def _tag_ids(cornerstone: str, instruments: list[str]) -> tuple[int, list[int]]:
    """Resolves slugs, refusing unknown ones with the field that named them."""
    cornerstone_id = await _id_of(Cornerstone, cornerstone, "cornerstone", UNKNOWN_CORNERSTONE)
    if not instruments:
        return cornerstone_id, []
    rows = (
        await Instrument.select(Instrument.id, Instrument.slug)
        .where(Instrument.slug.is_in(instruments))
        .run()
    )
    ids = {r["slug"]: r["id"] for r in rows}
    missing = [i for i, slug in enumerate(instruments) if slug not in ids]
    if missing:
        errors = [FieldError(f"instruments.{i}", UNKNOWN_INSTRUMENT) for i in missing]
        raise InvalidInput(f"{UNKNOWN_INSTRUMENT} ({instruments[missing[0]]})", errors)
    return cornerstone_id, [ids[slug] for slug in instruments]


async def _directed_to_id(slug: str | None) -> int | None:
    if not slug:
        return None
    row = (
        await Authority.select(Authority.id, Authority.kind)
        .where(Authority.slug == slug)
        .first()
        .run()
    )
    if not row:
        raise InvalidInput.for_field("directed_to", UNKNOWN_AUTHORITY)
    if row["kind"] != AuthorityKind.model_site:
        raise InvalidInput.for_field(
            "directed_to", "Fragen lassen sich nur an einen Modellstandort richten."
        )
    return int(row["id"])


async def ask(actor: Principal, data: QuestionInput) -> int:
    ensure_anonymous({"title": data.title, "body": data.body})
    cornerstone_id, instrument_ids = await _tag_ids(data.cornerstone, data.instruments)
    directed_to = await _directed_to_id(data.directed_to)
    now = clock.now()
    # Rendered before the transaction: the write lock is held for the writes alone.
    body_html = render(data.body)
    async with database.transaction():
        rows = await Question.insert(
            Question(
                title=data.title,
                body=data.body,
                body_html=body_html,
                excerpt=_excerpt(body_html),
                cornerstone=cornerstone_id,
                author=actor.id,
                authority=actor.authority_id,
                directed_to=directed_to,
                # One timestamp: separate column defaults differ by microseconds and a
                # fresh post would look edited.
                created_at=now,
                updated_at=now,
                last_activity_at=now,
            )
        ).run()
        question_id = int(rows[0]["id"])
        await _set_instruments(question_id, instrument_ids)
        # Askers follow their own question.
        await Follow.insert(Follow(user=actor.id, question=question_id)).run()
        await enqueue(EntityType.question, question_id)
        await events.record(EventKind.question_created, "question", question_id, actor.id)
    return question_id


async def _set_instruments(question_id: int, instrument_ids: list[int]) -> None:
    await QuestionInstrument.delete().where(QuestionInstrument.question == question_id).run()
    if instrument_ids:
        await QuestionInstrument.insert(
            *(QuestionInstrument(question=question_id, instrument=i) for i in instrument_ids)
        ).run()


async def edit_question(actor: Principal, question_id: int, data: QuestionEdit) -> None:
    state = await _question_state(question_id)
    policy.ensure_can_edit(actor, state, state.author_id)
    ensure_anonymous({"title": data.title, "body": data.body, "reason": data.reason})
    tags = None
    if data.cornerstone is not None or data.instruments is not None:
        current = (
            await Question.select(Question.cornerstone.slug.as_alias("slug"))
            .where(Question.id == question_id)
            .first()
            .run()
        )
        assert current is not None
        current_instruments = [
            t.slug for t in (await _instruments_of([question_id])).get(question_id, [])
        ]
        tags = await _tag_ids(
            data.cornerstone or current["slug"],
            data.instruments if data.instruments is not None else current_instruments,
        )
    body_html = render(data.body) if data.body is not None else None
    async with database.transaction():
        old = (
            await Question.select(Question.title, Question.body)
            .where(Question.id == question_id)
            .first()
            .run()
        )
        assert old is not None
        values: dict[Any, Any] = {
            Question.updated_at: clock.now(),
            Question.last_activity_at: clock.now(),
        }
        if data.title is not None:
            values[Question.title] = data.title
        if body_html is not None:
            values[Question.body] = data.body
            values[Question.body_html] = body_html
            values[Question.excerpt] = _excerpt(body_html)
        if tags is not None:
            values[Question.cornerstone] = tags[0]
            await _set_instruments(question_id, tags[1])
        if data.title is not None or data.body is not None:
            await Revision.insert(
                Revision(
                    target_type="question",
                    target_id=question_id,
                    title=old["title"],
                    body=old["body"],
                    editor=actor.id,
                    reason=data.reason,
                )
            ).run()
        await Question.update(values).where(Question.id == question_id).run()
        await enqueue(EntityType.question, question_id)


async def _revisions(target_type: str, target_id: int) -> list[RevisionOut]:
    rows = (
        await Revision.select(
            Revision.id,
            Revision.title,
            Revision.body,
            Revision.reason,
            Revision.created_at,
            Revision.editor.id.as_alias("editor_id"),
            Revision.editor.display_name.as_alias("editor_name"),
        )
        .where((Revision.target_type == target_type) & (Revision.target_id == target_id))
        .order_by(Revision.id, ascending=False)
        .run()
    )
    return [
        RevisionOut(
            id=r["id"],
            title=r["title"],
            body=r["body"],
            reason=r["reason"],
            created_at=r["created_at"],
            editor=EditorOut(id=r["editor_id"], display_name=r["editor_name"]),
        )
        for r in rows
    ]


async def question_revisions(viewer: Principal, question_id: int) -> list[RevisionOut]:
    policy.ensure_visible(viewer, await _question_state(question_id))
    return await _revisions("question", question_id)


async def answer_revisions(viewer: Principal, answer_id: int) -> list[RevisionOut]:
    policy.ensure_answer_visible(viewer, await _answer_state(answer_id))
    return await _revisions("answer", answer_id)


async def _refresh_question(question_id: int) -> None:
    """Derives answer count, status and accepted answer from the visible answers."""
    visible = (Answer.question == question_id) & Answer.hidden.eq(False)
    count = await Answer.count().where(visible).run()
    accepted = (
        await Answer.select(Answer.id).where(visible & Answer.accepted.eq(True)).first().run()
    )
    status = Status.solved if accepted else Status.answered if count else Status.open
    await (
        Question.update(
            {
                Question.answer_count: count,
                Question.status: status,
                Question.accepted_answer_id: accepted["id"] if accepted else None,
            }
        )
        .where(Question.id == question_id)
        .run()
    )


async def refresh_question(question_id: int) -> None:
    """Re-derives a question's status after its answers changed outside this module (hiding
    or restoring an answer in moderation); runs in the caller's transaction, if any."""
    await _refresh_question(question_id)


async def answer(actor: Principal, question_id: int, data: AnswerInput) -> int:
    state = await _question_state(question_id)
    policy.ensure_can_answer(actor, state)
    ensure_anonymous({"body": data.body})
    now = clock.now()
    body_html = render(data.body)
    async with database.transaction():
        rows = await Answer.insert(
            Answer(
                question=question_id,
                body=data.body,
                body_html=body_html,
                author=actor.id,
                authority=actor.authority_id,
                from_model_site=actor.is_model_site_expert,
                created_at=now,
                updated_at=now,
            )
        ).run()
        await (
            Question.update({Question.last_activity_at: now})
            .where(Question.id == question_id)
            .run()
        )
        await _refresh_question(question_id)
        await enqueue(EntityType.question, question_id)
        await events.record(EventKind.answer_created, "answer", rows[0]["id"], actor.id)
    return int(rows[0]["id"])


async def edit_answer(actor: Principal, answer_id: int, data: AnswerEdit) -> None:
    state = await _answer_state(answer_id)
    policy.ensure_answer_visible(actor, state)
    policy.ensure_can_edit(actor, state.question, state.author_id)
    ensure_anonymous({"body": data.body, "reason": data.reason})
    body_html = render(data.body)
    async with database.transaction():
        old = await Answer.select(Answer.body).where(Answer.id == answer_id).first().run()
        assert old is not None
        await Revision.insert(
            Revision(
                target_type="answer",
                target_id=answer_id,
                body=old["body"],
                editor=actor.id,
                reason=data.reason,
            )
        ).run()
        await (
            Answer.update(
                {
                    Answer.body: data.body,
                    Answer.body_html: body_html,
                    Answer.updated_at: clock.now(),
                }
            )
            .where(Answer.id == answer_id)
            .run()
        )
        await (
            Question.update({Question.last_activity_at: clock.now()})
            .where(Question.id == state.question.id)
            .run()
        )
        await enqueue(EntityType.question, state.question.id)


async def accept(actor: Principal, answer_id: int) -> None:
    """Marks the one accepted answer; accepting another moves the mark."""
    state = await _answer_state(answer_id)
    policy.ensure_answer_visible(actor, state)
    policy.ensure_can_accept(actor, state)
    qid = state.question.id
    async with database.transaction():
        await Answer.update({Answer.accepted: False}).where(Answer.question == qid).run()
        await Answer.update({Answer.accepted: True}).where(Answer.id == answer_id).run()
        await _refresh_question(qid)
        await (
            Question.update({Question.last_activity_at: clock.now()})
            .where(Question.id == qid)
            .run()
        )
        await enqueue(EntityType.question, qid)
        await events.record(EventKind.answer_accepted, "answer", answer_id, actor.id)


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
_SET_VOTE = Prepared(
    lambda: Vote.insert(
        Vote(
            user=Param("user"),
            target_type=Param("type"),
            target_id=Param("target"),
            value=Param("value"),
            # A default would be evaluated once, when the statement is compiled.
            created_at=Param("now"),
        )
    ).on_conflict(
        target=(Vote.user, Vote.target_type, Vote.target_id),
        action="DO UPDATE",
        values=[Vote.value],
    )
)
_WITHDRAW_VOTE = Prepared(
    lambda: Vote.delete().where(
        (Vote.user == Param("user"))
        & (Vote.target_type == Param("type"))
        & (Vote.target_id == Param("target"))
    )
)
_VOTE_SUM = Prepared(
    lambda: Vote.select(Sum(Vote.value).as_alias("total")).where(
        (Vote.target_type == Param("type")) & (Vote.target_id == Param("target"))
    )
)


async def vote(actor: Principal, target_type: str, target_id: int, value: int) -> VoteOut:
    """Sets, changes or (value 0) withdraws the actor's vote. Repeating a vote changes
    nothing; the post's score is recounted from the votes, never incremented."""
    if target_type == "question":
        question = await _question_state(target_id)
        author_id = question.author_id
        table: Any = Question
    else:
        answer_state = await _answer_state(target_id)
        policy.ensure_answer_visible(actor, answer_state)
        question, author_id, table = answer_state.question, answer_state.author_id, Answer
    policy.ensure_can_vote(actor, question, author_id)
    async with database.transaction():
        if value == 0:
            await _WITHDRAW_VOTE.rows(user=actor.id, type=target_type, target=target_id)
        else:
            # One statement: the same vote sent twice at once (a double click) would both
            # find no vote and both insert, and on PostgreSQL the second would break the
            # one-vote rule. The upsert sets or changes the vote either way.
            await _SET_VOTE.rows(
                user=actor.id, type=target_type, target=target_id, value=value, now=clock.now()
            )
        total = await _VOTE_SUM.first(type=target_type, target=target_id)
        score = int((total or {}).get("total") or 0)
        await table.update({table.score: score}).where(table.id == target_id).run()
        await enqueue(EntityType.question, question.id)
    return VoteOut(score=score, my_vote=value)


async def ensure_can_comment(
    actor: Principal, question_id: int | None, answer_id: int | None
) -> QuestionState:
    """Refuses a comment on the question (answer_id None) or on one of its answers as
    `comment` would; for a page that offers the form."""
    if answer_id is not None:
        state = await _answer_state(answer_id)
        policy.ensure_answer_visible(actor, state)
        question = state.question
    else:
        assert question_id is not None
        question = await _question_state(question_id)
    policy.ensure_can_comment(actor, question)
    return question


async def comment(
    actor: Principal, question_id: int | None, answer_id: int | None, data: CommentInput
) -> int:
    question = await ensure_can_comment(actor, question_id, answer_id)
    ensure_anonymous({"body": data.body})
    async with database.transaction():
        rows = await Comment.insert(
            Comment(question=question.id, answer=answer_id, body=data.body, author=actor.id)
        ).run()
        await (
            Question.update({Question.last_activity_at: clock.now()})
            .where(Question.id == question.id)
            .run()
        )
        await enqueue(EntityType.question, question.id)
        await events.record(EventKind.comment_created, "comment", rows[0]["id"], actor.id)
    return int(rows[0]["id"])


async def follow(actor: Principal, question_id: int) -> None:
    policy.ensure_visible(actor, await _question_state(question_id))
    # One statement, so that two requests at once (a double click) cannot both insert.
    await (
        Follow.insert(Follow(user=actor.id, question=question_id))
        .on_conflict(target=(Follow.user, Follow.question), action="DO NOTHING")
        .run()
    )


async def unfollow(actor: Principal, question_id: int) -> None:
    policy.ensure_visible(actor, await _question_state(question_id))
    async with database.transaction():
        await (
            Follow.delete()
            .where((Follow.user == actor.id) & (Follow.question == question_id))
            .run()
        )


async def question_id_of_answer(viewer: Principal, answer_id: int) -> int:
    state = await _answer_state(answer_id)
    policy.ensure_answer_visible(viewer, state)
    return state.question.id
