"""What database/piccolo_internals.py relies on in Piccolo beyond its public API, checked
against the installed Piccolo: a Piccolo upgrade that changes any of it fails here, naming
what changed, before anything subtler breaks."""

from __future__ import annotations

import importlib.metadata
import inspect
from contextvars import ContextVar
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest
from piccolo.columns import Varchar
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction
from piccolo.engine.sqlite import SQLiteEngine
from piccolo.query.base import Query
from piccolo.querystring import QueryString
from piccolo.table import Table, TableMeta

from fachaustausch import database
from fachaustausch.accounts.tables import Authority
from fachaustausch.database import Database
from fachaustausch.database.context import current_engine
from fachaustausch.database.piccolo_internals import (
    TESTED_MINOR,
    SQLiteEngineHooks,
    is_outermost,
    precompiled,
    route_tables,
    rows_as_run,
)
from fachaustausch.database.postgres_engine import PostgresEngine as PlatformPostgresEngine
from fachaustausch.settings import Settings
from tests.conftest import POSTGRES_URL

INSTALLED = importlib.metadata.version("piccolo")


def changed(what: str) -> str:
    return f"Piccolo {INSTALLED} changed {what}; see database/piccolo_internals.py"


def _parameters(function: Any) -> list[str]:
    return list(inspect.signature(function).parameters)


def test_the_installed_piccolo_is_the_minor_version_checked() -> None:
    installed = ".".join(INSTALLED.split(".")[:2])
    assert installed == TESTED_MINOR, (
        f"Piccolo {INSTALLED} is installed, database/piccolo_internals.py was checked against "
        f"{TESTED_MINOR}: run this file, adjust that module, TESTED_MINOR and the pin in "
        "pyproject.toml"
    )


# --- prepared queries ------------------------------------------------------------------------


def test_a_querystring_with_frozen_sql_compiles_to_it() -> None:
    assert "_frozen_compiled_strings" in QueryString.__slots__, changed(
        "QueryString's slots: no _frozen_compiled_strings"
    )
    querystring = precompiled("SELECT slug FROM authority WHERE id = ?", [7], Authority)
    for engine_type in ("sqlite", "postgres"):
        assert querystring.compile_string(engine_type=engine_type) == (
            "SELECT slug FROM authority WHERE id = ?",
            [7],
        ), changed("how a frozen QueryString compiles")


def test_a_query_turns_raw_rows_into_results_in_process_results() -> None:
    method = getattr(Query, "_process_results", None)
    assert method is not None, changed("Query: no _process_results")
    assert inspect.iscoroutinefunction(method), changed("Query._process_results: not async")
    assert _parameters(method) == ["self", "results"], changed("Query._process_results' signature")


@pytest.mark.database
async def test_precompiled_sql_gives_the_rows_run_gives(settings: Settings) -> None:
    engine = database.current().engine
    for query in (
        Authority.select(Authority.slug, Authority.kind).where(Authority.slug == "weimar"),
        Authority.select(Authority.slug).where(Authority.slug == "nirgendwo"),
        Authority.select(Authority.slug).order_by(Authority.slug).limit(3),
    ):
        [querystring] = query.querystrings
        sql, args = querystring.compile_string(engine_type=engine.engine_type)
        raw = await engine.run_querystring(precompiled(sql, list(args), Authority))
        assert await rows_as_run(query, raw) == await query.run(), changed(
            "the rows of a frozen QueryString or what _process_results makes of them"
        )


# --- engines ---------------------------------------------------------------------------------


def test_the_sqlite_engine_runs_statements_through_two_private_methods() -> None:
    expected = {
        "_run_in_new_connection": ["self", "query", "args", "query_type", "table"],
        "_run_in_existing_connection": [
            "self",
            "connection",
            "query",
            "args",
            "query_type",
            "table",
        ],
    }
    for name, parameters in expected.items():
        method = getattr(SQLiteEngine, name, None)
        assert method is not None, changed(f"SQLiteEngine: no {name}")
        assert _parameters(method) == parameters, changed(f"SQLiteEngine.{name}'s signature")


