"""Demo data for `fachaustausch seed --demo`: accounts for every role, questions and
consultations, all invented."""

from fachaustausch.demo.consultations import (
    DEMO_CONSULTATIONS,
    DEMO_PENDING,
    DEMO_USERS,
    DemoUser,
    seed_demo,
    seed_demo_consultations,
    seed_demo_questions,
)

__all__ = [
    "DEMO_CONSULTATIONS",
    "DEMO_PENDING",
    "DEMO_USERS",
    "DemoUser",
    "seed_demo",
    "seed_demo_consultations",
    "seed_demo_questions",
]
