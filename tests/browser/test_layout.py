"""Layout measured in a real Chromium: hints under radio buttons read as lines of text (not
one word per line), and the actions under a post share one size, each on one line."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.async_api import Locator, Page, expect

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.policy import Principal
from fachaustausch.accounts.tables import User
from fachaustausch.consultations import service as consultations
from fachaustausch.consultations.models import ConsultationInput
from fachaustausch.consultations.phases import PostKind, Role
from fachaustausch.demo import DEMO_USERS
from fachaustausch.questions import service as questions
from fachaustausch.questions.models import AnswerEdit, AnswerInput, QuestionEdit, QuestionInput
from tests.browser.test_accessibility import MEMBER, audit, log_in

pytestmark = pytest.mark.browser

EXPERT = next(u for u in DEMO_USERS if u.email == "expertin@weimar.de")


async def principal(email: str) -> Principal:
    row = await User.select(User.id).where(User.email == email).first().run()
    assert row is not None
    found = await accounts.principal_by_id(row["id"])
    assert found is not None
    return found


async def box(locator: Locator) -> dict[str, float]:
    measured = await locator.bounding_box()
    assert measured is not None, "the element is rendered"
    return {key: float(measured[key]) for key in ("x", "y", "width", "height")}


async def assert_hints_read_as_text(page: Page, name: str) -> None:
    """Every hint of the radio group `name` runs beside its box, under its label: as wide as
    the label's column allows, and no taller than a few lines."""
    radios = page.locator(f"input[type=radio][name={name}]")
    count = await radios.count()
    assert count >= 2
    for index in range(count):
        radio = radios.nth(index)
        hint = page.locator(f"#{await radio.get_attribute('aria-describedby')}")
        label = page.locator(f"label[for='{await radio.get_attribute('id')}']")
        hint_box, label_box, radio_box = await box(hint), await box(label), await box(radio)
        assert hint_box["x"] >= radio_box["x"] + radio_box["width"] - 1, "beside the box"
        assert hint_box["y"] >= label_box["y"] + label_box["height"] - 1, "under the label"
        assert hint_box["width"] > 300, f"hint {index} is {hint_box['width']} px wide"
        line = float(await hint.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)"))
        assert hint_box["height"] <= 4 * line, f"hint {index} has too many lines"


async def test_radio_hints_run_as_lines(page: Page, live_server: str) -> None:
    await log_in(page, MEMBER.email, MEMBER.password)
    await page.goto("/fallberatungen/neu")
    await assert_hints_read_as_text(page, "visibility")

    # The method choice of the facilitator, in the method phase.
    giver, facilitator = await principal(MEMBER.email), await principal(EXPERT.email)
    cid = await consultations.create(
        giver,
        ConsultationInput(
            title="Vorsprache ohne Termin bei vollem Wartebereich",
            summary="Am Montagmorgen kommen regelmäßig mehr Menschen als Termine frei sind.",
            cornerstone="binnenorganisation",
            instruments=["terminsystem"],
        ),
    )
    await consultations.join(facilitator, cid, Role.facilitator)
    await consultations.advance(facilitator, cid)
    await consultations.post(giver, cid, PostKind.narration, "Der Wartebereich ist überfüllt.")
    await consultations.advance(facilitator, cid)
    await consultations.set_key_question(giver, cid, "Wie verteilen wir spontane Vorsprachen?")
    await consultations.advance(facilitator, cid)

    await page.get_by_role("button", name="Abmelden").click()
    await log_in(page, EXPERT.email, EXPERT.password)
    await page.goto(f"/fallberatungen/{cid}")
    await expect(page.get_by_role("group", name="Beratungsmethode")).to_be_visible()
    await assert_hints_read_as_text(page, "method")
    assert await audit(page) == []


async def action_metrics(actions: Locator) -> list[dict[str, Any]]:
    """Per action under a post: its text, font size, line height and rendered lines."""
    result: list[dict[str, Any]] = await actions.evaluate(
        """box => Array.from(box.querySelectorAll("a.kern-link, button .kern-label")).map(e => {
            const style = getComputedStyle(e);
            const rects = Array.from(e.getClientRects()).filter(r => r.width > 1);
            const tops = new Set(rects.map(r => Math.round(r.top)));
            return {text: e.innerText.trim(), size: style.fontSize,
                    line: parseFloat(style.lineHeight), lines: tops.size,
                    height: e.getBoundingClientRect().height};
        })"""
    )
    return result


async def test_post_actions_share_one_size_and_stay_on_one_line(
    page: Page, live_server: str
) -> None:
    expert = await principal(EXPERT.email)
    member = await principal(MEMBER.email)
    question_id = await questions.ask(
        expert,
        QuestionInput(
            title="Wie kündigen Sie Wartezeiten im Wartebereich an?",
            body="Wir überlegen eine Anzeige im Wartebereich.",
            cornerstone="erscheinungsbild-kommunikation",
            instruments=["mehrsprachige-aufrufanlage"],
        ),
    )
    await questions.edit_question(
        expert, question_id, QuestionEdit(body="Wir planen eine Anzeige.", reason="kürzer")
    )
    answer_id = await questions.answer(member, question_id, AnswerInput(body="Bei uns: Monitor."))
    await questions.edit_answer(
        member, answer_id, AnswerEdit(body="Bei uns: ein Monitor.", reason="genauer")
    )

    for width in (1280, 420):
        await page.set_viewport_size({"width": width, "height": 900})
        await log_in(page, MEMBER.email, MEMBER.password)
        await page.goto(f"/fragen/{question_id}")
        for post in (page.locator("#frage"), page.locator(f"#antwort-{answer_id}")):
            metrics = await action_metrics(post.locator(".post__actions").first)
            texts = [m["text"] for m in metrics]
            assert any(t.startswith("Versionen") for t in texts), texts
            assert any(t.startswith("Melden") or "bearbeiten" in t for t in texts), texts
            assert {m["size"] for m in metrics} == {"16px"}, metrics
            for m in metrics:
                assert m["lines"] == 1, m
                assert m["height"] <= 1.6 * m["line"] + 12, m
        await page.get_by_role("button", name="Abmelden").click()
