"""The session expires while a question is being written, in a real Chromium with
JavaScript off and on: the text comes back with a German explanation, and after signing in
again (or, still signed in, one button) it is in the form again and can be sent."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from fachaustausch.questions.tables import Question
from tests.browser.test_accessibility import MEMBER, audit, log_in

pytestmark = pytest.mark.browser

TITLE = "Wie verkürzen Sie die Wartezeit auf einen Termin zur Verlängerung?"
BODY = "Derzeit warten Kundinnen und Kunden bis zu acht Wochen.\nWas hat bei Ihnen geholfen?"


@pytest.fixture(params=[False, True], ids=["ohne-javascript", "mit-javascript"])
async def member(
    request: pytest.FixtureRequest, browser: Browser, live_server: str
) -> AsyncIterator[tuple[BrowserContext, Page, bool]]:
    context = await browser.new_context(
        base_url=live_server,
        locale="de-DE",
        viewport={"width": 1280, "height": 900},
        java_script_enabled=request.param,
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    await log_in(page, MEMBER.email, MEMBER.password)
    try:
        yield context, page, request.param
    finally:
        await context.close()


async def write_question(page: Page) -> None:
    await page.goto("/fragen/neu")
    await page.get_by_label("Titel Ihrer Frage").fill(TITLE)
    await page.get_by_label("Ihre Frage ausführlich").fill(BODY)
    await page.get_by_label("Eckpunkt", exact=True).select_option("binnenorganisation")
    await page.get_by_label("Terminsystem").check()


async def send_and_find_it_saved(page: Page) -> None:
    await expect(page.get_by_label("Titel Ihrer Frage")).to_have_value(TITLE)
    await expect(page.get_by_label("Ihre Frage ausführlich")).to_have_value(BODY)
    await expect(page.get_by_label("Eckpunkt", exact=True)).to_have_value("binnenorganisation")
    await expect(page.get_by_label("Terminsystem")).to_be_checked()
    await page.get_by_role("button", name="Frage veröffentlichen").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert await Question.count().where(Question.title == TITLE).run() == 1


async def test_session_expires_while_writing(
    member: tuple[BrowserContext, Page, bool],
) -> None:
    context, page, js = member
    await write_question(page)
    await context.clear_cookies()  # session and CSRF cookie expired while the form was open
    await page.get_by_role("button", name="Frage veröffentlichen").click()

    await expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    alert = page.get_by_role("alert")
    await expect(alert).to_contain_text("Ihre Sitzung ist abgelaufen")
    await expect(alert).to_contain_text("nicht verloren")
    draft = page.get_by_role("region", name="Ihre Eingaben")
    await expect(draft).to_contain_text(TITLE)
    await expect(draft).to_contain_text("Was hat bei Ihnen geholfen?")
    if js:  # axe runs as a script in the page
        assert await audit(page) == []

    # A wrong password first: the draft stays on the page.
    await page.get_by_label("E-Mail-Adresse").fill(MEMBER.email)
    await page.get_by_label("Passwort").fill("Nicht das richtige Passwort")
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page.get_by_role("region", name="Ihre Eingaben")).to_contain_text(TITLE)
    await page.get_by_label("Passwort").fill(MEMBER.password)
    await page.get_by_role("button", name="Anmelden").click()

    await expect(page).to_have_url(re.compile(r"/fragen/neu$"))
    await expect(page.get_by_role("status").filter(has_text="wieder im Formular")).to_be_visible()
    await send_and_find_it_saved(page)


async def test_csrf_cookie_expires_while_signed_in(
    member: tuple[BrowserContext, Page, bool],
) -> None:
    context, page, js = member
    await write_question(page)
    session = [c for c in await context.cookies() if c["name"] == "session"]
    await context.clear_cookies(name="csrftoken")
    # The session lives on; only the CSRF cookie is gone.
    assert [c for c in await context.cookies() if c["name"] == "session"] == session
    await page.get_by_role("button", name="Frage veröffentlichen").click()

    await expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Sitzung ist abgelaufen")
    await expect(page.get_by_role("region", name="Ihre Eingaben")).to_contain_text(TITLE)
    if js:  # axe runs as a script in the page
        assert await audit(page) == []
    await page.get_by_role("button", name="Zurück zum Formular").click()
    await send_and_find_it_saved(page)
