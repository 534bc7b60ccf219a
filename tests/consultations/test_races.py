"""Rules checked inside the write: a post and a phase change, or two phase changes, sent at
the same time. Each write reads the phase with the consultation locked (PostgreSQL: the
row, FOR UPDATE; SQLite: the write lock), so the other one waits and then sees what the
first wrote: a post is stored in the phase it was allowed in, or refused; the phase moves
one step."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from fachaustausch.accounts.policy import Principal
from fachaustausch.consultations import queries, service
from fachaustausch.consultations.phases import Phase, PostKind
from fachaustausch.consultations.policy import State
from fachaustausch.consultations.tables import ConsultationPost, Participant, PhaseTransition
from fachaustausch.core.errors import Conflict
from fachaustausch.settings import Settings
from tests.consultations.support import BODIES, Cast, phase_of, put_in_phase

pytestmark = pytest.mark.database

# Long enough for a write that does not wait for the lock to finish on a busy machine.
WAITS = 0.5


class Gate:
    """Holds the first write that reads the consultation's state right after the read, with
    its transaction (and lock) open, until `release`."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.inside = asyncio.Event()
        self.release = asyncio.Event()
        self._held = False
        real = queries.state_of

        async def held(consultation_id: int, *, lock: bool = False) -> State:
            state = await real(consultation_id, lock=lock)
            if not self._held:
                self._held = True
                self.inside.set()
                await asyncio.wait_for(self.release.wait(), timeout=10)
            return state

        monkeypatch.setattr(queries, "state_of", held)

    async def first_then_second(
        self, first: Callable[[], Awaitable[Any]], second: Callable[[], Awaitable[Any]]
    ) -> tuple[Any, Any]:
        """Runs `first` up to its state read, then `second`, which must wait for the first
        to commit; the results (or exceptions) of both."""
        first_task = asyncio.ensure_future(first())
        await asyncio.wait_for(self.inside.wait(), timeout=10)
        second_task = asyncio.ensure_future(second())
        await asyncio.sleep(WAITS)
        assert not second_task.done(), "the second write did not wait for the first"
        self.release.set()
        results = await asyncio.gather(first_task, second_task, return_exceptions=True)
        return results[0], results[1]


async def _posts(cid: int) -> list[tuple[str, str]]:
    rows = (
        await ConsultationPost.select(ConsultationPost.phase, ConsultationPost.kind)
        .where(ConsultationPost.consultation == cid)
        .order_by(ConsultationPost.id)
        .run()
    )
    return [(r["phase"], r["kind"]) for r in rows]


async def _transitions(cid: int) -> list[tuple[str, str]]:
    rows = (
        await PhaseTransition.select(PhaseTransition.from_phase, PhaseTransition.to_phase)
        .where(PhaseTransition.consultation == cid)
        .order_by(PhaseTransition.id)
        .run()
    )
    return [(r["from_phase"], r["to_phase"]) for r in rows]


async def _narration_with_people() -> tuple[Cast, Principal, Principal]:
    """In the narration, its result there: the case giver may answer a clarifying question
    (only in this phase), the facilitator may move on."""
    cast = await put_in_phase(Phase.narration, with_result=True)
    assert cast.facilitator is not None
    return cast, await cast.case_giver.principal(), await cast.facilitator.principal()


def _clarify(giver: Principal, cid: int) -> Callable[[], Awaitable[int]]:
    return lambda: service.post(giver, cid, PostKind.clarification, BODIES[PostKind.clarification])


