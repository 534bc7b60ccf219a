"""Moderation: flags from members, the review queue, moderator actions and the audit log.

Every action is one transaction that changes the target, writes exactly one audit row
(with the state before and after) and, where search shows the target, an outbox row.
Acting on a target resolves its open flags."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import asyncpg
from piccolo.columns.combination import WhereRaw

from fachaustausch import database
from fachaustausch.accounts import administration
from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.administration import Person
from fachaustausch.accounts.policy import (
    AccountStatus,
    PersonAction,
    Principal,
    check_action_on_person,
    require_moderator,
)
from fachaustausch.accounts.tables import User
from fachaustausch.consultations.tables import Consultation, ConsultationPost, Participant
from fachaustausch.core import audit, clock
from fachaustausch.core.audit import AuditLog
from fachaustausch.core.errors import Conflict, InvalidInput, NotFound
from fachaustausch.core.ids import MAX_ID
from fachaustausch.core.markdown import render
from fachaustausch.core.outbox import EntityType, enqueue
from fachaustausch.database.piccolo_internals import table_name
from fachaustausch.moderation import audit_targets
from fachaustausch.moderation.models import (
    EDIT_REASON_MAX,
    FLAGGABLE,
    Action,
    ActionInput,
    ActionResultOut,
    AuditEntryOut,
    AuditPageOut,
    FlagInput,
    FlagOut,
    FlagReason,
    FlagTargetOut,
    PendingUserOut,
    QueueItemOut,
    QueueOut,
    QueueReasonCount,
    TargetType,
    action_label,
)
from fachaustausch.moderation.tables import Flag
from fachaustausch.privacy.refusal import ensure_anonymous
from fachaustausch.questions import service as questions
from fachaustausch.questions import visibility
from fachaustausch.questions.models import QuestionEdit
from fachaustausch.questions.tables import Answer, Comment, Question, Revision
from fachaustausch.settings import Settings

# Three members independently reporting personal data hide the post at once.
AUTO_HIDE_FLAGS = 3
AUTO_HIDE_REASON = (
    "Automatisch ausgeblendet: Mehrere Mitglieder haben personenbezogene Daten gemeldet. "
    "Die Moderation prüft den Beitrag."
)


# --- targets --------------------------------------------------------------------------------

# Tables whose rows can be hidden, and the question whose search document shows them.
_HIDEABLE: dict[TargetType, Any] = {
    TargetType.question: Question,
    TargetType.answer: Answer,
    TargetType.comment: Comment,
    TargetType.consultation: Consultation,
    TargetType.consultation_post: ConsultationPost,
}


async def _target_row(target_type: TargetType, target_id: int, *columns: Any) -> dict[str, Any]:
    table = _HIDEABLE.get(target_type) or (User if target_type is TargetType.user else None)
    if table is None:
        raise InvalidInput.for_field(
            "target_type", "Diese Art von Eintrag kennt die Moderation nicht."
        )
    if target_id > MAX_ID:
        raise NotFound("Dieser Eintrag existiert nicht.")
    row = await table.select(table.id, *columns).where(table.id == target_id).first().run()
    if not row:
        raise NotFound(f"{target_type.label} Nr. {target_id} gibt es nicht.")
    return cast(dict[str, Any], row)


async def _search_entity(target_type: TargetType, target_id: int) -> tuple[EntityType, int] | None:
    """The search document a change to this target affects."""
    if target_type is TargetType.question:
        return EntityType.question, target_id
    if target_type in (TargetType.answer, TargetType.comment):
        table = _HIDEABLE[target_type]
        row = await table.select(table.question).where(table.id == target_id).first().run()
        return (EntityType.question, row["question"]) if row else None
    if target_type is TargetType.consultation:
        return EntityType.consultation, target_id
    if target_type is TargetType.consultation_post:
        row = (
            await ConsultationPost.select(ConsultationPost.consultation)
            .where(ConsultationPost.id == target_id)
            .first()
            .run()
        )
        return (EntityType.consultation, row["consultation"]) if row else None
    return None


async def _reindex(target_type: TargetType, target_id: int) -> None:
    entity = await _search_entity(target_type, target_id)
    if entity:
        await enqueue(*entity)


async def _after_visibility_change(target_type: TargetType, target_id: int) -> None:
    """Hiding or restoring an answer changes the question's status and answer count."""
    if target_type is TargetType.answer:
        row = await Answer.select(Answer.question).where(Answer.id == target_id).first().run()
        if row:
            await questions.refresh_question(row["question"])
    await _reindex(target_type, target_id)


