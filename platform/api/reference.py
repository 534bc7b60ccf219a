"""The API reference page at /api/docs: Scalar's reference UI, served from the app's own
static files (npm `@scalar/api-reference`, like KERN), in a German page of the site.

Litestar's Scalar plugin loads the UI from a public CDN: in an authority's network without
it the page stayed blank, and without JavaScript it spoke English. Here the page is a
template of the site (German title, `lang="de"`, the site's header and footer, a German
note without JavaScript) and Scalar reads its configuration from data attributes, so the
page needs no inline script."""

from __future__ import annotations

import json
from typing import Any

from litestar import Request
from litestar.openapi.plugins import OpenAPIRenderPlugin
from litestar.response import Template

DOCS_PATH = "/api/docs"
# Where app.py serves the package's browser bundle (dist/browser).
SCALAR_STATIC_PATH = "/static/scalar"
TEMPLATE = "api_reference.html"

# Scalar's options (data-configuration): German, no fonts or telemetry from Scalar's
# servers, none of its hosted extras (agent, MCP), the document downloadable as JSON.
SCALAR_CONFIGURATION: dict[str, Any] = {
    "localization": {"locale": "de"},
    "withDefaultFonts": False,
    "telemetry": False,
    "agent": {"disabled": True},
    "mcp": {"disabled": True},
    "showDeveloperTools": "never",
    "hideDarkModeToggle": True,
    "forceDarkModeState": "light",
    "documentDownloadType": "json",
}


def is_docs_page(path: str) -> bool:
    """The reference page itself (an HTML page: anonymous visitors go to the login), as
    opposed to the OpenAPI document beside it (JSON: anonymous clients get a 401)."""
    return path.rstrip("/") in (DOCS_PATH, f"{DOCS_PATH}/scalar")


class ApiReferencePlugin(OpenAPIRenderPlugin):
    def __init__(self) -> None:
        super().__init__(path=["/", "/scalar"])

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        page = Template(
            TEMPLATE,
            context={
                "openapi_url": self.get_openapi_json_route(request),
                "api_title": openapi_schema["info"]["title"],
                "scalar_script": f"{SCALAR_STATIC_PATH}/standalone.js",
                "scalar_configuration": json.dumps(SCALAR_CONFIGURATION),
            },
        )
        engine = request.app.template_engine
        if engine is None:
            raise RuntimeError("the API reference needs the app's templates (app.py)")
        rendered: str = engine.get_template(TEMPLATE).render(
            **page.create_template_context(request)
        )
        return rendered.encode()