async def test_the_sqlite_hooks_see_every_statement_in_and_out_of_a_transaction(
    tmp_path: Path,
) -> None:
    seen: list[str] = []

    class Recording(SQLiteEngineHooks):
        async def run_in_new_connection(self, query: str, *args: Any) -> Any:
            seen.append(f"new: {query}")
            return await super().run_in_new_connection(query, *args)

        async def run_in_existing_connection(self, connection: Any, query: str, *a: Any) -> Any:
            seen.append(f"transaction: {query}")
            return await super().run_in_existing_connection(connection, query, *a)

    engine = Recording(path=str(tmp_path / "hooks.sqlite3"))
    assert await engine.run_querystring(QueryString("SELECT 1 AS one")) == [{"one": 1}]
    async with engine.transaction():
        await engine.run_querystring(QueryString("SELECT 2 AS two"))
    await engine.run_ddl("SELECT 3")
    assert seen[0] == "new: SELECT 1 AS one", changed("how SQLiteEngine runs a statement")
    assert "transaction: SELECT 2 AS two" in seen, changed(
        "how SQLiteEngine runs a statement inside a transaction"
    )
    assert seen[-1] == "new: SELECT 3", changed("how SQLiteEngine runs DDL")


def test_the_postgres_engine_runs_statements_through_a_private_method() -> None:
    method = getattr(PostgresEngine, "_run_in_new_connection", None)
    assert method is not None, changed("PostgresEngine: no _run_in_new_connection")
    assert _parameters(method) == ["self", "query", "args"], changed(
        "PostgresEngine._run_in_new_connection's signature"
    )


@pytest.mark.database
@pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL; runs with TEST_DATABASE_URL")
async def test_the_postgres_hook_sees_a_statement_outside_a_transaction(
    settings: Settings,
) -> None:
    engine = database.current().engine
    assert isinstance(engine, PlatformPostgresEngine)
    seen: list[str] = []
    original = type(engine).run_in_new_connection

    async def recording(self: Any, query: str, args: Any = None) -> Any:
        seen.append(query)
        return await original(self, query, args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(type(engine), "run_in_new_connection", recording)
        await engine.run_querystring(QueryString("SELECT 1 AS one"))
    assert seen == ["SELECT 1 AS one"], changed("how PostgresEngine runs a statement")


def test_a_postgres_transaction_knows_whether_it_began_the_transaction() -> None:
    assert "_parent" in PostgresTransaction.__slots__, changed(
        "PostgresTransaction's slots: no _parent"
    )
    engine = cast(
        PostgresEngine, SimpleNamespace(current_transaction=ContextVar("t", default=None))
    )
    outer = PostgresTransaction(engine)
    assert is_outermost(outer), changed("PostgresTransaction._parent of an outermost one")
    token = engine.current_transaction.set(outer)
    try:
        assert not is_outermost(PostgresTransaction(engine)), changed(
            "PostgresTransaction._parent of a nested one"
        )
    finally:
        engine.current_transaction.reset(token)


# --- tables ----------------------------------------------------------------------------------


def test_a_table_finds_its_engine_in_its_metas_db_property() -> None:
    assert isinstance(TableMeta.__dict__.get("db"), property), changed("TableMeta.db")
    assert "_meta" in vars(Table), changed("Table._meta")


class Probe(Table):
    name = Varchar(length=20)


async def test_routed_tables_run_on_the_current_database(tmp_path: Path) -> None:
    route_tables([Probe], current_engine)
    first, second = (Database(f"sqlite:///{tmp_path / name}.sqlite3") for name in "ab")
    for each, name in ((first, "erste"), (second, "zweite")):
        with database.use(each):
            await cast(Any, Probe.create_table()).run()
            await Probe.insert(Probe(name=name)).run()
    for each, name in ((first, "erste"), (second, "zweite")):
        with database.use(each):
            assert Probe._meta.db is each.engine, changed("where a table's engine is read")
            assert await Probe.select(Probe.name).run() == [{"name": name}]
    with pytest.raises(AttributeError, match="current database"):
        Probe._meta.db = first.engine
