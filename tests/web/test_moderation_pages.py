"""The moderators' page of pending registrations: approve and reject through the forms."""

from __future__ import annotations

from fachaustausch.accounts.policy import AccountStatus, Role
from fachaustausch.accounts.tables import User
from tests.factories import ApiClient, make_user
from tests.web.helpers import flashes, get_page, html, login_via_form, post_form, sign_in
from tests.web.html import Node

PAGE = "/moderation/registrierungen"


def registrations(page: Node) -> dict[str, Node]:
    return {
        card.find("h2").text: card for card in page.find("main").find_all("li", cls="registration")
    }


def action(card: Node, suffix: str) -> str:
    actions = [f.get("action") for f in card.find_all("form")]
    matching = [a for a in actions if a.endswith(suffix)]
    assert len(matching) == 1, actions
    return matching[0]


async def test_lists_pending_registrations(client: ApiClient) -> None:
    await make_user(
        status=AccountStatus.pending,
        display_name="Lena Wagner",
        email="lena.wagner@bremen.de",
        authority="bremen",
    )
    await make_user(display_name="Schon Aktiv")
    await sign_in(client, await make_user(Role.moderator))

    page = await get_page(client, PAGE)
    cards = registrations(page)
    assert list(cards) == ["Lena Wagner"]
    text = cards["Lena Wagner"].text
    assert "lena.wagner@bremen.de" in text
    assert "Stadt Bremen (interessierte Behörde)" in text
    assert "1 Registrierung wartet auf Freischaltung." in page.find("main").text


async def test_empty_list_says_so(client: ApiClient) -> None:
    await sign_in(client, await make_user(Role.moderator))
    page = await get_page(client, PAGE)
    assert registrations(page) == {}
    assert "Keine Registrierung wartet auf Freischaltung." in page.find("main").text


async def test_approve_through_the_form(client: ApiClient) -> None:
    pending = await make_user(status=AccountStatus.pending, display_name="Lena Wagner")
    await sign_in(client, await make_user(Role.moderator))
    card = registrations(await get_page(client, PAGE))["Lena Wagner"]

    response = await post_form(client, action(card, "/freischalten"), page=PAGE)
    assert response.status_code in {302, 303}
    assert response.headers["location"] == PAGE
    page = await get_page(client, PAGE)
    assert "Das Konto wurde freigeschaltet." in flashes(page)
    assert registrations(page) == {}

    status = await User.select(User.status).where(User.id == pending.id).first().run()
    assert status == {"status": AccountStatus.active.value}
    # The approved user can now sign in.
    client.cookies.clear()
    login = await login_via_form(client, pending.email, pending.password)
    assert login.headers["location"] == "/"


async def test_approving_twice_warns_instead_of_failing(client: ApiClient) -> None:
    await make_user(status=AccountStatus.pending, display_name="Lena Wagner")
    await sign_in(client, await make_user(Role.moderator))
    url = action(registrations(await get_page(client, PAGE))["Lena Wagner"], "/freischalten")
    await post_form(client, url, page=PAGE)
    await get_page(client, PAGE)  # consume the first flash

    again = await post_form(client, url, page=PAGE)
    assert again.status_code in {302, 303}
    assert "Diese Registrierung wurde bereits bearbeitet." in flashes(await get_page(client, PAGE))


async def test_reject_through_the_form(client: ApiClient) -> None:
    pending = await make_user(status=AccountStatus.pending, display_name="Lena Wagner")
    await sign_in(client, await make_user(Role.moderator))
    card = registrations(await get_page(client, PAGE))["Lena Wagner"]
    reason_field = card.find("input", name="reason")
    assert card.find("label", for_=reason_field.get("id"))

    response = await post_form(
        client, action(card, "/ablehnen"), {"reason": "Keine Ausländerbehörde"}, page=PAGE
    )
    assert response.status_code in {302, 303}
    page = await get_page(client, PAGE)
    assert "Die Registrierung wurde abgelehnt." in flashes(page)
    assert registrations(page) == {}
    assert not await User.exists().where(User.id == pending.id).run()


async def test_reject_with_too_long_reason_keeps_the_registration(client: ApiClient) -> None:
    pending = await make_user(status=AccountStatus.pending, display_name="Lena Wagner")
    await sign_in(client, await make_user(Role.moderator))
    card = registrations(await get_page(client, PAGE))["Lena Wagner"]

    await post_form(client, action(card, "/ablehnen"), {"reason": "x" * 1001}, page=PAGE)
    page = await get_page(client, PAGE)
    assert flashes(page) == ["Begründung: Bitte höchstens 1000 Zeichen."]
    assert list(registrations(page)) == ["Lena Wagner"]
    assert await User.exists().where(User.id == pending.id).run()


async def test_members_get_a_german_403_page(client: ApiClient) -> None:
    pending = await make_user(status=AccountStatus.pending)
    await sign_in(client, await make_user(Role.member))

    page = await get_page(client, PAGE, status=403)
    assert page.find("h1").text == "Keine Berechtigung"
    assert "Nur die Moderation (BAMF) darf diese Aktion ausführen." in page.find("main").text

    for suffix in ("freischalten", "ablehnen"):
        response = await post_form(
            client, f"{PAGE}/{pending.id}/{suffix}", {"reason": ""}, page="/"
        )
        assert response.status_code == 403
        assert html(response).find("h1").text == "Keine Berechtigung"
    status = await User.select(User.status).where(User.id == pending.id).first().run()
    assert status == {"status": AccountStatus.pending.value}


async def test_experts_get_a_403_page_too(client: ApiClient) -> None:
    await sign_in(client, await make_user(Role.expert))
    await get_page(client, PAGE, status=403)
