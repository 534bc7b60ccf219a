"""Keyset pagination: a page ends at a position, and the next one starts after it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Position:
    """Where a page ended: the sort value and id of its last item."""

    value: Any
    id: int
