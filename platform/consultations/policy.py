"""Who may see, join, invite, post, set the key question or the method, and move a
consultation on: pure functions over its State, read by the writes inside their transaction
(service.py) and by the thread's page (queries.py).

phases.RULES holds the method itself (which role writes which kind of post in which phase);
this module applies it to a person and a consultation, and says no in German."""

from __future__ import annotations

from dataclasses import dataclass

from fachaustausch.accounts.policy import Principal
from fachaustausch.consultations.models import AllowedActions, Visibility
from fachaustausch.consultations.phases import (
    JOINABLE,
    RULES,
    Phase,
    PostKind,
    Refusal,
    Role,
    phases_where,
    post_refusal,
)
from fachaustausch.core.errors import Conflict, NotFound, PermissionDenied

NOT_FOUND = "Diese Fallberatung gibt es nicht."
ONE_FACILITATOR = "Diese Fallberatung hat bereits eine Gesprächsleitung."
ALREADY_PARTICIPATING = "Diese Person nimmt bereits teil."


@dataclass(frozen=True)
class State:
    """What the rules look at: the consultation's row and who takes part in which role."""

    id: int
    phase: Phase
    visibility: Visibility
    case_giver_id: int
    hidden: bool
    key_question: str
    method: str
    roles: dict[int, Role]  # user id -> role

    def role_of(self, user_id: int) -> Role | None:
        return self.roles.get(user_id)

    @property
    def has_facilitator(self) -> bool:
        return Role.facilitator in self.roles.values()

    def mover(self) -> Role:
        """Who moves the phase on: the facilitator, or the case giver while none joined."""
        return Role.facilitator if self.has_facilitator else Role.case_giver


# --- seeing ----------------------------------------------------------------------------------


def ensure_visible(viewer: Principal, state: State) -> None:
    """A hidden consultation, or one for participants only, does not exist for anyone else
    but moderators."""
    if viewer.is_moderator:
        return
    if state.hidden or (
        state.visibility is Visibility.participants and viewer.id not in state.roles
    ):
        raise NotFound(NOT_FOUND)


def allowed_actions(viewer: Principal, state: State) -> AllowedActions:
    """What the page offers the viewer; each write checks the same rules again."""
    role = state.role_of(viewer.id)
    closed = state.phase is Phase.closed
    join_as: list[str] = []
    may_join = state.visibility is Visibility.members or viewer.is_moderator
    if role is None and not closed and state.phase in JOINABLE and may_join:
        join_as.append(Role.advisor.value)
        if not state.has_facilitator:
            join_as.append(Role.facilitator.value)
    return AllowedActions(
        join_as=join_as,
        invite=role is Role.case_giver and not closed,
        advance=role is state.mover() and not closed,
        set_key_question=role is Role.case_giver and state.phase is Phase.key_question,
        set_method=role is state.mover() and state.phase is Phase.method,
        post_kinds=sorted(RULES[state.phase].posts[role]) if role else [],
    )


# --- taking part -----------------------------------------------------------------------------


def ensure_may_join(actor: Principal, state: State) -> None:
    if state.role_of(actor.id) is not None:
        raise Conflict("Sie nehmen an dieser Fallberatung bereits teil.")
    if state.visibility is Visibility.participants and not actor.is_moderator:
        raise PermissionDenied("An dieser Fallberatung nimmt nur teil, wer eingeladen wurde.")
    if state.phase not in JOINABLE:
        raise Conflict(
            "Beitreten ist nur bis zum Beginn der Beratungsphase möglich; "
            f"die Fallberatung ist in der Phase „{state.phase.label}“."
        )


def ensure_may_invite(actor: Principal, state: State) -> None:
    if state.role_of(actor.id) is not Role.case_giver:
        raise PermissionDenied("Nur die Fallgeberin oder der Fallgeber lädt Beteiligte ein.")
    if state.phase is Phase.closed:
        raise Conflict("Die Fallberatung ist abgeschlossen.")


def ensure_role_free(state: State, user_id: int, role: Role) -> None:
    """One facilitator, one case giver, and nobody twice."""
    if role is Role.facilitator and state.has_facilitator:
        raise Conflict(ONE_FACILITATOR)
    if role is Role.case_giver:
        raise PermissionDenied("Es gibt nur eine Fallgeberin oder einen Fallgeber.")
    if state.role_of(user_id) is not None:
        raise Conflict(ALREADY_PARTICIPATING)


def ensure_participant(actor: Principal, state: State) -> Role:
    role = state.role_of(actor.id)
    if role is None:
        raise PermissionDenied("Bitte treten Sie der Fallberatung zuerst bei.")
    return role


def ensure_open(state: State) -> None:
    if state.phase is Phase.closed:
        raise Conflict("Die Fallberatung ist abgeschlossen und kann nur noch gelesen werden.")


# --- writing in a phase ----------------------------------------------------------------------


def ensure_may_post(actor: Principal, state: State, kind: PostKind) -> None:
    # A closed consultation is read-only for everyone: no point in asking to join first.
    ensure_open(state)
    role = ensure_participant(actor, state)
    refusal = post_refusal(state.phase, role, kind)
    if refusal is Refusal.role:
        if role is Role.case_giver and state.phase is Phase.advice:
            raise PermissionDenied(
                "In der Beratungsphase hört die Fallgeberin oder der Fallgeber nur zu."
            )
        raise PermissionDenied(
            f"Als {role.label} schreiben Sie keinen Beitrag der Art „{kind.label}“."
        )
    if refusal is Refusal.phase:
        when = ", ".join(f"„{p.label}“" for p in phases_where(role, kind))
        raise Conflict(
            f"Einen Beitrag der Art „{kind.label}“ schreiben Sie in der Phase {when}, "
            f"nicht in der Phase „{state.phase.label}“."
        )


def ensure_may_set_key_question(actor: Principal, state: State) -> None:
    role = ensure_participant(actor, state)
    if role is not Role.case_giver:
        raise PermissionDenied("Die Schlüsselfrage stellt die Fallgeberin oder der Fallgeber.")
    ensure_open(state)
    if state.phase is not Phase.key_question:
        raise Conflict("Die Schlüsselfrage wird in der Phase „Schlüsselfrage“ festgelegt.")


def ensure_may_set_method(actor: Principal, state: State) -> None:
    role = ensure_participant(actor, state)
    if role is not state.mover():
        raise PermissionDenied(
            "Die Methode wählt die Gesprächsleitung (oder die Fallgeberin bzw. der "
            "Fallgeber, solange niemand die Gesprächsleitung übernommen hat)."
        )
    ensure_open(state)
    if state.phase is not Phase.method:
        raise Conflict("Die Methode wird in der Phase „Methodenwahl“ gewählt.")


# --- moving on -------------------------------------------------------------------------------


def ensure_may_advance(actor: Principal, state: State) -> None:
    """Who may move on; whether the phase's result exists is asked after this
    (`ensure_result`), since finding out costs a query."""
    role = ensure_participant(actor, state)
    if role is not state.mover():
        raise PermissionDenied(
            "Die Phase wechselt die Gesprächsleitung (oder die Fallgeberin bzw. der "
            "Fallgeber, solange niemand die Gesprächsleitung übernommen hat)."
        )
    ensure_open(state)


def ensure_result(state: State, result_exists: bool) -> Phase:
    """The phase after the current one, once the current one's result exists."""
    if not result_exists:
        raise Conflict(
            f"Die Phase „{state.phase.label}“ kann erst verlassen werden, wenn "
            f"{RULES[state.phase].requires} vorliegt."
        )
    target = state.phase.next
    assert target is not None
    return target
