"""Two moderators acting on one target at once: the checks run on the locked row inside
each action's transaction, so the outcome is one that the two actions one after the
other would give. Exactly one audit row per effective change, flags resolved once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import pytest

from fachaustausch.accounts.policy import AccountStatus, Principal, Role
from fachaustausch.accounts.tables import User
from fachaustausch.core.errors import Conflict
from fachaustausch.moderation import actions, flags
from fachaustausch.moderation.models import (
    Action,
    ActionInput,
    FlagInput,
    FlagReason,
    TargetType,
)
from fachaustausch.moderation.tables import Flag
from fachaustausch.questions.tables import Answer
from fachaustausch.settings import Settings
from tests.factories import answer_question, ask_question, make_user
from tests.moderation.support import audit_rows

pytestmark = pytest.mark.database

ROUNDS = 3


async def _moderators() -> tuple[Principal, Principal]:
    first = await make_user(Role.moderator)
    second = await make_user(Role.moderator)
    return await first.principal(), await second.principal()


def _action(action: Action, target_type: TargetType, target_id: int) -> ActionInput:
    return ActionInput(
        action=action, target_type=target_type, target_id=target_id, reason="Prüfung"
    )


async def _at_once(*calls: Awaitable[Any]) -> list[Any]:
    """Runs the calls concurrently; a refusal other than a conflict fails the test."""
    results = await asyncio.gather(*calls, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException) and not isinstance(result, Conflict):
            raise result
    return results


def _won(results: list[Any]) -> list[int]:
    return [i for i, r in enumerate(results) if not isinstance(r, BaseException)]


async def _flagged_answer() -> tuple[int, list[int]]:
    author = await make_user(Role.member)
    answer_id = await answer_question(author, await ask_question(author))
    flag_ids = []
    for _ in range(2):
        reporter = await (await make_user(Role.member)).principal()
        flagged = await flags.flag(
            reporter,
            FlagInput(target_type=TargetType.answer, target_id=answer_id, reason=FlagReason.wrong),
        )
        flag_ids.append(flagged.id)
    return answer_id, flag_ids


async def test_two_moderators_hiding_one_answer_at_once_hide_it_once(settings: Settings) -> None:
    moderators = await _moderators()
    for _ in range(ROUNDS):
        answer_id, flag_ids = await _flagged_answer()
        results = await _at_once(
            *(
                actions.act(m, _action(Action.hide, TargetType.answer, answer_id), settings)
                for m in moderators
            )
        )
        [winner] = _won(results)
        assert isinstance(results[1 - winner], Conflict)
        hides = await audit_rows(target_type="answer", target_id=answer_id)
        assert [(r["action"], r["actor"]) for r in hides] == [("hide", moderators[winner].id)]
        rows = await Flag.select().where(Flag.id.is_in(flag_ids)).run()
        assert {(r["status"], r["resolved_by"], r["resolution"]) for r in rows} == {
            ("resolved", moderators[winner].id, "hide")
        }
        row = await Answer.select(Answer.hidden).where(Answer.id == answer_id).first().run()
        assert row == {"hidden": True}


async def test_hiding_while_another_moderator_restores_leaves_a_consistent_log(
    settings: Settings,
) -> None:
    """Restore first finds nothing hidden and is refused; hide first is then undone by
    the restore. Either way the log holds one row per change, each starting from the
    state the one before left, and the post is as the last row says."""
    hide_moderator, restore_moderator = await _moderators()
    for _ in range(ROUNDS):
        answer_id, _flag_ids = await _flagged_answer()
        results = await _at_once(
            actions.act(
                hide_moderator, _action(Action.hide, TargetType.answer, answer_id), settings
            ),
            actions.act(
                restore_moderator, _action(Action.restore, TargetType.answer, answer_id), settings
            ),
        )
        log = await audit_rows(target_type="answer", target_id=answer_id)
        assert len(log) == len(_won(results))
        assert log[0]["action"] == "hide"
        state = False
        for entry in log:
            assert entry["before"] == {"hidden": state}
            state = entry["after"]["hidden"]
        row = await Answer.select(Answer.hidden).where(Answer.id == answer_id).first().run()
        assert row == {"hidden": state}


async def test_dismissing_a_flag_while_its_target_is_hidden_settles_the_flag_once(
    settings: Settings,
) -> None:
    dismisser, hider = await _moderators()
    for _ in range(ROUNDS):
        answer_id, [flag_id, _other] = await _flagged_answer()
        results = await _at_once(
            actions.act(dismisser, _action(Action.dismiss, TargetType.flag, flag_id), settings),
            actions.act(hider, _action(Action.hide, TargetType.answer, answer_id), settings),
        )
        assert not isinstance(results[1], BaseException), "hiding never conflicts here"
        row = await Flag.select().where(Flag.id == flag_id).first().run()
        assert row is not None
        dismissals = await audit_rows(target_type="flag", target_id=flag_id)
        if isinstance(results[0], Conflict):
            # The hide came first and resolved the flag; the dismissal found it settled.
            assert (row["status"], row["resolved_by"]) == ("resolved", hider.id)
            assert dismissals == []
        else:
            assert (row["status"], row["resolved_by"]) == ("dismissed", dismisser.id)
            assert [r["action"] for r in dismissals] == ["dismiss"]


async def test_two_moderators_suspending_one_account_at_once_suspend_it_once(
    settings: Settings,
) -> None:
    moderators = await _moderators()
    for _ in range(ROUNDS):
        member = await make_user(Role.member)
        results = await _at_once(
            *(
                actions.act(m, _action(Action.suspend, TargetType.user, member.id), settings)
                for m in moderators
            )
        )
        [winner] = _won(results)
        log = await audit_rows(target_type="user", target_id=member.id)
        assert [(r["action"], r["actor"]) for r in log] == [("suspend", moderators[winner].id)]
        row = await User.select(User.status).where(User.id == member.id).first().run()
        assert row == {"status": AccountStatus.suspended}


async def test_personal_data_reports_arriving_together_hide_the_post_once(
    settings: Settings,
) -> None:
    """Each report counts the ones before it: of three sent at once, the last one hides
    the post, and the platform writes one audit row for it."""
    for _ in range(ROUNDS):
        author = await make_user(Role.member)
        answer_id = await answer_question(author, await ask_question(author))
        reporters = [await (await make_user(Role.member)).principal() for _ in range(3)]
        await _at_once(
            *(
                flags.flag(
                    r,
                    FlagInput(
                        target_type=TargetType.answer,
                        target_id=answer_id,
                        reason=FlagReason.personal_data,
                    ),
                )
                for r in reporters
            )
        )
        log = await audit_rows(target_type="answer", target_id=answer_id)
        assert [(r["action"], r["actor"]) for r in log] == [("hide", None)]
        row = await Answer.select(Answer.hidden).where(Answer.id == answer_id).first().run()
        assert row == {"hidden": True}


async def test_hiding_an_answer_while_it_is_accepted_and_voted_on_ends_without_an_error(
    settings: Settings,
) -> None:
    """A moderator's hide and the asker's accept and a member's vote on one answer at once:
    each request ends with its own outcome (moderation and the questions' writes lock a
    thread in one order, the question first), and the question counts only visible
    answers afterwards."""
    from fachaustausch.questions import answers as answer_writes
    from fachaustausch.questions import votes as vote_writes
    from fachaustausch.questions.tables import Question

    moderator, _ = await _moderators()
    asker = await make_user(Role.member)
    voter = await (await make_user(Role.member, authority="kiel")).principal()
    for _ in range(ROUNDS):
        question_id = await ask_question(asker)
        answer_id = await answer_question(await make_user(Role.expert), question_id)
        results = await asyncio.gather(
            actions.act(moderator, _action(Action.hide, TargetType.answer, answer_id), settings),
            answer_writes.accept(await asker.principal(), answer_id),
            vote_writes.vote(voter, "answer", answer_id, 1),
            return_exceptions=True,
        )
        assert not isinstance(results[0], BaseException), results[0]
        for result in results[1:]:
            # A write that came after the hide may be refused by the rules; nothing else.
            if isinstance(result, BaseException):
                assert type(result).__module__.startswith("fachaustausch"), repr(result)
        hidden = await Answer.select(Answer.hidden).where(Answer.id == answer_id).first().run()
        assert hidden == {"hidden": True}
        question = (
            await Question.select(Question.answer_count)
            .where(Question.id == question_id)
            .first()
            .run()
        )
        assert question == {"answer_count": 0}
