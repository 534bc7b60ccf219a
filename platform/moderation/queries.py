"""Moderation's reads: whether a target exists and who may see it, what the queue shows
of each target, the open flags, and the audit log. The only moderation module that reads
other domains' tables; it writes nothing."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from typing import Any, cast

from piccolo.columns.combination import WhereRaw

from fachaustausch.accounts.policy import AccountStatus, Principal, require_moderator
from fachaustausch.accounts.tables import User
from fachaustausch.consultations.tables import Consultation, ConsultationPost, Participant
from fachaustausch.core.audit import AuditLog
from fachaustausch.core.errors import InvalidInput, NotFound
from fachaustausch.core.ids import MAX_ID
from fachaustausch.database.piccolo_internals import table_name
from fachaustausch.moderation import audit_targets
from fachaustausch.moderation.models import (
    AuditEntryOut,
    AuditPageOut,
    FlagReason,
    TargetType,
    action_label,
)
from fachaustausch.moderation.tables import Flag
from fachaustausch.questions import visibility
from fachaustausch.questions.tables import Answer, Comment, Question

_TABLES: dict[TargetType, Any] = {
    TargetType.question: Question,
    TargetType.answer: Answer,
    TargetType.comment: Comment,
    TargetType.consultation: Consultation,
    TargetType.consultation_post: ConsultationPost,
    TargetType.user: User,
}

# Posts of a question's thread: one rule with the pages and search (questions.visibility).
_THREAD_RULES = {
    TargetType.question: visibility.question_visible,
    TargetType.answer: visibility.answer_visible,
    TargetType.comment: visibility.comment_visible,
}


def not_found(target_type: TargetType, target_id: int) -> NotFound:
    if target_id > MAX_ID:
        return NotFound("Dieser Eintrag existiert nicht.")
    return NotFound(f"{target_type.label} Nr. {target_id} gibt es nicht.")


async def ensure_exists(target_type: TargetType, target_id: int) -> None:
    table = _TABLES.get(target_type)
    if table is None:
        raise InvalidInput.for_field(
            "target_type", "Diese Art von Eintrag kennt die Moderation nicht."
        )
    if target_id > MAX_ID or not await table.exists().where(table.id == target_id).run():
        raise not_found(target_type, target_id)


async def visible_to_member(actor: Principal, target_type: TargetType, target_id: int) -> bool:
    """Whether a member may see the target: hidden posts, posts under a hidden question or
    consultation, and posts of a consultation for participants only do not exist for them."""
    if target_type is TargetType.user:
        return True
    rule = _THREAD_RULES.get(target_type)
    if rule is not None:
        table = _TABLES[target_type]
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


async def personal_data_reporters(target_type: TargetType, target_id: int) -> int:
    """How many members have an open personal-data report on the target. Reports the
    system raised (no reporter) await a moderator and do not count."""
    rows = (
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
    return len({r["reporter"] for r in rows})


async def open_flags() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = (
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
    return rows


# --- what the queue shows of a target ---------------------------------------------------------


async def titles(
    keys: list[tuple[str, int]],
) -> dict[tuple[str, int], tuple[str, str | None, bool]]:
    """A label, link and hidden state per flagged target, one query per target type."""
    by_type: dict[str, list[int]] = defaultdict(list)
    for target_type, target_id in keys:
        by_type[target_type].append(target_id)
    result: dict[tuple[str, int], tuple[str, str | None, bool]] = {}
    for target_type, ids in by_type.items():
        kind = TargetType(target_type)
        for target_id, shown in (await _TITLES[kind](ids)).items():
            result[(target_type, target_id)] = shown
    return result


_Shown = dict[int, tuple[str, str | None, bool]]


async def _question_titles(ids: list[int]) -> _Shown:
    rows = (
        await Question.select(Question.id, Question.title, Question.hidden)
        .where(Question.id.is_in(ids))
        .run()
    )
    return {r["id"]: (r["title"], f"/fragen/{r['id']}", r["hidden"]) for r in rows}


async def _thread_post_titles(table: Any, anchor: str, ids: list[int]) -> _Shown:
    rows = (
        await table.select(table.id, table.body, table.hidden, table.question.as_alias("qid"))
        .where(table.id.is_in(ids))
        .run()
    )
    return {
        r["id"]: (_shorten(r["body"]), f"/fragen/{r['qid']}#{anchor}-{r['id']}", r["hidden"])
        for r in rows
    }


async def _answer_titles(ids: list[int]) -> _Shown:
    return await _thread_post_titles(Answer, "antwort", ids)


async def _comment_titles(ids: list[int]) -> _Shown:
    return await _thread_post_titles(Comment, "kommentar", ids)


async def _consultation_titles(ids: list[int]) -> _Shown:
    rows = (
        await Consultation.select(Consultation.id, Consultation.title, Consultation.hidden)
        .where(Consultation.id.is_in(ids))
        .run()
    )
    return {r["id"]: (r["title"], f"/fallberatungen/{r['id']}", r["hidden"]) for r in rows}


async def _consultation_post_titles(ids: list[int]) -> _Shown:
    rows = (
        await ConsultationPost.select(
            ConsultationPost.id,
            ConsultationPost.body,
            ConsultationPost.hidden,
            ConsultationPost.consultation.as_alias("cid"),
        )
        .where(ConsultationPost.id.is_in(ids))
        .run()
    )
    return {
        r["id"]: (_shorten(r["body"]), f"/fallberatungen/{r['cid']}#beitrag-{r['id']}", r["hidden"])
        for r in rows
    }


async def _user_titles(ids: list[int]) -> _Shown:
    rows = (
        await User.select(User.id, User.display_name, User.status).where(User.id.is_in(ids)).run()
    )
    return {
        r["id"]: (r["display_name"], None, r["status"] == AccountStatus.suspended) for r in rows
    }


_TITLES = {
    TargetType.question: _question_titles,
    TargetType.answer: _answer_titles,
    TargetType.comment: _comment_titles,
    TargetType.consultation: _consultation_titles,
    TargetType.consultation_post: _consultation_post_titles,
    TargetType.user: _user_titles,
}


def _shorten(text: str, length: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


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
