"""An app bound to other settings runs on what they give, and keeps nothing of what it ran
with before: not the database, not the read cache, not the sessions, not the hasher."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from litestar.testing import AsyncTestClient

from fachaustausch import database
from fachaustausch.accounts.policy import Role
from fachaustausch.app import bind, create_app
from fachaustausch.database import Database
from fachaustausch.settings import Settings
from tests.conftest import sqlite_only
from tests.factories import ApiClient, ask_question, make_user

pytestmark = sqlite_only


def _copy(settings: Settings, tmp_path: Path, name: str, **changes: object) -> Settings:
    path = tmp_path / f"{name}.sqlite3"
    shutil.copyfile(settings.resolved_database_url.removeprefix("sqlite:///"), path)
    fields = settings.model_dump() | {
        "database_url": f"sqlite:///{path}",
        "var_dir": tmp_path / f"{name}-var",
    }
    return Settings(**(fields | changes))


async def _titles(client: ApiClient) -> list[str]:
    response = await client.get("/api/v1/questions")
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["items"]]


async def test_a_bound_app_shares_nothing_with_what_it_ran_before(
    settings: Settings, tmp_path: Path
) -> None:
    author = await make_user(Role.member)
    await ask_question(author, title="Vor dem Umbinden: Terminvergabe?")
    app = create_app(settings)
    before = app.state.database, app.state.passwords, app.stores, app.state.login_throttle

    async with AsyncTestClient(app) as raw:
        first = ApiClient(raw)
        await first.login(author)
        assert await _titles(first) == ["Vor dem Umbinden: Terminvergabe?"]
        cookies = dict(raw.cookies)

    other = _copy(settings, tmp_path, "other")
    with database.use(Database(other.resolved_database_url)):
        await ask_question(author, title="Nach dem Umbinden: Wartebereich?")
    bind(app, other)

    assert app.state.settings is other
    assert app.state.database is not before[0]
    assert app.state.passwords is not before[1]
    assert app.stores is not before[2]
    assert app.state.login_throttle is not before[3]
    async with AsyncTestClient(app) as raw:
        # The session of the first run is unknown: the stores are new.
        raw.cookies.update(cookies)
        second = ApiClient(raw)
        assert (await second.get("/api/v1/me")).status_code == 401
        await second.login(author)
        # The new database's list, not the first run's cached one.
        assert await _titles(second) == [
            "Nach dem Umbinden: Wartebereich?",
            "Vor dem Umbinden: Terminvergabe?",
        ]


@pytest.mark.parametrize(
    "changes",
    [{"secret_key": "another-secret-key-" + "y" * 32}, {"base_url": "https://fach.example"}],
)
async def test_bind_refuses_settings_the_routes_were_built_with(
    settings: Settings, tmp_path: Path, changes: dict[str, object]
) -> None:
    app = create_app(settings)
    with pytest.raises(ValueError, match="must equal"):
        bind(app, _copy(settings, tmp_path, "other", **changes))
    assert app.state.settings is settings


async def test_bind_refuses_an_app_on_redis(settings: Settings, tmp_path: Path) -> None:
    app = create_app(settings)
    with pytest.raises(ValueError, match="Redis"):
        bind(app, _copy(settings, tmp_path, "other", redis_url="redis://127.0.0.1:6379/0"))
