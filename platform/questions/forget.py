"""A deleted account's traces in questions: its votes and follows go (the scores they
counted toward drop by them), its posts stay under the pseudonym the account keeps, and the
search documents of everything it touched are rebuilt through the outbox."""

from __future__ import annotations

from fachaustausch import database
from fachaustausch.core import outbox
from fachaustausch.core.outbox import EntityType
from fachaustausch.questions.tables import Answer, Comment, Follow, Question, Vote


async def forget_person(user_id: int) -> None:
    """Runs in the deleting transaction (joins the caller's)."""
    async with database.transaction():
        votes = await Vote.select(Vote.target_type, Vote.target_id, Vote.value).where(
            Vote.user == user_id
        )
        touched: set[int] = set()
        for vote in votes:
            if vote["target_type"] == "question":
                await Question.update({Question.score: Question.score - vote["value"]}).where(
                    Question.id == vote["target_id"]
                )
                touched.add(vote["target_id"])
            else:
                await Answer.update({Answer.score: Answer.score - vote["value"]}).where(
                    Answer.id == vote["target_id"]
                )
                row = (
                    await Answer.select(Answer.question)
                    .where(Answer.id == vote["target_id"])
                    .first()
                )
                if row:
                    touched.add(row["question"])
        await Vote.delete().where(Vote.user == user_id)
        await Follow.delete().where(Follow.user == user_id)
        touched.update(
            await Question.select(Question.id)
            .where(Question.author == user_id)
            .output(as_list=True)
        )
        touched.update(
            await Answer.select(Answer.question)
            .where(Answer.author == user_id)
            .output(as_list=True)
        )
        touched.update(
            await Comment.select(Comment.question)
            .where(Comment.author == user_id)
            .output(as_list=True)
        )
        for question_id in sorted(touched):
            await outbox.enqueue(EntityType.question, question_id)
