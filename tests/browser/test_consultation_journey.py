"""A collegial case consultation in a real Chromium: four people in their own browser
contexts (case giver, facilitator, two advisors) run all six phases through the pages, until
the closed consultation shows the conclusion first. axe checks the pages on the way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from fachaustausch.accounts.policy import Role as AccountRole
from fachaustausch.demo import DEMO_USERS
from tests.browser.test_accessibility import audit, log_in
from tests.factories import make_user

pytestmark = pytest.mark.browser

CASE_GIVER = next(u for u in DEMO_USERS if u.email == "mitglied@leipzig.de")
FACILITATOR = next(u for u in DEMO_USERS if u.email == "expertin@weimar.de")
ADVISOR = next(u for u in DEMO_USERS if u.email == "experte@mainz.de")
TITLE = "Verlängerung ohne Unterlagen aus dem Herkunftsland"


async def person(browser: Browser, live_server: str, email: str, password: str) -> Page:
    context: BrowserContext = await browser.new_context(
        base_url=live_server, locale="de-DE", viewport={"width": 1280, "height": 900}
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    await log_in(page, email, password)
    return page


async def write(page: Page, kind: str | None, body: str) -> None:
    form = page.locator("#beitrag-schreiben")
    if kind is not None:
        await form.get_by_label("Art des Beitrags").select_option(label=kind)
    await form.get_by_label("Ihr Beitrag").fill(body)
    await form.get_by_role("button", name="Beitrag veröffentlichen").click()
    await expect(page.get_by_role("status").first).to_contain_text("Ihr Beitrag ist veröffentlicht")


async def advance(page: Page, url: str, button: str, phase: str) -> None:
    await page.goto(url)
    await page.get_by_role("button", name=button).click()
    await expect(page.locator("[aria-current=step]")).to_contain_text(phase)


async def test_full_consultation_run(browser: Browser, live_server: str, shots: Path) -> None:
    problems: list[str] = []
    second = await make_user(AccountRole.member, authority="koeln", display_name="Paul Schmidt")
    giver = await person(browser, live_server, CASE_GIVER.email, CASE_GIVER.password)
    mover = await person(browser, live_server, FACILITATOR.email, FACILITATOR.password)
    advisor = await person(browser, live_server, ADVISOR.email, ADVISOR.password)
    advisor2 = await person(browser, live_server, second.email, second.password)

    # Starting: the guard refuses a name and keeps the text; then the anonymised case.
    await (
        giver.get_by_role("navigation", name="Hauptnavigation")
        .get_by_role("link", name="Fallberatungen")
        .click()
    )
    await expect(giver.get_by_role("heading", level=1)).to_have_text("Kollegiale Fallberatungen")
    problems += await audit(giver)
    await giver.get_by_role("link", name="Fallberatung starten").click()
    await giver.get_by_label("Titel der Fallberatung").fill(TITLE)
    summary = giver.get_by_label("Anonymisierte Fallzusammenfassung")
    await summary.fill("Herr Yilmaz hat eine Aufenthaltserlaubnis nach § 25 Abs. 5 AufenthG.")
    await giver.get_by_label("Eckpunkt", exact=True).select_option("binnenorganisation")
    await giver.get_by_label("Spezialteams").check()
    await giver.get_by_role("button", name="Fallberatung starten").click()
    await expect(giver.get_by_role("alert")).to_be_visible()
    await expect(giver.locator("#summary-error")).to_contain_text("Yilmaz")
    await expect(summary).to_have_value(re.compile("Herr Yilmaz"))
    problems += await audit(giver)
    await giver.screenshot(path=shots / "consultation-start-refused.png", full_page=True)
    await summary.fill(
        "Ein Kunde hat eine Aufenthaltserlaubnis nach § 25 Abs. 5 AufenthG. Für die "
        "Verlängerung fehlen Unterlagen aus dem Herkunftsland, die er nicht beschaffen kann."
    )
    await giver.get_by_role("button", name="Fallberatung starten").click()
    await expect(giver.get_by_role("heading", level=1)).to_have_text(TITLE)
    url = giver.url
    assert re.search(r"/fallberatungen/\d+$", url)

    # Casting: the others join.
    await mover.goto(url)
    await mover.get_by_role("button", name="Gesprächsleitung übernehmen").click()
    await expect(mover.locator("#beteiligte")).to_contain_text("Katrin Vogel")
    for page in (advisor, advisor2):
        await page.goto(url)
        await page.get_by_role("button", name="Als Berater/in beitreten").click()
        await expect(page.get_by_role("status").first).to_contain_text("als Berater/in")
    await advance(mover, url, "Nächste Phase: Spontanerzählung", "Spontanerzählung")

    # Narration with a clarifying question and its answer.
    await giver.goto(url)
    await write(giver, "Fallschilderung", "Der Antrag liegt seit **vier Monaten** vor.")
    await advisor.goto(url)
    await write(advisor, None, "Gibt es eine Botschaft, die helfen könnte?")
    await giver.goto(url)
    await write(giver, "Antwort auf eine Verständnisfrage", "Die Botschaft antwortet nicht.")
    await advance(mover, url, "Nächste Phase: Schlüsselfrage", "Schlüsselfrage")

    # Key question.
    await giver.goto(url)
    await giver.get_by_label("Ihre Schlüsselfrage").fill(
        "Wie kann ich die Verlängerung ohne die fehlenden Unterlagen verantworten?"
    )
    await giver.get_by_role("button", name="Schlüsselfrage speichern").click()
    await expect(giver.locator(".c-key-question")).to_contain_text("fehlenden Unterlagen")
    problems += await audit(giver)
    await advance(mover, url, "Nächste Phase: Methodenwahl", "Methodenwahl")

    # Method: an advisor suggests, the facilitator chooses.
    await advisor2.goto(url)
    await write(advisor2, None, "Ich schlage Erfahrungsberichte vor.")
    await mover.goto(url)
    await mover.get_by_label("Gute Ratschläge").check()
    await mover.get_by_role("button", name="Methode speichern").click()
    await expect(mover.get_by_role("status").first).to_contain_text("Gute Ratschläge")
    problems += await audit(mover)
    await mover.screenshot(path=shots / "consultation-method.png", full_page=True)
    await advance(mover, url, "Nächste Phase: Beratung", "Beratung")

    # Advice: both advisors, the case giver only listens.
    for page, text in (
        (advisor, "Ich an Ihrer Stelle würde eine Versicherung an Eides statt prüfen."),
        (advisor2, "Ich an Ihrer Stelle würde die Ausländerbehörde im Herkunftsland anfragen."),
    ):
        await page.goto(url)
        await expect(page.locator(".c-method-rules")).to_contain_text("Ich an Ihrer Stelle")
        await write(page, None, text)
    await giver.goto(url)
    await expect(giver.locator("#aktuelle-phase")).to_contain_text("hört nur zu")
    assert await giver.locator("#beitrag-schreiben").count() == 0
    problems += await audit(advisor2)
    await advisor2.screenshot(path=shots / "consultation-advice.png", full_page=True)
    await advance(mover, url, "Nächste Phase: Abschluss", "Abschluss")

    # Conclusion and closing.
    await giver.goto(url)
    await write(
        giver,
        None,
        "Geholfen hat der Rat zur Versicherung an Eides statt. "
        "Nächster Schritt: Gespräch mit der Leitung.",
    )
    await mover.goto(url)
    await mover.get_by_role("button", name="Fallberatung abschließen").click()
    await expect(mover.get_by_role("status").first).to_contain_text("abgeschlossen")

    for page in (giver, advisor2):
        await page.goto(url)
        first = page.locator("main section").first
        await expect(first).to_have_class("c-result")
        await expect(first).to_contain_text("Versicherung an Eides statt")
        await expect(page.locator("main form[method=post]")).to_have_count(0)
        assert await page.locator("[aria-current=step]").count() == 0
    await giver.locator("details#phase-advice summary").click()
    await expect(giver.locator("details#phase-advice")).to_contain_text("Herkunftsland anfragen")
    problems += await audit(giver)
    await giver.screenshot(path=shots / "consultation-closed.png", full_page=True)
    assert not problems, "\n\n".join(problems)
