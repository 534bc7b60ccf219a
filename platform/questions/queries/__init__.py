"""The reads of questions and answers: the lists, the question page, one answer, the
states every write checks, the edits of a post.

This package is the only place in questions that uses the read cache and the prepared
queries (fachaustausch.database.read_cache, .prepared); the write modules (service,
answers, comments, votes) and the front doors (api/, web/) call the functions here."""

from fachaustausch.questions.queries.by_event import of_event
from fachaustausch.questions.queries.filters import (
    UNKNOWN_AUTHORITY,
    UNKNOWN_CORNERSTONE,
    UNKNOWN_INSTRUMENT,
    QuestionFilters,
)
from fachaustausch.questions.queries.lists import (
    instruments_of,
    list_questions,
    question_url,
    status_counts,
)
from fachaustausch.questions.queries.states import (
    answer_revisions,
    answer_state,
    locked_answer_state,
    locked_question_state,
    question_id_of_answer,
    question_revisions,
    question_state,
)
from fachaustausch.questions.queries.thread import get_answer, get_question

__all__ = [
    "UNKNOWN_AUTHORITY",
    "UNKNOWN_CORNERSTONE",
    "UNKNOWN_INSTRUMENT",
    "QuestionFilters",
    "answer_revisions",
    "answer_state",
    "get_answer",
    "get_question",
    "instruments_of",
    "list_questions",
    "locked_answer_state",
    "locked_question_state",
    "of_event",
    "question_id_of_answer",
    "question_revisions",
    "question_state",
    "question_url",
    "status_counts",
]
