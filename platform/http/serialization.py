"""JSON for the API's read models: pydantic's python-mode dump, encoded by msgspec.

The default of Litestar's pydantic plugin dumps in mode="json", which turns every datetime
and enum into a string in Python before msgspec writes it; msgspec writes them itself, to
the same JSON (tests/api/test_json_encoding.py checks it against model_dump_json)."""

from __future__ import annotations

from typing import Any

import msgspec
from pydantic import BaseModel


def dump(model: BaseModel) -> dict[str, Any]:
    return model.model_dump()


_encoder = msgspec.json.Encoder(enc_hook=dump)


def encode(model: BaseModel) -> bytes:
    """The response body Litestar would write for `model` (the app's type encoder is `dump`)."""
    return _encoder.encode(model)
