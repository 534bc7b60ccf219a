"""Shared steps of the self-assessment tests: signing in a member of an authority, rating
every criterion through the API, and submitting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fachaustausch.accounts.policy import Role
from tests.factories import ApiClient, UserRecord, make_user

API = "/api/v1/self-assessment"


async def member_of(client: ApiClient, authority: str, role: Role = Role.member) -> UserRecord:
    user = await make_user(role, authority=authority)
    client.logout_local()
    await client.login(user)
    return user


async def criteria(client: ApiClient) -> list[dict[str, Any]]:
    response = await client.get(f"{API}/criteria")
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


def ratings_for(
    items: list[dict[str, Any]],
    rate: Callable[[dict[str, Any]], tuple[int, int]] = lambda c: (3, 3),
) -> list[dict[str, Any]]:
    return [
        {"criterion_id": c["id"], "status": rate(c)[0], "relevance": rate(c)[1], "note": ""}
        for c in items
    ]


async def rate_and_submit(
    client: ApiClient, rate: Callable[[dict[str, Any]], tuple[int, int]] = lambda c: (3, 3)
) -> dict[str, Any]:
    items = await criteria(client)
    saved = await client.put(f"{API}/draft", json={"ratings": ratings_for(items, rate)})
    assert saved.status_code == 200, saved.text
    submitted = await client.post(f"{API}/rounds")
    assert submitted.status_code == 201, submitted.text
    result: dict[str, Any] = submitted.json()
    return result
