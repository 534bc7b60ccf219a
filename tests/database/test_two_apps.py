"""Two apps with different settings in one process share no state: each runs on its own
database (engine, pool, read caches, prepared queries) and with its own password hasher,
and each request sees only its own app's data, while both serve at once."""

from __future__ import annotations

import shutil
from pathlib import Path

from litestar.testing import AsyncTestClient

from fachaustausch import database
from fachaustausch.accounts.policy import Role
from fachaustausch.accounts.tables import User
from fachaustausch.app import create_app
from fachaustausch.database import Database
from fachaustausch.settings import Settings
from tests.conftest import sqlite_only
from tests.factories import ApiClient, ask_question, make_user

pytestmark = sqlite_only


def _second(settings: Settings, tmp_path: Path) -> Settings:
    """Another database file (a copy of the seeded one) and a dearer password hash."""
    path = tmp_path / "second.sqlite3"
    shutil.copyfile(settings.resolved_database_url.removeprefix("sqlite:///"), path)
    return Settings(
        **(
            settings.model_dump()
            | {
                "database_url": f"sqlite:///{path}",
                "var_dir": tmp_path / "second-var",
                "password_hash_time_cost": 2,
            }
        )
    )


async def _titles(client: ApiClient) -> list[str]:
    response = await client.get("/api/v1/questions")
    assert response.status_code == 200, response.text
    return [item["title"] for item in response.json()["items"]]


async def test_two_apps_in_one_process_never_share_state(
    settings: Settings, tmp_path: Path
) -> None:
    second_settings = _second(settings, tmp_path)
    first_author = await make_user(Role.member)
    await ask_question(first_author, title="Nur in der ersten Datenbank: Terminvergabe?")
    with database.use(Database(second_settings.resolved_database_url)):
        second_author = await make_user(Role.member)
        await ask_question(second_author, title="Nur in der zweiten Datenbank: Wartebereich?")

    first_app, second_app = create_app(settings), create_app(second_settings)
    first_db, second_db = first_app.state.database, second_app.state.database
    assert first_db is not second_db
    assert first_db.engine is not second_db.engine
    assert first_db.read_caches is not second_db.read_caches
    assert first_db.prepared is not second_db.prepared
    assert first_app.state.passwords is not second_app.state.passwords

    async with AsyncTestClient(first_app) as one, AsyncTestClient(second_app) as other:
        first, second = ApiClient(one), ApiClient(other)
        await first.login(first_author)
        await second.login(second_author)
        for _ in range(2):  # the second round from each app's own read cache
            assert await _titles(first) == ["Nur in der ersten Datenbank: Terminvergabe?"]
            assert await _titles(second) == ["Nur in der zweiten Datenbank: Wartebereich?"]
        # Each app cached its own list, and prepared its queries for its own database.
        for each in (first_db, second_db):
            assert len(each.read_caches.shared) > 0
            assert len(each.prepared) > 0
        # Someone of one database is nobody in the other.
        first.logout_local()
        refused = await first.post(
            "/api/v1/auth/login",
            json={"email": second_author.email, "password": second_author.password},
        )
        assert refused.status_code == 401

        # Each app hashes with its own settings: a registration at the second app.
        registered = await second.post(
            "/api/v1/auth/register",
            json={
                "email": "neu@leipzig.de",
                "password": "Lange Reise nach Weimar 2026",
                "display_name": "Nora Neu",
                "authority": "leipzig",
            },
        )
        assert registered.status_code == 202, registered.text

    with database.use(second_db):
        row = await User.select(User.password_hash).where(User.email == "neu@leipzig.de").first()
    assert row is not None
    assert ",t=2," in row["password_hash"]
    assert not await User.exists().where(User.email == "neu@leipzig.de")
