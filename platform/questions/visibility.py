"""What of a question's thread exists for members: one rule, for every place where a
thread's posts reach someone who is not a moderator (the question page and its lists, the
flag page and the flag action, search documents, notifications).

- a question is visible unless it is hidden;
- an answer is visible if it and its question are visible;
- a comment is visible if it, the answer it is under (if any) and its question are visible.

Hiding a post therefore hides what hangs below it, and restoring it brings that back;
nothing below is changed. Moderators see hidden content, marked as hidden.

The rule is written once, as SQL conditions on the post's own table, so that lists,
counts and look-ups filter in the database. Each condition comes in two parts: whether the
post is shown *within its question* (`*_shown`), and that together with the question's
own visibility (`*_visible`). Search documents take the first part: a document is a
whole question, and the question's visibility becomes the document's `visible_to`."""

from __future__ import annotations


def question_visible(table: str = "question") -> str:
    return f"{table}.hidden = false"


# `table` is always a table name or alias written in the code, never input.


def _question_of(table: str) -> str:
    return (
        "EXISTS (SELECT 1 FROM question AS rule_question "  # noqa: S608
        f"WHERE rule_question.id = {table}.question AND rule_question.hidden = false)"
    )


def answer_shown(table: str = "answer") -> str:
    """The answer, within a question that is itself visible, or seen by a moderator."""
    return f"{table}.hidden = false"


def answer_visible(table: str = "answer") -> str:
    return f"{answer_shown(table)} AND {_question_of(table)}"


def comment_shown(table: str = "comment") -> str:
    """The comment, and the answer it is under: within its question."""
    return (
        f"{table}.hidden = false AND NOT EXISTS (SELECT 1 FROM answer AS rule_answer "  # noqa: S608
        f"WHERE rule_answer.id = {table}.answer AND rule_answer.hidden = true)"
    )


def comment_visible(table: str = "comment") -> str:
    return f"{comment_shown(table)} AND {_question_of(table)}"


def visible(*hidden: bool) -> bool:
    """The rule for rows already loaded: a post, given whether it and each post above it
    (answer, question) is hidden."""
    return not any(hidden)
