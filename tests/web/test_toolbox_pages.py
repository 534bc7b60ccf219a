"""The start page and the toolbox pages: cornerstones, instruments, origins and experts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fachaustausch.accounts.policy import AccountStatus, Role
from tests.factories import ApiClient, make_user
from tests.web.helpers import flashes, get_page, post_form, sign_in

SEED = json.loads(
    (Path(__file__).parents[2] / "platform" / "toolbox" / "seed_data.json").read_text("utf-8")
)


@pytest.fixture
async def member(client: ApiClient) -> ApiClient:
    await sign_in(client, await make_user(Role.member, display_name="Jana Becker"))
    return client


async def test_home_greets_and_shows_the_five_cornerstones(member: ApiClient) -> None:
    page = await get_page(member, "/")
    assert page.find("h1").text == "Willkommen, Jana Becker"
    # The sign-in message confirms; it does not repeat the heading's greeting.
    assert flashes(page) == ["Sie sind angemeldet."]
    cards = page.find("main").find("ul", cls="cornerstone-grid").find_all("li")
    assert len(cards) == 5
    counts = {c["number"]: 0 for c in SEED["cornerstones"]}
    for instrument in SEED["instruments"]:
        counts[instrument["cornerstone"]] += 1
    for card, cornerstone in zip(cards, SEED["cornerstones"], strict=True):
        link = card.find("a")
        assert link.get("href") == f"/werkzeugkoffer#eckpunkt-{cornerstone['number']}"
        assert link.text == f"{cornerstone['number']}. {cornerstone['title']}"
        assert f"{counts[cornerstone['number']]} Instrumente" in card.text


async def test_overview_lists_all_cornerstones_and_instruments(member: ApiClient) -> None:
    page = await get_page(member, "/werkzeugkoffer")
    sections = page.find("main").find_all("section", cls="cornerstone")
    assert [s.find("h2").text for s in sections] == [
        f"Eckpunkt {c['number']}: {c['title']}" for c in SEED["cornerstones"]
    ]
    # Each section is labelled by its heading, which the start page links to.
    for section, cornerstone in zip(sections, SEED["cornerstones"], strict=True):
        assert section.get("aria-labelledby") == f"eckpunkt-{cornerstone['number']}"
        assert section.find("h2").get("id") == f"eckpunkt-{cornerstone['number']}"

    listed = {
        a.get("href"): (a.text, number)
        for number, section in enumerate(sections, start=1)
        for a in section.find("ul", cls="instrument-list").find_all("a")
    }
    assert len(listed) == 26
    assert listed == {
        f"/werkzeugkoffer/{i['slug']}": (i["title"], i["cornerstone"]) for i in SEED["instruments"]
    }


async def test_every_instrument_page_answers(member: ApiClient) -> None:
    for instrument in SEED["instruments"]:
        page = await get_page(member, f"/werkzeugkoffer/{instrument['slug']}")
        assert page.find("h1").text == instrument["title"]


async def test_instrument_page_shows_origins_and_experts(member: ApiClient) -> None:
    await make_user(Role.expert, display_name="Katrin Vogel", expertise=["terminsystem"])
    await make_user(
        Role.expert, authority="potsdam", display_name="Paul Neumann", expertise=["terminsystem"]
    )
    # Not listed: another instrument, a pending expert, a member who claims expertise.
    await make_user(Role.expert, display_name="Andere Person", expertise=["website-mit-faq"])
    await make_user(
        Role.expert,
        status=AccountStatus.pending,
        display_name="Noch Wartend",
        expertise=["terminsystem"],
    )
    await make_user(Role.member, display_name="Kein Experte", expertise=["terminsystem"])

    page = await get_page(member, "/werkzeugkoffer/terminsystem")
    main = page.find("main")
    assert page.find("h1").text == "Terminsystem"
    breadcrumbs = main.find("nav", aria_label="Brotkrumen")
    assert [a.get("href") for a in breadcrumbs.find_all("a")] == [
        "/werkzeugkoffer",
        "/werkzeugkoffer#eckpunkt-2",
    ]

    headings = [h.text for h in main.find_all("h2")]
    assert headings == [
        "Erprobt in",
        "Ansprechpersonen an den Modellstandorten",
        "Fragen zu diesem Instrument",
    ]
    origins_list, experts_list = main.find_all("ul")
    origins = [li.text for li in origins_list.find_all("li")]
    assert origins == [
        "Landeshauptstadt Potsdam (Brandenburg)",
        "Stadt Chemnitz (Sachsen)",
        "Stadt Weimar (Thüringen)",
    ]
    experts = [li.text for li in experts_list.find_all("li")]
    assert experts == ["Katrin Vogel, Stadt Weimar", "Paul Neumann, Landeshauptstadt Potsdam"]


async def test_instrument_without_origin_or_expert_says_so(member: ApiClient) -> None:
    no_origin = next(
        i for i in SEED["instruments"] if not i["origins"] and not i.get("origin_note")
    )
    page = await get_page(member, f"/werkzeugkoffer/{no_origin['slug']}")
    text = page.find("main").text
    assert "Die Quellen nennen keinen einzelnen Modellstandort." in text
    assert "noch keine Expertin und kein Experte eingetragen" in text


async def test_instrument_with_origin_note_shows_it(member: ApiClient) -> None:
    noted = [i for i in SEED["instruments"] if i.get("origin_note")]
    assert noted, "the seed data carries origin notes"
    page = await get_page(member, f"/werkzeugkoffer/{noted[0]['slug']}")
    assert noted[0]["origin_note"] in page.find("main").text


async def test_home_lists_on_the_demo_data_show_what_they_mean(client: ApiClient) -> None:
    """ "Neueste Fragen" are the newest, answered or not; "Unbeantwortete Fragen" only those
    without an answer: on the demo data the two lists differ, and each says what it holds."""
    from fachaustausch.demo import DEMO_USERS, seed_demo, seed_demo_questions

    await seed_demo()
    await seed_demo_questions()
    member = next(u for u in DEMO_USERS if u.email == "mitglied@leipzig.de")
    response = await post_form(
        client, "/anmelden", {"email": member.email, "password": member.password}
    )
    assert response.status_code in {302, 303}
    page = await get_page(client, "/")

    def section(heading_id: str) -> tuple[str, list[tuple[str, int]]]:
        part = page.find("section", **{"aria-labelledby": heading_id})
        items = [
            (
                item.find("h3").text,
                int(item.find_all(cls="question-item__stat")[1].find("strong").text),
            )
            for item in part.find_all("li", cls="question-item")
        ]
        return part.find("p").text, items

    newest_says, newest = section("neueste-fragen")
    unanswered_says, unanswered = section("unbeantwortete-fragen")
    assert "ob schon beantwortet oder nicht" in newest_says
    assert "warten noch auf eine erste Antwort" in unanswered_says
    assert len(newest) == len(unanswered) == 5
    assert {title for title, _ in newest} != {title for title, _ in unanswered}
    assert any(answers > 0 for _, answers in newest)
    assert all(answers == 0 for _, answers in unanswered)
