"""Test set-up: a real database per test (SQLite by default, PostgreSQL when
TEST_DATABASE_URL names one), the real app, and HTTP through Litestar's test client.

Litestar's AsyncTestClient runs the app on its own event loop in a thread, so a per-test
transaction rollback cannot isolate tests. Each test gets a fresh copy of a migrated and
seeded SQLite file instead, or a truncated and re-seeded PostgreSQL schema.

The app under test runs as in production: on a pool of connections, with the read cache
on. The test's own reads and writes (factories, assertions) go through a Database of the
test's own, without a pool, made current for the test: the pool lives on the app's event
loop, opened and closed by the app's lifespan."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
import pytest
import pytest_asyncio
from litestar import Litestar
from litestar.testing import AsyncTestClient

from fachaustausch import database
from fachaustausch.accounts import passwords
from fachaustausch.app import bind, create_app
from fachaustausch.assessment.seed import seed_criteria
from fachaustausch.core.outbox import SearchOutbox
from fachaustausch.database import Database, migrations
from fachaustausch.database.piccolo_internals import table_name
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
# The app's pool in every test: small, as the app and the test share the database.
POOL_SIZE = 3


def _settings(
    var_dir: Path,
    database_url: str,
    *,
    search_worker: bool = False,
    notifications_worker: bool = False,
    read_cache: bool = True,
) -> Settings:
    return Settings(
        environment=Environment.test,
        var_dir=var_dir,
        database_url=database_url,
        database_pool_size=POOL_SIZE,
        secret_key="test-secret-key-" + "x" * 32,
        redis_url="",
        smtp_url="",
        # Argon2 at full strength would dominate the test suite's run time.
        password_hash_time_cost=1,
        password_hash_memory_kib=64,
        # The in-app search worker polls the database; tests that need it ask for it with
        # @pytest.mark.search_worker, so query counts elsewhere see only the request.
        search_worker_enabled=search_worker,
        # Tests drain the notifications worker themselves (tests/notifications), or ask for
        # the app's own with @pytest.mark.notifications_worker.
        notifications_worker_enabled=notifications_worker,
        notifications_worker_interval_seconds=0.2,
        # Tests marked `uncached` count the queries a request needs.
        read_cache_entries=Settings.model_fields["read_cache_entries"].default if read_cache else 0,
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
    with database.use(Database(url)):
        await migrations.migrate()
        await _seed()
    yield url
    if POSTGRES_URL:
        await _drop_postgres_database(POSTGRES_URL)


async def _seed() -> None:
    """The reference data, as if the search index already held it: seeding queues its
    toolbox pages for search, and tests count the rows their own changes queue."""
    await seed_reference_data()
    await seed_criteria()
    await SearchOutbox.delete(force=True).run()


async def _reset_postgres() -> None:
    from fachaustausch.piccolo_app import APP_CONFIG

    names = ", ".join(f'"{table_name(t)}"' for t in APP_CONFIG.table_classes)
    await database.current().engine.run_ddl(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
    await _seed()


@pytest.fixture
async def settings(
    template_database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> AsyncIterator[Settings]:
    """The test's settings, with the test's own database and password hasher current."""
    var_dir = tmp_path / "var"
    options = {
        "search_worker": request.node.get_closest_marker("search_worker") is not None,
        "notifications_worker": (
            request.node.get_closest_marker("notifications_worker") is not None
        ),
        "read_cache": request.node.get_closest_marker("uncached") is None,
    }
    if POSTGRES_URL:
        settings = _settings(var_dir, template_database, **options)
    else:
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(template_database.removeprefix("sqlite:///"), path)
        settings = _settings(var_dir, f"sqlite:///{path}", **options)
    own = Database(settings.resolved_database_url)
    with database.use(own), passwords.use(passwords.Hasher.from_settings(settings)):
        if POSTGRES_URL:
            await _reset_postgres()
        yield settings


# One app per worker and kind of settings: building one is mostly Litestar registering its
# routes, which would otherwise dominate the suite. Each test binds it to its own settings
# (a fresh database, stores and workers), as `create_app` would build them.
_apps: dict[str, Litestar] = {}


@pytest.fixture
def app(settings: Settings) -> Litestar:
    kind = settings.model_dump_json(exclude={"var_dir", "database_url"})
    built = _apps.get(kind)
    if built is None:
        built = _apps[kind] = create_app(settings)
    else:
        bind(built, settings)
    return built


@pytest.fixture
async def client(app: Litestar) -> AsyncIterator[ApiClient]:
    async with AsyncTestClient(app) as test_client:
        yield ApiClient(test_client)


@pytest.fixture
async def pooled(settings: Settings) -> AsyncIterator[PooledSQLiteEngine]:
    """For tests of the pooled SQLite engine itself (marked `sqlite_only`): the test's
    database as the app runs it, its pool open on the test's event loop and the read cache
    on, current for the test."""
    on_a_pool = Database.from_settings(settings)
    engine = on_a_pool.engine
    assert isinstance(engine, PooledSQLiteEngine)
    await on_a_pool.open()
    try:
        with database.use(on_a_pool):
            yield engine
    finally:
        await on_a_pool.close()
