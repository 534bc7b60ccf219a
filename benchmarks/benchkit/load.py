"""Writes a plan's rows, table by table, through the bulk writer."""

from __future__ import annotations

from piccolo.table import Table

from benchkit.bulk import BulkWriter
from benchkit.consultations import consultation_rows
from benchkit.generator import Generator
from benchkit.project import (
    Answer,
    Authority,
    Comment,
    Consultation,
    ConsultationInstrument,
    ConsultationPost,
    Follow,
    Participant,
    PhaseTransition,
    Question,
    QuestionInstrument,
    User,
    UserInstrument,
    Vote,
    handle_for,
)
from benchkit.rows import answer_rows, question_rows, ts

# In the order of their foreign keys.
TABLES: list[type[Table]] = [
    Authority, User, UserInstrument, Question, QuestionInstrument, Answer, Comment,
    Vote, Follow, Consultation, ConsultationInstrument, Participant, ConsultationPost,
    PhaseTransition,
]  # fmt: skip


async def write_plan(
    writer: BulkWriter, gen: Generator, first: dict[str, int], password_hash: str
) -> None:
    """Every planned row; `first` holds each table's first free id."""
    plan, sizes = gen.plan, gen.sizes
    users = {u.id: u for u in plan.users}
    fq, fa = first["question"], first["answer"]
    await writer.insert(Authority, plan.authorities, len(plan.authorities))
    # Every account has a handle, as registration gives it (unique, from the name).
    taken = set(await User.select(User.handle).output(as_list=True).run())
    handles = {}
    for u in plan.users:
        handles[u.id] = handle_for(u.display_name, taken.__contains__)
        taken.add(handles[u.id])
    await writer.insert(
        User,
        (
            {
                "id": u.id,
                "email": u.email,
                "display_name": u.display_name,
                "handle": handles[u.id],
                "authority": u.authority,
                "role": u.role,
                "status": u.status,
                "password_hash": password_hash,
                "created_at": ts(gen.start),
                "approved_at": ts(gen.start) if u.status != "pending" else None,
            }
            for u in plan.users
        ),
        len(plan.users),
    )
    await writer.insert(
        UserInstrument,
        (
            {"id": first["user_instrument"] + k, "user": u, "instrument": i}
            for k, (u, i) in enumerate(plan.user_instruments)
        ),
        len(plan.user_instruments),
    )
    await writer.insert(Question, question_rows(plan, gen.text, fq, fa), sizes.questions)
    pairs = [(fq + q, i) for q, ins in enumerate(plan.q_instruments) for i in ins]
    await writer.insert(
        QuestionInstrument,
        (
            {"id": first["question_instrument"] + k, "question": q, "instrument": i}
            for k, (q, i) in enumerate(pairs)
        ),
        len(pairs),
    )
    await writer.insert(Answer, answer_rows(plan, gen.text, fq, fa, users), len(plan.a_question))
    await writer.insert(
        Comment,
        (
            {
                "id": first["comment"] + k,
                "question": fq + q,
                "answer": fa + a if a is not None else None,
                "body": gen.text.comment(plan.q_topic[q]),
                "author": author,
                "created_at": ts(created),
            }
            for k, (q, a, author, created) in enumerate(plan.comments)
        ),
        len(plan.comments),
    )
    await writer.insert(
        Vote,
        (
            {
                "id": first["vote"] + k,
                "user": user,
                "target_type": "answer" if is_answer else "question",
                "target_id": (fa if is_answer else fq) + target,
                "value": value,
                "created_at": ts(created),
            }
            for k, (user, is_answer, target, value, created) in enumerate(plan.votes)
        ),
        len(plan.votes),
    )
    await writer.insert(
        Follow,
        (
            {
                "id": first["follow"] + i,
                "user": plan.q_author[i],
                "question": fq + i,
                "created_at": ts(plan.q_created[i]),
            }
            for i in range(len(plan.q_author))
        ),
        len(plan.q_author),
    )
    c_rows = consultation_rows(gen, first)
    for table, rows in zip(
        [Consultation, ConsultationInstrument, Participant, ConsultationPost,
         PhaseTransition],
        c_rows, strict=True,
    ):  # fmt: skip
        await writer.insert(table, rows, len(rows))
    await writer.finish(TABLES)
