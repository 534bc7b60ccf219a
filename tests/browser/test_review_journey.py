"""The content review in a real Chromium: the moderation records a change to § 18a AufenthG;
an expert opens the queue, marks one answer outdated with a newer answer as its successor
and confirms another; a member then sees the warning on the question page and the facet
"Rechtsstand" in search. axe checks every page on the way (issue 23)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.policy import Principal
from fachaustausch.accounts.tables import User
from fachaustausch.questions import service as questions
from fachaustausch.questions.models import AnswerInput, QuestionInput
from tests.browser.test_accessibility import MEMBER, MODERATOR, audit, log_in
from tests.browser.test_question_journey import EXPERT, new_page
from tests.search.test_api import settled

pytestmark = [pytest.mark.browser, pytest.mark.search_worker]

TITLE = "Beschäftigung nach einer Berufsausbildung: welche Vorschrift gilt?"
OUTDATED = "Die Erlaubnis richtet sich nach § 18a AufenthG in der alten Fassung."
CONFIRMED = "Für Fachkräfte mit Berufsausbildung gilt § 18a Abs. 1 AufenthG."
NEWER = "Seit März 2024 genügt eine anerkannte Berufsausbildung ohne Zustimmungsvorbehalt."


async def _principal(email: str) -> Principal:
    row = await User.select(User.id).where(User.email == email).first().run()
    assert row is not None
    principal = await accounts.principal_by_id(row["id"])
    assert principal is not None
    return principal


@pytest.fixture
async def thread(live_server: str) -> tuple[int, int, int, int]:
    """The member's question with two answers citing § 18a AufenthG (the first accepted)
    and a newer one that cites nothing."""
    member, moderator = await _principal(MEMBER.email), await _principal(MODERATOR.email)
    expert = await _principal(EXPERT.email)
    question_id = await questions.ask(
        member,
        QuestionInput(
            title=TITLE,
            body="Wir bearbeiten viele Anträge von Fachkräften mit Berufsausbildung.",
            cornerstone="binnenorganisation",
            instruments=["terminsystem"],
        ),
    )
    outdated = await questions.answer(expert, question_id, AnswerInput(body=OUTDATED))
    confirmed = await questions.answer(moderator, question_id, AnswerInput(body=CONFIRMED))
    newer = await questions.answer(expert, question_id, AnswerInput(body=NEWER))
    await questions.accept(member, outdated)
    return question_id, outdated, confirmed, newer


async def test_record_review_and_read(
    page: Page, browser: Browser, live_server: str, shots: Path, thread: tuple[int, int, int, int]
) -> None:
    question_id, outdated, confirmed, newer = thread
    problems: list[str] = []

    # The moderation records the change.
    await log_in(page, MODERATOR.email, MODERATOR.password)
    await page.goto("/inhaltspflege/rechtsaenderungen")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Rechtsänderungen")
    await page.get_by_label(re.compile("^Geänderte Vorschriften")).fill("§ 18a")
    await page.get_by_label("In Kraft seit").fill("2024-03-01")
    await page.get_by_label(re.compile("^Titel")).fill(
        "Gesetz zur Weiterentwicklung der Fachkräfteeinwanderung"
    )
    await page.get_by_role("button", name="Rechtsänderung erfassen").click()
    # No law named: refused in German, what was typed kept.
    await expect(page.get_by_role("alert")).to_contain_text("fehlt ein bekanntes Gesetz")
    await expect(page.get_by_label(re.compile("^Titel"))).to_have_value(
        "Gesetz zur Weiterentwicklung der Fachkräfteeinwanderung"
    )
    problems += await audit(page)
    await page.get_by_label(re.compile("^Geänderte Vorschriften")).fill("§ 18a AufenthG")
    await page.get_by_role("button", name="Rechtsänderung erfassen").click()
    await expect(page.get_by_role("status")).to_contain_text("Die Rechtsänderung ist erfasst")
    await expect(page.locator("main")).to_contain_text(
        "2 Beiträge betroffen, davon 2 noch zu prüfen"
    )
    problems += await audit(page)
    await page.screenshot(path=shots / "review-changes.png", full_page=True)

    # The expert works through the queue.
    context, expert = await new_page(browser, live_server)
    try:
        await log_in(expert, EXPERT.email, EXPERT.password)
        await (
            expert.get_by_role("navigation", name="Hauptnavigation")
            .get_by_role("link", name="Inhaltspflege")
            .click()
        )
        await expect(expert.get_by_role("heading", level=1)).to_have_text("Inhaltspflege")
        await expect(expert.locator("li.review-item")).to_have_count(2)
        problems += await audit(expert)
        await expert.screenshot(path=shots / "review-queue.png", full_page=True)

        item = expert.locator(f"#answer-{outdated}")
        await item.get_by_role("link", name=re.compile("^Als veraltet markieren")).click()
        await expect(expert.get_by_role("heading", level=1)).to_have_text(
            "Antwort als veraltet markieren"
        )
        await expert.get_by_label(re.compile("^Warum ist die Antwort veraltet")).fill(
            "Seit dem 1. März 2024 gilt § 18a AufenthG in neuer Fassung."
        )
        await expert.get_by_label(re.compile("^Neuere Antwort")).fill(
            f"/fragen/{question_id}#antwort-{newer}"
        )
        problems += await audit(expert)
        await expert.get_by_role("button", name="Als veraltet markieren").click()
        await expect(expert.get_by_role("status")).to_contain_text("als veraltet markiert")
        await expect(expert.locator("li.review-item")).to_have_count(1)

        await (
            expert.locator(f"#answer-{confirmed}")
            .get_by_role("button", name=re.compile("^Noch gültig"))
            .click()
        )
        await expect(expert.get_by_role("status")).to_contain_text("als noch gültig vermerkt")
        await expect(expert.locator("li.review-item")).to_have_count(0)
        await expect(expert.locator("main")).to_contain_text("Nichts zu prüfen.")
        problems += await audit(expert)
    finally:
        await context.close()

    # A member reads the question: the warning, its successor, the date of the review.
    await settled()
    context, member = await new_page(browser, live_server)
    try:
        await log_in(member, MEMBER.email, MEMBER.password)
        await member.goto(f"/fragen/{question_id}")
        warned = member.locator(f"#antwort-{outdated}")
        warning = warned.get_by_role("alert")
        await expect(warning).to_contain_text("Diese Antwort ist veraltet")
        await expect(warning).to_contain_text("Seit dem 1. März 2024 gilt § 18a AufenthG")
        await expect(
            warned.get_by_role("link", name=re.compile("^§ 18a AufenthG"))
        ).to_have_attribute("href", "https://www.gesetze-im-internet.de/aufenthg_2004/__18a.html")
        await expect(member.locator(f"#antwort-{confirmed}")).to_contain_text(
            "Rechtsstand geprüft am"
        )
        problems += await audit(member)
        await member.screenshot(path=shots / "review-question.png", full_page=True)
        await warning.get_by_role("link", name="Zur aktuellen Antwort").click()
        await expect(member).to_have_url(re.compile(rf"/fragen/{question_id}#antwort-{newer}$"))

        # Search offers the facet "Rechtsstand: aktuell / veraltet".
        await member.goto("/suche?q=Berufsausbildung")
        facet = member.get_by_role("navigation", name="Filter Rechtsstand")
        await expect(facet).to_contain_text("veraltet")
        await facet.get_by_role("link", name=re.compile("veraltet")).click()
        await expect(member).to_have_url(re.compile(r"stand=veraltet"))
        await expect(member.locator("li.hit")).to_have_count(1)
        await expect(member.locator("li.hit")).to_contain_text(TITLE)
        problems += await audit(member)
        await member.screenshot(path=shots / "review-search.png", full_page=True)
    finally:
        await context.close()
    assert not problems, "\n\n".join(problems)
