"""Counting the SQL statements a request issues, on whichever engine the test runs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fachaustausch import database


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []
        self.compiled: list[tuple[str, list[Any]]] = []  # as sent: SQL and its arguments

    @property
    def count(self) -> int:
        return len(self.statements)


@contextmanager
def count_queries() -> Iterator[QueryCounter]:
    """Counts every statement the engine runs while the block is active (the app's thread
    included: its engine is of the same class as the test's)."""
    # Engines use __slots__, so the method is replaced on the class for the block.
    engine_class: Any = type(database.current().engine)
    counter = QueryCounter()
    original = engine_class.run_querystring

    async def counting(self: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        counter.statements.append(str(querystring))
        sql, values = querystring.compile_string(engine_type=self.engine_type)
        counter.compiled.append((sql, list(values)))
        return await original(self, querystring, *args, **kwargs)

    engine_class.run_querystring = counting
    try:
        yield counter
    finally:
        engine_class.run_querystring = original
