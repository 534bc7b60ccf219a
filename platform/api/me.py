"""The signed-in user's own account and access tokens."""

from __future__ import annotations

from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.models import CreatedTokenOut, TokenInput, TokenOut, UserOut
from fachaustausch.api.openapi import errors
from fachaustausch.http.dependencies import Actor


class MeController(Controller):
    path = "/me"
    tags = ["Konto"]

    @get("/", operation_id="getMe", responses=errors(404))
    async def me(self, actor: Actor) -> UserOut:
        return await accounts.profile(actor)


class TokenController(Controller):
    path = "/tokens"
    tags = ["Konto"]

    @get("/", operation_id="listTokens")
    async def list_tokens(self, actor: Actor) -> list[TokenOut]:
        return await accounts.list_tokens(actor)

    @post("/", operation_id="createToken", responses=errors(409))
    async def create_token(self, actor: Actor, data: JSONBody[TokenInput]) -> CreatedTokenOut:
        """Creates a personal access token. The `token` value is shown only in this answer."""
        return await accounts.create_token(actor, data.name)

    @delete("/{token_id:int}", operation_id="revokeToken")
    async def revoke_token(self, actor: Actor, token_id: FromPath[int]) -> None:
        await accounts.revoke_token(actor, token_id)
