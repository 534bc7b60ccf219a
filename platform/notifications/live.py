"""The channel on which a person's unread count changes: the worker publishes to it, the
inbox's server-sent events listen (Litestar Channels; Redis between processes when
REDIS_URL is set, in memory otherwise)."""

from __future__ import annotations

from collections.abc import Callable, Iterable


def channel(user_id: int) -> str:
    return f"notifications:{user_id}"


def publisher(publish: Callable[[bytes, list[str]], None]) -> Callable[[Iterable[int]], None]:
    """Tells each of the users that their notifications changed."""

    def tell(user_ids: Iterable[int]) -> None:
        channels = [channel(u) for u in user_ids]
        if channels:
            publish(b"changed", channels)

    return tell
