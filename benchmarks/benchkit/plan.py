"""The data plan: sizes, and everything but the texts, decided up front so that derived
counts (scores, answer counts, status) are consistent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Sizes:
    questions: int = 100_000
    answers: int = 400_000
    votes: int = 1_000_000
    users: int = 2_000
    authorities: int = 500
    consultations: int = 2_000
    comments: int = 50_000


@dataclass
class UserRow:
    id: int
    authority: int
    role: str
    status: str
    email: str
    display_name: str
    model_site_expert: bool = False


@dataclass
class Plan:
    """Everything but the texts, decided up front so derived counts are consistent."""

    authorities: list[dict[str, Any]] = field(default_factory=list)
    users: list[UserRow] = field(default_factory=list)
    user_instruments: list[tuple[int, int]] = field(default_factory=list)
    # questions, by index: ids are first_question_id + index
    q_author: list[int] = field(default_factory=list)
    q_authority: list[int] = field(default_factory=list)
    q_cornerstone: list[int] = field(default_factory=list)
    q_instruments: list[tuple[int, ...]] = field(default_factory=list)
    q_topic: list[str] = field(default_factory=list)
    q_created: list[float] = field(default_factory=list)
    q_last: list[float] = field(default_factory=list)
    q_pop: list[float] = field(default_factory=list)
    q_hidden: list[bool] = field(default_factory=list)
    q_locked: list[bool] = field(default_factory=list)
    q_closed: list[str] = field(default_factory=list)
    q_directed: list[int | None] = field(default_factory=list)
    q_score: list[int] = field(default_factory=list)
    q_answers: list[int] = field(default_factory=list)  # visible answers
    q_accepted: list[int | None] = field(default_factory=list)  # answer index
    q_first_answer: list[int] = field(default_factory=list)
    q_answer_total: list[int] = field(default_factory=list)
    # answers, by index
    a_question: list[int] = field(default_factory=list)
    a_author: list[int] = field(default_factory=list)
    a_created: list[float] = field(default_factory=list)
    a_hidden: list[bool] = field(default_factory=list)
    a_score: list[int] = field(default_factory=list)
    a_accepted: list[bool] = field(default_factory=list)
    # comments: (question index, answer index or None, author, created)
    comments: list[tuple[int, int | None, int, float]] = field(default_factory=list)
    # votes: (user, is_answer, target index, value, created)
    votes: list[tuple[int, bool, int, int, float]] = field(default_factory=list)


@dataclass
class Reference:
    cornerstones: list[int]
    instruments: list[tuple[int, int, str]]  # id, cornerstone id, title
    authorities: list[tuple[int, str, str]]  # id, slug, kind
