"""Demo data for `fachaustausch seed --demo`: one account per role, a pending registration
for the moderators to approve, questions with answers, collegial case consultations and
events ahead. All names are invented."""

from fachaustausch.demo.accounts import DEMO_PENDING, DEMO_USERS, DemoUser, seed_demo
from fachaustausch.demo.consultations import DEMO_CONSULTATIONS, seed_demo_consultations
from fachaustausch.demo.events import DEMO_EVENTS, seed_demo_events
from fachaustausch.demo.questions import seed_demo_questions

__all__ = [
    "DEMO_CONSULTATIONS",
    "DEMO_EVENTS",
    "DEMO_PENDING",
    "DEMO_USERS",
    "DemoUser",
    "seed_demo",
    "seed_demo_consultations",
    "seed_demo_events",
    "seed_demo_questions",
]
