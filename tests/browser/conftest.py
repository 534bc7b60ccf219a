"""Real-browser tests: the real app served by uvicorn on 127.0.0.1 (a free port, in a
background thread), a database prepared like tests/conftest.py with the demo accounts, and
Debian's Chromium driven by Playwright. Playwright's own browser download is never used.

Every test gets its own database, server, and browser; all three are closed at the end."""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import uvicorn
from playwright.async_api import Browser, BrowserContext, Page, async_playwright

from fachaustausch.app import create_app
from fachaustausch.cli import GRACEFUL_SHUTDOWN_SECONDS
from fachaustausch.demo import seed_demo
from fachaustausch.settings import Settings

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SHOTS = Path("/tmp/shots")  # noqa: S108 - where the brief wants the screenshots


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip(
            "needs Debian's chromium: apt-get install chromium (./scripts/test installs it)"
        )
    return path


class _ServerThread(threading.Thread):
    """uvicorn in its own thread and event loop; port 0 lets the OS pick a free port."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(name="uvicorn-browser-tests", daemon=True)
        config = uvicorn.Config(
            create_app(settings),
            host="127.0.0.1",
            port=0,
            log_level="warning",
            access_log=False,
            lifespan="on",
            ws="none",
            http="h11",
            # As `fachaustausch serve`: a page left open keeps its live stream.
            timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
        )
        self.server = uvicorn.Server(config)
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.server.run()
        except BaseException as exc:  # reported to the test instead of a thread warning
            self.error = exc

    @property
    def base_url(self) -> str:
        socket = self.server.servers[0].sockets[0]
        host, port = socket.getsockname()[:2]
        return f"http://{host}:{port}"

    async def wait_started(self) -> None:
        async with asyncio.timeout(15):
            while not self.server.started:
                if not self.is_alive():
                    raise RuntimeError(f"uvicorn did not start: {self.error!r}")
                await asyncio.sleep(0.02)

    def stop(self) -> None:
        self.server.should_exit = True
        self.join(timeout=15)
        assert not self.is_alive(), "uvicorn did not shut down"
        if self.error is not None:
            raise self.error


@pytest.fixture
async def live_server(settings: Settings) -> AsyncIterator[str]:
    """The base URL of the real app, with the reference data and the demo accounts."""
    thread = _ServerThread(settings)  # create_app first: it picks the fast test hasher
    await seed_demo()
    thread.start()
    try:
        await thread.wait_started()
        yield thread.base_url
    finally:
        await asyncio.to_thread(thread.stop)


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        chromium = await playwright.chromium.launch(
            executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            await chromium.close()


@pytest.fixture
async def context(browser: Browser, live_server: str) -> AsyncIterator[BrowserContext]:
    context = await browser.new_context(
        base_url=live_server, locale="de-DE", viewport={"width": 1280, "height": 900}
    )
    # Network only to our own server: anything else is refused.
    await context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(live_server)
            else route.abort("blockedbyclient")
        ),
    )
    try:
        yield context
    finally:
        await context.close()


@pytest.fixture
async def page(context: BrowserContext) -> Page:
    page = await context.new_page()
    page.set_default_timeout(10_000)
    return page


@pytest.fixture
def shots() -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS
