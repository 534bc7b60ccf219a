"""HTML pages: controllers render frontend/templates and call the domain services."""

from litestar import Router

from fachaustausch.web.account import AccountPages
from fachaustausch.web.auth import AuthPages
from fachaustausch.web.moderation import ModerationPages
from fachaustausch.web.pages import HomePage, InfoPages
from fachaustausch.web.toolbox import ToolboxPages

web_router = Router(
    path="/",
    route_handlers=[AuthPages, AccountPages, ToolboxPages, ModerationPages, HomePage, InfoPages],
    include_in_schema=False,
)

__all__ = ["web_router"]