async def test_a_post_being_written_holds_off_the_advance(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The post read the phase first: it is stored in that phase, and then the phase moves."""
    cast, giver, mover = await _narration_with_people()
    gate = Gate(monkeypatch)
    posted, advanced = await gate.first_then_second(
        _clarify(giver, cast.id), lambda: service.advance(mover, cast.id)
    )
    assert isinstance(posted, int), posted
    assert advanced is Phase.key_question
    assert await _posts(cast.id) == [("narration", "narration"), ("narration", "clarification")]
    assert await phase_of(cast.id) is Phase.key_question


async def test_a_post_sent_while_the_phase_moves_on_is_refused(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The advance read the phase first: the post waits, then sees the new phase, which
    does not take its kind; nothing is stored in the phase that has ended."""
    cast, giver, mover = await _narration_with_people()
    gate = Gate(monkeypatch)
    advanced, posted = await gate.first_then_second(
        lambda: service.advance(mover, cast.id), _clarify(giver, cast.id)
    )
    assert advanced is Phase.key_question
    assert isinstance(posted, Conflict), posted
    assert "nicht in der Phase „Schlüsselfrage“" in posted.detail
    assert await _posts(cast.id) == [("narration", "narration")]
    assert await phase_of(cast.id) is Phase.key_question


async def test_two_advances_at_once_move_one_step(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A double click on "Nächste Phase": the second waits, then finds the new phase
    without its result, and is refused."""
    cast, _, mover = await _narration_with_people()
    gate = Gate(monkeypatch)
    first, second = await gate.first_then_second(
        lambda: service.advance(mover, cast.id), lambda: service.advance(mover, cast.id)
    )
    assert first is Phase.key_question
    assert isinstance(second, Conflict), second
    assert await phase_of(cast.id) is Phase.key_question
    assert (await _transitions(cast.id))[-1] == ("narration", "key_question")
    assert len(await _transitions(cast.id)) == 2


@pytest.mark.parametrize("post_first", [True, False], ids=["post-first", "advance-first"])
async def test_posting_and_advancing_at_once_never_store_a_stale_phase(
    settings: Settings, post_first: bool
) -> None:
    """Unsteered: whichever wins, a stored post carries a phase it was allowed in at a
    moment the consultation was in that phase, that is before the transition's row."""
    for _ in range(3):
        cast, giver, mover = await _narration_with_people()
        writes = [_clarify(giver, cast.id)(), service.advance(mover, cast.id)]
        posted, advanced = await asyncio.gather(
            *(writes if post_first else writes[::-1]), return_exceptions=True
        )
        if not post_first:
            posted, advanced = advanced, posted
        assert advanced is Phase.key_question
        posts = await _posts(cast.id)
        if isinstance(posted, int):
            assert posts[-1] == ("narration", "clarification")
            post_row = (
                await ConsultationPost.select(ConsultationPost.created_at)
                .where(ConsultationPost.id == posted)
                .first()
                .run()
            )
            moved = (
                await PhaseTransition.select(PhaseTransition.at)
                .where(
                    (PhaseTransition.consultation == cast.id)
                    & (PhaseTransition.to_phase == Phase.key_question)
                )
                .first()
                .run()
            )
            assert post_row is not None
            assert moved is not None
            assert post_row["created_at"] <= moved["at"]
        else:
            assert isinstance(posted, Conflict), posted
            assert posts == [("narration", "narration")]
        assert await phase_of(cast.id) is Phase.key_question


async def test_joining_while_the_advice_begins_is_refused(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Joining is open until the advice starts: a join that waited for the move into the
    advice sees it and is refused; nobody joins a phase that no longer takes joiners."""
    cast = await put_in_phase(Phase.method, with_result=True)
    assert cast.facilitator is not None
    mover = await cast.facilitator.principal()
    joiner = await cast.outsider.principal()
    gate = Gate(monkeypatch)
    advanced, joined = await gate.first_then_second(
        lambda: service.advance(mover, cast.id), lambda: service.join(joiner, cast.id)
    )
    assert advanced is Phase.advice
    assert isinstance(joined, Conflict), joined
    assert "Beitreten ist nur bis zum Beginn der Beratungsphase" in joined.detail
    people = (
        await Participant.select(Participant.user).where(Participant.consultation == cast.id).run()
    )
    assert cast.outsider.id not in {p["user"] for p in people}
