"""Test set-up: a real database per test (SQLite by default, PostgreSQL when
TEST_DATABASE_URL names one), the real app, and HTTP through Litestar's test client.

Litestar's AsyncTestClient runs the app on its own event loop in a thread, so a per-test
transaction rollback cannot isolate tests. Each test gets a fresh copy of a migrated and
seeded SQLite file instead, or a truncated and re-seeded PostgreSQL schema."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, cast

import asyncpg
import httpx
import pytest
import pytest_asyncio
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fachaustausch.app import create_app
from fachaustausch.core.outbox import SearchOutbox
from fachaustausch.database import engine as db
from fachaustausch.database import migrations, read_cache
from fachaustausch.database.sqlite_pool import PooledSQLiteEngine
from fachaustausch.settings import Environment, Settings
from fachaustausch.toolbox.seed import seed_reference_data
from tests.factories import ApiClient


def _per_worker(url: str) -> str:
    """Under pytest-xdist every worker gets a PostgreSQL database of its own."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    return f"{url}_{worker}" if url and worker else url


POSTGRES_URL = _per_worker(os.environ.get("TEST_DATABASE_URL", ""))

# Tests of the pooled SQLite engine and what only it offers (the read cache).
sqlite_only = pytest.mark.skipif(
    bool(POSTGRES_URL), reason="SQLite engine; runs in the pass without TEST_DATABASE_URL"
)
SQLITE_POOL_SIZE = 3


def _settings(var_dir: Path, database_url: str, *, search_worker: bool = False) -> Settings:
    return Settings(
        environment=Environment.test,
        var_dir=var_dir,
        database_url=database_url,
        database_pool_size=0,  # the app's loop and the test's loop must not share a pool
        secret_key="test-secret-key-" + "x" * 32,
        redis_url="",
        smtp_url="",
        # The in-app search worker polls the database; tests that need it ask for it with
        # @pytest.mark.search_worker, so query counts elsewhere see only the request.
        search_worker_enabled=search_worker,
        # Every test starts an app; a frozen one would never be collected after its test,
        # and rare full collections would let each test's garbage pile up for the next.
        gc_freeze=False,
        gc_full_collection_every=0,
    )


async def _recreate_postgres_database(url: str, *, create: bool = True) -> None:
    base, _, name = url.rpartition("/")
    conn = await asyncpg.connect(f"{base}/postgres")
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if create:
            await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def _drop_postgres_database(url: str) -> None:
    await _recreate_postgres_database(url, create=False)


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def template_database(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[str]:
    """A migrated, seeded database: a SQLite file to copy, or the PostgreSQL test database."""
    if POSTGRES_URL:
        await _recreate_postgres_database(POSTGRES_URL)
        url = POSTGRES_URL
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('template') / 'template.sqlite3'}"
    db.configure(_settings(tmp_path_factory.mktemp("var"), url))
    await migrations.migrate()
    await _seed()
    yield url
    if POSTGRES_URL:
        await _drop_postgres_database(POSTGRES_URL)


async def _seed() -> None:
    """The reference data, as if the search index already held it: seeding queues its
    toolbox pages for search, and tests count the rows their own changes queue."""
    await seed_reference_data()
    await SearchOutbox.delete(force=True).run()


async def _reset_postgres() -> None:
    from fachaustausch.piccolo_app import APP_CONFIG

    names = ", ".join(f'"{t._meta.tablename}"' for t in APP_CONFIG.table_classes)
    await db.engine().run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    await _seed()


@pytest.fixture
async def settings(
    template_database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Settings:
    var_dir = tmp_path / "var"
    worker = request.node.get_closest_marker("search_worker") is not None
    if POSTGRES_URL:
        settings = _settings(var_dir, template_database, search_worker=worker)
        db.configure(settings)
        await _reset_postgres()
    else:
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(template_database.removeprefix("sqlite:///"), path)
        settings = _settings(var_dir, f"sqlite:///{path}", search_worker=worker)
        db.configure(settings)
    return settings


@pytest.fixture
def app(settings: Settings) -> Litestar:
    return create_app(settings)


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[ApiClient]:
    async with AsyncTestClient(app) as test_client:
        yield ApiClient(test_client)


@pytest.fixture
async def pooled(settings: Settings) -> AsyncIterator[PooledSQLiteEngine]:
    """The test's SQLite engine with its pool open and the read cache on, as the app runs
    it; for tests marked `sqlite_only`."""
    engine = db.engine()
    assert isinstance(engine, PooledSQLiteEngine)
    await engine.open_pool(SQLITE_POOL_SIZE)
    read_cache.configure(settings.read_cache_entries)
    try:
        yield engine
    finally:
        await engine.close_pool()


@asynccontextmanager
async def serving_on_a_pool(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """The app as in production, its pool open, on this test's event loop (the test client
    would run it on a loop of its own), and an HTTP client for it."""
    app = create_app(settings.model_copy(update={"database_pool_size": SQLITE_POOL_SIZE}))
    async with (
        app.lifespan(),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=cast(Any, app)), base_url="http://testserver"
        ) as http,
    ):
        yield http
