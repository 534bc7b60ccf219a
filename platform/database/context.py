"""Which database the code running now works on.

Each app owns a Database (engine.py) and makes it current for every request and for the
tasks its lifespan starts; the CLI and the tests make theirs current around what they run.
Code below reads it with `current()`, and every Piccolo table asks for its engine here on
each use (piccolo_internals.route_tables), so two apps in one process never share an
engine, a cache or a prepared query. Tasks started inside inherit what is current."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from piccolo.engine.base import Engine

    from fachaustausch.database.engine import Database

_current: ContextVar[Database] = ContextVar("fachaustausch_database")


def current() -> Database:
    try:
        return _current.get()
    except LookupError:
        raise RuntimeError(
            "no database is current: the app makes its own current per request; elsewhere "
            "wrap the work in `with database.use():`"
        ) from None


def current_or_none() -> Database | None:
    return _current.get(None)


def current_engine() -> Engine[Any]:
    """The current database's engine: what every Piccolo table runs its queries on."""
    try:
        return _current.get().engine
    except LookupError:
        return current().engine  # raises, saying why


def make_current(database: Database) -> Token[Database]:
    """For an ASGI wrapper that sets and resets around each call; elsewhere `use`."""
    return _current.set(database)


def reset(token: Token[Database]) -> None:
    _current.reset(token)


@contextmanager
def use(database: Database) -> Iterator[Database]:
    """`database` is current inside the block (and in the tasks started there)."""
    token = _current.set(database)
    try:
        yield database
    finally:
        _current.reset(token)
