"""The people and authority directories, profiles and the network map, over HTTP."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.accounts.tables import User
from tests.factories import ApiClient, answer_question, ask_question, assert_problem, make_user

pytestmark = pytest.mark.database


async def test_people_api_searches_by_name_authority_and_instrument(client: ApiClient) -> None:
    anna = await make_user(Role.expert, display_name="Anna Kraus", expertise=["terminsystem"])
    await make_user(display_name="Bernd Kraus", authority="leipzig")
    await make_user(display_name="Carla Ott", authority="bremen")
    await client.login(anna)

    found = (await client.get("/api/v1/people", params={"q": "kraus"})).json()
    assert [p["handle"] for p in found["items"]] == ["anna.kraus", "bernd.kraus"]
    assert found["next_cursor"] is None
    first = found["items"][0]
    assert first["display_name"] == "Anna Kraus"
    assert first["authority"]["slug"] == "weimar"
    assert first["role"] == "expert"
    assert [i["slug"] for i in first["instruments"]] == ["terminsystem"]

    by_authority = (await client.get("/api/v1/people", params={"authority": "bremen"})).json()
    assert [p["handle"] for p in by_authority["items"]] == ["carla.ott"]
    by_instrument = await client.get("/api/v1/people", params={"instrument": "terminsystem"})
    assert [p["handle"] for p in by_instrument.json()["items"]] == ["anna.kraus"]
    by_authority_name = await client.get("/api/v1/people", params={"q": "Weimar"})
    assert [p["handle"] for p in by_authority_name.json()["items"]] == ["anna.kraus"]


async def test_people_api_pages_with_a_cursor(client: ApiClient) -> None:
    for n in range(22):
        await make_user(display_name=f"Seite Person{n:02d}")
    await client.login(await make_user(display_name="Leserin Eins"))
    first = (await client.get("/api/v1/people", params={"q": "seite"})).json()
    assert len(first["items"]) == 20
    second = (
        await client.get("/api/v1/people", params={"q": "seite", "cursor": first["next_cursor"]})
    ).json()
    assert len(second["items"]) == 2
    assert second["next_cursor"] is None


async def test_a_profile_shows_posts_and_hides_the_email_unless_allowed(
    client: ApiClient,
) -> None:
    author = await make_user(display_name="Dora Falk", email="dora.falk@leipzig.de")
    question_id = await ask_question(author, title="Wie organisieren Sie Termine?")
    await answer_question(author, question_id)
    await client.login(await make_user(display_name="Emil Berg"))

    profile = (await client.get("/api/v1/people/dora.falk")).json()
    assert profile["question_count"] == 1
    assert profile["answer_count"] == 1
    assert profile["questions"][0]["url"] == f"/fragen/{question_id}"
    assert profile["email"] is None
    page = await client.get("/personen/dora.falk")
    assert page.status_code == 200
    assert "Wie organisieren Sie Termine?" in page.text
    assert "dora.falk@leipzig.de" not in page.text

    await User.update({User.show_email: True}).where(User.id == author.id).run()
    assert (await client.get("/api/v1/people/dora.falk")).json()["email"] == (
        "dora.falk@leipzig.de"
    )
    assert "dora.falk@leipzig.de" in (await client.get("/personen/dora.falk")).text


async def test_an_unknown_handle_is_a_german_404(client: ApiClient) -> None:
    await client.login(await make_user())
    assert_problem(await client.get("/api/v1/people/niemand"), 404, detail="gibt es nicht")
    assert (await client.get("/personen/niemand")).status_code == 404


async def test_the_directory_page_searches_without_javascript(client: ApiClient) -> None:
    await make_user(display_name="Frieda Sommer", authority="bremen")
    await client.login(await make_user(display_name="Gerd Winter"))
    page = await client.get("/personen", params={"q": "sommer", "land": "Bremen"})
    assert page.status_code == 200
    assert 'href="/personen/frieda.sommer"' in page.text
    assert "gerd.winter" not in page.text


async def test_the_directory_page_filters_by_land_authority_and_instrument(
    client: ApiClient,
) -> None:
    await make_user(Role.expert, display_name="Ida Lenz", expertise=["terminsystem"])
    await make_user(display_name="Jan Lenz", authority="bremen")
    await make_user(display_name="Kim Lenz", authority="leipzig")
    await client.login(await make_user(display_name="Gerd Winter"))
    for params, shown in (
        ({"q": "lenz", "land": "Bremen"}, ["jan.lenz"]),
        ({"q": "lenz", "behoerde": "leipzig"}, ["kim.lenz"]),
        ({"q": "lenz", "instrument": "terminsystem"}, ["ida.lenz"]),
        ({"q": "lenz"}, ["ida.lenz", "jan.lenz", "kim.lenz"]),
    ):
        page = await client.get("/personen", params=params)
        assert page.status_code == 200, params
        found = [h for h in ("ida.lenz", "jan.lenz", "kim.lenz") if f'"/personen/{h}"' in page.text]
        assert found == shown, params


async def test_author_lines_reach_the_profile_by_account_number(client: ApiClient) -> None:
    author = await make_user(display_name="Hanna Lind")
    await client.login(await make_user())
    response = await client.get(f"/personen/konto/{author.id}", follow_redirects=False)
    assert response.headers["location"] == "/personen/hanna.lind"


async def test_an_authority_profile_names_kind_land_partners_and_experts(
    client: ApiClient,
) -> None:
    expert = await make_user(
        Role.expert, authority="wetteraukreis", display_name="Ida Kern", expertise=["terminsystem"]
    )
    await client.login(expert)
    body = (await client.get("/api/v1/authorities/wetteraukreis")).json()
    assert body["kind"] == "model_site"
    assert body["land"] == "Hessen"
    assert sorted(p["slug"] for p in body["partners"]) == ["kassel", "wiesbaden"]
    assert body["experts"] == [
        {
            "handle": "ida.kern",
            "display_name": "Ida Kern",
            "instruments": [
                {"slug": "terminsystem", "title": body["experts"][0]["instruments"][0]["title"]}
            ],
        }
    ]
    partner = (await client.get("/api/v1/authorities/kassel")).json()
    assert [p["slug"] for p in partner["partners"]] == ["wetteraukreis"]
    page = await client.get("/behoerden/wetteraukreis")
    assert page.status_code == 200
    assert 'href="/personen/ida.kern"' in page.text
    assert_problem(await client.get("/api/v1/authorities/atlantis"), 404, detail="nicht bekannt")


async def test_the_network_map_links_every_authority_and_lists_them(client: ApiClient) -> None:
    await client.login(await make_user(authority="saarbruecken"))
    page = await client.get("/netzwerk")
    assert page.status_code == 200
    assert "<svg" in page.text
    for slug in ("weimar", "heidelberg", "bamf", "saarbruecken"):
        assert page.text.count(f'href="/behoerden/{slug}"') >= 2  # on the map and in the list
    # A member authority without members is not on the map.
    assert 'href="/behoerden/freiburg"' not in page.text
    listing = await client.get("/behoerden")
    assert 'href="/behoerden/freiburg"' in listing.text
