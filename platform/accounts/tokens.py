"""Access tokens for scripts and specialist procedures: listing, creating (the secret is
shown once, only its hash is stored) and revoking one's own."""

from __future__ import annotations

import secrets

from fachaustausch import database
from fachaustausch.accounts.models import CreatedTokenOut, TokenOut
from fachaustausch.accounts.policy import Principal
from fachaustausch.accounts.queries import TOKEN_PREFIX, hash_token
from fachaustausch.accounts.tables import AccessToken
from fachaustausch.core import clock
from fachaustausch.core.errors import Conflict, NotFound, PermissionDenied
from fachaustausch.core.ids import possible_id
from fachaustausch.privacy.refusal import ensure_anonymous

MAX_TOKENS_PER_USER = 20


async def list_tokens(actor: Principal) -> list[TokenOut]:
    rows = (
        await AccessToken.select(
            AccessToken.id,
            AccessToken.name,
            AccessToken.prefix,
            AccessToken.created_at,
            AccessToken.last_used_at,
        )
        .where((AccessToken.user == actor.id) & AccessToken.revoked_at.is_null())
        .order_by(AccessToken.created_at, ascending=False)
        .run()
    )
    return [TokenOut(**r) for r in rows]


async def create_token(actor: Principal, name: str) -> CreatedTokenOut:
    if actor.token_id is not None:
        raise PermissionDenied(
            "Zugangstoken können nur nach Anmeldung mit Passwort erstellt werden, "
            "nicht mit einem anderen Token."
        )
    ensure_anonymous({"name": name})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    async with database.transaction():
        count = (
            await AccessToken.count()
            .where((AccessToken.user == actor.id) & AccessToken.revoked_at.is_null())
            .run()
        )
        if count >= MAX_TOKENS_PER_USER:
            raise Conflict(
                f"Sie haben bereits {MAX_TOKENS_PER_USER} Zugangstoken. "
                "Bitte widerrufen Sie zuerst ein nicht mehr benötigtes."
            )
        rows = (
            await AccessToken.insert(
                AccessToken(
                    user=actor.id,
                    name=name,
                    token_hash=hash_token(secret),
                    prefix=secret[:10],
                )
            )
            .returning(AccessToken.id, AccessToken.created_at)
            .run()
        )
    return CreatedTokenOut(
        id=rows[0]["id"],
        name=name,
        prefix=secret[:10],
        created_at=rows[0]["created_at"],
        last_used_at=None,
        token=secret,
    )


async def revoke_token(actor: Principal, token_id: int) -> None:
    if not possible_id(token_id):
        raise NotFound("Dieses Zugangstoken gibt es nicht.")
    async with database.transaction():
        updated = (
            await AccessToken.update({AccessToken.revoked_at: clock.now()})
            .where(
                (AccessToken.id == token_id)
                & (AccessToken.user == actor.id)
                & AccessToken.revoked_at.is_null()
            )
            .returning(AccessToken.id)
            .run()
        )
    if not updated:
        # Someone else's token answers the same as a missing one.
        raise NotFound("Dieses Zugangstoken gibt es nicht.")


# --- authorities -------------------------------------------------------------------------------
