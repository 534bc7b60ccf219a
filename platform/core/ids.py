"""Row ids as the outside world sends them.

Serial ids are 32-bit in PostgreSQL; a larger number names no row and must not reach the
driver (asyncpg refuses it, SQLite overflows past 64 bits): such an id is simply not found,
and an input model refuses it as out of range."""

from __future__ import annotations

MAX_ID = 2**31 - 1


def possible_id(value: int) -> bool:
    """Whether `value` can name a row at all."""
    return 1 <= value <= MAX_ID
