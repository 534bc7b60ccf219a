"""The rules of questions and answers, used by the API and the pages alike.

Each `ensure_*` raises the refusal with its German reason: 404 for what the viewer must not
see, 403 for what their role or ownership does not allow, 409 for what the post's state
(locked, closed) does not allow right now."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from fachaustausch.accounts.policy import Principal
from fachaustausch.core.errors import Conflict, NotFound, PermissionDenied
from fachaustausch.questions import visibility
from fachaustausch.questions.models import Permissions

QUESTION_NOT_FOUND = "Diese Frage gibt es nicht."
ANSWER_NOT_FOUND = "Diese Antwort gibt es nicht."


@dataclass(frozen=True, slots=True)
class QuestionState:
    id: int
    author_id: int
    hidden: bool
    locked: bool
    closed_reason: str


@dataclass(frozen=True, slots=True)
class AnswerState:
    id: int
    author_id: int
    hidden: bool
    question: QuestionState


def ensure_visible(viewer: Principal, question: QuestionState) -> None:
    # Hidden content does not exist for non-moderators: 404, not 403.
    if not viewer.is_moderator and not visibility.visible(question.hidden):
        raise NotFound(QUESTION_NOT_FOUND)


def ensure_answer_visible(viewer: Principal, answer: AnswerState) -> None:
    ensure_visible(viewer, answer.question)
    if not viewer.is_moderator and not visibility.visible(answer.hidden, answer.question.hidden):
        raise NotFound(ANSWER_NOT_FOUND)


def _not_locked(question: QuestionState, what: str) -> None:
    if question.locked:
        raise Conflict(f"Die Frage ist gesperrt: {what} ist nicht mehr möglich.")


def ensure_can_answer(viewer: Principal, question: QuestionState) -> None:
    ensure_visible(viewer, question)
    _not_locked(question, "Antworten")
    if question.closed_reason:
        raise Conflict("Die Frage ist geschlossen und nimmt keine neuen Antworten an.")


def ensure_can_comment(viewer: Principal, question: QuestionState) -> None:
    ensure_visible(viewer, question)
    _not_locked(question, "Kommentieren")


def ensure_can_vote(viewer: Principal, question: QuestionState, author_id: int) -> None:
    ensure_visible(viewer, question)
    if author_id == viewer.id:
        raise PermissionDenied("Eigene Beiträge können Sie nicht bewerten.")
    _not_locked(question, "Bewerten")


def ensure_can_accept(viewer: Principal, target: QuestionState | AnswerState) -> None:
    """Accepting an answer of the question; given the answer, also checks that answer."""
    question = target.question if isinstance(target, AnswerState) else target
    ensure_visible(viewer, question)
    if isinstance(target, AnswerState):
        ensure_answer_visible(viewer, target)
    if question.author_id != viewer.id and not viewer.is_moderator:
        raise PermissionDenied(
            "Nur wer die Frage gestellt hat (oder die Moderation), kann eine Antwort annehmen."
        )
    _not_locked(question, "Annehmen einer Antwort")
    if isinstance(target, AnswerState) and target.hidden:
        # Only visible answers count for the question's status: a hidden one cannot solve it.
        raise Conflict("Eine ausgeblendete Antwort kann nicht angenommen werden.")


def ensure_can_edit(viewer: Principal, question: QuestionState, author_id: int) -> None:
    ensure_visible(viewer, question)
    if author_id != viewer.id and not viewer.is_moderator:
        raise PermissionDenied("Sie können nur Ihre eigenen Beiträge bearbeiten.")
    if question.locked and not viewer.is_moderator:
        raise Conflict("Die Frage ist gesperrt: Bearbeiten ist nicht mehr möglich.")


def _allowed(check: object, *args: object) -> bool:
    try:
        check(*args)  # type: ignore[operator]
    except (NotFound, PermissionDenied, Conflict):
        return False
    return True


# The permissions are pure functions of frozen values and a page asks the same ones for
# each answer (every answer but the viewer's own alike): remembered, not raised and caught
# again for each. Permissions is frozen, so handing out one instance is safe.
@lru_cache(maxsize=1024)
def question_permissions(viewer: Principal, question: QuestionState) -> Permissions:
    return Permissions(
        edit=_allowed(ensure_can_edit, viewer, question, question.author_id),
        answer=_allowed(ensure_can_answer, viewer, question),
        comment=_allowed(ensure_can_comment, viewer, question),
        vote=_allowed(ensure_can_vote, viewer, question, question.author_id),
        accept=_allowed(ensure_can_accept, viewer, question),
        follow=_allowed(ensure_visible, viewer, question),
    )


def answer_permissions(viewer: Principal, answer: AnswerState) -> Permissions:
    # An answer's id does not matter, only whose it is and whether it is hidden.
    own = answer.author_id == viewer.id
    return _answer_permissions(viewer, answer.question, own, answer.hidden)


def answers_permissions(
    viewer: Principal, question: QuestionState, answers: list[tuple[int, bool]]
) -> list[Permissions]:
    """For each (author id, hidden) of a page's answers in order: a page has at most four
    kinds (own or not, hidden or not), each worked out once."""
    kinds: dict[tuple[bool, bool], Permissions] = {}
    result = []
    for author_id, hidden in answers:
        kind = (author_id == viewer.id, hidden)
        can = kinds.get(kind)
        if can is None:
            can = kinds[kind] = _answer_permissions(viewer, question, *kind)
        result.append(can)
    return result


@lru_cache(maxsize=1024)
def _answer_permissions(
    viewer: Principal, question: QuestionState, own: bool, hidden: bool
) -> Permissions:
    answer = AnswerState(0, viewer.id if own else -1, hidden, question)
    return Permissions(
        edit=_allowed(ensure_can_edit, viewer, question, answer.author_id),
        comment=_allowed(ensure_can_comment, viewer, question),
        vote=_allowed(ensure_can_vote, viewer, question, answer.author_id),
        accept=_allowed(ensure_can_accept, viewer, answer),
    )
