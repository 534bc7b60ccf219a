"""Opaque keyset cursors: the position after the last item of a page, signed so that a
changed cursor is refused instead of silently returning something else."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
from typing import Any

from fachaustausch.core.errors import InvalidInput
from fachaustausch.core.keyset import Position

TAMPERED = (
    "Der Verweis auf diese Seite der Liste ist ungültig oder veraltet. "
    "Bitte beginnen Sie am Anfang der Liste."
)


class CursorCodec:
    def __init__(self, secret: str) -> None:
        self._key = hashlib.sha256(("cursor:" + secret).encode()).digest()
        # The same page ends at the same position for everyone until the list changes:
        # JSON, Base64 and HMAC once per position (and per cursor read), not per request.
        # Refused cursors raise, and lru_cache keeps no exception.
        self._encoded = functools.lru_cache(maxsize=1024)(self._encode)
        self._decoded = functools.lru_cache(maxsize=1024)(self._decode)

    def _sign(self, payload: bytes) -> str:
        return base64.urlsafe_b64encode(hmac.digest(self._key, payload, "sha256")[:12]).decode()

    def encode(self, position: dict[str, Any]) -> str:
        return self._encoded(tuple(sorted(position.items())))

    def _encode(self, items: tuple[tuple[str, Any], ...]) -> str:
        payload = json.dumps(dict(items), separators=(",", ":"), sort_keys=True).encode()
        body = base64.urlsafe_b64encode(payload).decode().rstrip("=")
        return f"{body}.{self._sign(payload)}"

    def decode(self, cursor: str) -> dict[str, Any]:
        return dict(self._decoded(cursor))  # a copy: the caller may change it

    def _decode(self, cursor: str) -> tuple[tuple[str, Any], ...]:
        try:
            body, signature = cursor.split(".", 1)
            payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            # Base64 ignores some bits of its last character: only the one spelling counts.
            if base64.urlsafe_b64encode(payload).decode().rstrip("=") != body:
                raise ValueError("not canonical")
            if not hmac.compare_digest(signature, self._sign(payload)):
                raise ValueError("signature")
            position = json.loads(payload)
        except (ValueError, TypeError):  # TypeError: non-ASCII text in the signature
            raise InvalidInput.for_field("cursor", TAMPERED) from None
        if not isinstance(position, dict):
            raise InvalidInput.for_field("cursor", TAMPERED)
        return tuple(position.items())


def decode_position(
    cursors: CursorCodec, cursor: str | None, order: str, *, field: str = "cursor"
) -> Position | None:
    """The position a cursor of a list in `order` names, or None for the first page; a
    changed cursor, or one of another order, is refused as the input `field`."""
    if not cursor:
        return None
    position = cursors.decode(cursor)
    if position.get("sort") != order or not isinstance(position.get("id"), int):
        # A cursor from another sort order would skip or repeat items.
        raise InvalidInput.for_field(field, TAMPERED)
    return Position(position.get("value"), position["id"])


def encode_position(cursors: CursorCodec, position: Position | None, order: str) -> str | None:
    """The cursor of the page after `position` (None: there is none)."""
    if position is None:
        return None
    return cursors.encode({"sort": order, "value": position.value, "id": position.id})
