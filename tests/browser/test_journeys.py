"""A demo member's way through the real pages in a real Chromium."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Page, expect

from fachaustausch.demo import DEMO_PENDING, DEMO_USERS

pytestmark = pytest.mark.browser

MEMBER = next(u for u in DEMO_USERS if u.email == "mitglied@leipzig.de")


async def log_in(page: Page, email: str, password: str) -> None:
    await page.get_by_label("E-Mail-Adresse").fill(email)
    await page.get_by_label("Passwort").fill(password)
    await page.get_by_role("button", name="Anmelden").click()


async def test_member_logs_in_and_opens_an_instrument(page: Page, shots: Path) -> None:
    # An anonymous visit to the toolbox lands on the login form, which remembers the target.
    await page.goto("/werkzeugkoffer")
    await expect(page).to_have_url(re.compile(r"/anmelden\?weiter=/werkzeugkoffer$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")

    await log_in(page, MEMBER.email, MEMBER.password)
    await expect(page).to_have_url(re.compile(r"/werkzeugkoffer$"))
    await expect(page.get_by_role("status")).to_have_text("Sie sind angemeldet.")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Werkzeugkoffer")
    await expect(page.locator("section.cornerstone")).to_have_count(5)
    await expect(page.locator(".instrument-list a")).to_have_count(26)
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    await expect(nav.get_by_role("link", name="Werkzeugkoffer")).to_have_attribute(
        "aria-current", "page"
    )

    await page.get_by_role("link", name="Terminsystem", exact=True).click()
    await expect(page).to_have_url(re.compile(r"/werkzeugkoffer/terminsystem$"))
    await expect(page).to_have_title("Terminsystem – Fachaustausch Willkommensbehörden")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Terminsystem")
    origins = page.locator("main ul").first.locator("li")
    await expect(origins).to_have_text(
        [
            "Landeshauptstadt Potsdam (Brandenburg)",
            "Stadt Chemnitz (Sachsen)",
            "Stadt Weimar (Thüringen)",
        ]
    )
    # The demo expert from Weimar is listed as contact.
    await expect(page.locator("main")).to_contain_text("Katrin Vogel, Stadt Weimar")
    await page.screenshot(path=shots / "instrument.png", full_page=True)

    # The breadcrumb leads back to the cornerstone on the overview.
    await (
        page.get_by_role("navigation", name="Brotkrumen")
        .get_by_role("link", name=re.compile("^Eckpunkt 2"))
        .click()
    )
    await expect(page).to_have_url(re.compile(r"/werkzeugkoffer#eckpunkt-2$"))

    await page.get_by_role("link", name="Start", exact=True).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Willkommen, {MEMBER.display_name}"
    )
    await expect(page.locator(".cornerstone-grid > li")).to_have_count(5)
    await page.screenshot(path=shots / "home.png", full_page=True)

    # Logging out ends the session.
    await page.get_by_role("button", name="Abmelden").click()
    await expect(page).to_have_url(re.compile(r"/anmelden$"))
    await page.goto("/")
    await expect(page).to_have_url(re.compile(r"/anmelden\?weiter=/$"))


async def test_wrong_password_shows_the_message_and_keeps_the_email(page: Page) -> None:
    await page.goto("/anmelden")
    await log_in(page, MEMBER.email, "Das ist nicht das Passwort")
    await expect(page.get_by_role("alert")).to_contain_text(
        "E-Mail-Adresse oder Passwort ist falsch."
    )
    await expect(page.get_by_label("E-Mail-Adresse")).to_have_value(MEMBER.email)
    await expect(page.get_by_label("Passwort")).to_have_value("")


async def test_pending_demo_user_sees_the_waiting_page(page: Page) -> None:
    await page.goto("/anmelden")
    await log_in(page, DEMO_PENDING.email, DEMO_PENDING.password)
    await expect(page).to_have_url(re.compile(r"/konto-wartet$"))
    await expect(page.get_by_role("heading", level=1)).to_have_text(
        "Konto wartet auf Freischaltung"
    )


async def test_skip_link_moves_focus_to_the_content(page: Page) -> None:
    await page.goto("/anmelden")
    await page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    await expect(skip).to_be_focused()
    await expect(skip).to_be_in_viewport()
    await page.keyboard.press("Enter")
    await expect(page.locator("main")).to_be_focused()
