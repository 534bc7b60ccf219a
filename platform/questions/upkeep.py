"""Keeping questions, answers and comments in order: the questions domain's writes that
moderation dispatches to (hide and restore, lock, close, mark outdated, retag, edit with a
revision) and the toolbox's merge of one instrument into another.

The caller decides whether a change is allowed; these functions keep the thread's own
invariants (a question's status follows its visible answers, an edit keeps the earlier
version, the search document follows every visible change) and change the rows. They run
in the caller's transaction: `database.transaction()` here only joins the one the caller
has open (a nested transaction is no new one), so the caller's checks, these writes and
the caller's audit row commit together. The `*_for_update` reads lock the post on
PostgreSQL (database.row_lock) for the checks the caller makes before it writes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from fachaustausch import database
from fachaustausch.core import clock
from fachaustausch.core.ids import possible_id
from fachaustausch.core.markdown import render
from fachaustausch.core.outbox import EntityType, enqueue
from fachaustausch.database.links import move_links
from fachaustausch.database.row_lock import for_update
from fachaustausch.questions.derived import excerpt, refresh_question, tag_ids
from fachaustausch.questions.tables import (
    Answer,
    Comment,
    Question,
    QuestionInstrument,
    Revision,
)
from fachaustausch.review.citing import record_citations
from fachaustausch.toolbox.tables import Cornerstone

PostKind = Literal["question", "answer", "comment"]
_POSTS: dict[str, Any] = {"question": Question, "answer": Answer, "comment": Comment}


@dataclass(frozen=True)
class QuestionSnapshot:
    id: int
    title: str
    body: str
    hidden: bool
    locked: bool
    closed_reason: str
    duplicate_of: int | None
    cornerstone: str  # slug


@dataclass(frozen=True)
class AnswerSnapshot:
    id: int
    question_id: int
    body: str
    hidden: bool
    outdated: bool


# --- locked reads for the caller's checks -----------------------------------------------------


async def question_for_update(question_id: int) -> QuestionSnapshot | None:
    if not possible_id(question_id):
        return None
    # The question's row alone: PostgreSQL locks no row of a join's nullable side.
    row = (
        await for_update(
            Question.select(
                Question.id,
                Question.title,
                Question.body,
                Question.hidden,
                Question.locked,
                Question.closed_reason,
                Question.duplicate_of,
                Question.cornerstone,
            ).where(Question.id == question_id)
        )
        .first()
        .run()
    )
    if not row:
        return None
    cornerstone = (
        await Cornerstone.select(Cornerstone.slug)
        .where(Cornerstone.id == row["cornerstone"])
        .first()
        .run()
    )
    assert cornerstone is not None
    return QuestionSnapshot(**{**row, "cornerstone": cornerstone["slug"]})


async def answer_for_update(answer_id: int) -> AnswerSnapshot | None:
    if not possible_id(answer_id):
        return None
    await _lock_question_of("answer", answer_id)
    row = (
        await for_update(
            Answer.select(
                Answer.id,
                Answer.question.as_alias("question_id"),
                Answer.body,
                Answer.hidden,
                Answer.outdated,
            ).where(Answer.id == answer_id)
        )
        .first()
        .run()
    )
    return AnswerSnapshot(**row) if row else None


async def hidden_for_update(kind: PostKind, post_id: int) -> bool | None:
    """Whether the post is hidden, the post locked; None if there is none."""
    if not possible_id(post_id):
        return None
    table = _POSTS[kind]
    await _lock_question_of(kind, post_id)
    row = await for_update(table.select(table.hidden).where(table.id == post_id)).first().run()
    return bool(row["hidden"]) if row else None


async def _lock_question_of(kind: PostKind, post_id: int) -> None:
    """Locks the question of an answer or comment before the post itself: the questions'
    own writes lock in that order (questions.queries.states), and one order everywhere
    keeps two writers of one thread from waiting for each other. SQLite's write
    transaction is serialised already."""
    if kind == "question" or database.is_sqlite():
        return
    table = _POSTS[kind]
    row = await table.select(table.question).where(table.id == post_id).first().run()
    if row is not None:
        await for_update(Question.select(Question.id).where(Question.id == row["question"])).run()


async def instrument_slugs(question_id: int) -> list[str]:
    """The question's instruments, in the order they were given."""
    return list(
        await QuestionInstrument.select(QuestionInstrument.instrument.slug)
        .where(QuestionInstrument.question == question_id)
        .order_by(QuestionInstrument.id)
        .output(as_list=True)
        .run()
    )


# --- writes -----------------------------------------------------------------------------------


async def set_hidden(kind: PostKind, post_id: int, hidden: bool, reason: str) -> bool:
    """Hides (with the reason members are shown) or restores a post; False if it already
    was so. Hiding or restoring an answer changes its question's status and answer count."""
    table = _POSTS[kind]
    async with database.transaction():
        changed = (
            await table.update(
                {table.hidden: hidden, table.hidden_reason: reason.strip() if hidden else ""}
            )
            .where((table.id == post_id) & (table.hidden != hidden))
            .returning(table.id)
            .run()
        )
        if not changed:
            return False
        question_id = await _question_of(kind, post_id)
        if kind == "answer":
            await refresh_question(question_id)
        await enqueue(EntityType.question, question_id)
    return True


async def set_locked(question_id: int, locked: bool, reason: str) -> None:
    await (
        Question.update(
            {Question.locked: locked, Question.locked_reason: reason.strip() if locked else ""}
        )
        .where(Question.id == question_id)
        .run()
    )


