"""Search in a real Chromium: type in the header search, narrow by a cornerstone facet, open
a hit; axe checks the results page. The in-app search worker indexes the demo questions."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from fachaustausch.demo import DEMO_USERS, seed_demo_questions
from tests.browser.test_accessibility import audit, log_in
from tests.search.test_api import settled

pytestmark = [pytest.mark.browser, pytest.mark.search_worker]

MEMBER = next(u for u in DEMO_USERS if u.email == "mitglied@leipzig.de")


@pytest.fixture(autouse=True)
async def demo_questions(live_server: str) -> None:
    assert await seed_demo_questions() > 30
    await settled()


async def test_search_filter_and_open_a_hit(page: Page, shots: Path) -> None:
    problems: list[str] = []
    await log_in(page, MEMBER.email, MEMBER.password)

    header = page.get_by_role("search").first
    await header.get_by_label("Suche").fill("Termine")
    await header.get_by_label("Suche").press("Enter")
    await expect(page).to_have_url(re.compile(r"/suche\?q=Termine"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Suche")
    await expect(page.locator("#trefferzahl")).to_contain_text("Treffer für „Termine“")
    await expect(page.locator("li.hit").first).to_be_visible()
    await expect(page.locator("li.hit mark").first).to_be_visible()
    problems += await audit(page)
    await page.screenshot(path=shots / "search-results.png", full_page=True)

    facet = page.get_by_role("navigation", name="Filter Eckpunkt")
    await facet.get_by_role("link", name=re.compile(r"Binnenorganisation")).click()
    await expect(page).to_have_url(re.compile(r"eckpunkt=binnenorganisation"))
    await expect(page.locator("a.active-filter")).to_contain_text("Eckpunkt: 2. Binnenorganisation")
    hits = page.locator("li.hit")
    await expect(hits.first).to_be_visible()
    for tags in await page.locator("li.hit .hit__tags").all_inner_texts():
        assert "Binnenorganisation" in tags
    problems += await audit(page)
    await page.screenshot(path=shots / "search-filtered.png", full_page=True)

    first = hits.first.locator("h2 a")
    title = (await first.inner_text()).strip()
    await first.click()
    await expect(page).to_have_url(re.compile(r"/fragen/\d+$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text(title)

    # No hits: the help with a link to ask the question, prefilled.
    await page.goto("/suche?q=Einhornstall")
    await expect(page.locator(".no-hits")).to_contain_text("Keine Treffer")
    problems += await audit(page)
    await page.get_by_role("link", name="Stellen Sie sie selbst").click()
    await expect(page.get_by_label("Titel Ihrer Frage")).to_have_value("Einhornstall")
    assert not problems, "\n\n".join(problems)


async def test_similar_questions_appear_while_typing(page: Page, shots: Path) -> None:
    await log_in(page, MEMBER.email, MEMBER.password)
    await page.goto("/fragen/neu")
    await page.get_by_label("Titel Ihrer Frage").press_sequentially(
        "Termine Verlängerung", delay=20
    )
    region = page.locator("#aehnliche-fragen")
    await expect(region.get_by_role("link").first).to_be_visible()
    assert await region.get_by_role("link").count() <= 5
    assert not await audit(page)
    await page.screenshot(path=shots / "ask-similar.png", full_page=True)
