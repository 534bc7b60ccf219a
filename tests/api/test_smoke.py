from fachaustausch.accounts.policy import Role
from tests.factories import ApiClient, make_user


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
