"""Flags: members report a post or a person, three personal-data reports hide a post at
once, and the moderators' queue shows the open reports by target."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any

import asyncpg

from fachaustausch import database
from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.policy import Principal, require_moderator
from fachaustausch.core import audit, events
from fachaustausch.core.errors import Conflict, NotFound
from fachaustausch.moderation import policy, queries, targets
from fachaustausch.moderation.models import (
    Action,
    FlagInput,
    FlagOut,
    FlagReason,
    FlagTargetOut,
    PendingUserOut,
    QueueItemOut,
    QueueOut,
    QueueReasonCount,
    TargetType,
)
from fachaustausch.moderation.tables import Flag
from fachaustausch.privacy.refusal import ensure_anonymous

AUTO_HIDE_REASON = (
    "Automatisch ausgeblendet: Mehrere Mitglieder haben personenbezogene Daten gemeldet. "
    "Die Moderation prüft den Beitrag."
)


async def _ensure_may_flag(actor: Principal, target_type: TargetType, target_id: int) -> None:
    """The target exists, the actor may see it, and it is not the actor's own account."""
    await queries.ensure_exists(target_type, target_id)
    if not actor.is_moderator and not await queries.visible_to_member(
        actor, target_type, target_id
    ):
        raise NotFound(f"{target_type.label} Nr. {target_id} gibt es nicht.")
    policy.ensure_not_oneself(actor, target_type, target_id)


async def flag_target(actor: Principal, target_type: TargetType, target_id: int) -> FlagTargetOut:
    """What the report page shows before a member reports it, under the rules of `flag`."""
    policy.ensure_flaggable_kind(target_type)
    await _ensure_may_flag(actor, target_type, target_id)
    excerpt, link, _hidden = (await queries.titles([(target_type.value, target_id)]))[
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
    policy.ensure_flaggable_kind(data.target_type)
    policy.ensure_flag_text(data)
    mine = (
        (Flag.reporter == actor.id)
        & (Flag.target_type == data.target_type)
        & (Flag.target_id == data.target_id)
        & (Flag.status == "open")
    )
    already = "Sie haben diesen Eintrag bereits gemeldet; die Moderation prüft ihn."
    counts_for_hiding = (
        data.reason is FlagReason.personal_data and data.target_type in policy.HIDEABLE
    )
    try:
        async with database.transaction():
            # Whether the target exists and the member may see it, as the report is stored.
            await _ensure_may_flag(actor, data.target_type, data.target_id)
            ensure_anonymous({"text": data.text})
            if counts_for_hiding:
                # Reports on one post queue here, so each one counts the ones before it.
                await targets.hidden_for_update(data.target_type, data.target_id)
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
            if counts_for_hiding:
                await _auto_hide(data.target_type, data.target_id)
            await events.record(
                events.EventKind.flag_created,
                "flag",
                rows[0]["id"],
                actor.id,
                flagged_type=data.target_type.value,
                flagged_id=data.target_id,
            )
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


async def _auto_hide(target_type: TargetType, target_id: int) -> None:
    if await queries.personal_data_reporters(target_type, target_id) < policy.AUTO_HIDE_FLAGS:
        return
    if await targets.set_hidden(target_type, target_id, True, AUTO_HIDE_REASON):
        await audit.record(
            None,
            Action.hide,
            target_type,
            target_id,
            reason=AUTO_HIDE_REASON,
            before={"hidden": False},
            after={"hidden": True},
        )
        await events.record(
            events.EventKind.content_hidden,
            target_type.value,
            target_id,
            None,
            reason=AUTO_HIDE_REASON,
        )


async def queue(actor: Principal) -> QueueOut:
    """Open flags grouped by target (most flagged first), pending registrations, recent
    actions — in a constant number of queries."""
    require_moderator(actor)
    grouped: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for f in await queries.open_flags():
        grouped[(f["target_type"], f["target_id"])].append(f)
    titles = await queries.titles(list(grouped))
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
    recent = await queries.audit_log(actor, limit=10)
    return QueueOut(
        flags=items,
        pending_registrations=pending,
        awaiting_review=sum(1 for item in items if item.hidden),
        recent_actions=recent.items,
    )
