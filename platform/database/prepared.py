"""Hot-path queries compiled once.

Building a Piccolo select with joins costs more Python (column chains are copied, joins
re-derived, the SQL re-assembled) than SQLite needs to answer it from an index. A
`Prepared` query is written with the same Piccolo expressions, with `Param("name")` where
a value changes from call to call; it is built and compiled to SQL once per engine type,
and each call only binds new values. The rows come back exactly as from Piccolo's `run()`.
A `Prepared` holds SQL text only, so one at module level serves every database of its
engine type; the shapes `prepared()` keeps belong to the current database.

Only the values may vary: anything that changes the SQL's shape (which filters apply, a
LIMIT, the length of an IN list) belongs in the cache key of `prepared()`."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from enum import Enum
from typing import Any

from piccolo.query.base import Query

from fachaustausch.database.context import current
from fachaustausch.database.piccolo_internals import precompiled, rows_as_run

# Shapes kept per database; a list page has a few dozen in practice (filters × sorts).
MAX_SHAPES = 512


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
        engine = current().engine
        engine_type = engine.engine_type
        compiled = self._compiled.get(engine_type) or self._compile(engine_type)
        query, sql, template_args = compiled
        args = [_bind(arg, values) for arg in template_args]
        raw = await engine.run_querystring(precompiled(sql, args, query.table))
        return await rows_as_run(query, raw)

    async def first(self, **values: Any) -> dict[str, Any] | None:
        rows = await self.rows(**values)
        return rows[0] if rows else None


def _bind(arg: Any, values: dict[str, Any]) -> Any:
    if not isinstance(arg, Param):
        return arg
    value = values[arg.name]
    return value.value if isinstance(value, Enum) else value


def placeholders(names: Sequence[str]) -> tuple[str, list[Param]]:
    """For raw SQL with an IN list: Piccolo's "{}" once per name, comma-separated, and the
    Params that bind them by name."""
    return ", ".join("{}" for _ in names), [Param(name) for name in names]


class PreparedShapes:
    """The prepared queries of one database by the key of their shape, built the first
    time; the least recently used are dropped beyond `max_shapes`, so a key space with
    many shapes stays small."""

    def __init__(self, max_shapes: int = MAX_SHAPES) -> None:
        self.max_shapes = max_shapes
        self._shapes: OrderedDict[Hashable, Prepared] = OrderedDict()

    def __len__(self) -> int:
        return len(self._shapes)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._shapes

    def get(self, key: Hashable, build: Callable[[], Query[Any, Any]]) -> Prepared:
        shapes = self._shapes
        found = shapes.get(key)
        if found is not None:
            shapes.move_to_end(key)
            return found
        created = shapes[key] = Prepared(build)
        if len(shapes) > self.max_shapes:
            shapes.popitem(last=False)
        return created


def prepared(key: Hashable, build: Callable[[], Query[Any, Any]]) -> Prepared:
    """The current database's prepared query for `key`, built by `build` the first time."""
    return current().prepared.get(key, build)
