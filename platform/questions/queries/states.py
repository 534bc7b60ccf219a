"""What a write on a question's thread checks first: the state of the question and of the
answer it concerns, and the edits (revisions) of a post.

A write reads the state again inside its own transaction through the `locked_*`
functions, so that the check and the write see the same state: on PostgreSQL the question
row stays locked (SELECT ... FOR UPDATE) until the transaction ends; on SQLite the write
transaction holds the database's write lock from its start (database.transaction). Every
write on a question's posts locks the question first, so writers queue in one order."""

from __future__ import annotations

from typing import Any

from fachaustausch import database
from fachaustausch.accounts.policy import Principal
from fachaustausch.core.errors import NotFound
from fachaustausch.core.ids import possible_id
from fachaustausch.database.prepared import Param, Prepared
from fachaustausch.database.row_lock import for_update
from fachaustausch.questions import policy
from fachaustausch.questions.models import EditorOut, RevisionOut
from fachaustausch.questions.policy import AnswerState, QuestionState
from fachaustausch.questions.tables import Answer, Question, Revision


def _question_state_query() -> Any:
    return (
        Question.select(
            Question.id, Question.author, Question.hidden, Question.locked, Question.closed_reason
        )
        .where(Question.id == Param("id"))
        .limit(1)
    )


# Built once (see fachaustausch.database.prepared): every write reads them.
_QUESTION_STATE = Prepared(_question_state_query)
_LOCKED_QUESTION_STATE = Prepared(lambda: for_update(_question_state_query()))
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


async def _question(query: Prepared, question_id: int) -> QuestionState:
    if not possible_id(question_id):
        raise NotFound(policy.QUESTION_NOT_FOUND)
    row = await query.first(id=question_id)
    if not row:
        raise NotFound(policy.QUESTION_NOT_FOUND)
    return QuestionState(
        row["id"], row["author"], row["hidden"], row["locked"], row["closed_reason"]
    )


async def question_state(question_id: int) -> QuestionState:
    return await _question(_QUESTION_STATE, question_id)


async def answer_state(answer_id: int) -> AnswerState:
    if not possible_id(answer_id):
        raise NotFound(policy.ANSWER_NOT_FOUND)
    row = await _ANSWER_STATE.first(id=answer_id)
    if not row:
        raise NotFound(policy.ANSWER_NOT_FOUND)
    question = QuestionState(
        row["q_id"], row["q_author"], row["q_hidden"], row["q_locked"], row["q_closed"]
    )
    return AnswerState(row["id"], row["author"], row["hidden"], question)


async def locked_question_state(question_id: int) -> QuestionState:
    """The question's state, its row locked until the transaction ends; call inside the
    write's transaction."""
    return await _question(_LOCKED_QUESTION_STATE, question_id)


async def locked_answer_state(answer_id: int, question_id: int) -> AnswerState:
    """The state of an answer of the question `question_id` (an answer never moves to
    another question), the question's row locked first; call inside the write's
    transaction."""
    if not database.is_sqlite():  # there the transaction holds the write lock already
        await locked_question_state(question_id)
    # Read under the lock: the answer may have been hidden while this write waited.
    return await answer_state(answer_id)


async def question_id_of_answer(viewer: Principal, answer_id: int) -> int:
    state = await answer_state(answer_id)
    policy.ensure_answer_visible(viewer, state)
    return state.question.id


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
    policy.ensure_visible(viewer, await question_state(question_id))
    return await _revisions("question", question_id)


async def answer_revisions(viewer: Principal, answer_id: int) -> list[RevisionOut]:
    policy.ensure_answer_visible(viewer, await answer_state(answer_id))
    return await _revisions("answer", answer_id)
