"""Moderator actions on posts: hide and restore, lock, close and reopen, mark outdated,
retag and edit. Each checks the target's state with the row locked, inside the action's
transaction, and dispatches the change to the domain that owns the post
(questions.upkeep, consultations.upkeep via moderation.targets)."""

from __future__ import annotations

from fachaustausch.core import events
from fachaustausch.core.errors import Conflict, InvalidInput
from fachaustausch.moderation import policy, queries, targets
from fachaustausch.moderation.context import ActionContext, record
from fachaustausch.moderation.models import TargetType
from fachaustausch.questions import upkeep as questions
from fachaustausch.questions.upkeep import AnswerSnapshot, QuestionSnapshot


async def _question(ctx: ActionContext) -> QuestionSnapshot:
    question = await questions.question_for_update(ctx.data.target_id)
    if question is None:
        raise queries.not_found(TargetType.question, ctx.data.target_id)
    return question


async def _answer(ctx: ActionContext) -> AnswerSnapshot:
    answer = await questions.answer_for_update(ctx.data.target_id)
    if answer is None:
        raise queries.not_found(TargetType.answer, ctx.data.target_id)
    return answer


async def set_hidden(ctx: ActionContext, hidden: bool) -> str:
    data = ctx.data
    policy.only(data, *policy.HIDEABLE)
    if hidden:
        policy.require_reason(data)
    was_hidden = await targets.hidden_for_update(data.target_type, data.target_id)
    if was_hidden is None:
        raise queries.not_found(data.target_type, data.target_id)
    if was_hidden == hidden:
        raise Conflict(
            f"{data.target_type.label} ist bereits {'ausgeblendet' if hidden else 'sichtbar'}."
        )
    await targets.set_hidden(data.target_type, data.target_id, hidden, data.reason)
    await record(ctx, {"hidden": was_hidden}, {"hidden": hidden})
    await events.record(
        events.EventKind.content_hidden if hidden else events.EventKind.content_restored,
        data.target_type.value,
        data.target_id,
        ctx.actor.id,
        reason=data.reason.strip(),
    )
    return f"{data.target_type.label} ist jetzt {'ausgeblendet' if hidden else 'wieder sichtbar'}."


async def set_locked(ctx: ActionContext, locked: bool) -> str:
    data = ctx.data
    policy.only(data, TargetType.question)
    if locked:
        policy.require_reason(data)
    question = await _question(ctx)
    if question.locked == locked:
        raise Conflict(f"Die Frage ist bereits {'gesperrt' if locked else 'entsperrt'}.")
    await questions.set_locked(data.target_id, locked, data.reason)
    await record(ctx, {"locked": not locked}, {"locked": locked})
    return "Die Frage ist gesperrt." if locked else "Die Frage ist wieder offen für Beiträge."


async def close(ctx: ActionContext) -> str:
    data = ctx.data
    policy.only(data, TargetType.question)
    policy.check_close(data)
    assert data.close_reason is not None
    duplicate_of = data.duplicate_of if data.close_reason == "duplicate" else None
    if duplicate_of is not None:
        await queries.ensure_exists(TargetType.question, duplicate_of)
    question = await _question(ctx)
    if question.closed_reason:
        raise Conflict("Die Frage ist bereits geschlossen.")
    await questions.close(data.target_id, data.close_reason.value, duplicate_of, data.reason)
    await record(
        ctx,
        {"closed_reason": "", "duplicate_of": None},
        {"closed_reason": data.close_reason.value, "duplicate_of": duplicate_of},
    )
    return "Die Frage ist geschlossen und nimmt keine Antworten mehr an."


async def reopen(ctx: ActionContext) -> str:
    data = ctx.data
    policy.only(data, TargetType.question)
    question = await _question(ctx)
    if not question.closed_reason:
        raise Conflict("Die Frage ist nicht geschlossen.")
    await questions.reopen(data.target_id)
    await record(
        ctx,
        {"closed_reason": question.closed_reason, "duplicate_of": question.duplicate_of},
        {"closed_reason": "", "duplicate_of": None},
    )
    return "Die Frage ist wieder geöffnet."


async def set_outdated(ctx: ActionContext, outdated: bool) -> str:
    data = ctx.data
    policy.only(data, TargetType.answer)
    if outdated:
        policy.require_reason(data)
    answer = await _answer(ctx)
    if answer.outdated == outdated:
        raise Conflict("Die Antwort ist bereits so markiert.")
    await questions.set_outdated(data.target_id, outdated, data.reason)
    await record(ctx, {"outdated": not outdated}, {"outdated": outdated})
    return (
        "Die Antwort ist als veraltet markiert."
        if outdated
        else "Die Markierung „veraltet“ ist entfernt."
    )


async def retag(ctx: ActionContext) -> str:
    data = ctx.data
    policy.only(data, TargetType.question)
    if data.cornerstone is None and data.instruments is None:
        raise InvalidInput.for_field("cornerstone", "Bitte geben Sie Eckpunkt oder Instrumente an.")
    policy.require_edit_reason(data)
    question = await _question(ctx)
    instruments = await questions.instrument_slugs(data.target_id)
    cornerstone = data.cornerstone or question.cornerstone
    new_instruments = data.instruments if data.instruments is not None else instruments
    await questions.retag(data.target_id, cornerstone, new_instruments)
    before = {"cornerstone": question.cornerstone, "instruments": instruments}
    after = {"cornerstone": cornerstone, "instruments": new_instruments}
    await record(ctx, before, after)
    return "Die Frage ist neu zugeordnet."


async def edit(ctx: ActionContext) -> str:
    data = ctx.data
    policy.only(data, TargetType.question, TargetType.answer)
    policy.require_reason(data)
    policy.require_edit_reason(data)
    if data.target_type is TargetType.question:
        if data.title is None and data.body is None:
            raise InvalidInput.for_field("body", "Bitte geben Sie den neuen Titel oder Text an.")
        question = await _question(ctx)
        await questions.edit_question(
            data.target_id, ctx.actor.id, data.title, data.body, data.reason
        )
        await record(
            ctx,
            {"title": question.title, "body": question.body},
            {"title": data.title or question.title, "body": data.body or question.body},
        )
        return "Die Frage ist bearbeitet; die frühere Fassung bleibt in den Versionen."
    if data.body is None:
        raise InvalidInput.for_field("body", "Bitte geben Sie den neuen Text an.")
    answer = await _answer(ctx)
    await questions.edit_answer(data.target_id, ctx.actor.id, data.body, data.reason)
    await record(ctx, {"body": answer.body}, {"body": data.body})
    return "Die Antwort ist bearbeitet; die frühere Fassung bleibt in den Versionen."
