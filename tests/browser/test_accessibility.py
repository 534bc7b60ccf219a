"""axe-core in a real Chromium: no page may have any violation, minor and moderate ones
included (WCAG 2.1 AA is the legal frame, see DOMAIN.md)."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Page, expect

from fachaustausch.demo import DEMO_USERS

pytestmark = pytest.mark.browser

BLOCKING = {"minor", "moderate", "serious", "critical"}
MEMBER = next(u for u in DEMO_USERS if u.email == "mitglied@leipzig.de")
MODERATOR = next(u for u in DEMO_USERS if u.email == "moderation@bamf.bund.de")
_axe = Axe()


def describe(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{url}: {len(violations)} axe violation(s)"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation['impact']}): {violation['help']} "
            f"[{violation['helpUrl']}]"
        )
        for node in violation["nodes"][:5]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
            summary = node.get("failureSummary", "").replace("\n", " ")
            if summary:
                lines.append(f"       {summary[:300]}")
        if len(violation["nodes"]) > 5:
            lines.append(f"    … and {len(violation['nodes']) - 5} more")
    return "\n".join(lines)


async def audit(page: Page) -> list[str]:
    """Runs axe on the current page; returns the report of blocking violations (if any)."""
    results = await _axe.run(page)
    violations = results.response["violations"]
    assert results.response["testEngine"]["name"] == "axe-core"
    if violations:
        print(describe(page.url, violations))  # shown with -s, and captured on failure
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    return [describe(page.url, blocking)] if blocking else []


async def log_in(page: Page, email: str, password: str) -> None:
    await page.goto("/anmelden")
    await page.get_by_label("E-Mail-Adresse").fill(email)
    await page.get_by_label("Passwort").fill(password)
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page.get_by_role("button", name="Abmelden")).to_be_visible()


async def test_public_pages(page: Page) -> None:
    problems: list[str] = []
    for path in (
        "/anmelden",
        "/registrieren",
        "/barrierefreiheit",
        "/leichte-sprache",
        "/impressum",
        "/datenschutz",
        "/passwort-vergessen",
        "/passwort-vergessen/gesendet",
    ):
        await page.goto(path)
        await expect(page.get_by_role("heading", level=1)).to_be_visible()
        problems += await audit(page)
    assert not problems, "\n\n".join(problems)


async def test_forms_with_errors(page: Page) -> None:
    problems: list[str] = []
    await page.goto("/anmelden")
    await page.get_by_label("E-Mail-Adresse").fill(MEMBER.email)
    await page.get_by_label("Passwort").fill("Nicht das richtige Passwort")
    await page.get_by_role("button", name="Anmelden").click()
    await expect(page.get_by_role("alert")).to_be_visible()
    problems += await audit(page)

    await page.goto("/registrieren")
    await page.get_by_label("Ihr Name").fill("A")
    await page.get_by_role("button", name="Registrierung absenden").click()
    await expect(page.locator("#display_name")).to_have_attribute("aria-invalid", "true")
    await expect(page.locator("#email")).to_have_attribute("aria-invalid", "true")
    problems += await audit(page)
    assert not problems, "\n\n".join(problems)


async def test_member_pages(page: Page) -> None:
    await log_in(page, MEMBER.email, MEMBER.password)
    problems: list[str] = []
    for path in (
        "/",
        "/werkzeugkoffer",
        "/werkzeugkoffer/terminsystem",
        "/profil/passwort",
        "/profil/email",
        "/profil",  # last: the token form below is on it
    ):
        await page.goto(path)
        await expect(page.get_by_role("heading", level=1)).to_be_visible()
        problems += await audit(page)

    # The profile right after creating a token (success alert and token table).
    await page.get_by_label("Wofür ist das Token?").fill("Fachverfahren")
    await page.get_by_role("button", name="Token erstellen").click()
    await expect(page.locator("#neues-token")).to_be_visible()
    problems += await audit(page)

    # A German error page.
    await page.goto("/werkzeugkoffer/gibt-es-nicht")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")
    problems += await audit(page)
    assert not problems, "\n\n".join(problems)


async def test_moderator_pages(page: Page) -> None:
    await log_in(page, MODERATOR.email, MODERATOR.password)
    await page.goto("/moderation/registrierungen")
    await expect(page.locator("li.registration")).to_have_count(1)  # the demo registration
    problems = await audit(page)
    assert not problems, "\n\n".join(problems)


async def test_the_audit_catches_what_it_must(page: Page) -> None:
    """A canary: the same audit on a deliberately broken page reports blocking violations,
    so the tests above cannot pass because axe silently checked nothing."""
    await page.set_content(
        "<html><head><title>Kaputt</title></head><body><main><h1>Kaputt</h1>"
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
        '<p style="color:#bbb;background:#fff">Zu blass</p>'
        '<input type="text"></main></body></html>'
    )
    problems = await audit(page)
    assert problems
    for rule in ("image-alt", "color-contrast", "label"):
        assert f"- {rule} (" in problems[0], problems[0]
