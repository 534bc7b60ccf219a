"""People and the network in a real Chromium, with JavaScript off and on: find a person by
name from a consultation's invite form and invite them (with JavaScript through the
type-ahead, without through the result page); look at the map and open a model site's
profile. axe on the new pages (directory, profiles, authorities, map, own data, the sessions
list, the invitation's result list, the start page with the map, the moderation's page per
person)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
from playwright.async_api import Browser, Page, expect

from fachaustausch.accounts import queries as accounts
from fachaustausch.accounts.tables import User
from fachaustausch.consultations import service as consultations
from fachaustausch.consultations.models import ConsultationInput
from fachaustausch.demo import DEMO_USERS
from tests.browser.test_accessibility import audit, log_in
from tests.consultations.support import CONSULTATION

pytestmark = pytest.mark.browser

CASE_GIVER = next(u for u in DEMO_USERS if u.email == "mitglied@leipzig.de")
MODERATOR = next(u for u in DEMO_USERS if u.email == "moderation@bamf.bund.de")
INVITEE = next(u for u in DEMO_USERS if u.email == "experte@mainz.de")


@pytest.fixture(params=[False, True], ids=["ohne-javascript", "mit-javascript"])
def javascript(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


@pytest.fixture
async def any_page(browser: Browser, live_server: str, javascript: bool) -> AsyncIterator[Page]:
    """A page of its own context, with JavaScript off or on."""
    context = await browser.new_context(
        base_url=live_server,
        locale="de-DE",
        viewport={"width": 1280, "height": 900},
        java_script_enabled=javascript,
    )
    await context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(live_server)
            else route.abort("blockedbyclient")
        ),
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield page
    finally:
        await context.close()


@pytest.fixture
async def consultation(live_server: str) -> int:
    """A consultation only its participants see, started by the case giver."""
    row = await User.select(User.id).where(User.email == CASE_GIVER.email).first()
    assert row is not None
    giver = await accounts.principal_by_id(row["id"])
    assert giver is not None
    data = ConsultationInput(**{**CONSULTATION, "visibility": "participants"})
    return await consultations.create(giver, data)


async def test_invite_a_person_found_by_name(
    any_page: Page, javascript: bool, consultation: int
) -> None:
    page = any_page
    await log_in(page, CASE_GIVER.email, CASE_GIVER.password)
    await page.goto(f"/fallberatungen/{consultation}")
    problems = await audit(page) if javascript else []
    search = page.get_by_role("searchbox", name="Name oder Behörde")
    # The button's name ends in the person's, visually hidden ("Einladen: Thomas Berger").
    invite = page.get_by_role("button", name=re.compile(f"^Einladen\\W+{INVITEE.display_name}$"))
    if javascript:
        # The type-ahead: the results appear under the field, on the same page.
        await search.press_sequentially("Berger", delay=50)
        await expect(invite).to_be_visible()
        assert page.url.endswith(f"/fallberatungen/{consultation}")
        problems += await audit(page)
    else:
        await search.fill("Berger")
        await page.get_by_role("button", name="Person suchen").click()
        await expect(page.get_by_role("heading", level=1)).to_have_text(
            "Jemanden zur Fallberatung einladen"
        )
        assert "einladen?q=Berger" in page.url
        await expect(invite).to_be_visible()
    await page.get_by_label(f"Rolle von {INVITEE.display_name}").select_option("advisor")
    await invite.click()
    await expect(
        page.get_by_text("Die Person ist eingeladen und nimmt jetzt teil.")
    ).to_be_visible()
    participants = page.locator("#beteiligte")
    await expect(participants).to_contain_text(INVITEE.display_name)
    if javascript:
        problems += await audit(page)
        await page.goto(f"/fallberatungen/{consultation}/einladen?q=Berger")
        problems += await audit(page)
    assert not problems, "\n\n".join(problems)

    # The invitee now sees the consultation, which no one else does.
    await page.get_by_role("button", name="Abmelden").click()
    await log_in(page, INVITEE.email, INVITEE.password)
    await page.goto(f"/fallberatungen/{consultation}")
    await expect(page.get_by_role("heading", level=1)).to_have_text(CONSULTATION["title"])


async def test_the_map_leads_to_a_model_site_with_and_without_javascript(any_page: Page) -> None:
    page = any_page
    await log_in(page, CASE_GIVER.email, CASE_GIVER.password)
    await page.goto("/netzwerk")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Das Netzwerk")
    await page.locator("svg.network-map a[href='/behoerden/weimar']").first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Stadt Weimar")
    await expect(page.locator("main")).to_contain_text("Modellstandort")
    # The list beside the map leads to the same profile.
    await page.goto("/netzwerk")
    await page.locator(".network__list a[href='/behoerden/weimar']").first.click()
    await expect(page.get_by_role("heading", level=1)).to_have_text("Stadt Weimar")


async def test_my_sessions_are_listed_and_one_is_ended(browser: Browser, live_server: str) -> None:
    pages = []
    for _ in range(2):
        context = await browser.new_context(base_url=live_server, locale="de-DE")
        pages.append(await context.new_page())
    office, laptop = pages
    try:
        await log_in(office, CASE_GIVER.email, CASE_GIVER.password)
        await log_in(laptop, CASE_GIVER.email, CASE_GIVER.password)
        await laptop.goto("/profil/daten/anmeldungen")
        await expect(laptop.get_by_role("heading", level=1)).to_have_text(
            "Anmeldungen und Zugangstoken"
        )
        rows = laptop.locator("table tbody tr")
        await expect(rows).to_have_count(2)
        await expect(rows.filter(has_text="(dieser Browser)")).to_have_count(1)
        problems = await audit(laptop)
        await rows.filter(has_not_text="(dieser Browser)").get_by_role("button").click()
        await expect(laptop.get_by_text("Die Anmeldung wurde beendet.")).to_be_visible()
        await expect(rows).to_have_count(1)
        problems += await audit(laptop)
        # The other browser is signed out at its next page.
        await office.goto("/profil")
        await expect(office.get_by_role("button", name="Anmelden")).to_be_visible()
        assert not problems, "\n\n".join(problems)
    finally:
        for p in pages:
            await p.context.close()


async def test_the_map_leads_to_a_model_site(page: Page) -> None:
    giver = page
    await log_in(giver, CASE_GIVER.email, CASE_GIVER.password)
    problems: list[str] = []
    await giver.goto("/netzwerk")
    await expect(giver.get_by_role("heading", level=1)).to_have_text("Das Netzwerk")
    problems += await audit(giver)
    # The same authority is a link on the map and in the list; the map's comes first.
    await giver.locator("svg.network-map a[href='/behoerden/weimar']").first.click()
    await expect(giver.get_by_role("heading", level=1)).to_have_text("Stadt Weimar")
    await expect(giver.locator("main")).to_contain_text("Modellstandort")
    problems += await audit(giver)
    for path in ("/behoerden", "/behoerden/wetteraukreis", "/personen", "/profil/daten", "/"):
        await giver.goto(path)
        await expect(giver.get_by_role("heading", level=1)).to_be_visible()
        problems += await audit(giver)
    await giver.goto("/personen?q=Becker")
    await giver.get_by_role("link", name="Jana Becker", exact=True).click()
    await expect(giver.get_by_role("heading", level=1)).to_have_text("Jana Becker")
    problems += await audit(giver)
    assert not problems, "\n\n".join(problems)


async def test_the_moderation_page_per_person(page: Page) -> None:
    await log_in(page, MODERATOR.email, MODERATOR.password)
    await page.goto("/moderation/personen/jana.becker")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Jana Becker verwalten")
    problems = await audit(page)
    await page.locator("#reason-status").fill("Auf eigenen Wunsch vorübergehend")
    await page.get_by_role("button", name="Konto sperren").click()
    await expect(page.get_by_role("button", name="Konto wieder freigeben")).to_be_visible()
    assert not problems, "\n\n".join(problems)