# --- flags -----------------------------------------------------------------------------------


def _ensure_flaggable_kind(target_type: TargetType) -> None:
    if target_type not in FLAGGABLE:
        raise InvalidInput.for_field("target_type", "Dieser Eintrag kann nicht gemeldet werden.")


async def _ensure_may_flag(actor: Principal, target_type: TargetType, target_id: int) -> None:
    """The target exists, the actor may see it, and it is not the actor's own account."""
    await _target_row(target_type, target_id)
    if not actor.is_moderator and not await _visible_to_member(actor, target_type, target_id):
        raise NotFound(f"{target_type.label} Nr. {target_id} gibt es nicht.")
    if target_type is TargetType.user and target_id == actor.id:
        raise InvalidInput.for_field("target_id", "Sie können sich nicht selbst melden.")


async def flag_target(actor: Principal, target_type: TargetType, target_id: int) -> FlagTargetOut:
    """What the report page shows before a member reports it, under the rules of `flag`."""
    _ensure_flaggable_kind(target_type)
    await _ensure_may_flag(actor, target_type, target_id)
    excerpt, link, _hidden = (await _titles([(target_type.value, target_id)]))[
        (target_type.value, target_id)
    ]
    return FlagTargetOut(
        target_type=target_type.value,
        target_id=target_id,
        label=target_type.label,
        excerpt=excerpt,
        link=link,
    )


async def flag(actor: Principal, data: FlagInput) -> FlagOut:
    """Any active member flags a post or a user; one open flag per member and target."""
    _ensure_flaggable_kind(data.target_type)
    if data.reason is FlagReason.other and not data.text.strip():
        raise InvalidInput.for_field("text", "Bitte beschreiben Sie kurz, was nicht stimmt.")
    await _ensure_may_flag(actor, data.target_type, data.target_id)
    ensure_anonymous({"text": data.text})
    mine = (
        (Flag.reporter == actor.id)
        & (Flag.target_type == data.target_type)
        & (Flag.target_id == data.target_id)
        & (Flag.status == "open")
    )
    already = "Sie haben diesen Eintrag bereits gemeldet; die Moderation prüft ihn."
    try:
        async with database.transaction():
            if await Flag.exists().where(mine).run():
                raise Conflict(already)
            rows = await Flag.insert(
                Flag(
                    target_type=data.target_type,
                    target_id=data.target_id,
                    reporter=actor.id,
                    reason=data.reason,
                    text=data.text.strip(),
                )
            ).run()
            if data.reason is FlagReason.personal_data and data.target_type in _HIDEABLE:
                await _auto_hide(data.target_type, data.target_id)
    except (asyncpg.UniqueViolationError, sqlite3.IntegrityError):
        # A second request of the same report raced this one past the check.
        raise Conflict(already) from None
    return FlagOut(
        id=rows[0]["id"],
        target_type=data.target_type.value,
        target_id=data.target_id,
        reason=data.reason.value,
        status="open",
    )


# Posts of a question's thread: one rule with the pages and search (questions.visibility).
_THREAD_RULES = {
    TargetType.question: visibility.question_visible,
    TargetType.answer: visibility.answer_visible,
    TargetType.comment: visibility.comment_visible,
}


