import logging
from typing import Any

import pytest
from litestar import Litestar
from litestar.types import Message

from fachaustausch.accounts.policy import Role
from fachaustausch.questions.tables import Answer
from tests.factories import ApiClient, ask_question, make_user


async def test_health_reports_database(client: ApiClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json()["database"]["ok"] is True


async def test_me_after_login(client: ApiClient) -> None:
    user = await make_user(Role.expert, expertise=["terminsystem"])
    await client.login(user)
    me = (await client.get("/api/v1/me")).json()
    assert me["email"] == user.email
    assert me["expertise"] == [{"slug": "terminsystem", "title": "Terminsystem"}]


async def test_openapi_schema_documents_the_api(client: ApiClient) -> None:
    await client.login(await make_user())
    schema = (await client.get("/api/docs/openapi.json")).json()
    assert schema["info"]["title"] == "Fachaustausch Willkommensbehörden – API"
    assert "/api/v1/auth/login" in schema["paths"]
    assert "/api/v1/tokens/{token_id}" in schema["paths"]


async def test_a_client_hanging_up_mid_body_is_no_server_error(
    app: Litestar, client: ApiClient, caplog: pytest.LogCaptureFixture
) -> None:
    """Driven at the ASGI level: the body's first part arrives, then the client is gone."""
    user = await make_user()
    token = await client.login_token(user)
    question_id = await ask_question(user)
    incoming: list[Any] = [
        {"type": "http.request", "body": b'{"body": "Bei uns', "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[Message] = []

    async def receive() -> Any:
        return incoming.pop(0)

    async def send(message: Message) -> None:
        sent.append(message)

    path = f"/api/v1/questions/{question_id}/answers"
    scope: Any = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver.local"),
            (b"authorization", f"Bearer {token}".encode()),
            (b"content-type", b"application/json"),
        ],
        "client": ("127.0.0.1", 1),
        "server": ("testserver.local", 80),
        "state": {},
    }
    with caplog.at_level(logging.INFO, logger="fachaustausch.api.problems"):
        await app(scope, receive, send)
    records = [r for r in caplog.records if r.name == "fachaustausch.api.problems"]
    assert [(r.levelno, r.getMessage()) for r in records] == [
        (logging.INFO, f"client went away during POST {path}")
    ]
    assert await Answer.count().where(Answer.question == question_id).run() == 0
