"""The search page over HTTP, with the in-app search worker: facets with counts and titles,
filters that can be removed, highlighted snippets, pagination, the "keine Treffer" help, the
degraded notice, bad parameters; and the ask form's prefill and similar-questions script."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from litestar import Litestar

from fachaustausch.accounts.policy import Role
from fachaustausch.consultations.phases import Phase
from fachaustausch.core.outbox import EntityType, enqueue
from tests.consultations.support import put_in_phase
from tests.factories import ApiClient, UserRecord, make_user
from tests.search.fakes import FakeBackend
from tests.search.test_api import settled
from tests.web.helpers import get_page, sign_in
from tests.web.html import Node
from tests.web.qa import ask

pytestmark = pytest.mark.search_worker


@pytest.fixture
async def member(client: ApiClient) -> UserRecord:
    user = await make_user(Role.member, display_name="Jana Becker")
    await sign_in(client, user)
    return user


def hits(page: Node) -> list[Node]:
    return page.find_all("li", cls="hit")


def hit_titles(page: Node) -> list[str]:
    return [hit.find("h2").text for hit in hits(page)]


def facet(page: Node, legend: str) -> dict[str, Node]:
    """The links of one facet group by their label."""
    group = page.find("nav", aria_label=f"Filter {legend}")
    return {a.find(cls="facet__label").text: a for a in group.find_all("a")}


def count_of(link: Node) -> int:
    return int(link.find(cls="facet__count").text.split()[0])


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


async def test_results_show_query_count_hits_and_facets(
    client: ApiClient, member: UserRecord
) -> None:
    qid = await ask(
        member,
        "Wie organisieren Sie die Terminvergabe für Studierende?",
        instruments=["terminsystem", "mobiler-arbeitsplatz"],
    )
    await ask(
        member,
        "Wie gestalten Sie den Wartebereich rund um die Terminvergabe?",
        body="Unser Wartebereich ist zu klein für die Terminvergabe am Morgen.",
        cornerstone="erscheinungsbild-kommunikation",
        instruments=["raum-und-wartebereichsgestaltung"],
    )
    await ask(
        member,
        "Welche Fremdsprachenschulungen empfehlen Sie?",
        body="Englisch und Arabisch für das Front-Office.",
        cornerstone="kompetenzen-mitarbeitende",
        instruments=["fremdsprachenschulungen"],
    )
    await settled()

    page = await get_page(client, "/suche?q=Terminvergabe")
    main = page.find("main")
    assert page.by_id("suchbegriff").get("value") == "Terminvergabe"
    assert page.by_id("kopf-suche").get("value") == "Terminvergabe"
    assert page.by_id("trefferzahl").text == "2 Treffer für „Terminvergabe“"
    assert sorted(hit_titles(page)) == [
        "Wie gestalten Sie den Wartebereich rund um die Terminvergabe?",
        "Wie organisieren Sie die Terminvergabe für Studierende?",
    ]
    first = next(h for h in hits(page) if "Studierende" in h.text)
    assert first.find("a").get("href") == f"/fragen/{qid}"
    assert first.find(cls="kern-badge").text == "Frage"
    assert "Offen" in first.find(cls="hit__type").text
    tags = first.find(cls="hit__tags").text
    assert "Eckpunkt 2. Binnenorganisation" in tags
    assert "Terminsystem" in tags
    assert "Mobiler Arbeitsplatz" in tags
    snippets = [h.find(cls="hit__snippet") for h in hits(page)]
    assert any(s.find_all("mark") for s in snippets)

    cornerstones = facet(page, "Eckpunkt")
    assert {k: count_of(v) for k, v in cornerstones.items()} == {
        "2. Binnenorganisation": 1,
        "3. Äußeres Erscheinungsbild und externe Kommunikation": 1,
    }
    assert count_of(facet(page, "Art")["Fragen"]) == 2
    assert count_of(facet(page, "Status")["Offen"]) == 2
    assert count_of(facet(page, "Instrument")["Terminsystem"]) == 1
    assert "Ergebnisse eingrenzen" in main.text


async def test_a_facet_filters_and_the_filter_can_be_removed(
    client: ApiClient, member: UserRecord
) -> None:
    await ask(member, "Wie organisieren Sie die Terminvergabe für Studierende?")
    await ask(
        member,
        "Wie gestalten Sie den Wartebereich rund um die Terminvergabe?",
        cornerstone="erscheinungsbild-kommunikation",
        instruments=[],
    )
    await settled()
    page = await get_page(client, "/suche?q=Terminvergabe")
    link = facet(page, "Eckpunkt")["2. Binnenorganisation"]
    assert query(link.get("href")) == {"q": ["Terminvergabe"], "eckpunkt": ["binnenorganisation"]}

    page = await get_page(client, link.get("href"))
    assert hit_titles(page) == ["Wie organisieren Sie die Terminvergabe für Studierende?"]
    active = facet(page, "Eckpunkt")["2. Binnenorganisation"]
    assert active.get("aria-current") == "true"
    assert "ausgewählt" in active.text
    # The search box keeps the filter; the active filter is listed with a remove link.
    assert page.find("form", cls="search-form").find("input", name="eckpunkt").get("value") == (
        "binnenorganisation"
    )
    [chip] = page.find_all("a", cls="active-filter")
    assert chip.text.startswith("Eckpunkt: 2. Binnenorganisation")
    assert chip.get("href") == "/suche?q=Terminvergabe"
    assert active.get("href") == "/suche?q=Terminvergabe"

    page = await get_page(client, "/suche?q=Terminvergabe&typ=frage&status=offen")
    labels = [a.text for a in page.find_all("a", cls="active-filter")]
    assert [label.split(" ×")[0] for label in labels] == ["Art: Fragen", "Status: Offen"]
    assert page.find("a", href="/suche?q=Terminvergabe").text == "Alle Filter entfernen"


async def test_closed_consultations_and_the_type_filter(
    client: ApiClient, member: UserRecord
) -> None:
    cast = await put_in_phase_closed()
    await ask(member, "Wie finden Sie Unterlagen aus dem Herkunftsland?")
    await settled()
    page = await get_page(client, "/suche?q=Unterlagen")
    types = facet(page, "Art")
    assert set(types) == {"Fragen", "Fallberatungen"}
    page = await get_page(client, types["Fallberatungen"].get("href"))
    [hit] = hits(page)
    assert hit.find("a").get("href") == f"/fallberatungen/{cast}"
    assert hit.find(cls="kern-badge").text == "Fallberatung"
    assert "Abgeschlossen" in hit.find(cls="hit__type").text


async def put_in_phase_closed() -> int:
    """A closed consultation (written straight into the tables), queued for the index as
    closing it through the service would."""
    cast = await put_in_phase(Phase.closed)
    await enqueue(EntityType.consultation, cast.id)
    return cast.id


async def test_pagination_with_zurueck_and_weiter(client: ApiClient, member: UserRecord) -> None:
    for n in range(23):
        await ask(member, f"Frage Nummer {n + 1} zur Aufenthaltserlaubnis", instruments=[])
    await settled()
    page = await get_page(client, "/suche?q=Aufenthaltserlaubnis")
    assert len(hits(page)) == 20
    assert page.by_id("trefferzahl").text.startswith("23 Treffer, angezeigt 1–20")
    pager = page.find("nav", cls="pager")
    assert "Seite 1 von 2" in pager.text
    assert pager.find_all("a", rel="prev") == []
    weiter = pager.find("a", rel="next")
    assert weiter.text == "Weiter"
    assert query(weiter.get("href")) == {"q": ["Aufenthaltserlaubnis"], "seite": ["2"]}

    page = await get_page(client, weiter.get("href"))
    assert len(hits(page)) == 3
    assert page.find("ol", cls="hit-list").get("start") == "21"
    pager = page.find("nav", cls="pager")
    assert pager.find_all("a", rel="next") == []
    zurueck = pager.find("a", rel="prev")
    assert zurueck.text == "Zurück"
    assert zurueck.get("href") == "/suche?q=Aufenthaltserlaubnis"
    first_page = set(hit_titles(await get_page(client, zurueck.get("href"))))
    assert not first_page & set(hit_titles(page))


async def test_no_hits_helps_with_tips_and_an_ask_link(
    client: ApiClient, member: UserRecord
) -> None:
    await ask(member)
    await settled()
    page = await get_page(client, "/suche?q=Zauberstab+Einhorn&eckpunkt=vernetzung")
    help_box = page.find(cls="no-hits")
    assert "Keine Treffer für „Zauberstab Einhorn“" in help_box.find("h2").text
    assert "andere oder allgemeinere Wörter" in help_box.text
    assert "Tippfehler" in help_box.text
    assert help_box.find("a", href="/suche?q=Zauberstab+Einhorn").text == "ohne Filter suchen"
    ask_link = help_box.find("a", href="/fragen/neu?titel=Zauberstab+Einhorn")
    assert ask_link.text == "Stellen Sie sie selbst"
    assert page.find_all("nav", cls="pager") == []


async def test_typo_tolerant_search_finds_the_question(
    client: ApiClient, member: UserRecord
) -> None:
    await ask(member)
    await settled()
    page = await get_page(client, "/suche?q=Terminvergbe")
    assert hit_titles(page) == ["Wie organisieren Sie die Online-Terminvergabe?"]


async def test_titles_and_queries_are_escaped(client: ApiClient, member: UserRecord) -> None:
    await ask(member, "Was tun bei <script>alert(1)</script> im Titel?", instruments=[])
    await settled()
    response = await client.get("/suche?q=%3Cscript%3E+Titel")
    assert response.status_code == 200
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;" in response.text


@pytest.mark.parametrize(
    "params",
    [
        "typ=gedicht",
        "status=verschollen",
        "eckpunkt=gibt-es-nicht",
        "instrument=zauberstab",
        "seite=0",
        "seite=abc",
        "seite=101",
        "seite=99999999999999999999",
        "q=" + "x" * 201,
    ],
)
async def test_bad_parameters_answer_a_german_422(
    client: ApiClient, member: UserRecord, params: str
) -> None:
    page = await get_page(client, f"/suche?{params}", status=422)
    assert page.find("h1").text
    assert "Bitte" in page.find("main").text


async def test_degraded_search_shows_the_notice_and_title_matches(
    client: ApiClient, app: Litestar, member: UserRecord
) -> None:
    await ask(member, "Wie organisieren Sie die Terminvergabe?")
    await settled()
    backend = FakeBackend()
    backend.fail_searches = True
    app.state.search = backend
    page = await get_page(client, "/suche?q=Terminvergabe")
    alert = page.find("main").find("div", cls="kern-alert--warning")
    assert "Suche vorübergehend eingeschränkt" in alert.text
    assert "Titel den Suchbegriff enthält" in alert.text
    assert hit_titles(page) == ["Wie organisieren Sie die Terminvergabe?"]


async def test_empty_query_lists_everything_without_a_notice(
    client: ApiClient, member: UserRecord
) -> None:
    await ask(member)
    await settled()
    page = await get_page(client, "/suche")
    assert page.find_all("div", cls="kern-alert--warning") == []
    assert page.by_id("suchbegriff").get("value") == ""


# --- the ask form ------------------------------------------------------------------------------


async def test_ask_form_takes_the_title_from_the_address_and_loads_the_script(
    client: ApiClient, member: UserRecord
) -> None:
    page = await get_page(client, "/fragen/neu?titel=Wie+lange+gilt+ein+eAT%3F")
    assert page.by_id("title").get("value") == "Wie lange gilt ein eAT?"
    region = page.by_id("aehnliche-fragen")
    assert region.get("aria-live") == "polite"
    assert region.get("data-similar-url") == "/api/v1/search/similar"
    elements = page.find_all("script")
    scripts = [e.get("src") for e in elements]
    # Every script is a file of the platform's own, the form's among them.
    assert all(src and src.startswith("/static/js/") for src in scripts), scripts
    assert {"/static/js/instrument-filter.js", "/static/js/similar.js"} <= set(scripts)
    assert all(not e.children for e in elements), "no inline script"

    response = await client.get("/static/js/similar.js")
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    assert 'credentials: "same-origin"' in response.text

    # Other pages do not load it; without ?titel= the field is empty.
    page = await get_page(client, "/fragen/neu")
    assert page.by_id("title").get("value") == ""
    other = [e.get("src") for e in (await get_page(client, "/fragen")).find_all("script")]
    assert "/static/js/similar.js" not in other


async def test_similar_questions_endpoint_feeds_the_script(
    client: ApiClient, member: UserRecord
) -> None:
    qid = await ask(member)
    await settled()
    response = await client.get("/api/v1/search/similar", params={"title": "Terminvergabe online"})
    assert response.status_code == 200
    assert [item["url"] for item in response.json()] == [f"/fragen/{qid}"]
