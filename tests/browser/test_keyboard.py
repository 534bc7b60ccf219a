"""Keyboard use in a real Chromium, with JavaScript off and on: the instruments of the ask
form stand in one fieldset per cornerstone; with JavaScript a filter narrows them to a few
tab stops and the form sends the same fields. The skip link's focus looks like every
other control's."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, expect

from fachaustausch.questions.tables import Question, QuestionInstrument
from fachaustausch.toolbox.tables import Instrument
from tests.browser.test_accessibility import MEMBER, audit, log_in

pytestmark = pytest.mark.browser

TITLE = "Wie erinnern Sie Kundinnen und Kunden an ihre Termine?"


@pytest.fixture(params=[False, True], ids=["ohne-javascript", "mit-javascript"])
async def member_page(
    request: pytest.FixtureRequest, browser: Browser, live_server: str
) -> AsyncIterator[tuple[Page, bool]]:
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
        yield page, request.param
    finally:
        await context.close()


async def tagged(title: str) -> list[str]:
    question = await Question.select(Question.id).where(Question.title == title).first().run()
    assert question is not None, "the question was saved"
    rows = (
        await QuestionInstrument.select(QuestionInstrument.instrument.slug.as_alias("slug"))
        .where(QuestionInstrument.question == question["id"])
        .run()
    )
    return sorted(r["slug"] for r in rows)


async def test_instruments_are_grouped_and_filterable(member_page: tuple[Page, bool]) -> None:
    page, js = member_page
    await page.goto("/fragen/neu")
    picker = page.get_by_role("group", name="Instrumente – optional")
    groups = picker.get_by_role("group")
    await expect(groups).to_have_count(5)
    await expect(groups.first).to_have_accessible_name("Eckpunkt 1: Selbstverständnis")
    boxes = picker.locator("input[type=checkbox][name=instruments]")
    total = await Instrument.count().run()
    await expect(boxes).to_have_count(total)

    await page.get_by_label("Titel Ihrer Frage").fill(TITLE)
    await page.get_by_label("Ihre Frage ausführlich").fill(
        "Viele Termine verfallen, weil niemand absagt. Wie erinnern Sie an den Termin?"
    )
    await page.get_by_label("Eckpunkt", exact=True).select_option("binnenorganisation")

    filter_field = page.get_by_label("Instrumente filtern")
    await expect(filter_field).to_have_count(1 if js else 0)
    if js:
        # Typing narrows the boxes to the matches; Enter jumps to the first of them.
        await filter_field.fill("termin")
        visible = picker.locator(".kern-form-check:visible input")
        await expect(visible).to_have_count(1)
        await expect(page.get_by_role("status").filter(has_text="angezeigt")).to_have_text(
            f"1 Instrument von {total} angezeigt"
        )
        await filter_field.press("Enter")
        await expect(page.get_by_label("Terminsystem")).to_be_focused()
        await page.keyboard.press("Space")
        await expect(page.get_by_label("Terminsystem")).to_be_checked()
        # Umlauts are optional; the chosen box stays shown.
        await filter_field.fill("raumlich")
        await expect(visible).to_have_count(2)
        await page.get_by_label("Räumliches Leitsystem").check()
        await filter_field.fill("")
        await expect(visible).to_have_count(total)
        assert await audit(page) == []
    else:
        await page.get_by_label("Terminsystem").check()
        await page.get_by_label("Räumliches Leitsystem").check()
    await page.get_by_role("button", name="Frage veröffentlichen").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert await tagged(TITLE) == ["raeumliches-leitsystem", "terminsystem"]


async def test_the_skip_link_has_the_focus_ring_of_every_control(
    member_page: tuple[Page, bool],
) -> None:
    page, _ = member_page
    await page.goto("/fragen")
    await page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    await expect(skip).to_be_focused()
    ring = (
        "e => { const s = getComputedStyle(e);"
        " return [s.outlineStyle, s.outlineWidth, s.outlineColor, s.outlineOffset]; }"
    )
    skip_ring = await skip.evaluate(ring)
    assert skip_ring[0] == "solid", skip_ring
    assert skip_ring[1] == "4px", skip_ring
    # Tabbing on: the navigation's links and KERN's buttons show the same ring.

    async def tab_to(name: str) -> list[str]:
        for _ in range(15):
            await page.keyboard.press("Tab")
            focused = await page.evaluate("() => document.activeElement.textContent.trim()")
            if focused == name:
                result: list[str] = await page.evaluate(f"() => ({ring})(document.activeElement)")
                return result
        raise AssertionError(f"{name!r} was not reached by keyboard")

    assert await tab_to("Fragen") == skip_ring  # a link of the main navigation
    assert await tab_to("Frage stellen") == skip_ring  # the next one in the navigation
    assert (await tab_to("Frage stellen"))[:3] == skip_ring[:3]  # KERN's button on the page
