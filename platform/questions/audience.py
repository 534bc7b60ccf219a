"""Who is concerned by a post of a question's thread, for the notifications: read-only,
the visibility rule of `visibility.py` applied to what is read."""

from __future__ import annotations

from dataclasses import dataclass

from fachaustausch.accounts.tables import User, UserInstrument
from fachaustausch.questions.tables import Answer, Comment, Follow, Question, QuestionInstrument


@dataclass(frozen=True, slots=True)
class Post:
    """A question, answer or comment as the notifications need it. `visible`: whether
    members see it now (it and every post above it are not hidden)."""

    type: str
    id: int
    author_id: int
    question_id: int
    question_title: str
    question_author_id: int
    visible: bool
    body: str
    answer_id: int | None = None
    answer_author_id: int | None = None


async def post(target_type: str, target_id: int) -> Post | None:
    """The post, or None if there is no such post (any more)."""
    if target_type == "question":
        q = (
            await Question.select(
                Question.id, Question.title, Question.author, Question.hidden, Question.body
            )
            .where(Question.id == target_id)
            .first()
            .run()
        )
        if q is None:
            return None
        return Post(
            "question", q["id"], q["author"], q["id"], q["title"], q["author"],
            not q["hidden"], q["body"],
        )  # fmt: skip
    if target_type == "answer":
        a = await Answer.select(
            Answer.id, Answer.author, Answer.hidden, Answer.body,
            Answer.question.id.as_alias("qid"), Answer.question.title.as_alias("qtitle"),
            Answer.question.author.as_alias("qauthor"), Answer.question.hidden.as_alias("qhidden"),
        ).where(Answer.id == target_id).first().run()  # fmt: skip
        if a is None:
            return None
        return Post(
            "answer", a["id"], a["author"], a["qid"], a["qtitle"], a["qauthor"],
            not (a["hidden"] or a["qhidden"]), a["body"], a["id"], a["author"],
        )  # fmt: skip
    if target_type == "comment":
        c = await Comment.select(
            Comment.id, Comment.author, Comment.hidden, Comment.body,
            Comment.question.id.as_alias("qid"), Comment.question.title.as_alias("qtitle"),
            Comment.question.author.as_alias("qauthor"),
            Comment.question.hidden.as_alias("qhidden"),
            Comment.answer.id.as_alias("aid"), Comment.answer.author.as_alias("aauthor"),
            Comment.answer.hidden.as_alias("ahidden"),
        ).where(Comment.id == target_id).first().run()  # fmt: skip
        if c is None:
            return None
        return Post(
            "comment", c["id"], c["author"], c["qid"], c["qtitle"], c["qauthor"],
            not (c["hidden"] or c["qhidden"] or c["ahidden"]), c["body"],
            c["aid"], c["aauthor"],
        )  # fmt: skip
    return None


async def followers(question_id: int) -> list[int]:
    rows = await Follow.select(Follow.user).where(Follow.question == question_id).run()
    return [int(r["user"]) for r in rows]


@dataclass(frozen=True, slots=True)
class Tags:
    cornerstone_id: int
    instrument_ids: list[int]
    directed_to: int | None


async def tags(question_id: int) -> Tags | None:
    q = await (
        Question.select(Question.cornerstone, Question.directed_to)
        .where(Question.id == question_id)
        .first()
        .run()
    )
    if q is None:
        return None
    rows = (
        await QuestionInstrument.select(QuestionInstrument.instrument)
        .where(QuestionInstrument.question == question_id)
        .run()
    )
    return Tags(q["cornerstone"], [int(r["instrument"]) for r in rows], q["directed_to"])


async def routed_to(question_id: int) -> list[int]:
    """Who a new question is routed to (as the "Für mich" list): the experts of its
    instruments and the active staff of the authority it is directed to."""
    found = await tags(question_id)
    if found is None:
        return []
    users = set(await _experts_of(found.instrument_ids))
    if found.directed_to is not None:
        rows = (
            await User.select(User.id)
            .where((User.authority == found.directed_to) & (User.status == "active"))
            .run()
        )
        users.update(int(r["id"]) for r in rows)
    return sorted(users)


async def _experts_of(instrument_ids: list[int]) -> list[int]:
    if not instrument_ids:
        return []
    rows = (
        await UserInstrument.select(UserInstrument.user)
        .where(
            UserInstrument.instrument.is_in(instrument_ids)
            & (UserInstrument.user.role == "expert")
            & (UserInstrument.user.status == "active")
        )
        .run()
    )
    return sorted({int(r["user"]) for r in rows})


async def instrument_experts(question_id: int) -> list[int]:
    """The active experts of the question's instruments (the content review asks them)."""
    found = await tags(question_id)
    return [] if found is None else await _experts_of(found.instrument_ids)
