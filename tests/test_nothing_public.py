"""Every route needs an active account unless its handler is marked public: tried on every
route and method the app has, anonymously, so a new route cannot slip through."""

from __future__ import annotations

import re

from litestar import Litestar
from litestar.routes import HTTPRoute

from fachaustausch.api.reference import is_docs_page
from fachaustausch.http.security import PUBLIC, require_account
from tests.factories import ApiClient, assert_german

_PARAM = re.compile(r"\{(\w+):(\w+)\}")


def _concrete(path: str) -> str:
    return _PARAM.sub(lambda m: "1" if m.group(2) == "int" else "x", path)


def _handlers(app: Litestar) -> list[tuple[str, str, bool]]:
    """(method, concrete path, public) of every HTTP route handler, OPTIONS and HEAD aside."""
    found: list[tuple[str, str, bool]] = []
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        for handler in route.route_handlers:
            for method in sorted(handler.http_methods - {"OPTIONS", "HEAD"}):
                public = bool(handler.opt.get(PUBLIC))
                found.append((method, _concrete(route.path), public))
    return found


def test_no_layer_replaces_the_account_check(app: Litestar) -> None:
    # Litestar uses the before_request hook closest to the handler: a controller or router
    # with a hook of its own would switch the check off for its routes.
    for route in app.routes:
        if isinstance(route, HTTPRoute):
            for handler in route.route_handlers:
                hook = handler.resolve_before_request()
                assert hook is not None, route.path
                assert getattr(hook, "func", hook) is require_account, route.path


async def test_anonymous_requests_are_refused_on_every_private_route(
    app: Litestar, client: ApiClient
) -> None:
    await client.csrf_token()  # unsafe requests get past CSRF to the account check
    handlers = _handlers(app)
    private = [(m, p) for m, p, public in handlers if not public]
    assert len(private) > 50  # the app's routes were found
    for method, path in private:
        response = await client.request(method, path, follow_redirects=False)
        if is_docs_page(path):
            # The API reference is a page: the login, then back (tests/api/test_api_reference).
            assert response.headers["location"] == f"/anmelden?weiter={path}", path
        elif path.startswith("/api/"):
            assert response.status_code == 401, (method, path, response.status_code)
            assert_german(response.text)
        elif response.status_code in (302, 303):
            assert response.headers["location"].startswith("/anmelden"), (method, path)
        else:
            assert response.status_code == 401, (method, path, response.status_code)


async def test_public_routes_answer_anonymously(app: Litestar, client: ApiClient) -> None:
    public = [(m, p) for m, p, is_public in _handlers(app) if is_public and m == "GET"]
    assert "/anmelden" in {p for _, p in public}
    for method, path in public:
        response = await client.request(method, path, follow_redirects=False)
        assert response.status_code != 401, (method, path)