async def _visible_to_member(actor: Principal, target_type: TargetType, target_id: int) -> bool:
    """Whether a member may see the target: hidden posts, posts under a hidden question or
    consultation, and posts of a consultation for participants only do not exist for them."""
    if target_type is TargetType.user:
        return True
    rule = _THREAD_RULES.get(target_type)
    if rule is not None:
        table = _HIDEABLE[target_type]
        condition = WhereRaw(rule(table_name(table)))
        return bool(await table.exists().where((table.id == target_id) & condition).run())
    post = (
        await ConsultationPost.select(
            ConsultationPost.hidden,
            ConsultationPost.consultation.as_alias("cid"),
            ConsultationPost.consultation.hidden.as_alias("c_hidden"),
            ConsultationPost.consultation.visibility.as_alias("visibility"),
        )
        .where(ConsultationPost.id == target_id)
        .first()
        .run()
    )
    if not post or post["hidden"] or post["c_hidden"]:
        return False
    if post["visibility"] == "participants":
        return bool(
            await Participant.exists()
            .where((Participant.consultation == post["cid"]) & (Participant.user == actor.id))
            .run()
        )
    return True


async def _auto_hide(target_type: TargetType, target_id: int) -> None:
    # Members' reports only: a flag the system raised (no reporter) awaits a moderator.
    reporters = (
        await Flag.select(Flag.reporter)
        .where(
            (Flag.target_type == target_type)
            & (Flag.target_id == target_id)
            & (Flag.reason == FlagReason.personal_data)
            & (Flag.status == "open")
            & Flag.reporter.is_not_null()
        )
        .run()
    )
    if len({r["reporter"] for r in reporters}) < AUTO_HIDE_FLAGS:
        return
    table = _HIDEABLE[target_type]
    hidden = (
        await table.update({table.hidden: True, table.hidden_reason: AUTO_HIDE_REASON})
        .where((table.id == target_id) & table.hidden.eq(False))
        .returning(table.id)
        .run()
    )
    if hidden:
        await audit.record(
            None,
            Action.hide,
            target_type,
            target_id,
            reason=AUTO_HIDE_REASON,
            before={"hidden": False},
            after={"hidden": True},
        )
        await _after_visibility_change(target_type, target_id)


# --- the queue ---------------------------------------------------------------------------------


async def _titles(
    keys: list[tuple[str, int]],
) -> dict[tuple[str, int], tuple[str, str | None, bool]]:
    """A label, link and hidden state per flagged target, one query per target type."""
    by_type: dict[str, list[int]] = defaultdict(list)
    for target_type, target_id in keys:
        by_type[target_type].append(target_id)
    result: dict[tuple[str, int], tuple[str, str | None, bool]] = {}
    for target_type, ids in by_type.items():
        kind = TargetType(target_type)
        if kind is TargetType.question:
            for r in (
                await Question.select(Question.id, Question.title, Question.hidden)
                .where(Question.id.is_in(ids))
                .run()
            ):
                result[(target_type, r["id"])] = (r["title"], f"/fragen/{r['id']}", r["hidden"])
        elif kind in (TargetType.answer, TargetType.comment):
            table = _HIDEABLE[kind]
            for r in (
                await table.select(
                    table.id, table.body, table.hidden, table.question.as_alias("qid")
                )
                .where(table.id.is_in(ids))
                .run()
            ):
                anchor = "antwort" if kind is TargetType.answer else "kommentar"
                result[(target_type, r["id"])] = (
                    _shorten(r["body"]),
                    f"/fragen/{r['qid']}#{anchor}-{r['id']}",
                    r["hidden"],
                )
        elif kind is TargetType.consultation:
            for r in (
                await Consultation.select(Consultation.id, Consultation.title, Consultation.hidden)
                .where(Consultation.id.is_in(ids))
                .run()
            ):
                result[(target_type, r["id"])] = (
                    r["title"],
                    f"/fallberatungen/{r['id']}",
                    r["hidden"],
                )
        elif kind is TargetType.consultation_post:
            for r in (
                await ConsultationPost.select(
                    ConsultationPost.id,
                    ConsultationPost.body,
                    ConsultationPost.hidden,
                    ConsultationPost.consultation.as_alias("cid"),
                )
                .where(ConsultationPost.id.is_in(ids))
                .run()
            ):
                result[(target_type, r["id"])] = (
                    _shorten(r["body"]),
                    f"/fallberatungen/{r['cid']}#beitrag-{r['id']}",
                    r["hidden"],
                )
        elif kind is TargetType.user:
            for r in (
                await User.select(User.id, User.display_name, User.status)
                .where(User.id.is_in(ids))
                .run()
            ):
                result[(target_type, r["id"])] = (
                    r["display_name"],
                    None,
                    r["status"] == AccountStatus.suspended,
                )
    return result


