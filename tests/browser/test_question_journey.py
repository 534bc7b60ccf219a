"""Questions in a real Chromium: a member asks through the form, an expert answers, the
member accepts; axe checks the list, ask and question pages; screenshots for a look."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from fachaustausch.demo import DEMO_USERS, seed_demo_questions
from tests.browser.test_accessibility import audit, log_in

pytestmark = pytest.mark.browser

MEMBER = next(u for u in DEMO_USERS if u.email == "mitglied@leipzig.de")
EXPERT = next(u for u in DEMO_USERS if u.email == "expertin@weimar.de")
TITLE = "Wie lange im Voraus vergeben Sie Termine für Verlängerungen?"


@pytest.fixture(autouse=True)
async def demo_questions(live_server: str) -> None:
    """The demo questions with answers, comments and votes: pages as they look in use."""
    assert await seed_demo_questions() > 30


async def new_page(browser: Browser, live_server: str) -> tuple[BrowserContext, Page]:
    context = await browser.new_context(
        base_url=live_server, locale="de-DE", viewport={"width": 1280, "height": 900}
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    return context, page


async def test_ask_answer_accept(
    page: Page, browser: Browser, live_server: str, shots: Path
) -> None:
    problems: list[str] = []
    await log_in(page, MEMBER.email, MEMBER.password)

    # The list, with the demo questions.
    await (
        page.get_by_role("navigation", name="Hauptnavigation")
        .get_by_role("link", name="Fragen", exact=True)
        .click()
    )
    await expect(page.get_by_role("heading", level=1)).to_have_text("Fragen")
    await expect(page.locator("li.question-item").first).to_be_visible()
    problems += await audit(page)
    await page.screenshot(path=shots / "questions-list.png", full_page=True)

    # Filtering by instrument is a plain GET form.
    await page.get_by_label("Instrument").select_option("terminsystem")
    await page.get_by_role("button", name="Anwenden").click()
    await expect(page).to_have_url(re.compile(r"instrument=terminsystem"))

    # Asking: first with mistakes, then a preview, then for real.
    await page.get_by_role("link", name="Frage stellen").first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Frage stellen")
    problems += await audit(page)
    await page.get_by_label("Titel Ihrer Frage").fill("Zu kurz")
    await page.get_by_role("button", name="Frage veröffentlichen").click()
    await expect(page.get_by_role("alert")).to_be_visible()
    await expect(page.locator("#title")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#cornerstone")).to_have_attribute("aria-invalid", "true")
    problems += await audit(page)
    await page.screenshot(path=shots / "ask-errors.png", full_page=True)

    await page.get_by_label("Titel Ihrer Frage").fill(TITLE)
    await page.get_by_label("Ihre Frage ausführlich").fill(
        "Wir vergeben Termine **vier Wochen** im Voraus.\n\n- Reicht das?\n- Wie machen Sie es?"
    )
    await page.get_by_label("Eckpunkt", exact=True).select_option("binnenorganisation")
    await page.get_by_label("Terminsystem").check()
    await page.get_by_role("button", name="Vorschau").click()
    preview = page.locator("section.preview")
    await expect(preview.locator("strong")).to_have_text("vier Wochen")
    await expect(page.get_by_label("Terminsystem")).to_be_checked()
    await page.screenshot(path=shots / "ask-preview.png", full_page=True)
    await page.get_by_role("button", name="Frage veröffentlichen").click()

    await expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    await expect(page.get_by_role("status")).to_contain_text("Ihre Frage ist veröffentlicht.")
    question_url = page.url
    await expect(page.locator("#frage .status-badge")).to_have_text("Offen")

    # The expert, in a browser of her own, sees it among her questions and answers.
    context, expert = await new_page(browser, live_server)
    try:
        await log_in(expert, EXPERT.email, EXPERT.password)
        await expert.get_by_role("link", name="Für mich").click()
        await expert.get_by_role("link", name=TITLE).click()
        await expert.get_by_label("Antwort", exact=True).fill(
            "Bei uns sind es **sechs Wochen**; Verlängerungen laden wir aktiv ein."
        )
        await expert.get_by_role("button", name="Antwort veröffentlichen").click()
        await expect(expert.get_by_role("status")).to_contain_text(
            "Ihre Antwort ist veröffentlicht."
        )
        await expect(expert.locator("article.post--answer")).to_contain_text(
            "Antwort eines Modellstandorts"
        )
    finally:
        await context.close()

    # The member accepts it.
    await page.goto(question_url)
    answer = page.locator("article.post--answer")
    await expect(answer).to_contain_text("sechs Wochen")
    await answer.get_by_role("button", name=re.compile("^Diese Antwort annehmen")).click()
    await expect(page.get_by_role("status")).to_contain_text("Die Antwort ist angenommen")
    await expect(page.locator("#frage .status-badge")).to_have_text("Gelöst")
    await expect(page.locator("article.post--accepted")).to_contain_text("Angenommene Antwort")

    # Voting on the answer without JavaScript's help: the button reports its state.
    up = page.locator("article.post--answer .vote").get_by_role(
        "button", name="Hilfreich", exact=True
    )
    await up.click()
    await expect(page.locator("article.post--answer .vote__score")).to_have_text("1 Punkt")
    up = page.locator("article.post--answer .vote").get_by_role(
        "button", name="Hilfreich", exact=True
    )
    await expect(up).to_have_attribute("aria-pressed", "true")
    problems += await audit(page)
    await page.screenshot(path=shots / "question-solved.png", full_page=True)

    # A thank-you under the answer, on the comment page and back.
    await (
        page.locator("article.post--answer")
        .get_by_role("link", name=re.compile("^Kommentieren"))
        .click()
    )
    await expect(page.get_by_role("heading", level=1)).to_contain_text("Kommentar zur Antwort")
    problems += await audit(page)
    await page.get_by_label("Ihr Kommentar").fill("Danke, das hilft uns sehr.")
    await page.get_by_role("button", name="Kommentar senden").click()
    await expect(page.get_by_role("status")).to_contain_text("Ihr Kommentar ist veröffentlicht.")
    await expect(page.locator("article.post--answer .comment-list")).to_contain_text(
        "Danke, das hilft uns sehr."
    )

    # The list shows it solved.
    await page.goto("/fragen?status=geloest")
    await expect(page.locator("li.question-item").filter(has_text=TITLE)).to_contain_text("Gelöst")
    assert not problems, "\n\n".join(problems)


async def test_more_pages_pass_axe(page: Page, shots: Path) -> None:
    await log_in(page, EXPERT.email, EXPERT.password)
    problems: list[str] = []
    for path, name in (
        ("/", "home-expert"),
        ("/fragen/fuer-mich", "for-me"),
        ("/werkzeugkoffer/terminsystem", "instrument-questions"),
        ("/fragen?sortierung=bewertung&status=beantwortet", "questions-filtered"),
    ):
        await page.goto(path)
        await expect(page.get_by_role("heading", level=1)).to_be_visible()
        problems += await audit(page)
        await page.screenshot(path=shots / f"{name}.png", full_page=True)

    # An answer of her own: write it, edit it, then read the versions.
    await page.goto("/fragen?status=offen")
    await page.locator("li.question-item h2 a").first.click()
    await page.get_by_label("Antwort", exact=True).fill("Erste Fassung.\n\nZweiter Absatz.")
    await page.get_by_role("button", name="Antwort veröffentlichen").click()
    await expect(page.get_by_role("status")).to_contain_text("Ihre Antwort ist veröffentlicht.")
    mine = page.locator("article.post--answer").filter(has_text="Erste Fassung.")
    answer_id = (await mine.get_attribute("id") or "").removeprefix("antwort-")
    await mine.get_by_role("link", name=re.compile("^Antwort bearbeiten")).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Antwort bearbeiten")
    await page.get_by_label("Ihre Antwort").fill("Neue Fassung.\n\nZweiter Absatz.")
    await page.get_by_label("Grund der Änderung").fill("Aktualisiert")
    await page.get_by_role("button", name="Änderungen speichern").click()
    await expect(page.get_by_role("status")).to_contain_text("Ihre Änderungen sind gespeichert.")
    await page.goto(f"/antworten/{answer_id}/versionen")
    await expect(page.locator("li.version")).to_have_count(1)
    await expect(page.locator("li.version del")).to_have_text(["Entfernt: Erste Fassung."])
    await expect(page.locator("li.version ins")).to_have_text(["Hinzugefügt: Neue Fassung."])
    problems += await audit(page)
    await page.screenshot(path=shots / "versions.png", full_page=True)
    assert not problems, "\n\n".join(problems)
