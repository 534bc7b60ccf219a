"""Handles: derived once from the name, unique, shown by GET /api/v1/me."""

from __future__ import annotations

import asyncio

import pytest

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.policy import Role
from fachaustausch.accounts.tables import User
from fachaustausch.settings import Settings
from tests.factories import PASSWORD, ApiClient, make_user

pytestmark = pytest.mark.database


async def _handle(user_id: int) -> str:
    row = await User.select(User.handle).where(User.id == user_id).first().run()
    assert row is not None
    return str(row["handle"])


async def test_me_shows_the_handle_derived_from_the_name(client: ApiClient) -> None:
    user = await make_user(display_name="Dr. Jürgen Groß-Özdemir")
    await client.login(user)
    response = await client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["handle"] == "juergen.gross-oezdemir"


async def test_namesakes_get_numbered_handles(client: ApiClient) -> None:
    first = await make_user(display_name="Anna Müller")
    second = await make_user(display_name="Anna Müller")
    third = await make_user(display_name="anna mueller")
    assert [await _handle(u.id) for u in (first, second, third)] == [
        "anna.mueller",
        "anna.mueller2",
        "anna.mueller3",
    ]


async def test_registration_gives_the_pending_account_a_handle(client: ApiClient) -> None:
    response = await client.post(
        "/api/v1/auth/register",
        json={
            "email": "lena.vogel@leipzig.de",
            "password": "Herbstlaub fällt leise auf den Rathausplatz",
            "display_name": "Lena Vogel",
            "authority": "leipzig",
        },
    )
    assert response.status_code == 202, response.text
    row = await User.select(User.handle).where(User.email == "lena.vogel@leipzig.de").first()
    assert row == {"handle": "lena.vogel"}


async def test_namesakes_created_at_the_same_moment_both_get_a_handle(
    settings: Settings,
) -> None:
    ids = await asyncio.gather(
        *(
            accounts.create_user(
                email=f"tom.weber{n}@leipzig.de",
                display_name="Tom Weber",
                password=PASSWORD,
                role=Role.member,
                authority_slug="leipzig",
                check_password=False,
            )
            for n in range(4)
        )
    )
    handles = sorted([await _handle(i) for i in ids])
    assert handles == ["tom.weber", "tom.weber2", "tom.weber3", "tom.weber4"]
