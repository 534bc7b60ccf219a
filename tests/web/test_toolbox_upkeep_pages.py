"""Toolbox upkeep through the pages: moderators edit, add and merge instruments and edit
cornerstone texts; a merged instrument's old address redirects."""

from __future__ import annotations

from fachaustausch.accounts.policy import Role
from fachaustausch.core.audit import AuditLog
from tests.factories import ApiClient, make_user
from tests.web.helpers import field_error, flashes, get_page, html, post_form, sign_in
from tests.web.qa import ask


async def moderator(client: ApiClient) -> None:
    await sign_in(client, await make_user(Role.moderator))


async def test_links_only_for_moderators(client: ApiClient) -> None:
    await sign_in(client, await make_user())
    page = await get_page(client, "/werkzeugkoffer/terminsystem")
    assert not page.find_all("a", href="/werkzeugkoffer/terminsystem/bearbeiten")
    assert not (await get_page(client, "/werkzeugkoffer")).find_all("a", href="/werkzeugkoffer/neu")
    client.cookies.clear()
    await moderator(client)
    page = await get_page(client, "/werkzeugkoffer/terminsystem")
    page.find("a", href="/werkzeugkoffer/terminsystem/bearbeiten")
    page.find("a", href="/werkzeugkoffer/terminsystem/zusammenfuehren")
    overview = await get_page(client, "/werkzeugkoffer")
    overview.find("a", href="/werkzeugkoffer/neu")
    overview.find("a", href="/werkzeugkoffer/eckpunkte/binnenorganisation/bearbeiten")


async def test_edit_instrument(client: ApiClient) -> None:
    await moderator(client)
    page = await get_page(client, "/werkzeugkoffer/terminsystem/bearbeiten")
    assert page.by_id("title").get("value") == "Terminsystem"
    description = page.by_id("description").text
    response = await post_form(
        client,
        "/werkzeugkoffer/terminsystem/bearbeiten",
        {
            "title": "Terminsystem (online)",
            "description": description,
            "origin_note": "",
            "reason": "Genauer",
        },
    )
    assert response.status_code in {302, 303}
    assert response.headers["location"] == "/werkzeugkoffer/terminsystem"
    page = await get_page(client, "/werkzeugkoffer/terminsystem")
    assert page.find("h1").text == "Terminsystem (online)"
    assert "Die Änderungen am Instrument sind gespeichert." in flashes(page)
    row = await AuditLog.select().where(AuditLog.action == "edit_instrument").first().run()
    assert row is not None
    assert row["reason"] == "Genauer"
    # Only the title changed, so only the title is in the audit row.
    page = await get_page(client, "/moderation/protokoll?aktion=edit_instrument")
    assert "Titel: Terminsystem → Terminsystem (online)" in page.find(
        "tr", cls="audit-entry"
    ).text.replace("wird zu", "")


async def test_edit_instrument_errors_rerender(client: ApiClient) -> None:
    await moderator(client)
    response = await post_form(
        client, "/werkzeugkoffer/terminsystem/bearbeiten", {"title": "x", "reason": ""}
    )
    assert response.status_code == 422
    page = html(response)
    assert "mindestens 3 Zeichen" in field_error(page, "title")
    assert page.by_id("title").get("value") == "x"


async def test_create_instrument(client: ApiClient) -> None:
    await moderator(client)
    page = await get_page(client, "/werkzeugkoffer/neu")
    assert page.find("h1").text == "Instrument anlegen"
    response = await post_form(
        client,
        "/werkzeugkoffer/neu",
        {
            "title": "Digitale Akte",
            "slug": "",
            "cornerstone": "binnenorganisation",
            "description": "Alles digital.",
            "origin_note": "",
        },
    )
    assert response.status_code in {302, 303}
    assert response.headers["location"] == "/werkzeugkoffer/digitale-akte"
    page = await get_page(client, "/werkzeugkoffer/digitale-akte")
    assert page.find("h1").text == "Digitale Akte"
    # A slug the moderator typed that is taken: a German message at the field.
    response = await post_form(
        client,
        "/werkzeugkoffer/neu",
        {"title": "Digitale Akte", "slug": "digitale-akte", "cornerstone": "binnenorganisation"},
    )
    assert response.status_code == 409
    assert "gibt es schon" in field_error(html(response), "slug")
    # Missing cornerstone.
    response = await post_form(client, "/werkzeugkoffer/neu", {"title": "Noch eins"})
    assert response.status_code == 422
    assert field_error(html(response), "cornerstone")


