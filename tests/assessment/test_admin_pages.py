"""The moderation's self-assessment pages: criteria are reworded, relinked, added and
retired through forms (each change a new version), and the averages page keeps to the
five-authority threshold; members reach none of it."""

from __future__ import annotations

from fachaustausch.accounts.policy import Role
from tests.assessment.support import criteria, member_of, rate_and_submit
from tests.factories import ApiClient, make_user
from tests.web.helpers import field_error, get_page, html, post_form, sign_in

BASE = "/standortbestimmung"
NEW_TEXT = "Die ABH bespricht schwierige Fälle regelmäßig im Team."


async def test_a_moderator_rewords_adds_and_retires_criteria(client: ApiClient) -> None:
    await sign_in(client, await make_user(Role.moderator))
    items = await criteria(client)
    target = items[2]
    page = await get_page(client, f"{BASE}/kriterien")
    page.find("a", href=f"{BASE}/kriterien/{target['id']}/bearbeiten")
    form = await get_page(client, f"{BASE}/kriterien/{target['id']}/bearbeiten")
    assert form.by_id("text").text == target["text"]
    response = await post_form(
        client,
        f"{BASE}/kriterien/{target['id']}/bearbeiten",
        {"text": NEW_TEXT, "instruments": ["kollegiale-fallberatung"]},
    )
    assert response.status_code in {302, 303}, response.text
    listed = {c["id"]: c for c in await criteria(client)}
    assert listed[target["id"]]["text"] == NEW_TEXT
    assert "Fassung 2" in (await get_page(client, f"{BASE}/kriterien")).text
    bad = await post_form(client, f"{BASE}/kriterien/neu", {"cornerstone": "3", "text": "kurz"})
    assert bad.status_code == 422
    assert field_error(html(bad), "text")
    added = await post_form(
        client, f"{BASE}/kriterien/neu", {"cornerstone": "3", "text": NEW_TEXT + " Neu."}
    )
    assert added.status_code in {302, 303}
    new = [c for c in await criteria(client) if c["text"] == NEW_TEXT + " Neu."]
    assert [c["cornerstone"] for c in new] == [3]
    retired = await post_form(client, f"{BASE}/kriterien/{new[0]['id']}/zuruecknehmen")
    assert retired.status_code in {302, 303}
    assert all(c["id"] != new[0]["id"] for c in await criteria(client))


async def test_members_reach_no_moderation_page(client: ApiClient) -> None:
    await sign_in(client, await make_user(Role.member))
    [first, *_] = await criteria(client)
    for path in (
        f"{BASE}/kriterien",
        f"{BASE}/kriterien/neu",
        f"{BASE}/auswertung",
        f"{BASE}/kriterien/{first['id']}/bearbeiten",
    ):
        await get_page(client, path, status=403)
    response = await post_form(client, f"{BASE}/kriterien/{first['id']}/zuruecknehmen")
    assert response.status_code == 403


async def test_the_averages_page_shows_no_land_below_five(client: ApiClient) -> None:
    for authority in ["leipzig", "chemnitz", "dresden", "weimar", "potsdam"]:
        await member_of(client, authority)
        await rate_and_submit(client)
    client.logout_local()
    await sign_in(client, await make_user(Role.moderator))
    page = await get_page(client, f"{BASE}/auswertung")
    assert "Durchschnitt über 5 Behörden" in page.text
    assert "3 Behörden haben eingereicht – zu wenige für einen Durchschnitt." in page.text
