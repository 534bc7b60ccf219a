"""Notifications in a real Chromium, with JavaScript off and on: an expert of
"Terminsystem" sees the badge for a new question tagged with it, opens it from the inbox and
answers; the asker sees "Neue Antwort" and accepts. With JavaScript the badge changes
without a reload (server-sent events); without, on the next page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from fachaustausch.demo import DEMO_USERS
from tests.browser.test_accessibility import audit, log_in

pytestmark = [pytest.mark.browser, pytest.mark.notifications_worker]

MEMBER = next(u for u in DEMO_USERS if u.email == "mitglied@leipzig.de")
EXPERT = next(u for u in DEMO_USERS if u.email == "expertin@weimar.de")
TITLE = "Wie verteilen Sie Termine für Verlängerungen über das Jahr?"


async def _page(
    browser: Browser, live_server: str, javascript: bool
) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(
        base_url=live_server,
        locale="de-DE",
        viewport={"width": 1280, "height": 900},
        java_script_enabled=javascript,
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    return context, page


async def _badge_shows(page: Page, count: str, javascript: bool) -> None:
    badge = page.locator("[data-unread-count]")
    if javascript:
        # No reload: the count arrives as a server-sent event.
        await expect(badge).to_have_text(count)
        return
    for _ in range(50):
        await page.reload()
        if (await badge.text_content()) == count:
            return
        await page.wait_for_timeout(200)
    await expect(badge).to_have_text(count)


@pytest.mark.parametrize("javascript", [False, True], ids=["ohne-js", "mit-js"])
async def test_expert_hears_of_a_question_answers_and_the_asker_accepts(
    browser: Browser, live_server: str, shots: Path, javascript: bool
) -> None:
    problems: list[str] = []
    expert_context, expert = await _page(browser, live_server, javascript)
    member_context, member = await _page(browser, live_server, javascript)
    try:
        await log_in(expert, EXPERT.email, EXPERT.password)
        await expect(expert.locator("[data-unread-count]")).to_have_text("0")

        # The member asks, tagged "Terminsystem".
        await log_in(member, MEMBER.email, MEMBER.password)
        await member.goto("/fragen/neu")
        await member.get_by_label("Titel Ihrer Frage").fill(TITLE)
        await member.get_by_label("Ihre Frage ausführlich").fill(
            "Im Frühjahr stauen sich bei uns die Verlängerungen. Wie glätten Sie das?"
        )
        await member.get_by_label("Eckpunkt", exact=True).select_option("binnenorganisation")
        await member.get_by_label("Terminsystem").check()
        await member.get_by_role("button", name="Frage veröffentlichen").click()
        await expect(member.get_by_role("heading", level=1)).to_have_text(TITLE)
        question_url = member.url

        # The expert sees the badge, opens the question from the inbox and answers.
        await _badge_shows(expert, "1", javascript)
        await expert.get_by_role("link", name=re.compile("^Benachrichtigungen")).click()
        await expect(expert.get_by_role("heading", level=1)).to_have_text("Benachrichtigungen")
        await expect(expert.locator(".notification--unread")).to_have_count(1)
        if javascript:  # axe runs as a script in the page
            problems += await audit(expert)
        await expert.screenshot(path=shots / f"inbox-{int(javascript)}.png", full_page=True)
        await expert.get_by_role("link", name=f"Neue Frage für Sie: „{TITLE}“").click()
        await expect(expert.get_by_role("heading", level=1)).to_have_text(TITLE)
        await expect(expert.locator("[data-unread-count]")).to_have_text("0")
        await expert.get_by_label("Antwort", exact=True).fill(
            "Wir laden Verlängerungen drei Monate vorher aktiv ein; das verteilt die Last."
        )
        await expert.get_by_role("button", name="Antwort veröffentlichen").click()
        await expect(expert.get_by_role("status")).to_contain_text(
            "Ihre Antwort ist veröffentlicht."
        )

        # The asker, on the start page (the question itself would mark it read), sees
        # "Neue Antwort" and accepts it.
        await member.goto("/")
        await _badge_shows(member, "1", javascript)
        await member.goto("/benachrichtigungen")
        link = member.get_by_role("link", name=f"Neue Antwort auf „{TITLE}“")
        await expect(link).to_be_visible()
        await link.click()
        await expect(member).to_have_url(re.compile(re.escape(question_url) + "#antwort-"))
        answer = member.locator("article.post--answer")
        await answer.get_by_role("button", name=re.compile("^Diese Antwort annehmen")).click()
        await expect(member.get_by_role("status")).to_contain_text("Die Antwort ist angenommen")
    finally:
        await expert_context.close()
        await member_context.close()
    assert not problems, "\n".join(problems)
