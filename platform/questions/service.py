"""Asking and editing questions and following them: one function per user action, each
one transaction. Every write that changes what search shows records an outbox row in the
same transaction; every rule a write depends on is checked inside it, the question's row
locked (queries.states).

The other writes live by concept in answers.py, comments.py and votes.py, the reads in
queries/."""

from __future__ import annotations

from typing import Any

from fachaustausch import database
from fachaustausch.accounts.policy import AuthorityKind, Principal
from fachaustausch.accounts.tables import Authority
from fachaustausch.core import clock, events
from fachaustausch.core.errors import InvalidInput
from fachaustausch.core.events import EventKind
from fachaustausch.core.markdown import render
from fachaustausch.core.outbox import EntityType, enqueue
from fachaustausch.events import queries as event_queries
from fachaustausch.privacy.refusal import ensure_anonymous
from fachaustausch.questions import policy
from fachaustausch.questions.answers import accept, answer, edit_answer
from fachaustausch.questions.comments import comment, ensure_can_comment
from fachaustausch.questions.derived import EXCERPT_LENGTH, excerpt, refresh_question, tag_ids
from fachaustausch.questions.models import QuestionEdit, QuestionInput
from fachaustausch.questions.queries import (
    UNKNOWN_AUTHORITY,
    get_question,
    instruments_of,
    locked_question_state,
    question_state,
)
from fachaustausch.questions.tables import Follow, Question, QuestionInstrument, Revision
from fachaustausch.questions.votes import vote
from fachaustausch.review.citing import record_citations

# The writes of the other concepts and the question page stay importable from here for
# the code that calls them through this module (moderation, the demo data).
__all__ = [
    "EXCERPT_LENGTH",
    "accept",
    "answer",
    "ask",
    "comment",
    "edit_answer",
    "edit_question",
    "ensure_can_comment",
    "follow",
    "get_question",
    "refresh_question",
    "unfollow",
    "vote",
]


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
    cornerstone, instrument_ids = await tag_ids(data.cornerstone, data.instruments)
    directed_to = await _directed_to_id(data.directed_to)
    now = clock.now()
    # Rendered before the transaction: the write lock is held for the writes alone.
    body_html = render(data.body)
    async with database.transaction():
        if data.event is not None:
            await event_queries.ensure_exists(data.event, field="event")
        rows = await Question.insert(
            Question(
                title=data.title,
                body=data.body,
                body_html=body_html,
                excerpt=excerpt(body_html),
                cornerstone=cornerstone,
                author=actor.id,
                authority=actor.authority_id,
                directed_to=directed_to,
                event_id=data.event,
                # One timestamp: separate column defaults differ by microseconds and a
                # fresh post would look edited.
                created_at=now,
                updated_at=now,
                last_activity_at=now,
            )
        ).run()
        question_id = int(rows[0]["id"])
        await _set_instruments(question_id, instrument_ids)
        await record_citations("question", question_id, question_id, f"{data.title}\n{data.body}")
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
    state = await question_state(question_id)
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
            t.slug for t in (await instruments_of([question_id])).get(question_id, [])
        ]
        tags = await tag_ids(
            data.cornerstone or current["slug"],
            data.instruments if data.instruments is not None else current_instruments,
        )
    body_html = render(data.body) if data.body is not None else None
    async with database.transaction():
        # Checked again under the question's lock: a question locked meanwhile stays as
        # it is (moderators aside, as before).
        state = await locked_question_state(question_id)
        policy.ensure_can_edit(actor, state, state.author_id)
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
            values[Question.excerpt] = excerpt(body_html)
        if tags is not None:
            values[Question.cornerstone] = tags[0]
            await _set_instruments(question_id, tags[1])
        if "event" in data.model_fields_set:
            if data.event is not None:
                await event_queries.ensure_exists(data.event, field="event")
            values[Question.event_id] = data.event
        if data.title is not None or data.body is not None:
            await record_citations(
                "question",
                question_id,
                question_id,
                f"{data.title if data.title is not None else old['title']}\n"
                f"{data.body if data.body is not None else old['body']}",
            )
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


async def follow(actor: Principal, question_id: int) -> None:
    async with database.transaction():
        policy.ensure_visible(actor, await locked_question_state(question_id))
        # On conflict nothing: two requests at once (a double click) follow once.
        await (
            Follow.insert(Follow(user=actor.id, question=question_id))
            .on_conflict(target=(Follow.user, Follow.question), action="DO NOTHING")
            .run()
        )


async def unfollow(actor: Principal, question_id: int) -> None:
    async with database.transaction():
        policy.ensure_visible(actor, await locked_question_state(question_id))
        await (
            Follow.delete()
            .where((Follow.user == actor.id) & (Follow.question == question_id))
            .run()
        )
