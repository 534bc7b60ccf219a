"""JSON for the API's read models: pydantic's python-mode dump, encoded by msgspec.

The default of Litestar's pydantic plugin dumps in mode="json", which turns every datetime
and enum into a string in Python before msgspec writes it; msgspec writes them itself, to
the same JSON (tests/api/test_json_encoding.py checks it against model_dump_json)."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

import msgspec
from pydantic import BaseModel

from fachaustausch.database import read_cache


def dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump()


_encoder = msgspec.json.Encoder(enc_hook=dump)


def encode(model: BaseModel) -> bytes:
    """The response body Litestar would write for `model` (the app's type encoder is `dump`)."""
    return _encoder.encode(model)


# A response body kept pins what it shows: both together stay small enough that the bound
# on entries bounds the memory. Longer bodies are written every time.
MAX_KEPT_BODY = 64 * 1024


async def encoded_once(shown: object, key: Hashable, encode: Callable[[], bytes]) -> bytes:
    """`encode()`, written once for as long as `shown` — a value the read cache handed
    out, which stays the same object while the database does — is what is shown. The
    entry keeps `shown` alive, so no other object can take its id while it exists; `key`
    names whatever else the bytes depend on."""

    async def compute() -> tuple[object, bytes]:
        return shown, encode()

    def small(entry: tuple[object, bytes]) -> bool:
        return len(entry[1]) <= MAX_KEPT_BODY

    _, body = await read_cache.responses((id(shown), key), compute, keep=small)
    return body
