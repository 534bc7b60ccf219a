"""Hot-path queries compiled once.

Building a Piccolo select with joins costs about a millisecond of Python (column chains
are copied, joins re-derived, the SQL re-assembled) — ten times what SQLite needs to
answer it from an index. A `Prepared` query is written with the same Piccolo
expressions, with `Param("name")` where a value changes from call to call; it is built
and compiled to SQL once per engine type, and each call only binds new values. The rows
come back exactly as from Piccolo's `run()`.

Only the values may vary: anything that changes the SQL's shape (which filters apply, a
LIMIT, the length of an IN list) belongs in the cache key of `prepared()`."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from enum import Enum
from typing import Any

from piccolo.query.base import Query
from piccolo.querystring import QueryString

from fachaustausch.database import engine as db

# Shapes kept per process; a list page has a few dozen in practice (filters × sorts).
_MAX_SHAPES = 512


class Param:
    """Stands for a value that each run of the prepared query binds by this name."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Param({self.name!r})"


class Prepared:
    def __init__(self, build: Callable[[], Query[Any, Any]]) -> None:
        self._build = build
        # engine type -> (the built query, its SQL, its arguments with Params in place)
        self._compiled: dict[str, tuple[Query[Any, Any], str, list[Any]]] = {}

    def _compile(self, engine_type: str) -> tuple[Query[Any, Any], str, list[Any]]:
        query = self._build()
        querystrings = query.querystrings
        if len(querystrings) != 1:
            raise ValueError("a prepared query must compile to one statement")
        sql, args = querystrings[0].compile_string(engine_type=engine_type)
        compiled = self._compiled[engine_type] = (query, sql, list(args))
        return compiled

    async def rows(self, **values: Any) -> list[dict[str, Any]]:
        engine_type = db.engine().engine_type
        compiled = self._compiled.get(engine_type) or self._compile(engine_type)
        query, sql, template_args = compiled
        args = [_bind(arg, values) for arg in template_args]
        querystring = QueryString(sql, query_type="select", table=query.table)
        querystring._frozen_compiled_strings = (sql, args)
        raw = await query.table._meta.db.run_querystring(querystring)
        result: list[dict[str, Any]] = await query._process_results(raw)
        return result

    async def first(self, **values: Any) -> dict[str, Any] | None:
        rows = await self.rows(**values)
        return rows[0] if rows else None


def _bind(arg: Any, values: dict[str, Any]) -> Any:
    if not isinstance(arg, Param):
        return arg
    value = values[arg.name]
    return value.value if isinstance(value, Enum) else value


_shapes: OrderedDict[Hashable, Prepared] = OrderedDict()


def placeholders(names: Sequence[str]) -> tuple[str, list[Param]]:
    """For raw SQL with an IN list: Piccolo's "{}" once per name, comma-separated, and the
    Params that bind them by name."""
    return ", ".join("{}" for _ in names), [Param(name) for name in names]


def prepared(key: Hashable, build: Callable[[], Query[Any, Any]]) -> Prepared:
    """The prepared query for `key`, built by `build` the first time (least recently used
    shapes are dropped beyond a bound, so a key space with many shapes stays small)."""
    found = _shapes.get(key)
    if found is not None:
        _shapes.move_to_end(key)
        return found
    created = _shapes[key] = Prepared(build)
    if len(_shapes) > _MAX_SHAPES:
        _shapes.popitem(last=False)
    return created
