"""The question list and the ask form over HTTP: filters, tabs with counts, pagination,
validation messages next to the fields, the preview, and escaping."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.questions import service as questions
from fachaustausch.questions.tables import Question
from tests.factories import ApiClient, UserRecord, make_user
from tests.web.helpers import field_error, flashes, get_page, html, post_form, sign_in
from tests.web.html import Node
from tests.web.qa import answer, ask


@pytest.fixture
async def member(client: ApiClient) -> UserRecord:
    user = await make_user(Role.member, display_name="Jana Becker")
    await sign_in(client, user)
    return user


def titles(page: Node) -> list[str]:
    return [li.find("a").text for li in page.find_all("li", cls="question-item")]


def tabs(page: Node) -> dict[str, Node]:
    return {
        a.text.split(" (")[0]: a
        for a in page.find("nav", cls="status-tabs").find_all("a", cls="status-tabs__link")
    }


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


# --- the list --------------------------------------------------------------------------------


async def test_list_shows_each_question_with_its_facts(
    client: ApiClient, member: UserRecord
) -> None:
    expert = await make_user(Role.expert, display_name="Katrin Vogel")
    qid = await ask(
        member,
        instruments=["terminsystem", "service-point-front-office"],
        body="Wir planen ein Terminsystem für alle Aufenthaltstitel.",
    )
    await answer(expert, qid)

    page = await get_page(client, "/fragen")
    assert page.find("h1").text == "Fragen"
    [item] = page.find_all("li", cls="question-item")
    link = item.find("a")
    assert link.get("href") == f"/fragen/{qid}"
    assert link.text == "Wie organisieren Sie die Online-Terminvergabe?"
    text = item.text
    assert "Wir planen ein Terminsystem für alle Aufenthaltstitel." in text
    assert "Eckpunkt 2: Binnenorganisation" in text
    instruments = [a.text for a in item.find_all("a", cls="tag")]
    assert instruments == ["Instrument: Terminsystem", "Instrument: Service-Point / Front-Office"]
    assert item.find(cls="status-badge").text == "Beantwortet"
    assert "0 Punkte" in text
    assert "1 Antwort" in text
    assert "Jana Becker, Stadt Leipzig" in text
    assert item.find("time").text.count(".") == 2  # a German date, 25.11.2026


async def test_filters_by_cornerstone_and_instrument(client: ApiClient, member: UserRecord) -> None:
    await ask(member, "Frage zum Terminsystem der Behörde", instruments=["terminsystem"])
    await ask(
        member,
        "Frage zur Willkommensbroschüre der Stadt",
        cornerstone="erscheinungsbild-kommunikation",
        instruments=["willkommensbroschuere"],
    )

    page = await get_page(client, "/fragen?eckpunkt=erscheinungsbild-kommunikation")
    assert titles(page) == ["Frage zur Willkommensbroschüre der Stadt"]
    selected = page.by_id("eckpunkt").find("option", selected="")
    assert selected.get("value") == "erscheinungsbild-kommunikation"

    page = await get_page(client, "/fragen?instrument=terminsystem")
    assert titles(page) == ["Frage zum Terminsystem der Behörde"]
    # The instrument select groups the instruments by cornerstone.
    groups = page.by_id("instrument").find_all("optgroup")
    assert next(g.get("label") for g in groups) == "Eckpunkt 1: Selbstverständnis"
    assert len(groups) == 5

    page = await get_page(
        client, "/fragen?instrument=willkommensbroschuere&eckpunkt=binnenorganisation"
    )
    assert titles(page) == []
    assert "Zu dieser Auswahl gibt es noch keine Fragen." in page.find(cls="empty-state").text


async def test_unknown_filter_is_a_german_error_page(client: ApiClient, member: UserRecord) -> None:
    page = await get_page(client, "/fragen?instrument=gibt-es-nicht", status=422)
    assert "Dieses Instrument gibt es nicht." in page.find("main").text
    page = await get_page(client, "/fragen?status=irgendwas", status=422)
    assert "Bitte wählen Sie einen der angebotenen Werte." in page.find("main").text
    # A broken link to a later page shows the beginning (tests/web/test_german_only.py).
    page = await get_page(client, "/fragen?seite=kaputt")
    assert "ungültig" in page.find("main").text


async def test_status_tabs_count_and_keep_the_filters(
    client: ApiClient, member: UserRecord
) -> None:
    expert = await make_user(Role.expert)
    await ask(member, "Eine offene Frage zum Terminsystem")
    answered_id = await ask(member, "Eine beantwortete Frage zum Terminsystem")
    await answer(expert, answered_id)
    solved_id = await ask(member, "Eine gelöste Frage zum Terminsystem")
    solved_answer = await answer(expert, solved_id)
    await questions.accept(await member.principal(), solved_answer)
    await ask(
        member,
        "Eine andere Frage zur Broschüre",
        cornerstone="erscheinungsbild-kommunikation",
        instruments=[],
    )

    page = await get_page(client, "/fragen?instrument=terminsystem&sortierung=aktivitaet")
    found = tabs(page)
    assert [a.text for a in found.values()] == [
        "Alle (3)",
        "Offen (1)",
        "Beantwortet (1)",
        "Gelöst (1)",
    ]
    assert found["Alle"].get("aria-current") == "page"
    assert query(found["Offen"].get("href")) == {
        "instrument": ["terminsystem"],
        "sortierung": ["aktivitaet"],
        "status": ["offen"],
    }

    page = await get_page(client, found["Gelöst"].get("href"))
    assert titles(page) == ["Eine gelöste Frage zum Terminsystem"]
    assert tabs(page)["Gelöst"].get("aria-current") == "page"
    # The filter form keeps the chosen tab.
    assert page.find("input", name="status").get("value") == "geloest"

    page = await get_page(client, "/fragen?status=offen")
    assert titles(page) == ["Eine andere Frage zur Broschüre", "Eine offene Frage zum Terminsystem"]
    assert next(a.text for a in tabs(page).values()) == "Alle (4)"


async def test_sort_orders(client: ApiClient, member: UserRecord) -> None:
    voter = await make_user(Role.member)
    expert = await make_user(Role.expert)
    old = await ask(member, "Die älteste Frage der Liste", minutes_ago=30)
    middle = await ask(member, "Die mittlere Frage der Liste", minutes_ago=20)
    await ask(member, "Die neueste Frage der Liste", minutes_ago=10)
    await questions.vote(await voter.principal(), "question", old, 1)
    await answer(expert, middle)

    page = await get_page(client, "/fragen")
    assert titles(page) == [
        "Die neueste Frage der Liste",
        "Die mittlere Frage der Liste",
        "Die älteste Frage der Liste",
    ]
    page = await get_page(client, "/fragen?sortierung=bewertung")
    assert titles(page)[0] == "Die älteste Frage der Liste"
    page = await get_page(client, "/fragen?sortierung=aktivitaet")
    assert titles(page)[0] == "Die mittlere Frage der Liste"
    page = await get_page(client, "/fragen?sortierung=unbeantwortet")
    assert titles(page) == ["Die neueste Frage der Liste", "Die älteste Frage der Liste"]
    selected = page.by_id("sortierung").find("option", selected="")
    assert selected.text == "Unbeantwortet"


async def test_more_questions_link_pages_through_with_filters(
    client: ApiClient, member: UserRecord
) -> None:
    for n in range(23):
        await ask(member, f"Frage Nummer {n:02d} zum Terminsystem", minutes_ago=100 - n)
    await ask(member, "Frage zu einem anderen Eckpunkt", cornerstone="vernetzung", instruments=[])

    page = await get_page(client, "/fragen?instrument=terminsystem&status=offen")
    first = titles(page)
    assert len(first) == 20
    assert first[0] == "Frage Nummer 22 zum Terminsystem"
    more = page.find("a", rel="next")
    assert more.text == "Weitere Fragen"
    params = query(more.get("href"))
    assert params["instrument"] == ["terminsystem"]
    assert params["status"] == ["offen"]
    assert params["seite"]

    page = await get_page(client, more.get("href"))
    assert titles(page) == [f"Frage Nummer {n:02d} zum Terminsystem" for n in (2, 1, 0)]
    assert page.find_all("a", rel="next") == []
    # The tabs on a later page lead back to the first page of their list.
    assert "seite" not in query(tabs(page)["Alle"].get("href"))


async def test_empty_list(client: ApiClient, member: UserRecord) -> None:
    page = await get_page(client, "/fragen")
    assert titles(page) == []
    assert "Noch hat niemand eine Frage gestellt." in page.find(cls="empty-state").text
    assert next(a.text for a in tabs(page).values()) == "Alle (0)"


async def test_navigation_links(client: ApiClient, member: UserRecord) -> None:
    page = await get_page(client, "/fragen")
    nav = page.find("nav", cls="site-nav")
    links = {a.text: a for a in nav.find_all("a")}
    assert links["Fragen"].get("aria-current") == "page"
    assert links["Frage stellen"].get("href") == "/fragen/neu"
    assert "Für mich" not in links  # only experts


# --- asking ----------------------------------------------------------------------------------

GOOD = {
    "title": "Wie gestalten Sie den Wartebereich für Familien?",
    "body": "Wir bauen um.\r\n\r\n- Spielecke?\r\n- Farben?",
    "cornerstone": "erscheinungsbild-kommunikation",
    "instruments": ["raum-und-wartebereichsgestaltung", "mehrsprachige-aufrufanlage"],
}


async def test_ask_form_shows_fields_and_hints(client: ApiClient, member: UserRecord) -> None:
    page = await get_page(client, "/fragen/neu")
    assert page.find("h1").text == "Frage stellen"
    main = page.find("main")
    assert "Bitte keine personenbezogenen Daten" in main.text
    assert "Aktenzeichen" in main.text
    assert "Markdown" in page.by_id("body-hint").text
    legends = [
        f.find("legend").text for f in page.find_all("fieldset", cls="instrument-picker__group")
    ]
    assert legends[1] == "Eckpunkt 2: Binnenorganisation"
    assert len(page.find_all("input", type="checkbox", name="instruments")) == 26
    sites = [o.text for o in page.by_id("directed_to").find_all("option")]
    assert sites[0] == "An alle"
    assert "Stadt Weimar" in sites
    assert "Stadt Leipzig" not in sites  # only model sites
    buttons = [b.text for b in page.find("main").find_all("button")]
    assert buttons == ["Frage veröffentlichen", "Vorschau"]


async def test_ask_publishes_and_redirects(client: ApiClient, member: UserRecord) -> None:
    response = await post_form(client, "/fragen/neu", {**GOOD, "directed_to": "weimar"})
    assert response.status_code in {302, 303}, response.text
    location = response.headers["location"]
    qid = int(location.rsplit("/", 1)[1])
    row = await Question.select().where(Question.id == qid).first().run()
    assert row is not None
    assert row["body"] == "Wir bauen um.\n\n- Spielecke?\n- Farben?"

    page = await get_page(client, location)
    assert "Ihre Frage ist veröffentlicht." in flashes(page)
    assert page.find("h1").text == GOOD["title"]
    assert "gerichtet an Stadt Weimar" in page.find("main").text
    assert page.find("div", cls="markdown").find("ul").text == "Spielecke? Farben?"


async def test_ask_errors_rerender_with_the_text_kept(
    client: ApiClient, member: UserRecord
) -> None:
    data = {
        "title": "Zu kurz",
        "body": "Mein ausführlicher Text bleibt erhalten.",
        "cornerstone": "",
        "instruments": [
            "terminsystem",
            "service-point-front-office",
            "front-und-back-office-im-wechsel",
            "mobiler-arbeitsplatz",
            "spezialteams",
            "website-mit-faq",
        ],
    }
    response = await post_form(client, "/fragen/neu", data)
    assert response.status_code == 422
    page = html(response)
    assert field_error(page, "title") == "Bitte mindestens 10 Zeichen."
    assert field_error(page, "cornerstone") == "Bitte wählen Sie einen Eckpunkt."
    assert field_error(page, "instruments") == "Bitte wählen Sie höchstens 5 Instrumente."
    # The summary links to each field.
    summary = page.find(cls="error-summary")
    assert {a.get("href") for a in summary.find_all("a")} == {
        "#title",
        "#cornerstone",
        "#instruments",
    }
    # What the user typed and chose stays.
    assert page.by_id("title").get("value") == "Zu kurz"
    assert page.by_id("body").text == "Mein ausführlicher Text bleibt erhalten."
    checked = [
        i.get("value") for i in page.find_all("input", type="checkbox") if "checked" in i.attrs
    ]
    assert checked == data["instruments"]
    assert await Question.count().run() == 0


async def test_ask_with_one_instrument_and_unknown_site(
    client: ApiClient, member: UserRecord
) -> None:
    # One checkbox arrives as a single value, not a list.
    data = {**GOOD, "instruments": "terminsystem", "directed_to": "leipzig"}
    response = await post_form(client, "/fragen/neu", data)
    assert response.status_code == 422
    page = html(response)
    assert (
        field_error(page, "directed_to")
        == "Fragen lassen sich nur an einen Modellstandort richten."
    )
    assert "checked" in page.by_id("instrument-terminsystem").attrs


async def test_script_in_body_is_stored_and_shown_escaped(
    client: ApiClient, member: UserRecord
) -> None:
    body = "Vorher <script>alert('x')</script> nachher"
    response = await post_form(
        client, "/fragen/neu", {**GOOD, "title": "Skript <b>im</b> Titel und Text", "body": body}
    )
    assert response.status_code in {302, 303}
    qid = int(response.headers["location"].rsplit("/", 1)[1])
    row = await Question.select(Question.body).where(Question.id == qid).first().run()
    assert row == {"body": body}

    page_response = await client.get(f"/fragen/{qid}")
    assert "<script>alert" not in page_response.text
    assert "&lt;script&gt;alert" in page_response.text
    assert "<b>im</b>" not in page_response.text
    page = html(page_response)
    assert page.find("h1").text == "Skript <b>im</b> Titel und Text"
    assert page.find("div", cls="markdown").text == "Vorher <script>alert('x')</script> nachher"


async def test_preview_renders_markdown_without_saving(
    client: ApiClient, member: UserRecord
) -> None:
    data = {**GOOD, "body": "Ein **wichtiger** Punkt <script>x()</script>", "aktion": "vorschau"}
    response = await post_form(client, "/fragen/neu", data)
    assert response.status_code == 200
    page = html(response)
    preview = page.find("section", cls="preview")
    assert preview.find("h2").text == "Vorschau"
    assert preview.find("p", cls="preview__title").text == GOOD["title"]
    box = preview.find("div", cls="markdown")
    assert box.find("strong").text == "wichtiger"
    assert box.find_all("script") == []
    # The form keeps everything for the real submit.
    assert page.by_id("title").get("value") == GOOD["title"]
    assert page.by_id("body").text == "Ein **wichtiger** Punkt <script>x()</script>"
    assert page.by_id("cornerstone").find("option", selected="").get("value") == GOOD["cornerstone"]
    assert "checked" in page.by_id("instrument-mehrsprachige-aufrufanlage").attrs
    assert await Question.count().run() == 0