def _shorten(text: str, length: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


async def queue(actor: Principal) -> QueueOut:
    """Open flags grouped by target (most flagged first), pending registrations, recent
    actions — in a constant number of queries."""
    require_moderator(actor)
    flags = (
        await Flag.select(
            Flag.id,
            Flag.target_type,
            Flag.target_id,
            Flag.reason,
            Flag.text,
            Flag.created_at,
            Flag.reporter,
        )
        .where(Flag.status == "open")
        .order_by(Flag.id)
        .run()
    )
    grouped: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for f in flags:
        grouped[(f["target_type"], f["target_id"])].append(f)
    titles = await _titles(list(grouped))
    items = []
    for key, group in grouped.items():
        counts: dict[str, int] = defaultdict(int)
        for f in group:
            counts[f["reason"]] += 1
        title, url, hidden = titles.get(key, ("(gelöscht)", None, False))
        items.append(
            QueueItemOut(
                target_type=key[0],
                target_label=TargetType(key[0]).label,
                target_id=key[1],
                title=title,
                url=url,
                hidden=hidden,
                flag_count=len(group),
                reasons=[
                    QueueReasonCount(reason=r, label=FlagReason(r).label, count=n)
                    for r, n in sorted(counts.items(), key=lambda kv: -kv[1])
                ],
                texts=[f["text"] for f in group if f["text"]],
                raised_by_system=any(f["reporter"] is None for f in group),
                flag_ids=[f["id"] for f in group],
                first_flagged_at=group[0]["created_at"],
            )
        )
    items.sort(key=lambda item: (-item.flag_count, item.first_flagged_at))
    pending = [
        PendingUserOut(
            id=p.id,
            email=p.email,
            display_name=p.display_name,
            authority_name=p.authority.name,
            created_at=p.created_at,
        )
        for p in await accounts.pending_registrations(actor)
    ]
    recent = await audit_log(actor, limit=10)
    return QueueOut(
        flags=items,
        pending_registrations=pending,
        awaiting_review=sum(1 for item in items if item.hidden),
        recent_actions=recent.items,
    )


# --- actions ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Context:
    actor: Principal
    data: ActionInput
    settings: Settings


Handler = Callable[[_Context], Awaitable[str]]


def _require_reason(data: ActionInput) -> None:
    if not data.reason.strip():
        raise InvalidInput.for_field("reason", "Bitte geben Sie eine Begründung an.")


def _require_edit_reason(data: ActionInput) -> None:
    """Edits and retags keep the reason with the revision (at most 300 characters)."""
    if len(" ".join(data.reason.split())) > EDIT_REASON_MAX:
        raise InvalidInput.for_field(
            "reason",
            f"Die Begründung einer Bearbeitung darf höchstens {EDIT_REASON_MAX} Zeichen lang sein.",
        )


def _only(data: ActionInput, *allowed: TargetType) -> None:
    if data.target_type not in allowed:
        names = ", ".join(t.label for t in allowed)
        raise InvalidInput.for_field("target_type", f"„{data.action.label}“ gilt nur für: {names}.")


async def _set_hidden(ctx: _Context, hidden: bool) -> str:
    data = ctx.data
    _only(data, *_HIDEABLE)
    if hidden:
        _require_reason(data)
    table = _HIDEABLE[data.target_type]
    before = await _target_row(data.target_type, data.target_id, table.hidden, table.hidden_reason)
    if before["hidden"] == hidden:
        raise Conflict(
            f"{data.target_type.label} ist bereits {'ausgeblendet' if hidden else 'sichtbar'}."
        )
    await (
        table.update(
            {table.hidden: hidden, table.hidden_reason: data.reason.strip() if hidden else ""}
        )
        .where(table.id == data.target_id)
        .run()
    )
    await _record(ctx, {"hidden": before["hidden"]}, {"hidden": hidden})
    await _after_visibility_change(data.target_type, data.target_id)
    return f"{data.target_type.label} ist jetzt {'ausgeblendet' if hidden else 'wieder sichtbar'}."


async def _set_locked(ctx: _Context, locked: bool) -> str:
    data = ctx.data
    _only(data, TargetType.question)
    if locked:
        _require_reason(data)
    before = await _target_row(data.target_type, data.target_id, Question.locked)
    if before["locked"] == locked:
        raise Conflict(f"Die Frage ist bereits {'gesperrt' if locked else 'entsperrt'}.")
    await (
        Question.update(
            {Question.locked: locked, Question.locked_reason: data.reason.strip() if locked else ""}
        )
        .where(Question.id == data.target_id)
        .run()
    )
    await _record(ctx, {"locked": not locked}, {"locked": locked})
    return "Die Frage ist gesperrt." if locked else "Die Frage ist wieder offen für Beiträge."


async def _close(ctx: _Context) -> str:
    data = ctx.data
    _only(data, TargetType.question)
    if data.close_reason is None:
        raise InvalidInput.for_field("close_reason", "Bitte wählen Sie einen Grund zum Schließen.")
    if data.close_reason == "duplicate":
        if data.duplicate_of is None:
            raise InvalidInput.for_field(
                "duplicate_of", "Bitte nennen Sie die Frage, die doppelt ist."
            )
        if data.duplicate_of == data.target_id:
            raise InvalidInput.for_field(
                "duplicate_of", "Eine Frage kann kein Duplikat ihrer selbst sein."
            )
        await _target_row(TargetType.question, data.duplicate_of)
    before = await _target_row(
        data.target_type, data.target_id, Question.closed_reason, Question.duplicate_of
    )
    if before["closed_reason"]:
        raise Conflict("Die Frage ist bereits geschlossen.")
    after = {
        "closed_reason": data.close_reason.value,
        "duplicate_of": data.duplicate_of if data.close_reason == "duplicate" else None,
    }
    await (
        Question.update(
            {
                Question.closed_reason: after["closed_reason"],
                Question.duplicate_of: after["duplicate_of"],
                Question.closed_note: data.reason.strip(),
            }
        )
        .where(Question.id == data.target_id)
        .run()
    )
    await _record(ctx, {"closed_reason": "", "duplicate_of": None}, after)
    await _reindex(data.target_type, data.target_id)
    return "Die Frage ist geschlossen und nimmt keine Antworten mehr an."


async def _reopen(ctx: _Context) -> str:
    data = ctx.data
    _only(data, TargetType.question)
    before = await _target_row(
        data.target_type, data.target_id, Question.closed_reason, Question.duplicate_of
    )
    if not before["closed_reason"]:
        raise Conflict("Die Frage ist nicht geschlossen.")
    await (
        Question.update(
            {Question.closed_reason: "", Question.duplicate_of: None, Question.closed_note: ""}
        )
        .where(Question.id == data.target_id)
        .run()
    )
    await _record(
        ctx,
        {"closed_reason": before["closed_reason"], "duplicate_of": before["duplicate_of"]},
        {"closed_reason": "", "duplicate_of": None},
    )
    await _reindex(data.target_type, data.target_id)
    return "Die Frage ist wieder geöffnet."


async def _set_outdated(ctx: _Context, outdated: bool) -> str:
    data = ctx.data
    _only(data, TargetType.answer)
    if outdated:
        _require_reason(data)
    before = await _target_row(data.target_type, data.target_id, Answer.outdated)
    if before["outdated"] == outdated:
        raise Conflict("Die Antwort ist bereits so markiert.")
    await (
        Answer.update(
            {
                Answer.outdated: outdated,
                Answer.outdated_reason: data.reason.strip() if outdated else "",
            }
        )
        .where(Answer.id == data.target_id)
        .run()
    )
    await _record(ctx, {"outdated": not outdated}, {"outdated": outdated})
    return (
        "Die Antwort ist als veraltet markiert."
        if outdated
        else "Die Markierung „veraltet“ ist entfernt."
    )


async def _retag(ctx: _Context) -> str:
    data = ctx.data
    _only(data, TargetType.question)
    if data.cornerstone is None and data.instruments is None:
        raise InvalidInput.for_field("cornerstone", "Bitte geben Sie Eckpunkt oder Instrumente an.")
    _require_edit_reason(data)
    row = await _target_row(
        data.target_type, data.target_id, Question.cornerstone.slug.as_alias("cornerstone")
    )
    question = await questions.get_question(ctx.actor, data.target_id)
    before = {
        "cornerstone": row["cornerstone"],
        "instruments": [i.slug for i in question.instruments],
    }
    await questions.edit_question(
        ctx.actor,
        data.target_id,
        QuestionEdit(
            cornerstone=data.cornerstone, instruments=data.instruments, reason=data.reason
        ),
    )
    after = {
        "cornerstone": data.cornerstone or before["cornerstone"],
        "instruments": data.instruments if data.instruments is not None else before["instruments"],
    }
    await _record(ctx, before, after)
    return "Die Frage ist neu zugeordnet."


async def _edit(ctx: _Context) -> str:
    data = ctx.data
    _only(data, TargetType.question, TargetType.answer)
    _require_reason(data)
    _require_edit_reason(data)
    if data.target_type is TargetType.question:
        if data.title is None and data.body is None:
            raise InvalidInput.for_field("body", "Bitte geben Sie den neuen Titel oder Text an.")
        before = await _target_row(data.target_type, data.target_id, Question.title, Question.body)
        await questions.edit_question(
            ctx.actor,
            data.target_id,
            QuestionEdit(title=data.title, body=data.body, reason=data.reason),
        )
        after = {"title": data.title or before["title"], "body": data.body or before["body"]}
        await _record(ctx, {"title": before["title"], "body": before["body"]}, after)
        return "Die Frage ist bearbeitet; die frühere Fassung bleibt in den Versionen."
    if data.body is None:
        raise InvalidInput.for_field("body", "Bitte geben Sie den neuen Text an.")
    before = await _target_row(data.target_type, data.target_id, Answer.body, Answer.question)
    await Revision.insert(
        Revision(
            target_type="answer",
            target_id=data.target_id,
            body=before["body"],
            editor=ctx.actor.id,
            reason=" ".join(data.reason.split()),
        )
    ).run()
    await (
        Answer.update(
            {
                Answer.body: data.body,
                Answer.body_html: render(data.body),
                Answer.updated_at: clock.now(),
            }
        )
        .where(Answer.id == data.target_id)
        .run()
    )
    await _record(ctx, {"body": before["body"]}, {"body": data.body})
    await _reindex(data.target_type, data.target_id)
    return "Die Antwort ist bearbeitet; die frühere Fassung bleibt in den Versionen."


async def _registration(ctx: _Context, approve: bool) -> str:
    data = ctx.data
    _only(data, TargetType.registration, TargetType.user)
    if approve:
        await accounts.approve_registration(ctx.actor, data.target_id, ctx.settings)
        return "Das Konto ist freigeschaltet."
    await accounts.reject_registration(ctx.actor, data.target_id, data.reason.strip(), ctx.settings)
    return "Die Registrierung ist abgelehnt."


async def _person(ctx: _Context) -> Person:
    """The account acted on, locked until the action's transaction ends."""
    person = await administration.person_for_update(ctx.data.target_id)
    if person is None:
        if ctx.data.target_id > MAX_ID:
            raise NotFound("Dieser Eintrag existiert nicht.")
        raise NotFound(f"{TargetType.user.label} Nr. {ctx.data.target_id} gibt es nicht.")
    return person


async def _set_status(ctx: _Context, suspend: bool) -> str:
    data = ctx.data
    _only(data, TargetType.user)
    if suspend:
        _require_reason(data)
    person = await _person(ctx)
    action = PersonAction.suspend if suspend else PersonAction.reactivate
    check_action_on_person(ctx.actor, action, data.target_id, person.role)
    wanted = AccountStatus.suspended if suspend else AccountStatus.active
    expected = AccountStatus.active if suspend else AccountStatus.suspended
    if person.status != expected:
        raise Conflict("Das Konto ist nicht aktiv." if suspend else "Das Konto ist nicht gesperrt.")
    await administration.set_status(data.target_id, wanted)
    await _record(ctx, {"status": person.status.value}, {"status": wanted.value})
    return (
        "Das Konto ist gesperrt; seine Beiträge bleiben."
        if suspend
        else "Das Konto ist wieder aktiv."
    )


async def _set_role(ctx: _Context) -> str:
    data = ctx.data
    _only(data, TargetType.user)
    if data.role is None:
        raise InvalidInput.for_field("role", "Bitte wählen Sie eine Rolle.")
    person = await _person(ctx)
    check_action_on_person(ctx.actor, PersonAction.set_role, data.target_id, person.role, data.role)
    expertise = await administration.set_role(data.target_id, data.role, data.expertise)
    await _record(
        ctx,
        {"role": person.role.value, "expertise": person.expertise},
        {"role": data.role.value, "expertise": expertise},
    )
    return f"Die Rolle ist jetzt „{data.role.label}“."


async def _dismiss(ctx: _Context) -> str:
    data = ctx.data
    _only(data, TargetType.flag)
    row = await Flag.select(Flag.id, Flag.status).where(Flag.id == data.target_id).first().run()
    if not row:
        raise NotFound(f"Meldung Nr. {data.target_id} gibt es nicht.")
    if row["status"] != "open":
        raise Conflict("Diese Meldung ist bereits erledigt.")
    await (
        Flag.update(
            {
                Flag.status: "dismissed",
                Flag.resolved_by: ctx.actor.id,
                Flag.resolved_at: clock.now(),
                Flag.resolution: Action.dismiss.value,
            }
        )
        .where(Flag.id == data.target_id)
        .run()
    )
    await _record(ctx, {"status": "open"}, {"status": "dismissed"})
    return "Die Meldung ist verworfen."


async def _record(ctx: _Context, before: dict[str, Any], after: dict[str, Any]) -> None:
    data = ctx.data
    await audit.record(
        ctx.actor.id,
        data.action,
        data.target_type,
        data.target_id,
        reason=data.reason.strip(),
        before=before,
        after=after,
    )


_HANDLERS: dict[Action, Handler] = {
    Action.hide: lambda ctx: _set_hidden(ctx, True),
    Action.restore: lambda ctx: _set_hidden(ctx, False),
    Action.lock: lambda ctx: _set_locked(ctx, True),
    Action.unlock: lambda ctx: _set_locked(ctx, False),
    Action.close: _close,
    Action.reopen: _reopen,
    Action.mark_outdated: lambda ctx: _set_outdated(ctx, True),
    Action.clear_outdated: lambda ctx: _set_outdated(ctx, False),
    Action.retag: _retag,
    Action.edit: _edit,
    Action.approve: lambda ctx: _registration(ctx, True),
    Action.reject: lambda ctx: _registration(ctx, False),
    Action.suspend: lambda ctx: _set_status(ctx, True),
    Action.reactivate: lambda ctx: _set_status(ctx, False),
    Action.set_role: _set_role,
    Action.dismiss: _dismiss,
}

# Registration actions send mail and manage their own transaction and audit row.
_OWN_TRANSACTION = frozenset({Action.approve, Action.reject})


# Moderators' reasons on content are shown with it or kept in its history, and must not carry
# case data either; reasons on accounts and registrations are about the member concerned.
_GUARDED_REASONS = frozenset({*_HIDEABLE, TargetType.flag})


async def act(actor: Principal, data: ActionInput, settings: Settings) -> ActionResultOut:
    require_moderator(actor)
    guarded_reason = data.reason if data.target_type in _GUARDED_REASONS else None
    ensure_anonymous({"title": data.title, "body": data.body, "reason": guarded_reason})
    ctx = _Context(actor, data, settings)
    handler = _HANDLERS[data.action]
    if data.action in _OWN_TRANSACTION:
        detail = await handler(ctx)
    else:
        async with database.transaction():
            detail = await handler(ctx)
            if data.target_type in FLAG_RESOLVING:
                await _resolve_flags(ctx)
    return ActionResultOut(
        action=data.action.value,
        target_type=data.target_type.value,
        target_id=data.target_id,
        detail=detail,
    )


# A consultation itself cannot be flagged by members, but the personal-data scan flags it.
FLAG_RESOLVING = frozenset(FLAGGABLE | {TargetType.consultation})


async def _resolve_flags(ctx: _Context) -> None:
    data = ctx.data
    await (
        Flag.update(
            {
                Flag.status: "resolved",
                Flag.resolved_by: ctx.actor.id,
                Flag.resolved_at: clock.now(),
                Flag.resolution: data.action.value,
            }
        )
        .where(
            (Flag.target_type == data.target_type)
            & (Flag.target_id == data.target_id)
            & (Flag.status == "open")
        )
        .run()
    )


# --- the audit log --------------------------------------------------------------------------------


async def audit_log(
    actor: Principal,
    *,
    actor_id: int | None = None,
    actor_name: str | None = None,
    action: str | None = None,
    target_type: str | None = None,
    target_id: int | None = None,
    target_title: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    page: int = 1,
    limit: int = 50,
) -> AuditPageOut:
    require_moderator(actor)
    who = cast(Any, AuditLog.actor)
    query = AuditLog.select(
        AuditLog.id,
        AuditLog.action,
        AuditLog.target_type,
        AuditLog.target_id,
        AuditLog.reason,
        AuditLog.before,
        AuditLog.after,
        AuditLog.created_at,
        who.display_name.as_alias("actor_name"),
    ).order_by(AuditLog.id, ascending=False)
    count = AuditLog.count()
    clauses = []
    if actor_id is not None:
        clauses.append(AuditLog.actor == actor_id)
    if action:
        clauses.append(AuditLog.action == action)
    if target_type:
        clauses.append(AuditLog.target_type == target_type)
    if target_id is not None:
        clauses.append(AuditLog.target_id == target_id)
    if actor_name:
        clauses.append(audit_targets.contains(who.display_name, actor_name))
    if target_title:
        clauses.append(await audit_targets.target_clause(target_title))
    if since is not None:
        clauses.append(AuditLog.created_at >= since)
    if until is not None:
        clauses.append(AuditLog.created_at <= until)
    for clause in clauses:
        query, count = query.where(clause), count.where(clause)
    rows = await query.limit(limit).offset((page - 1) * limit).run()
    return AuditPageOut(
        items=[
            AuditEntryOut(
                id=r["id"],
                actor=r["actor_name"],
                action=r["action"],
                action_label=action_label(r["action"]),
                target_type=r["target_type"],
                target_id=r["target_id"],
                reason=r["reason"],
                before=_json(r["before"]),
                after=_json(r["after"]),
                created_at=r["created_at"],
            )
            for r in rows
        ],
        total=await count.run(),
        page=page,
        limit=limit,
    )


def _json(value: Any) -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    parsed = json.loads(value or "{}")
    return parsed if isinstance(parsed, dict) else {}


async def actions_on_author(actor: Principal) -> list[AuditEntryOut]:
    """Moderator actions on the viewer's own content and account, for their profile."""
    own: list[tuple[str, list[int]]] = [
        (
            TargetType.question,
            await Question.select(Question.id)
            .where(Question.author == actor.id)
            .output(as_list=True)
            .run(),
        ),
        (
            TargetType.answer,
            await Answer.select(Answer.id)
            .where(Answer.author == actor.id)
            .output(as_list=True)
            .run(),
        ),
        (TargetType.user, [actor.id]),
    ]
    entries: list[AuditEntryOut] = []
    for target_type, ids in own:
        if not ids:
            continue
        rows = (
            await AuditLog.select(
                AuditLog.id,
                AuditLog.action,
                AuditLog.target_type,
                AuditLog.target_id,
                AuditLog.reason,
                AuditLog.created_at,
            )
            .where((AuditLog.target_type == target_type) & AuditLog.target_id.is_in(ids))
            .run()
        )
        entries.extend(
            AuditEntryOut(
                id=r["id"],
                actor=None,
                action=r["action"],
                action_label=action_label(r["action"]),
                target_type=r["target_type"],
                target_id=r["target_id"],
                reason=r["reason"],
                before={},
                after={},
                created_at=r["created_at"],
            )
            for r in rows
        )
    return sorted(entries, key=lambda e: e.id, reverse=True)
