"""People and the network in a real Chromium: look at the map and open a model site's
profile; axe on the new pages (directory, profiles, authorities, map, own data, the start
page with the map, the moderation's page per person)."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from fachaustausch.demo import DEMO_USERS
from tests.browser.test_accessibility import audit, log_in

pytestmark = pytest.mark.browser

CASE_GIVER = next(u for u in DEMO_USERS if u.email == "mitglied@leipzig.de")
MODERATOR = next(u for u in DEMO_USERS if u.email == "moderation@bamf.bund.de")


async def test_the_map_leads_to_a_model_site(page: Page) -> None:
    giver = page
    await log_in(giver, CASE_GIVER.email, CASE_GIVER.password)
    problems: list[str] = []
    await giver.goto("/netzwerk")
    await expect(giver.get_by_role("heading", level=1)).to_have_text("Das Netzwerk")
    problems += await audit(giver)
    # The same authority is a link on the map and in the list; the map's comes first.
    await giver.locator("svg.network-map a[href='/behoerden/weimar']").first.click()
    await expect(giver.get_by_role("heading", level=1)).to_have_text("Stadt Weimar")
    await expect(giver.locator("main")).to_contain_text("Modellstandort")
    problems += await audit(giver)
    for path in ("/behoerden", "/behoerden/wetteraukreis", "/personen", "/profil/daten", "/"):
        await giver.goto(path)
        await expect(giver.get_by_role("heading", level=1)).to_be_visible()
        problems += await audit(giver)
    await giver.goto("/personen?q=Becker")
    await giver.get_by_role("link", name="Jana Becker", exact=True).click()
    await expect(giver.get_by_role("heading", level=1)).to_have_text("Jana Becker")
    problems += await audit(giver)
    assert not problems, "\n\n".join(problems)


async def test_the_moderation_page_per_person(page: Page) -> None:
    await log_in(page, MODERATOR.email, MODERATOR.password)
    await page.goto("/moderation/personen/jana.becker")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Jana Becker verwalten")
    problems = await audit(page)
    await page.locator("#reason-status").fill("Auf eigenen Wunsch vorübergehend")
    await page.get_by_role("button", name="Konto sperren").click()
    await expect(page.get_by_role("button", name="Konto wieder freigeben")).to_be_visible()
    assert not problems, "\n\n".join(problems)
