"""Helpers of the notification tests: drain the worker, read someone's inbox over HTTP."""

from __future__ import annotations

from typing import Any

from fachaustausch.notifications.smtp import FileTransport, Transport
from fachaustausch.notifications.worker import NotificationWorker, Round
from fachaustausch.settings import Settings
from tests.factories import ApiClient, UserRecord

API = "/api/v1/notifications"


async def drain(settings: Settings, transport: Transport | None = None) -> Round:
    worker = NotificationWorker(settings, transport or FileTransport(settings.mail_dir))
    return await worker.drain()


async def as_user(client: ApiClient, user: UserRecord) -> None:
    client.logout_local()
    await client.login_token(user)


async def inbox(client: ApiClient, user: UserRecord) -> dict[str, Any]:
    await as_user(client, user)
    response = await client.get(API)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def kinds(client: ApiClient, user: UserRecord) -> list[str]:
    return [item["kind"] for item in (await inbox(client, user))["items"]]
