"""The cursor codec on its own: round trip, refusals, and that remembered results stay
private to each caller."""

from __future__ import annotations

import pytest

from fachaustausch.core.errors import InvalidInput
from fachaustausch.http.pagination import CursorCodec

POSITION = {"sort": "newest", "value": "2026-11-30T01:00:00+00:00", "id": 52394}


def test_a_cursor_reads_back_as_its_position() -> None:
    codec = CursorCodec("geheim")
    cursor = codec.encode(POSITION)
    assert codec.decode(cursor) == POSITION
    assert codec.encode(dict(reversed(POSITION.items()))) == cursor


def test_changing_a_decoded_position_does_not_change_the_next_read() -> None:
    codec = CursorCodec("geheim")
    cursor = codec.encode(POSITION)
    first = codec.decode(cursor)
    first["id"] = 1
    assert codec.decode(cursor) == POSITION


def test_a_refused_cursor_stays_refused() -> None:
    codec = CursorCodec("geheim")
    cursor = codec.encode(POSITION)
    other = CursorCodec("anderes Geheimnis").encode(POSITION)
    for _ in range(2):  # the second time from no cache either
        with pytest.raises(InvalidInput):
            codec.decode(other)
        with pytest.raises(InvalidInput):
            codec.decode(cursor[:-1] + ("A" if cursor[-1] != "A" else "B"))
    assert codec.decode(cursor) == POSITION
