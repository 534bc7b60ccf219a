"""CSRF: session-authenticated writes need the double-submit header or form field."""

from __future__ import annotations

from fachaustausch.accounts.policy import Role
from fachaustausch.accounts.tables import AccessToken
from tests.factories import ApiClient, assert_problem, make_user

CSRF_DETAIL = "Die Sicherheitsprüfung (CSRF) ist fehlgeschlagen."
# A form refused by the check comes back with its input (tests/web/test_expired_session.py).
CSRF_PAGE = "Ihre Sitzung ist abgelaufen"


async def test_session_post_without_the_header_is_refused(client: ApiClient) -> None:
    await client.login(await make_user())
    token = client.headers.pop("x-csrftoken")
    refused = await client.post("/api/v1/tokens", json={"name": "x"})
    assert_problem(refused, 403, detail=CSRF_DETAIL)
    wrong = await client.post("/api/v1/tokens", json={"name": "x"}, headers={"x-csrftoken": "a"})
    assert_problem(wrong, 403, detail=CSRF_DETAIL)
    assert await AccessToken.count() == 0
    accepted = await client.post(
        "/api/v1/tokens", json={"name": "x"}, headers={"x-csrftoken": token}
    )
    assert accepted.status_code == 201, accepted.text


async def test_session_delete_without_the_header_is_refused(client: ApiClient) -> None:
    await client.login(await make_user())
    token_id = (await client.post("/api/v1/tokens", json={"name": "x"})).json()["id"]
    token = client.headers.pop("x-csrftoken")
    assert_problem(await client.delete(f"/api/v1/tokens/{token_id}"), 403, detail=CSRF_DETAIL)
    accepted = await client.delete(f"/api/v1/tokens/{token_id}", headers={"x-csrftoken": token})
    assert accepted.status_code == 204


async def test_moderation_and_logout_need_the_header(client: ApiClient) -> None:
    await client.login(await make_user(Role.moderator))
    token = client.headers.pop("x-csrftoken")
    pending = await make_user()
    url = f"/api/v1/moderation/registrations/{pending.id}/approve"
    assert_problem(await client.post(url), 403, detail=CSRF_DETAIL)
    assert_problem(await client.post("/api/v1/auth/logout"), 403, detail=CSRF_DETAIL)
    assert (
        await client.post("/api/v1/auth/logout", headers={"x-csrftoken": token})
    ).status_code == 204


async def test_html_form_without_the_field_gets_a_german_page(client: ApiClient) -> None:
    await client.login(await make_user())
    token = client.headers.pop("x-csrftoken")
    refused = await client.post("/profil/token", data={"name": "Formular"})
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("text/html")
    assert CSRF_PAGE in refused.text
    assert await AccessToken.count() == 0
    accepted = await client.post(
        "/profil/token", data={"name": "Formular", "_csrf_token": token}, follow_redirects=False
    )
    assert accepted.status_code == 303, accepted.text
    assert await AccessToken.count() == 1
