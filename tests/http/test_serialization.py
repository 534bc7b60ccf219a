"""A cached page's JSON is written once per object shown, and anew once the database
moves (the response cache is one of the database's read caches)."""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

import pytest

from fachaustausch import database
from fachaustausch.database import Database
from fachaustausch.http import serialization


async def test_a_body_is_written_once_per_object_shown_and_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    moved = Database(f"sqlite:///{tmp_path / 'counted.sqlite3'}", read_cache_entries=4)
    version: list[Hashable] = [1]
    monkeypatch.setattr(moved, "change_counter", lambda: version[0])
    written: list[str] = []

    def encoding(text: str) -> Any:
        def encode() -> bytes:
            written.append(text)
            return text.encode()

        return encode

    page, other = ("Frage 1",), tuple(["Frage 1"])  # equal, but other objects
    with database.use(moved):
        assert await serialization.encoded_once(page, "neu", encoding("a")) == b"a"
        assert await serialization.encoded_once(page, "neu", encoding("b")) == b"a"
        assert await serialization.encoded_once(page, "alt", encoding("c")) == b"c"
        assert await serialization.encoded_once(other, "neu", encoding("d")) == b"d"
        assert written == ["a", "c", "d"]
        # Too long to keep: written every time.
        monkeypatch.setattr(serialization, "MAX_KEPT_BODY", 1)
        for _ in range(2):
            assert await serialization.encoded_once(page, "lang", encoding("xy")) == b"xy"
        assert written == ["a", "c", "d", "xy", "xy"]
        # The database moved: everything is written anew.
        version[0] = 2
        assert await serialization.encoded_once(page, "neu", encoding("e")) == b"e"
