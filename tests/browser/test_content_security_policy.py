"""The Content Security Policy in a real Chromium: the pages work under it (no violation on
any page a member or moderator uses, the similar-questions script still fetches), and it
does block what it must (an inline script planted in a page)."""

from __future__ import annotations

import pytest
from playwright.async_api import Page, expect

from fachaustausch.accounts.policy import Role
from fachaustausch.demo import DEMO_USERS
from tests.browser.test_accessibility import log_in
from tests.factories import ask_question, make_user

pytestmark = pytest.mark.browser

MODERATOR = next(u for u in DEMO_USERS if u.role is Role.moderator)
TABLE = "Wartezeiten:\n\n| Stadt | Wochen |\n|:--|--:|\n| Weimar | 5 |\n"
PAGES = (
    "/",
    "/fragen",
    "/fragen/neu",
    "/fallberatungen",
    "/werkzeugkoffer",
    "/suche?q=Termin",
    "/moderation",
    "/moderation/registrierungen",
    "/profil",
)


def _record_violations(page: Page) -> list[str]:
    """Chromium reports each blocked resource or inline script on the console."""
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return violations


async def test_pages_work_under_the_policy(page: Page) -> None:
    author = await make_user()
    question = await ask_question(
        author, title="Wie lang sind Ihre Wartezeiten für Termine?", body=TABLE
    )
    violations = _record_violations(page)
    await log_in(page, MODERATOR.email, MODERATOR.password)
    for path in (*PAGES, f"/fragen/{question}"):
        response = await page.goto(path)
        assert response is not None, path
        assert response.ok, path
        await expect(page.get_by_role("heading", level=1).first).to_be_visible()
        assert response.headers["content-security-policy"].startswith("default-src 'none'")

    # Markdown table alignment comes from app.css, not from a style attribute.
    cell = page.locator(".markdown td").nth(1)
    await expect(cell).to_have_text("5")
    assert await cell.evaluate("td => getComputedStyle(td).textAlign") == "right"

    # The similar-questions script runs and fetches from the platform's own API.
    await page.goto("/fragen/neu")
    async with page.expect_response(lambda r: "/api/v1/search/similar" in r.url) as similar:
        await page.get_by_label("Titel").fill("Wartezeiten für Termine")
    assert (await similar.value).ok
    assert not violations, "\n".join(violations)


async def test_the_policy_blocks_inline_script(page: Page) -> None:
    """A canary: an inline script in a served page does not run, so the test above cannot
    pass because the browser enforced nothing."""
    violations = _record_violations(page)
    await page.goto("/anmelden")
    await page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "document.body.dataset.ran = 'yes'";
            document.body.appendChild(script);
        }"""
    )
    assert await page.evaluate("() => document.body.dataset.ran") is None
    assert violations, "the browser reported no violation"
