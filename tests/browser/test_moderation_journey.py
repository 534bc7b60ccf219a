"""Moderation in a real Chromium: a member flags an answer with the "Melden" control, a
moderator hides it from the dashboard queue, the member no longer sees it; axe checks the
question page with its controls, the dashboard and the audit log."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, expect

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.policy import Principal
from fachaustausch.accounts.tables import User
from fachaustausch.demo import DEMO_USERS
from fachaustausch.questions import service as questions
from fachaustausch.questions.models import AnswerInput, QuestionInput
from tests.browser.test_accessibility import MEMBER, MODERATOR, audit, log_in
from tests.browser.test_question_journey import new_page
from tests.factories import store_unchecked

pytestmark = pytest.mark.browser

EXPERT = next(u for u in DEMO_USERS if u.email == "expertin@weimar.de")
TITLE = "Wie gehen Sie mit Rückfragen zur Niederlassungserlaubnis um?"
ANSWER = "Wir rufen zurück; Frau Beispiel aus der Kundschaft war letzte Woche zufrieden."


async def _principal(email: str) -> Principal:
    row = await User.select(User.id).where(User.email == email).first().run()
    assert row is not None
    principal = await accounts.principal_by_id(row["id"])
    assert principal is not None
    return principal


@pytest.fixture
async def question_with_answer(live_server: str) -> tuple[int, int]:
    expert = await _principal(EXPERT.email)
    question_id = await questions.ask(
        expert,
        QuestionInput(
            title=TITLE,
            body="Viele Rückfragen kommen per Telefon. Wie organisieren Sie das?",
            cornerstone="binnenorganisation",
            instruments=["terminsystem"],
        ),
    )
    answer_id = await questions.answer(
        await _principal(MODERATOR.email), question_id, AnswerInput(body="Wir rufen zurück.")
    )
    # Stored before the guard checked answers: what members still flag.
    await store_unchecked("answer", answer_id, body=ANSWER)
    return question_id, answer_id


async def test_flag_hide_and_gone(
    page: Page,
    browser: Browser,
    live_server: str,
    shots: Path,
    question_with_answer: tuple[int, int],
) -> None:
    question_id, answer_id = question_with_answer
    problems: list[str] = []

    # The member reports the answer: "Melden", pick a reason, explain, send.
    await log_in(page, MEMBER.email, MEMBER.password)
    await page.goto(f"/fragen/{question_id}")
    answer = page.locator(f"#antwort-{answer_id}")
    await expect(answer).to_contain_text("Frau Beispiel")
    await answer.get_by_role("link", name=re.compile("^Melden")).click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Antwort melden")
    await expect(page.locator("blockquote")).to_contain_text("Frau Beispiel")
    # Sent without a reason: the page says why, and the explanation is still there.
    await page.get_by_label(re.compile("^Erläuterung")).fill("Nennt eine Kundin.")
    await page.get_by_role("button", name="Meldung senden").click()
    await expect(page.get_by_role("alert")).to_contain_text("Bitte wählen Sie einen Grund")
    await expect(page.get_by_label(re.compile("^Erläuterung"))).to_have_value("Nennt eine Kundin.")
    problems += await audit(page)
    await page.get_by_label("Enthält personenbezogene Daten").check()
    await page.screenshot(path=shots / "flag-page.png", full_page=True)
    await page.get_by_role("button", name="Meldung senden").click()
    await expect(page).to_have_url(re.compile(rf"/fragen/{question_id}#antwort-{answer_id}$"))
    await expect(page.get_by_role("status")).to_contain_text(
        "Danke, die Moderation prüft Ihre Meldung."
    )

    # The moderator hides it from the queue on the dashboard.
    context, moderator = await new_page(browser, live_server)
    try:
        await log_in(moderator, MODERATOR.email, MODERATOR.password)
        await (
            moderator.get_by_role("navigation", name="Hauptnavigation")
            .get_by_role("link", name="Moderation")
            .click()
        )
        await expect(moderator.get_by_role("heading", level=1)).to_have_text("Moderation")
        item = moderator.locator(f"#meldung-answer-{answer_id}")
        await expect(item).to_contain_text("1 Meldung")
        await expect(item).to_contain_text("Enthält personenbezogene Daten: 1")
        await expect(item).to_contain_text("Nennt eine Kundin.")
        problems += await audit(moderator)
        await moderator.screenshot(path=shots / "moderation-dashboard.png", full_page=True)

        hide = item.locator("form.mod-action").filter(
            has=moderator.get_by_role("button", name=re.compile("^Ausblenden"))
        )
        await hide.get_by_label("Begründung").fill("Personenbezogene Daten einer Kundin")
        await hide.get_by_role("button", name=re.compile("^Ausblenden")).click()
        await expect(moderator.get_by_role("status")).to_contain_text(
            "Antwort ist jetzt ausgeblendet."
        )
        await expect(moderator.locator(f"#meldung-answer-{answer_id}")).to_have_count(0)
        recent = moderator.locator("#letzte-aktionen + .kern-table-responsive")
        await expect(recent).to_contain_text("Personenbezogene Daten einer Kundin")
        problems += await audit(moderator)

        # The audit log, filtered to hiding.
        await (
            moderator.get_by_role("navigation", name="Moderation", exact=True)
            .get_by_role("link", name="Protokoll")
            .click()
        )
        await moderator.get_by_label(re.compile("^Aktion")).select_option("hide")
        await moderator.get_by_role("button", name="Filtern").click()
        await expect(moderator.locator("tr.audit-entry")).to_have_count(1)
        await expect(moderator.locator("tr.audit-entry")).to_contain_text("ausgeblendet: nein")
        problems += await audit(moderator)
        await moderator.screenshot(path=shots / "moderation-audit.png", full_page=True)

        # The moderator still sees the answer, marked, with the controls to restore it.
        await moderator.goto(f"/fragen/{question_id}")
        hidden = moderator.locator(f"#antwort-{answer_id}")
        await expect(hidden).to_contain_text("Ausgeblendet: Personenbezogene Daten einer Kundin")
        await hidden.locator("summary", has_text="Moderation").click()
        await expect(
            hidden.get_by_role("button", name=re.compile("^Wieder einblenden"))
        ).to_be_visible()
        problems += await audit(moderator)
        await moderator.screenshot(path=shots / "moderation-question.png", full_page=True)
    finally:
        await context.close()

    # The member no longer sees the answer.
    await page.goto(f"/fragen/{question_id}")
    await expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    await expect(page.locator(f"#antwort-{answer_id}")).to_have_count(0)
    await expect(page.locator("main")).not_to_contain_text("Frau Beispiel")
    assert not problems, "\n\n".join(problems)
