"""A person's rows in questions, for their data export (DSGVO Art. 15, 20). Reads only."""

from __future__ import annotations

from typing import Any

from fachaustausch.questions.tables import Answer, Comment, Follow, Question, Revision, Vote


async def of_person(user_id: int) -> dict[str, list[dict[str, Any]]]:
    """Keyed by the export's German section names."""
    questions = (
        await Question.select(
            Question.id, Question.title, Question.body, Question.created_at, Question.hidden
        )
        .where(Question.author == user_id)
        .order_by(Question.id)
    )
    answers = (
        await Answer.select(
            Answer.id, Answer.question, Answer.body, Answer.created_at, Answer.hidden
        )
        .where(Answer.author == user_id)
        .order_by(Answer.id)
    )
    my_posts = [("question", q["id"]) for q in questions] + [("answer", a["id"]) for a in answers]
    revision_columns = (
        Revision.target_type,
        Revision.target_id,
        Revision.title,
        Revision.body,
        Revision.reason,
        Revision.created_at,
    )
    # Earlier texts of my posts, whoever edited them, and my edits of others' posts.
    revisions: list[dict[str, Any]] = []
    for target_type, target_id in my_posts:
        mine = (Revision.target_type == target_type) & (Revision.target_id == target_id)
        revisions += await Revision.select(*revision_columns).where(mine)
    for revision in await Revision.select(*revision_columns).where(Revision.editor == user_id):
        if (revision["target_type"], revision["target_id"]) not in my_posts:
            revisions.append(revision)
    return {
        "fragen": questions,
        "antworten": answers,
        "kommentare": await Comment.select(
            Comment.id, Comment.question, Comment.answer, Comment.body, Comment.created_at
        )
        .where(Comment.author == user_id)
        .order_by(Comment.id),
        "versionen": revisions,
        "stimmen": await Vote.select(
            Vote.target_type, Vote.target_id, Vote.value, Vote.created_at
        ).where(Vote.user == user_id),
        "gefolgte_fragen": await Follow.select(
            Follow.question, Follow.question.title.as_alias("title"), Follow.created_at
        ).where(Follow.user == user_id),
    }
