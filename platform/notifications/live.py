"""The channel on which a person's unread count changes: the worker publishes to it, the
inbox's server-sent events listen (Litestar Channels; Redis between processes when
REDIS_URL is set, in memory otherwise)."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

CHANGED = b"changed"


def channel(user_id: int) -> str:
    return f"notifications:{user_id}"


def publisher(
    publish: Callable[[bytes, list[str]], Any],
) -> Callable[[Iterable[int]], Awaitable[None]]:
    """Tells each of the users that their notifications changed, through `publish`: the
    app's ChannelsPlugin.publish, or a channels backend's (awaitable) publish."""

    async def tell(user_ids: Iterable[int]) -> None:
        channels = [channel(u) for u in user_ids]
        if channels:
            result = publish(CHANGED, channels)
            if inspect.isawaitable(result):
                await result

    return tell