async def close(question_id: int, closed_reason: str, duplicate_of: int | None, note: str) -> None:
    """Closes the question: it takes no more answers."""
    async with database.transaction():
        await (
            Question.update(
                {
                    Question.closed_reason: closed_reason,
                    Question.duplicate_of: duplicate_of,
                    Question.closed_note: note.strip(),
                }
            )
            .where(Question.id == question_id)
            .run()
        )
        await enqueue(EntityType.question, question_id)


async def reopen(question_id: int) -> None:
    async with database.transaction():
        await (
            Question.update(
                {Question.closed_reason: "", Question.duplicate_of: None, Question.closed_note: ""}
            )
            .where(Question.id == question_id)
            .run()
        )
        await enqueue(EntityType.question, question_id)


async def set_outdated(
    answer_id: int, outdated: bool, reason: str, successor_id: int | None = None
) -> None:
    """Marks the answer outdated (with the reason and the newer answer that replaces it) or
    current again; search ranks and filters by it, so its question's document follows."""
    async with database.transaction():
        await (
            Answer.update(
                {
                    Answer.outdated: outdated,
                    Answer.outdated_reason: reason.strip() if outdated else "",
                    Answer.outdated_successor_id: successor_id if outdated else None,
                }
            )
            .where(Answer.id == answer_id)
            .run()
        )
        await enqueue(EntityType.question, await _question_of("answer", answer_id))


async def mark_reviewed(kind: Literal["question", "answer"], post_id: int, when: datetime) -> None:
    """The content review found the post's legal statements current at `when`."""
    table = _POSTS[kind]
    await table.update({table.reviewed_at: when}).where(table.id == post_id).run()


async def retag(question_id: int, cornerstone: str, instruments: list[str]) -> None:
    """Files the question under another cornerstone and instruments (slugs, in order);
    unknown slugs are refused with the field that named them."""
    async with database.transaction():
        cornerstone_id, instrument_ids = await tag_ids(cornerstone, instruments)
        now = clock.now()
        await (
            Question.update(
                {
                    Question.cornerstone: cornerstone_id,
                    Question.updated_at: now,
                    Question.last_activity_at: now,
                }
            )
            .where(Question.id == question_id)
            .run()
        )
        await QuestionInstrument.delete().where(QuestionInstrument.question == question_id).run()
        if instrument_ids:
            await QuestionInstrument.insert(
                *(QuestionInstrument(question=question_id, instrument=i) for i in instrument_ids)
            ).run()
        await enqueue(EntityType.question, question_id)


async def edit_question(
    question_id: int, editor_id: int, title: str | None, body: str | None, reason: str
) -> None:
    """A new title and/or text; the earlier version stays as a revision."""
    body_html = render(body) if body is not None else None
    async with database.transaction():
        old = (
            await Question.select(Question.title, Question.body)
            .where(Question.id == question_id)
            .first()
            .run()
        )
        assert old is not None
        now = clock.now()
        values: dict[Any, Any] = {Question.updated_at: now, Question.last_activity_at: now}
        if title is not None:
            values[Question.title] = title
        if body is not None and body_html is not None:
            values[Question.body] = body
            values[Question.body_html] = body_html
            values[Question.excerpt] = excerpt(body_html)
        await Revision.insert(
            Revision(
                target_type="question",
                target_id=question_id,
                title=old["title"],
                body=old["body"],
                editor=editor_id,
                reason=" ".join(reason.split()),
            )
        ).run()
        await Question.update(values).where(Question.id == question_id).run()
        await record_citations(
            "question",
            question_id,
            question_id,
            f"{title if title is not None else old['title']}\n"
            f"{body if body is not None else old['body']}",
        )
        await enqueue(EntityType.question, question_id)


async def edit_answer(answer_id: int, editor_id: int, body: str, reason: str) -> None:
    """A new text; the earlier version stays as a revision."""
    body_html = render(body)
    async with database.transaction():
        old = (
            await Answer.select(Answer.body, Answer.question)
            .where(Answer.id == answer_id)
            .first()
            .run()
        )
        assert old is not None
        await Revision.insert(
            Revision(
                target_type="answer",
                target_id=answer_id,
                body=old["body"],
                editor=editor_id,
                reason=" ".join(reason.split()),
            )
        ).run()
        await (
            Answer.update(
                {Answer.body: body, Answer.body_html: body_html, Answer.updated_at: clock.now()}
            )
            .where(Answer.id == answer_id)
            .run()
        )
        await record_citations("answer", answer_id, old["question"], body)
        await enqueue(EntityType.question, old["question"])


async def move_instrument_tags(source_instrument_id: int, target_instrument_id: int) -> list[int]:
    """An instrument merged into another: its questions are tagged with the target (and
    their search documents follow). Returns the questions' ids."""
    async with database.transaction():
        question_ids = await move_links(
            QuestionInstrument,
            QuestionInstrument.question,
            QuestionInstrument.instrument,
            source_instrument_id,
            target_instrument_id,
        )
        for question_id in question_ids:
            await enqueue(EntityType.question, question_id)
    return question_ids


# --- small pieces -----------------------------------------------------------------------------


async def _question_of(kind: PostKind, post_id: int) -> int:
    if kind == "question":
        return post_id
    table = _POSTS[kind]
    row = await table.select(table.question).where(table.id == post_id).first().run()
    assert row is not None
    return int(row["question"])
