"""An event in a real Chromium with JavaScript switched off: a moderator creates a site visit
for two people; three members register, the third lands on the waiting list; one withdraws
and the third is confirmed and finds the notice in the inbox (the app's notifications worker
runs). axe checks the event pages in a context with JavaScript on (it
runs as a script in the page)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from fachaustausch.accounts.policy import Role
from fachaustausch.demo import DEMO_USERS
from fachaustausch.events.times import BERLIN
from tests.browser.test_accessibility import audit, log_in
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.notifications_worker]

MODERATOR = next(u for u in DEMO_USERS if u.email == "moderation@bamf.bund.de")
TITLE = "Besichtigung der Ausländerbehörde Weimar"


def _day(days: int) -> str:
    return (datetime.now(UTC).astimezone(BERLIN).date() + timedelta(days=days)).strftime("%d.%m.%Y")


async def person(browser: Browser, live_server: str, email: str, password: str) -> Page:
    context = await browser.new_context(
        base_url=live_server,
        locale="de-DE",
        viewport={"width": 1280, "height": 900},
        java_script_enabled=False,
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    await log_in(page, email, password)
    return page


async def status_of(page: Page, url: str) -> str:
    await page.goto(url)
    return await page.locator("#anmeldung").inner_text()


async def inbox_shows(page: Page, text: re.Pattern[str]) -> None:
    """Without JavaScript the inbox is what the page was rendered with: load it again until
    the worker has written the notification."""
    for _ in range(50):
        await page.goto("/benachrichtigungen")
        if await page.get_by_role("link", name=text).count():
            return
        await page.wait_for_timeout(200)
    raise AssertionError(f"no notification {text.pattern!r} in the inbox")


async def test_site_visit_with_a_waiting_list(
    browser: Browser, live_server: str, shots: Path
) -> None:
    members = [
        await make_user(Role.member, authority=slug, display_name=name)
        for slug, name in (("essen", "Anna Berg"), ("kiel", "Jonas Wolf"), ("mainz", "Eva Roth"))
    ]
    moderator = await person(browser, live_server, MODERATOR.email, MODERATOR.password)
    await (
        moderator.get_by_role("navigation", name="Hauptnavigation")
        .get_by_role("link", name="Veranstaltungen")
        .click()
    )
    await moderator.get_by_role("link", name="Veranstaltung anlegen").click()
    await moderator.get_by_label("Art der Veranstaltung").select_option(label="Besichtigung")
    await moderator.get_by_label("Titel").fill(TITLE)
    await moderator.get_by_label("Beschreibung").fill(
        "Rundgang durch Service-Point und Wartebereich, Austausch zum Terminsystem."
    )
    await moderator.get_by_label("Datum", exact=True).fill(_day(40))
    await moderator.get_by_label("Beginn").fill("9.15")
    await moderator.get_by_label("Ende", exact=True).fill("12.30")
    await moderator.get_by_label("Ort mit Anschrift").fill(
        "Ausländerbehörde Weimar, Schwanseestraße 17, 99423 Weimar"
    )
    await moderator.get_by_label("Land").select_option("Thüringen")
    await moderator.get_by_label("Plätze").fill("2")
    await moderator.get_by_label("Anmeldung bis (Datum)").fill(_day(30))
    await moderator.get_by_label("Programm").fill("9.15 Begrüßung\n10.00 Rundgang")
    await moderator.get_by_label("Eckpunkt", exact=True).select_option("binnenorganisation")
    await moderator.get_by_label("Terminsystem").check()
    await moderator.get_by_role("button", name="Veranstaltung anlegen").click()
    await expect(moderator.get_by_role("heading", level=1)).to_have_text(TITLE)
    await expect(moderator.locator("main")).to_contain_text(f"{_day(40)}, 9.15–12.30 Uhr")
    url = moderator.url

    pages = [await person(browser, live_server, m.email, m.password) for m in members]
    for page, button in zip(pages, ("Anmelden", "Anmelden", "Auf die Warteliste"), strict=True):
        await page.goto(url)
        await page.get_by_role("button", name=button).click()
    await expect(pages[0].locator("#anmeldung")).to_contain_text("Sie sind angemeldet")
    assert "Sie sind angemeldet" in await status_of(pages[1], url)
    third = await status_of(pages[2], url)
    assert "Warteliste" in third
    assert "Platz 1" in third
    await pages[2].screenshot(path=shots / "event-waiting.png", full_page=True)

    await pages[0].goto(url)
    await pages[0].get_by_role("button", name="Anmeldung zurückziehen").click()
    await expect(pages[0].locator("#anmeldung")).to_contain_text("nicht angemeldet")
    assert "Sie sind angemeldet" in await status_of(pages[2], url)
    moved_up = re.compile("^Ein Platz ist frei geworden: Ihre Anmeldung zur Veranstaltung")
    await inbox_shows(pages[2], moved_up)
    await expect(pages[2].locator(".notification--unread")).to_have_count(1)
    await pages[2].screenshot(path=shots / "event-moved-up-inbox.png", full_page=True)
    await pages[2].get_by_role("link", name=moved_up).click()
    await expect(pages[2].get_by_role("heading", level=1)).to_have_text(TITLE)
    # The one who stayed confirmed hears nothing.
    await pages[1].goto("/benachrichtigungen")
    await expect(pages[1].get_by_role("link", name=moved_up)).to_have_count(0)

    await moderator.goto(url)
    await moderator.get_by_role("link", name="Teilnehmende ansehen").click()
    table = moderator.locator("table")
    await expect(table).to_contain_text("Jonas Wolf")
    await expect(table).to_contain_text("Eva Roth")
    await expect(table).not_to_contain_text("Anna Berg")
    await moderator.screenshot(path=shots / "event-participants.png", full_page=True)

    # axe runs as a script: a moderator's context with JavaScript on checks the pages.
    context = await browser.new_context(base_url=live_server, locale="de-DE")
    checker = await context.new_page()
    await log_in(checker, MODERATOR.email, MODERATOR.password)
    problems: list[str] = []
    path = url.removeprefix(live_server)
    for target in (
        "/veranstaltungen",
        path,
        f"{path}/teilnehmende",
        f"{path}/bearbeiten",
        "/veranstaltungen/neu",
        "/veranstaltungen/kalender",
    ):
        await checker.goto(target)
        problems += await audit(checker)
    await checker.goto("/veranstaltungen/neu")
    await checker.get_by_role("button", name="Veranstaltung anlegen").click()
    await expect(checker.get_by_role("alert")).to_be_visible()
    problems += await audit(checker)
    assert not problems, "\n".join(problems)