async def test_an_automatic_slug_is_made_unique(client: ApiClient) -> None:
    """The slug field left blank: titles that differ only in brackets (which the slug leaves
    out) or repeat an old, merged address still get an address of their own."""
    await moderator(client)
    made = []
    for title in ("Digitale Akte (nojs)", "Digitale Akte (js)", "Digitale Akte"):
        response = await post_form(
            client,
            "/werkzeugkoffer/neu",
            {"title": title, "slug": "", "cornerstone": "binnenorganisation"},
        )
        assert response.status_code in {302, 303}, response.text
        made.append(response.headers["location"])
    assert made == [
        "/werkzeugkoffer/digitale-akte",
        "/werkzeugkoffer/digitale-akte-2",
        "/werkzeugkoffer/digitale-akte-3",
    ]
    assert (await get_page(client, made[1])).find("h1").text == "Digitale Akte (js)"
    # An address that now redirects (a merged instrument's) is skipped, too.
    await post_form(
        client,
        "/werkzeugkoffer/digitale-akte-3/zusammenfuehren",
        {"into": "digitale-akte", "reason": "Doppelt"},
    )
    response = await post_form(
        client,
        "/werkzeugkoffer/neu",
        {"title": "Digitale Akte", "slug": "", "cornerstone": "binnenorganisation"},
    )
    assert response.headers["location"] == "/werkzeugkoffer/digitale-akte-4"


async def test_merge_redirects_the_old_slug(client: ApiClient) -> None:
    author = await make_user()
    question_id = await ask(author, instruments=["terminsystem"])
    await moderator(client)
    page = await get_page(client, "/werkzeugkoffer/terminsystem/zusammenfuehren")
    options = [o.get("value") for o in page.by_id("into").find_all("option")]
    assert "terminsystem" not in options
    assert "prozessgestaltung" in options

    # Without a reason: re-rendered with the message.
    response = await post_form(
        client, "/werkzeugkoffer/terminsystem/zusammenfuehren", {"into": "prozessgestaltung"}
    )
    assert response.status_code == 422
    assert field_error(html(response), "reason") == "Bitte geben Sie eine Begründung an."

    response = await post_form(
        client,
        "/werkzeugkoffer/terminsystem/zusammenfuehren",
        {"into": "prozessgestaltung", "reason": "Gehört zusammen"},
    )
    assert response.status_code in {302, 303}
    assert response.headers["location"] == "/werkzeugkoffer/prozessgestaltung"
    page = await get_page(client, "/werkzeugkoffer/prozessgestaltung")
    assert any("1 Frage neu zugeordnet" in m for m in flashes(page))

    old = await client.get("/werkzeugkoffer/terminsystem", follow_redirects=False)
    assert old.status_code == 301
    assert old.headers["location"] == "/werkzeugkoffer/prozessgestaltung"
    question = await get_page(client, f"/fragen/{question_id}")
    question.find("a", href="/werkzeugkoffer/prozessgestaltung")
    await get_page(client, "/werkzeugkoffer/gibt-es-nicht", status=404)


async def test_edit_cornerstone(client: ApiClient) -> None:
    await moderator(client)
    path = "/werkzeugkoffer/eckpunkte/binnenorganisation/bearbeiten"
    page = await get_page(client, path)
    values = {
        "title": page.by_id("title").get("value"),
        "statement": "Ein neuer Leitsatz.",
        "description": page.by_id("description").text,
        "reason": "Klarer",
    }
    response = await post_form(client, path, values)
    assert response.status_code in {302, 303}
    assert response.headers["location"].startswith("/werkzeugkoffer#eckpunkt-")
    page = await get_page(client, "/werkzeugkoffer")
    assert "Ein neuer Leitsatz." in page.find("main").text
    # Nothing changed: the service's German message, no 500.
    response = await post_form(client, path, {**values, "statement": "Ein neuer Leitsatz."})
    assert response.status_code == 422
    assert "mindestens ein Feld" in html(response).find("main").text
    await get_page(client, "/werkzeugkoffer/eckpunkte/gibt-es-nicht/bearbeiten", status=404)
