"""The self-assessment in a real Chromium with JavaScript off: a member rates every
criterion cornerstone by cornerstone, reads the summary, submits, sees the chart and the
recommendations, and opens the ask form pre-filled with a recommended instrument and its
model site. axe checks every step: axe is a script, so it runs in a second browser context
with the same session that opens each page the member reached (every one is a GET)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from fachaustausch.demo import DEMO_USERS
from tests.browser.test_accessibility import audit, log_in

pytestmark = pytest.mark.browser

MEMBER = next(u for u in DEMO_USERS if u.email == "mitglied@leipzig.de")


async def audit_copy(page: Page, auditor: BrowserContext) -> list[str]:
    """axe on the page the member sees, opened with scripts on under the same session."""
    await auditor.clear_cookies()
    await auditor.add_cookies(await page.context.cookies())  # type: ignore[arg-type]
    twin = await auditor.new_page()
    try:
        await twin.goto(page.url)
        return await audit(twin)
    finally:
        await twin.close()


async def test_rate_submit_and_ask_without_javascript(
    browser: Browser, live_server: str, shots: Path
) -> None:
    context = await browser.new_context(
        base_url=live_server,
        locale="de-DE",
        viewport={"width": 1280, "height": 900},
        java_script_enabled=False,
    )
    auditor = await browser.new_context(
        base_url=live_server, locale="de-DE", viewport={"width": 1280, "height": 900}
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    problems: list[str] = []
    try:
        await log_in(page, MEMBER.email, MEMBER.password)
        await page.get_by_role("link", name="Standortbestimmung", exact=True).click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Standortbestimmung")
        problems += await audit_copy(page, auditor)
        await page.get_by_role("link", name="Bewertung beginnen").click()

        for number in range(1, 6):
            await expect(page.get_by_role("heading", level=1)).to_contain_text(
                f"Schritt {number} von 5"
            )
            criteria = page.locator("fieldset.assessment-criterion")
            count = await criteria.count()
            assert count >= 3
            for index in range(count):
                criterion = criteria.nth(index)
                first = number == 1 and index == 0
                status = "1 – keine Ansätze erkennbar" if first else "4 – weitgehend umgesetzt"
                relevance = (
                    "5 – sehr relevant/hohe Priorität"
                    if first
                    else "3 – teilweise relevant/mittlere Priorität"
                )
                await criterion.get_by_role("radio", name=status).check()
                await criterion.get_by_role("radio", name=relevance).check()
            problems += await audit_copy(page, auditor)
            button = "Speichern und weiter" if number < 5 else "Speichern und zur Zusammenfassung"
            await page.get_by_role("button", name=button).click()

        await expect(page.get_by_role("heading", level=1)).to_have_text(
            "Zusammenfassung vor dem Einreichen"
        )
        await expect(page.get_by_text("(Relevanz − 1) × (5 − Stand) ÷ 4")).to_be_visible()
        problems += await audit_copy(page, auditor)
        await page.get_by_role("button", name="Runde einreichen").click()

        await expect(page.get_by_role("heading", level=1)).to_contain_text("Runde 1")
        chart = page.get_by_role("img", name=re.compile("Standortbestimmung"))
        await expect(chart).to_be_visible()
        await expect(page.get_by_role("table").first).to_contain_text("Eckpunkt")
        await expect(page.get_by_role("heading", name="Empfohlene Instrumente")).to_be_visible()
        await page.screenshot(path=str(shots / "assessment-results.png"), full_page=True)
        problems += await audit_copy(page, auditor)

        ask = page.get_by_role("link", name=re.compile("^Frage zu „")).first
        href = await ask.get_attribute("href")
        assert href is not None
        slug = re.search(r"instrument=([a-z0-9-]+)", href)
        assert slug is not None
        await ask.click()
        await expect(page.get_by_role("heading", level=1)).to_have_text("Frage stellen")
        await expect(page.locator(f"#instrument-{slug.group(1)}")).to_be_checked()
        if "an=" in href:
            site = re.search(r"an=([a-z0-9-]+)", href)
            assert site is not None
            await expect(page.locator("#directed_to")).to_have_value(site.group(1))
        problems += await audit_copy(page, auditor)
    finally:
        await context.close()
        await auditor.close()
    assert not problems, "\n\n".join(problems)


MODERATOR = next(u for u in DEMO_USERS if u.email == "moderation@bamf.bund.de")


async def test_the_moderation_pages_of_the_checklist(page: Page) -> None:
    """A moderator rewords a criterion with a bad first try, and reads the averages page;
    axe on each page, the form with its errors included."""
    problems: list[str] = []
    await log_in(page, MODERATOR.email, MODERATOR.password)
    await page.goto("/standortbestimmung")
    problems += await audit(page)
    await page.get_by_role("link", name="Kriterien der Checkliste pflegen").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Kriterien der Checkliste")
    problems += await audit(page)
    await page.get_by_role("link", name=re.compile("^Bearbeiten")).first.click()
    await page.get_by_label("Wortlaut des Kriteriums").fill("kurz")
    await page.get_by_role("button", name="Speichern").click()
    await expect(page.locator("#text")).to_have_attribute("aria-invalid", "true")
    problems += await audit(page)
    await page.get_by_label("Wortlaut des Kriteriums").fill(
        "Die ABH hat ihr Selbstverständnis als Willkommensbehörde schriftlich festgehalten."
    )
    await page.get_by_role("button", name="Speichern").click()
    await expect(page.get_by_text("Neue Fassung gespeichert.")).to_be_visible()
    await expect(page.get_by_text("Fassung 2")).to_be_visible()
    await page.goto("/standortbestimmung/kriterien/neu")
    problems += await audit(page)
    await page.goto("/standortbestimmung/auswertung")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Auswertung über alle Behörden")
    problems += await audit(page)
    assert not problems, "\n\n".join(problems)
