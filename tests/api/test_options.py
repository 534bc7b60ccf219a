"""OPTIONS names the allowed methods to a signed-in client, by token or session; like every
other method, it needs an account."""

from __future__ import annotations

from tests.factories import ApiClient, assert_problem, make_user


def _allowed(response: object) -> set[str]:
    allow: str = response.headers["allow"]  # type: ignore[attr-defined]
    return {method.strip() for method in allow.split(",")}


async def test_options_with_a_token_lists_the_methods(client: ApiClient) -> None:
    await client.login_token(await make_user())
    response = await client.options("/api/v1/questions")
    assert response.status_code == 204, response.text
    assert {"GET", "POST", "OPTIONS"} <= _allowed(response)
    answer = await client.options("/api/v1/answers/1")
    assert answer.status_code == 204
    assert {"PATCH", "OPTIONS"} <= _allowed(answer)


async def test_options_with_a_session_lists_the_methods(client: ApiClient) -> None:
    await client.login(await make_user())
    response = await client.options("/api/v1/me")
    assert response.status_code == 204, response.text
    assert "GET" in _allowed(response)


async def test_options_without_an_account_is_refused(client: ApiClient) -> None:
    assert_problem(await client.options("/api/v1/questions"), 401)
    client.headers["authorization"] = "Bearer fa_not-a-token"
    assert_problem(await client.options("/api/v1/questions"), 401)
