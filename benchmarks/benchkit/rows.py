"""Question and answer rows from the plan, with their texts.

`body_html` is `<p>` + HTML escaping per paragraph: the generated texts are plain
paragraphs without Markdown syntax, for which that is exactly what the platform's Markdown
renderer returns (generate.py checks that on a sample at start-up)."""

from __future__ import annotations

import html
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from benchkit.german_text import TextGenerator
from benchkit.plan import Plan, UserRow
from benchkit.project import EXCERPT_LENGTH

HIDDEN_REASON = "Ausgeblendet durch die Moderation: Verstoß gegen die Nutzungsregeln."


def body_html(text: str) -> str:
    """What the Markdown renderer gives for plain paragraphs (see module docstring)."""
    return "".join(f"<p>{html.escape(p, quote=False)}</p>\n" for p in text.split("\n\n"))


def excerpt(text: str) -> str:
    plain = " ".join(text.split())
    return plain if len(plain) <= EXCERPT_LENGTH else plain[: EXCERPT_LENGTH - 1].rstrip() + "…"


def ts(value: float) -> datetime:
    return datetime.fromtimestamp(value, UTC)


def status_of(plan: Plan, i: int) -> str:
    if plan.q_accepted[i] is not None:
        return "solved"
    return "answered" if plan.q_answers[i] else "open"


def question_rows(
    plan: Plan, text: TextGenerator, first_q: int, first_a: int
) -> Iterator[dict[str, Any]]:
    for i in range(len(plan.q_pop)):
        body = text.question_body(plan.q_topic[i])
        accepted = plan.q_accepted[i]
        yield {
            "id": first_q + i,
            "title": text.title(plan.q_topic[i]),
            "body": body,
            "body_html": body_html(body),
            "excerpt": excerpt(body),
            "cornerstone": plan.q_cornerstone[i],
            "author": plan.q_author[i],
            "authority": plan.q_authority[i],
            "directed_to": plan.q_directed[i],
            "status": status_of(plan, i),
            "accepted_answer_id": first_a + accepted if accepted is not None else None,
            "score": plan.q_score[i],
            "answer_count": plan.q_answers[i],
            "created_at": ts(plan.q_created[i]),
            "updated_at": ts(plan.q_created[i]),
            "last_activity_at": ts(plan.q_last[i]),
            "hidden": plan.q_hidden[i],
            "hidden_reason": HIDDEN_REASON if plan.q_hidden[i] else "",
            "locked": plan.q_locked[i],
            "locked_reason": "Gesperrt durch die Moderation." if plan.q_locked[i] else "",
            "closed_reason": plan.q_closed[i],
        }


def answer_rows(
    plan: Plan, text: TextGenerator, first_q: int, first_a: int, users: dict[int, UserRow]
) -> Iterator[dict[str, Any]]:
    for a in range(len(plan.a_question)):
        q = plan.a_question[a]
        body = text.answer_body(plan.q_topic[q])
        author = users[plan.a_author[a]]
        yield {
            "id": first_a + a,
            "question": first_q + q,
            "body": body,
            "body_html": body_html(body),
            "author": author.id,
            "authority": author.authority,
            "from_model_site": author.model_site_expert,
            "score": plan.a_score[a],
            "accepted": plan.a_accepted[a],
            "hidden": plan.a_hidden[a],
            "hidden_reason": HIDDEN_REASON if plan.a_hidden[a] else "",
            "created_at": ts(plan.a_created[a]),
            "updated_at": ts(plan.a_created[a]),
        }
