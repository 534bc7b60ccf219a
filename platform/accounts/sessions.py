"""Signed-in browser sessions as the account's owner sees them: begun at sign-in, listed on
the own-data pages and the API, ended one by one or all at once.

The session store keeps what a session holds; a row here makes it valid (see
queries.principal_by_session), so ending a session is deleting its row, whichever
instance's store holds the session's data."""

from __future__ import annotations

import secrets
from datetime import timedelta

from fachaustausch import database
from fachaustausch.accounts.models import SessionOut
from fachaustausch.accounts.policy import Principal
from fachaustausch.accounts.queries import TOKEN_TOUCH_INTERVAL, hash_token
from fachaustausch.accounts.tables import AccountSession, User
from fachaustausch.core import clock
from fachaustausch.core.errors import NotFound
from fachaustausch.core.ids import possible_id

BROWSER_LENGTH = 80


async def open_session(user: Principal, browser: str, ended_key: str | None = None) -> str:
    """Begins a session of `user` and returns its key (kept in the session's data). The
    session the same browser held before (`ended_key`) ends, and the account's ended ones
    go: those of an older version, which can never be valid again."""
    key = secrets.token_urlsafe(32)
    async with database.transaction():
        if ended_key is not None:
            await AccountSession.delete().where(AccountSession.key_hash == hash_token(ended_key))
        version = await User.select(User.session_version).where(User.id == user.id).first()
        current = version["session_version"] if version else user.session_version
        await AccountSession.delete().where(
            (AccountSession.user == user.id) & (AccountSession.session_version != current)
        )
        await AccountSession.insert(
            AccountSession(
                user=user.id,
                key_hash=hash_token(key),
                session_version=current,
                browser=browser[:BROWSER_LENGTH],
            )
        )
    return key


async def list_sessions(actor: Principal, max_age_seconds: int) -> list[SessionOut]:
    """The account's sessions that may still be in use, the newest first. The store lets a
    session lapse `max_age_seconds` after its last request, which the row knows only to the
    quarter hour: one seen within that much longer may still be alive."""
    since = clock.now() - timedelta(seconds=max_age_seconds) - TOKEN_TOUCH_INTERVAL
    rows = (
        await AccountSession.select(
            AccountSession.id,
            AccountSession.browser,
            AccountSession.created_at,
            AccountSession.last_seen_at,
            AccountSession.session_version,
            AccountSession.user.session_version.as_alias("account_version"),
        )
        .where((AccountSession.user == actor.id) & (AccountSession.last_seen_at > since))
        .order_by(AccountSession.last_seen_at, ascending=False)
        .run()
    )
    return [
        SessionOut(
            id=r["id"],
            browser=r["browser"],
            created_at=r["created_at"],
            last_seen_at=r["last_seen_at"],
            current=r["id"] == actor.session_id,
        )
        for r in rows
        if r["session_version"] == r["account_version"]
    ]


async def end_session(actor: Principal, session_id: int) -> None:
    """Ends one of the account's sessions: its cookie signs nobody in any more."""
    if not possible_id(session_id):
        raise NotFound("Diese Anmeldung gibt es nicht.")
    async with database.transaction():
        ended = (
            await AccountSession.delete()
            .where((AccountSession.id == session_id) & (AccountSession.user == actor.id))
            .returning(AccountSession.id)
            .run()
        )
    if not ended:
        # Someone else's session answers the same as a missing one.
        raise NotFound("Diese Anmeldung gibt es nicht.")


async def end_current(actor: Principal) -> None:
    """Signing out: the session the request came with ends."""
    if actor.session_id is None:
        return
    async with database.transaction():
        await AccountSession.delete().where(AccountSession.id == actor.session_id)


async def end_all(user_id: int) -> None:
    """Every session of the account ends (in the caller's transaction)."""
    await AccountSession.delete().where(AccountSession.user == user_id)
