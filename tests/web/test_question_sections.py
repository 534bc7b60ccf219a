"""Questions where they show up besides the list: the expert's "für mich" page, the
instrument page and the start page (with a constant number of queries)."""

from __future__ import annotations

from fachaustausch.accounts.policy import Role
from tests.factories import ApiClient, make_user
from tests.querycount import count_queries
from tests.web.helpers import get_page, sign_in
from tests.web.html import Node
from tests.web.qa import answer, ask


def titles(section: Node) -> list[str]:
    return [li.find("a").text for li in section.find_all("li", cls="question-item")]


async def test_for_me_lists_open_questions_of_the_experts_instruments(client: ApiClient) -> None:
    expert = await make_user(
        Role.expert, authority="weimar", expertise=["terminsystem", "mobiler-arbeitsplatz"]
    )
    member = await make_user(Role.member)
    await ask(member, "Offene Frage zum Terminsystem hier", minutes_ago=5)
    answered = await ask(member, "Beantwortete Frage zum Terminsystem", minutes_ago=4)
    await answer(member, answered)
    await ask(member, "Frage zur Broschüre, nicht für sie", instruments=["willkommensbroschuere"])
    await ask(
        member,
        "Frage direkt an Weimar gerichtet",
        instruments=[],
        directed_to="weimar",
        minutes_ago=1,
    )

    await sign_in(client, expert)
    page = await get_page(client, "/fragen/fuer-mich")
    assert page.find("h1").text == "Offene Fragen für meine Instrumente"
    main = page.find("main")
    assert titles(main) == [
        "Frage direkt an Weimar gerichtet",
        "Offene Frage zum Terminsystem hier",
    ]
    intro = main.find("p").text
    assert "Terminsystem" in intro
    assert "Stadt Weimar" in intro
    nav = {a.text: a for a in page.find("nav", cls="site-nav").find_all("a")}
    assert nav["Für mich"].get("aria-current") == "page"


async def test_for_me_explains_when_no_instruments(client: ApiClient) -> None:
    await sign_in(client, await make_user(Role.expert, authority="mainz"))
    page = await get_page(client, "/fragen/fuer-mich")
    alert = page.find("main").find(cls="kern-alert--info")
    assert "Für Sie sind keine Instrumente eingetragen" in alert.text
    assert "Zurzeit wartet keine offene Frage auf Sie." in page.find("main").text


async def test_instrument_page_lists_its_newest_ten_questions(client: ApiClient) -> None:
    member = await make_user(Role.member)
    for n in range(12):
        await ask(member, f"Terminfrage Nummer {n:02d} im Test", minutes_ago=60 - n)
    await ask(member, "Frage zu einem ganz anderen Instrument", instruments=["website-mit-faq"])

    await sign_in(client, member)
    page = await get_page(client, "/werkzeugkoffer/terminsystem")
    heading = page.by_id("fragen")
    assert heading.text == "Fragen zu diesem Instrument"
    listed = titles(page.find("main"))
    assert listed == [f"Terminfrage Nummer {n:02d} im Test" for n in range(11, 1, -1)]
    link = page.find("main").find("a", cls="kern-link", href="/fragen?instrument=terminsystem")
    assert link.text == "Alle Fragen zu „Terminsystem“"

    page = await get_page(client, "/werkzeugkoffer/spezialteams")
    assert "Zu diesem Instrument wurde noch keine Frage gestellt." in page.find("main").text


async def test_home_shows_newest_and_unanswered(client: ApiClient) -> None:
    member = await make_user(Role.member)
    for n in range(7):
        await ask(member, f"Startseitenfrage Nummer {n}", minutes_ago=60 - n)
    answered = await ask(member, "Die neueste, schon beantwortete Frage", minutes_ago=1)
    await answer(member, answered)

    await sign_in(client, member)
    page = await get_page(client, "/")
    newest = page.find("section", aria_labelledby="neueste-fragen")
    assert newest.find("h2").text == "Neueste Fragen"
    assert titles(newest) == ["Die neueste, schon beantwortete Frage"] + [
        f"Startseitenfrage Nummer {n}" for n in (6, 5, 4, 3)
    ]
    unanswered = page.find("section", aria_labelledby="unbeantwortete-fragen")
    assert titles(unanswered) == [f"Startseitenfrage Nummer {n}" for n in (6, 5, 4, 3, 2)]
    # Members see no routed questions; the link to ask is there.
    assert page.find_all("section", aria_labelledby="fuer-sie") == []
    assert page.find("main").find("a", href="/fragen/neu").text == "Frage stellen"


async def test_home_shows_experts_their_questions(client: ApiClient) -> None:
    expert = await make_user(Role.expert, authority="weimar", expertise=["terminsystem"])
    member = await make_user(Role.member)
    await ask(member, "Eine Frage zum Terminsystem für Weimar")
    await ask(
        member, "Eine Frage zur Broschüre für niemanden", instruments=["willkommensbroschuere"]
    )
    await sign_in(client, expert)
    page = await get_page(client, "/")
    section = page.find("section", aria_labelledby="fuer-sie")
    assert section.find("h2").text == "Für Sie: offene Fragen zu Ihren Instrumenten"
    assert titles(section) == ["Eine Frage zum Terminsystem für Weimar"]
    nav = {a.text for a in page.find("nav", cls="site-nav").find_all("a")}
    assert "Für mich" in nav


async def _home_queries(client: ApiClient) -> int:
    with count_queries() as counter:
        response = await client.get("/")
    assert response.status_code == 200
    return counter.count


async def test_home_query_count_is_constant(client: ApiClient) -> None:
    expert = await make_user(Role.expert, authority="weimar", expertise=["terminsystem"])
    member = await make_user(Role.member)
    await ask(member, "Eine erste Frage zum Terminsystem")
    await sign_in(client, expert)
    few = await _home_queries(client)
    for n in range(8):
        qid = await ask(
            member,
            f"Weitere Frage Nummer {n} im Test",
            instruments=["terminsystem", "website-mit-faq", "spezialteams"],
        )
        if n % 2:
            await answer(expert, qid)
    assert await _home_queries(client) == few
