"""The API reference in a real Chromium, with the network limited to our own server (as in
an authority's network without the public CDN): it renders, in German, from the app's own
files; without JavaScript it explains itself in German. axe finds nothing."""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, Page, Request, expect

from tests.browser.test_accessibility import MEMBER, describe, log_in

pytestmark = pytest.mark.browser


async def test_the_reference_renders_from_our_own_files(page: Page, live_server: str) -> None:
    requested: list[str] = []

    def note(request: Request) -> None:
        requested.append(request.url)

    page.on("request", note)
    # Anonymous: the login page first, then back to the reference.
    await page.goto("/api/docs")
    await expect(page).to_have_url(re.compile(r"/anmelden\?weiter=/api/docs$"))
    await page.get_by_label("E-Mail-Adresse").fill(MEMBER.email)
    await page.get_by_label("Passwort").fill(MEMBER.password)
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page).to_have_url(re.compile(r"/api/docs$"))

    await expect(page).to_have_title("API-Dokumentation – Fachaustausch Willkommensbehörden")
    assert await page.locator("html").get_attribute("lang") == "de"
    reference = page.get_by_role("main")
    await expect(reference).to_have_count(1)
    await expect(reference).to_contain_text("Fachaustausch Willkommensbehörden – API")
    # Scalar speaks German here (its own labels), and lists our operations.
    await expect(page.get_by_text("OpenAPI-Dokument herunterladen")).to_be_visible()
    await expect(page.get_by_role("link", name=re.compile("^Fragen$")).first).to_be_attached()
    assert not [url for url in requested if not url.startswith(live_server)], requested

    results = await Axe().run(page)
    violations = results.response["violations"]
    assert violations == [], describe(page.url, violations)


async def test_without_javascript_the_page_explains_itself(
    browser: Browser, live_server: str
) -> None:
    context = await browser.new_context(
        base_url=live_server, locale="de-DE", java_script_enabled=False
    )
    page = await context.new_page()
    try:
        await log_in(page, MEMBER.email, MEMBER.password)
        await page.goto("/api/docs")
        await expect(page.get_by_role("heading", level=1)).to_have_text("API-Dokumentation")
        # The introduction is the page's one main landmark; the German note stands in
        # <noscript> (rendered, though Playwright's text matching skips that element).
        await expect(page.get_by_role("main")).to_have_count(1)
        await expect(page.get_by_role("main")).to_contain_text("Die JSON-API des Fachaustauschs")
        assert "Die interaktive Übersicht der Schnittstellen braucht JavaScript" in (
            await page.content()
        )
        await expect(page.locator("body")).not_to_contain_text("Scalar requires")
        link = page.get_by_role("link", name="OpenAPI-Dokument", exact=True)
        await link.click()
        assert "openapi" in (await page.content())
    finally:
        await context.close()
