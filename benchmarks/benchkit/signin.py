"""The benchmark accounts' credentials: personal access tokens for API clients, and
session cookies signed in through the login form, the way browsers come."""

from __future__ import annotations

import contextlib
import html
import re
from datetime import UTC, datetime

import httpx

from benchkit.fixtures import BENCH_PASSWORD, bench_email
from benchkit.project import CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, LOGIN_PAGE, LOGOUT_PATH

_CSRF_INPUT = re.compile(rf'name="{CSRF_FIELD}"\s+value="([^"]+)"')


def create_tokens(base_url: str, accounts: list[int]) -> list[tuple[str, str]]:
    """Signs in the accounts over the API; returns (token, token id) pairs."""
    tokens = []
    for n in accounts:
        with httpx.Client(base_url=base_url, timeout=30) as client:
            email = bench_email(n)
            response = client.post(
                "/api/v1/auth/login", json={"email": email, "password": BENCH_PASSWORD}
            )
            if response.status_code != 200:
                raise RuntimeError(
                    f"login of {email} failed: {response.status_code} {response.text}"
                )
            client.get("/api/v1/me")  # a safe request sets the CSRF cookie
            created = client.post(
                "/api/v1/tokens/",
                json={"name": f"benchmark {datetime.now(UTC):%Y-%m-%d %H:%M}"},
                headers={CSRF_HEADER: client.cookies.get(CSRF_COOKIE) or ""},
            )
            if created.status_code not in (200, 201):
                raise RuntimeError(f"token for {email}: {created.status_code} {created.text}")
            body = created.json()
            tokens.append((body["token"], str(body["id"])))
            # The sign-in's session is not needed any more: the store keeps none of it.
            client.post(
                "/api/v1/auth/logout",
                headers={CSRF_HEADER: client.cookies.get(CSRF_COOKIE) or ""},
            )
    return tokens


def revoke_tokens(base_url: str, tokens: list[tuple[str, str]]) -> None:
    for token, token_id in tokens:
        with contextlib.suppress(httpx.HTTPError):
            httpx.delete(
                f"{base_url}/api/v1/tokens/{token_id}",
                headers={"authorization": f"Bearer {token}"},
                timeout=10,
            )


def sign_in_sessions(base_url: str, accounts: list[int]) -> list[str]:
    """Signs each account in through the login form as a browser does: the form page sets
    the CSRF cookie and carries its token, the form is posted with the credentials, and the
    redirect after it is followed (which shows the welcome message once). Returns each
    session's Cookie header value (session and CSRF cookie)."""
    cookies = []
    for n in accounts:
        email = bench_email(n)
        with httpx.Client(base_url=base_url, timeout=30, follow_redirects=True) as client:
            page = client.get(LOGIN_PAGE)
            found = _CSRF_INPUT.search(page.text)
            if page.status_code != 200 or found is None:
                raise RuntimeError(f"login form: {page.status_code}, no CSRF field")
            done = client.post(
                LOGIN_PAGE,
                data={
                    CSRF_FIELD: html.unescape(found.group(1)),
                    "email": email,
                    "password": BENCH_PASSWORD,
                    "weiter": "/fragen",
                },
            )
            jar = dict(client.cookies.items())
            if done.status_code != 200 or not done.history or len(jar) < 2:
                raise RuntimeError(
                    f"form login of {email} failed: {done.status_code}, cookies {sorted(jar)}"
                )
            cookies.append("; ".join(f"{k}={v}" for k, v in sorted(jar.items())))
    return cookies


def sign_out_sessions(base_url: str, cookies: list[str]) -> None:
    """Ends the sessions, so the session store keeps none of them."""
    for cookie in cookies:
        csrf = dict(part.split("=", 1) for part in cookie.split("; ")).get(CSRF_COOKIE, "")
        with contextlib.suppress(httpx.HTTPError):
            httpx.post(
                base_url + LOGOUT_PATH,
                headers={"cookie": cookie, CSRF_HEADER: csrf},
                timeout=10,
            )
