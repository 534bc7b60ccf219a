"""The framework floor: a minimal Litestar app with one JSON route, served exactly like the
platform (uvicorn, one worker, same loop and HTTP implementation, log level warning).

Whatever the platform's endpoints cost beyond this is the platform's own doing."""

from __future__ import annotations

from litestar import Litestar, get


@get("/")
async def index() -> dict[str, str]:
    return {"status": "ok"}


app = Litestar(route_handlers=[index], debug=False)
