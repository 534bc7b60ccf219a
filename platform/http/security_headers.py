"""Security headers on every response: pages, API, problem details, static files, redirects
and the router's own 404 and 405 answers.

A `before_send` hook, not middleware: Litestar calls it for every message the app sends,
including answers to paths no route matches, which route middleware never sees. The headers
are encoded once; a response start only gets them appended."""

from __future__ import annotations

from litestar.types import Message, Scope

# Everything a page needs comes from the platform itself: stylesheets, fonts and scripts
# under /static (no inline script or style attribute in any template), KERN's icons as
# data: URIs inside its stylesheet, and fetches to its own API (similar questions).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)

# The API reference (Scalar, served from /static/scalar like KERN) styles its components at
# run time with style elements and attributes: only this page allows inline styles. Its
# scripts and fonts come from the platform itself, like every other page's.
DOCS_CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    )
)
DOCS_PAGES = frozenset({"/api/docs", "/api/docs/", "/api/docs/scalar"})

# Browser features no page of the platform uses, switched off for it and anything it embeds.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
)


def _encoded(csp: str, *, hsts: bool) -> tuple[tuple[bytes, bytes], ...]:
    headers = [
        ("content-security-policy", csp),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "same-origin"),
        ("permissions-policy", PERMISSIONS_POLICY),
    ]
    if hsts:
        headers.append(("strict-transport-security", "max-age=31536000"))
    return tuple((name.encode(), value.encode()) for name, value in headers)


class SecurityHeaders:
    """The `before_send` hook; `https` adds HSTS (the platform is served over TLS)."""

    def __init__(self, *, https: bool) -> None:
        self._headers = _encoded(CONTENT_SECURITY_POLICY, hsts=https)
        self._docs_headers = _encoded(DOCS_CONTENT_SECURITY_POLICY, hsts=https)

    async def __call__(self, message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start":
            return
        extra = self._docs_headers if scope["path"] in DOCS_PAGES else self._headers
        headers = message.get("headers")
        if isinstance(headers, list):
            headers.extend(extra)
        else:
            message["headers"] = [*(headers or ()), *extra]
