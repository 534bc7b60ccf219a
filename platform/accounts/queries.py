"""Who is asking: the active account behind a session or an access token, read on every
request through the read cache and prepared queries; and the shapes of the principal and
of an authority that the account writes share."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import timedelta
from typing import Any

from fachaustausch.accounts.models import AuthorityOut
from fachaustausch.accounts.policy import AccountStatus, AuthorityKind, Principal, Role
from fachaustausch.accounts.tables import AccessToken, AccountSession, User
from fachaustausch.core import clock
from fachaustausch.database import read_cache
from fachaustausch.database.prepared import Param, Prepared

TOKEN_PREFIX = "fa_"  # noqa: S105 - a marker, not a secret
# Writing last_used_at on every API call would turn reads into writes, and every write
# empties the read caches for everyone (fachaustausch.database.read_cache): to the quarter hour.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=15)


PRINCIPAL_COLUMNS = (
    User.id,
    User.email,
    User.display_name,
    User.role,
    User.status,
    User.authority.id.as_alias("authority_id"),
    User.authority.slug.as_alias("authority_slug"),
    User.authority.name.as_alias("authority_name"),
    User.authority.kind.as_alias("authority_kind"),
    User.session_version,
)


def principal_from_row(row: dict[str, Any], token_id: int | None = None) -> Principal:
    return Principal(
        id=row["id"],
        email=row["email"],
        display_name=row["display_name"],
        role=Role(row["role"]),
        authority_id=row["authority_id"],
        authority_slug=row["authority_slug"],
        authority_name=row["authority_name"],
        authority_kind=AuthorityKind(row["authority_kind"]),
        token_id=token_id,
        session_version=row.get("session_version", 0),
    )


def authority_out(row: dict[str, Any], prefix: str = "") -> AuthorityOut:
    kind = AuthorityKind(row[f"{prefix}kind"])
    return AuthorityOut(
        slug=row[f"{prefix}slug"],
        name=row[f"{prefix}name"],
        kind=kind,
        kind_label=kind.label,
        land=row[f"{prefix}land"],
    )


# --- who is asking --------------------------------------------------------------------------


async def principal_by_id(user_id: int) -> Principal | None:
    """The active user behind a session, or None (unknown, pending or suspended)."""
    row = await read_cache.accounts(
        ("user", user_id), lambda: _PRINCIPAL_BY_ID.first(user_id=user_id)
    )
    return principal_from_row(row) if row else None


# Both run on every request: built once (see fachaustausch.database.prepared).
_PRINCIPAL_BY_ID = Prepared(
    lambda: (
        User.select(*PRINCIPAL_COLUMNS)
        .where((User.id == Param("user_id")) & (User.status == AccountStatus.active))
        .limit(1)
    )
)


async def principal_by_session(user_id: int, key: str) -> Principal | None:
    """The active user behind a signed-in browser's session key, or None: unknown, pending
    or suspended, the session ended by its owner, or the account's sessions ended since
    (sign-out everywhere, a password change, deletion)."""
    key_hash = hash_token(key)
    row = await read_cache.accounts(
        ("session", key_hash), lambda: _PRINCIPAL_BY_SESSION.first(key_hash=key_hash)
    )
    if not row or row["id"] != user_id or row["session_version"] != row["row_version"]:
        return None
    last_seen = row["last_seen_at"]
    if clock.now() - last_seen > TOKEN_TOUCH_INTERVAL:
        await (
            AccountSession.update({AccountSession.last_seen_at: clock.now()})
            .where(AccountSession.id == row["session_id"])
            .run()
        )
    return replace(principal_from_row(row), session_id=row["session_id"])


def _principal_columns(user: Any, *extra: str) -> tuple[Any, ...]:
    """The principal's columns through `user`, a foreign key to the account (a session's
    or a token's), plus the account's columns named in `extra`."""
    authority: Any = user.authority  # Piccolo types a two-step join loosely
    return (
        user.id.as_alias("id"),
        user.email.as_alias("email"),
        user.display_name.as_alias("display_name"),
        user.role.as_alias("role"),
        *(getattr(user, name).as_alias(name) for name in extra),
        authority.id.as_alias("authority_id"),
        authority.slug.as_alias("authority_slug"),
        authority.name.as_alias("authority_name"),
        authority.kind.as_alias("authority_kind"),
    )


# Runs on every request of a signed-in browser: built once, like the two below.
_PRINCIPAL_BY_SESSION = Prepared(
    lambda: (
        AccountSession.select(
            AccountSession.id.as_alias("session_id"),
            AccountSession.session_version.as_alias("row_version"),
            AccountSession.last_seen_at,
            *_principal_columns(AccountSession.user, "session_version"),
        )
        .where(
            (AccountSession.key_hash == Param("key_hash"))
            & (AccountSession.user.status == AccountStatus.active)
        )
        .limit(1)
    )
)


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def principal_by_token(secret: str) -> Principal | None:
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token_hash = hash_token(secret)
    # A revoked token or a suspended account is a commit, which empties the cache.
    row = await read_cache.accounts(
        ("token", token_hash), lambda: _PRINCIPAL_BY_TOKEN.first(token_hash=token_hash)
    )
    if not row:
        return None
    last_used = row["last_used_at"]
    if last_used is None or clock.now() - last_used > TOKEN_TOUCH_INTERVAL:
        await (
            AccessToken.update({AccessToken.last_used_at: clock.now()})
            .where(AccessToken.id == row["token_id"])
            .run()
        )
    return principal_from_row(row, token_id=row["token_id"])


_PRINCIPAL_BY_TOKEN = Prepared(
    lambda: (
        AccessToken.select(
            AccessToken.id.as_alias("token_id"),
            AccessToken.last_used_at,
            *_principal_columns(AccessToken.user),
        )
        .where(
            (AccessToken.token_hash == Param("token_hash"))
            & AccessToken.revoked_at.is_null()
            & (AccessToken.user.status == AccountStatus.active)
        )
        .limit(1)
    )
)
