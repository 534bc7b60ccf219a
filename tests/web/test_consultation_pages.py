"""The consultation pages over HTTP: the list with its filters, "Fallberatung starten" with
the personal-data guard, the consultation page showing only the forms the viewer may use,
the actions (post/redirect/get), closed consultations, and outsiders."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import Role as AccountRole
from fachaustausch.consultations.models import Visibility
from fachaustausch.consultations.phases import Phase, Role
from fachaustausch.consultations.tables import Consultation, ConsultationPost
from tests.consultations.support import CONSULTATION, Cast, phase_of, put_in_phase, start
from tests.factories import ApiClient, UserRecord, make_user
from tests.web.helpers import field_error, flashes, get_page, html, post_form, sign_in
from tests.web.html import Node


async def enter(client: ApiClient, user: UserRecord) -> None:
    """Signs in and reads the start page, which shows (and so consumes) the welcome flash."""
    await sign_in(client, user)
    await get_page(client, "/")


async def switch(client: ApiClient, user: UserRecord) -> None:
    client.logout_local()
    await enter(client, user)


def titles(page: Node) -> list[str]:
    return [li.find("h2").text for li in page.find_all("li", cls="consultation-item")]


def form_actions(page: Node) -> set[str]:
    """The actions of the forms in the page's main area (the logout form is outside); the
    invitation's is a search (GET) that leads to the people to invite."""
    return {f.get("action") for f in page.find("main").find_all("form")}


def kind_options(page: Node) -> list[str]:
    return [o.get("value") for o in page.by_id("kind").find_all("option") if o.get("value")]


# --- the list --------------------------------------------------------------------------------


async def test_list_filters_by_phase_cornerstone_and_mine(client: ApiClient) -> None:
    me = await make_user(AccountRole.member)
    mine = await start(me, title="Unsere Fallberatung zur Terminvergabe")
    other = await make_user(AccountRole.member)
    await start(other, title="Fremde Fallberatung zum Leitbild", cornerstone="selbstverstaendnis")
    advice = await put_in_phase(Phase.advice)
    await enter(client, me)

    page = await get_page(client, "/fallberatungen")
    assert page.find("h1").text == "Kollegiale Fallberatungen"
    assert len(titles(page)) == 3
    nav = page.find("nav", cls="site-nav").find("a", href="/fallberatungen")
    assert nav.get("aria-current") == "page"
    link = page.find("a", href=f"/fallberatungen/{mine}")
    assert link.text == "Unsere Fallberatung zur Terminvergabe"

    page = await get_page(client, "/fallberatungen?meine=1")
    assert titles(page) == ["Unsere Fallberatung zur Terminvergabe"]
    assert page.find("a", href="/fallberatungen?meine=1").get("aria-current") == "page"

    page = await get_page(client, "/fallberatungen?phase=beratung")
    [item] = page.find_all("li", cls="consultation-item")
    assert item.find("a").get("href") == f"/fallberatungen/{advice.id}"
    assert "Phase: Beratung" in item.text
    assert page.by_id("phase").find("option", value="beratung").get("selected") is not None

    page = await get_page(client, "/fallberatungen?eckpunkt=selbstverstaendnis")
    assert titles(page) == ["Fremde Fallberatung zum Leitbild"]

    page = await get_page(client, "/fallberatungen?phase=casting&meine=1&eckpunkt=vernetzung")
    assert titles(page) == []
    assert "Zu dieser Auswahl gibt es keine Fallberatungen" in page.find("main").text


@pytest.mark.parametrize(
    "query", ["phase=irgendwas", "eckpunkt=gibt-es-nicht", "eckpunkt=%00", "phase=%FF"]
)
async def test_unknown_list_filters_answer_a_german_422(client: ApiClient, query: str) -> None:
    await enter(client, await make_user(AccountRole.member))
    page = await get_page(client, f"/fallberatungen?{query}", status=422)
    assert "gibt es nicht" in page.find("main").text


async def test_participants_only_consultations_are_not_listed_for_outsiders(
    client: ApiClient,
) -> None:
    cast = await put_in_phase(Phase.narration, visibility=Visibility.participants)
    await enter(client, cast.outsider)
    page = await get_page(client, "/fallberatungen")
    assert titles(page) == []
    await get_page(client, f"/fallberatungen/{cast.id}", status=404)
    response = await post_form(
        client, f"/fallberatungen/{cast.id}/beitreten", {"role": "advisor"}, page="/fallberatungen"
    )
    assert response.status_code == 404
    assert "Seite nicht gefunden" in html(response).find("h1").text

    await switch(client, cast.advisor)
    page = await get_page(client, "/fallberatungen")
    assert titles(page) == [CONSULTATION["title"]]
    page = await get_page(client, f"/fallberatungen/{cast.id}")
    assert "Nur für Beteiligte" in page.find("main").text


# --- starting ----------------------------------------------------------------------------------


async def test_start_explains_the_method_and_the_anonymisation_rule(client: ApiClient) -> None:
    await enter(client, await make_user(AccountRole.member))
    page = await get_page(client, "/fallberatungen/neu")
    main = page.find("main")
    assert page.find("h1").text == "Fallberatung starten"
    assert "sechs Phasen" in main.text
    assert "Nur anonymisierte Fälle" in main.text
    assert "Gute Ratschläge" in main.text
    assert page.find("label", for_="title").text == "Titel der Fallberatung"
    assert page.find("textarea", name="summary")
    assert page.find("select", name="cornerstone")
    assert page.find("input", type="checkbox", value="terminsystem")
    members = page.by_id("visibility-members")
    assert members.get("checked") is not None
    assert page.find("label", for_="visibility-members").text == "Alle Mitglieder"
    assert page.find("label", for_="visibility-participants").text == "Nur eingeladene Beteiligte"


async def test_start_creates_and_redirects_to_the_new_consultation(client: ApiClient) -> None:
    user = await make_user(AccountRole.member, display_name="Nora Fallgeberin")
    await enter(client, user)
    response = await post_form(
        client,
        "/fallberatungen/neu",
        {
            "title": "Wie gehen wir mit fehlenden Pässen um?",
            "summary": "Ein Kunde aus Eritrea kann keinen Pass beschaffen.\r\n\r\nWas tun?",
            "cornerstone": "binnenorganisation",
            "instruments": ["terminsystem", "spezialteams"],
            "visibility": "participants",
        },
        page="/fallberatungen/neu",
    )
    assert response.status_code in {302, 303}, response.text
    location = response.headers["location"]
    assert location.startswith("/fallberatungen/")
    page = await get_page(client, location)
    main = page.find("main")
    assert page.find("h1").text == "Wie gehen wir mit fehlenden Pässen um?"
    assert "Ihre Fallberatung ist angelegt" in flashes(page)[0]
    assert "Nur für Beteiligte" in main.text
    assert "Spezialteams" in main.text
    participants = page.by_id("beteiligte")
    assert "Nora Fallgeberin" in participants.text
    assert "Fallgeber/in" in participants.text
    consultation_id = int(location.rsplit("/", 1)[1])
    row = (
        await Consultation.select(Consultation.summary)
        .where(Consultation.id == consultation_id)
        .first()
    )
    assert row is not None
    assert row["summary"] == "Ein Kunde aus Eritrea kann keinen Pass beschaffen.\n\nWas tun?"


async def test_guard_findings_are_shown_next_to_the_fields_and_the_text_is_kept(
    client: ApiClient,
) -> None:
    await enter(client, await make_user(AccountRole.member))
    summary = "Herr Yilmaz, geboren am 12.03.1985, erreichbar unter yilmaz@example.de."
    title = "Fall von Herrn Yilmaz aus dem Wetteraukreis"
    before = await Consultation.count()
    response = await post_form(
        client,
        "/fallberatungen/neu",
        {
            "title": title,
            "summary": summary,
            "cornerstone": "binnenorganisation",
            "instruments": "terminsystem",
            "visibility": "participants",
        },
        page="/fallberatungen/neu",
    )
    assert response.status_code == 422
    page = html(response)
    summary_error = field_error(page, "summary")
    assert summary_error.startswith("Bitte entfernen Sie personenbezogene Daten")
    assert "E-Mail-Adresse „yilmaz@example.de“" in summary_error
    assert "Zeichen" in summary_error
    assert "Yilmaz" in field_error(page, "title")
    # What the user typed stays, so only the findings need changing.
    assert page.by_id("summary").text == summary
    assert page.by_id("title").get("value") == title
    assert page.find("input", value="terminsystem").get("checked") is not None
    assert page.by_id("visibility-participants").get("checked") is not None
    assert page.find("main").find("div", role="alert")
    assert await Consultation.count() == before


async def test_missing_fields_are_named(client: ApiClient) -> None:
    await enter(client, await make_user(AccountRole.member))
    response = await post_form(
        client, "/fallberatungen/neu", {"title": "", "summary": ""}, page="/fallberatungen/neu"
    )
    assert response.status_code == 422
    page = html(response)
    assert field_error(page, "title")
    assert field_error(page, "summary") == "Bitte füllen Sie dieses Feld aus."
    assert field_error(page, "cornerstone") == "Bitte wählen Sie einen Eckpunkt."


# --- the consultation page: only the forms the viewer may use ----------------------------------


async def test_casting_offers_join_to_outsiders_and_advance_to_the_mover(
    client: ApiClient,
) -> None:
    case_giver = await make_user(AccountRole.member)
    cid = await start(case_giver)
    outsider = await make_user(AccountRole.member)
    await enter(client, outsider)
    page = await get_page(client, f"/fallberatungen/{cid}")
    assert form_actions(page) == {f"/fallberatungen/{cid}/beitreten"}
    roles = [i.get("value") for i in page.find("main").find_all("input", name="role")]
    assert roles == ["advisor", "facilitator"]
    stepper = page.find("nav", cls="phase-stepper")
    steps = stepper.find("ol").find_all("li")
    assert [s.text.split(" (")[0] for s in steps] == [
        "1 Casting",
        "2 Spontanerzählung",
        "3 Schlüsselfrage",
        "4 Methodenwahl",
        "5 Beratung",
        "6 Abschluss",
    ]
    assert [s.get("aria-current") for s in steps] == ["step", "", "", "", "", ""]

    response = await post_form(
        client, f"/fallberatungen/{cid}/beitreten", {"role": "facilitator"}, page="/fallberatungen"
    )
    assert response.status_code in {302, 303}
    page = await get_page(client, response.headers["location"])
    assert "Sie haben die Gesprächsleitung übernommen." in flashes(page)[0]
    assert "Gesprächsleitung" in page.by_id("beteiligte").text
    # Now the facilitator moves the phases on, and no longer sees a join button.
    assert form_actions(page) == {f"/fallberatungen/{cid}/weiter"}
    button = page.find("form", action=f"/fallberatungen/{cid}/weiter").find("button")
    assert button.text == "Nächste Phase: Spontanerzählung"

    await switch(client, case_giver)
    page = await get_page(client, f"/fallberatungen/{cid}")
    assert form_actions(page) == {f"/fallberatungen/{cid}/einladen"}


@pytest.mark.parametrize(
    ("role", "kinds", "extra"),
    [
        (Role.case_giver, ["clarification", "narration"], {"einladen"}),
        (Role.facilitator, ["clarifying_question"], {"weiter"}),
        (Role.advisor, ["clarifying_question"], set()),
    ],
)
async def test_narration_shows_each_role_its_post_kinds(
    client: ApiClient, role: Role, kinds: list[str], extra: set[str]
) -> None:
    cast = await put_in_phase(Phase.narration)
    await enter(client, cast.by_role(role))
    page = await get_page(client, f"/fallberatungen/{cast.id}")
    assert sorted(kind_options(page)) == kinds
    expected = {f"/fallberatungen/{cast.id}/{a}" for a in {"beitraege", *extra}}
    assert form_actions(page) == expected
    current = page.by_id("aktuelle-phase")
    assert "Aktuelle Phase 2 von 6: Spontanerzählung" in current.find("h2").text
    assert "stellen kurze Verständnisfragen" in current.text
    assert "Weiter geht es, sobald die Fallschilderung" in current.text
    # The casting is done: its section is collapsible.
    details = page.find("details", id="phase-casting")
    assert "Phase 1: Casting" in details.find("summary").text


async def test_outsider_reads_along_once_the_advice_started(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.advice)
    await enter(client, cast.outsider)
    page = await get_page(client, f"/fallberatungen/{cast.id}")
    assert form_actions(page) == set()
    assert "Sie lesen diese Fallberatung mit" in page.by_id("aktuelle-phase").text


async def test_advice_phase_shows_the_method_rules_and_silences_the_case_giver(
    client: ApiClient,
) -> None:
    cast = await put_in_phase(Phase.advice)
    await enter(client, cast.case_giver)
    page = await get_page(client, f"/fallberatungen/{cast.id}")
    current = page.by_id("aktuelle-phase")
    rules = current.find(cls="c-method-rules")
    assert "Regeln der Methode „Gute Ratschläge“" in rules.text
    assert "Ich an Ihrer Stelle würde" in rules.text
    assert "hört nur zu" in current.text
    assert form_actions(page) == {f"/fallberatungen/{cast.id}/einladen"}
    assert "In dieser Phase schreiben Sie als Fallgeber/in nichts" in current.text

    assert cast.facilitator is not None
    await switch(client, cast.facilitator)
    page = await get_page(client, f"/fallberatungen/{cast.id}")
    assert sorted(kind_options(page)) == ["advice", "summary"]


async def test_key_question_and_method_forms_for_their_people(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.key_question)
    await enter(client, cast.case_giver)
    page = await get_page(client, f"/fallberatungen/{cast.id}")
    assert f"/fallberatungen/{cast.id}/schluesselfrage" in form_actions(page)
    response = await post_form(
        client,
        f"/fallberatungen/{cast.id}/schluesselfrage",
        {"key_question": "Wie kommen wir ohne Unterlagen weiter?"},
        page="/fallberatungen",
    )
    assert response.status_code in {302, 303}
    page = await get_page(client, response.headers["location"].split("#")[0])
    assert page.find("dd", cls="c-key-question").text == "Wie kommen wir ohne Unterlagen weiter?"
    assert page.by_id("key_question").get("value") == "Wie kommen wir ohne Unterlagen weiter?"

    assert cast.facilitator is not None
    await switch(client, cast.facilitator)
    page = await get_page(client, f"/fallberatungen/{cast.id}")
    assert f"/fallberatungen/{cast.id}/schluesselfrage" not in form_actions(page)
    assert kind_options(page) == ["key_question_suggestion"]
    await post_form(client, f"/fallberatungen/{cast.id}/weiter", page="/fallberatungen")
    assert await phase_of(cast.id) is Phase.method

    page = await get_page(client, f"/fallberatungen/{cast.id}")
    methods = page.find("fieldset", id="method").find_all("input", type="radio")
    assert len(methods) == 6
    assert "Jede Idee zählt" in page.by_id("method-brainstorming-hint").text
    response = await post_form(
        client, f"/fallberatungen/{cast.id}/methode", {}, page="/fallberatungen"
    )
    assert response.status_code == 422
    assert "Bitte wählen Sie eine der Methoden." in html(response).find("main").text
    response = await post_form(
        client, f"/fallberatungen/{cast.id}/methode", {"method": "hypotheses"}
    )
    assert response.status_code in {302, 303}
    page = await get_page(client, f"/fallberatungen/{cast.id}")
    assert "Die Methode „Hypothesen bilden“ ist gewählt." in flashes(page)[0]
    assert page.by_id("method-hypotheses").get("checked") is not None


# --- actions ----------------------------------------------------------------------------------


async def test_post_refused_by_the_guard_rerenders_with_the_text_kept(
    client: ApiClient,
) -> None:
    cast = await put_in_phase(Phase.narration)
    await enter(client, cast.case_giver)
    body = "Die Kundin, Frau K. Nowak, wohnt in der Hauptstraße 5, 99423 Weimar."
    before = await ConsultationPost.count()
    response = await post_form(
        client,
        f"/fallberatungen/{cast.id}/beitraege",
        {"kind": "narration", "body": body},
        page="/fallberatungen",
    )
    assert response.status_code == 422
    page = html(response)
    message = field_error(page, "body")
    assert message.startswith("Bitte entfernen Sie personenbezogene Daten")
    assert "Nowak" in message
    assert page.by_id("body").text == body
    assert page.by_id("kind").find("option", value="narration").get("selected") is not None
    assert await ConsultationPost.count() == before


async def test_post_is_published_and_shown_in_the_current_phase(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.narration)
    await enter(client, cast.advisor)
    response = await post_form(
        client,
        f"/fallberatungen/{cast.id}/beitraege",
        {"kind": "clarifying_question", "body": "Seit wann **genau** liegt der Antrag vor?"},
        page="/fallberatungen",
    )
    assert response.status_code in {302, 303}
    location = response.headers["location"]
    assert location.startswith(f"/fallberatungen/{cast.id}#beitrag-")
    page = await get_page(client, location.split("#")[0])
    post = page.by_id(location.split("#")[1])
    assert "Verständnisfrage" in post.text
    assert post.find("strong").text == "genau"
    assert post.find_all("script") == []


async def test_refusals_flash_a_warning_or_answer_an_error_page(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.narration)
    await enter(client, cast.advisor)
    # Advice is a kind advisors write, but not now: 409 → a warning on the page.
    response = await post_form(
        client,
        f"/fallberatungen/{cast.id}/beitraege",
        {"kind": "advice", "body": "Zu früh."},
        page="/fallberatungen",
    )
    assert response.status_code in {302, 303}
    page = await get_page(client, response.headers["location"])
    [warning] = flashes(page)
    assert "nicht in der Phase „Spontanerzählung“" in warning
    # A narration is never the advisor's: 403 → a German error page.
    response = await post_form(
        client, f"/fallberatungen/{cast.id}/beitraege", {"kind": "narration", "body": "Ich."}
    )
    assert response.status_code == 403
    assert "Keine Berechtigung" in html(response).find("h1").text
    # Moving on is the facilitator's.
    response = await post_form(client, f"/fallberatungen/{cast.id}/weiter")
    assert response.status_code == 403
    # Unknown post kinds and ids are no 500.
    response = await post_form(
        client, f"/fallberatungen/{cast.id}/beitraege", {"kind": "gedicht", "body": "x"}
    )
    assert response.status_code == 422
    assert field_error(html(response), "kind") == "Bitte wählen Sie die Art Ihres Beitrags."
    response = await post_form(client, "/fallberatungen/99999999999/weiter")
    assert response.status_code == 404
    await get_page(client, "/fallberatungen/99999999999", status=404)


async def test_advance_without_the_result_is_refused_with_a_warning(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.narration)
    assert cast.facilitator is not None
    await enter(client, cast.facilitator)
    response = await post_form(client, f"/fallberatungen/{cast.id}/weiter", page="/fallberatungen")
    assert response.status_code in {302, 303}
    page = await get_page(client, response.headers["location"].split("#")[0])
    assert "kann erst verlassen werden" in flashes(page)[0]
    assert await phase_of(cast.id) is Phase.narration

    cast = await put_in_phase(Phase.narration, with_result=True)
    assert cast.facilitator is not None
    await switch(client, cast.facilitator)
    response = await post_form(client, f"/fallberatungen/{cast.id}/weiter")
    assert response.status_code in {302, 303}
    assert response.headers["location"] == f"/fallberatungen/{cast.id}#aktuelle-phase"
    page = await get_page(client, f"/fallberatungen/{cast.id}")
    assert "jetzt in der Phase „Schlüsselfrage“" in flashes(page)[0]
    assert await phase_of(cast.id) is Phase.key_question


async def test_invite_by_name(client: ApiClient) -> None:
    """The invite box searches people by name or authority; each result is a form that
    invites by handle. No account number in any form."""
    cast = await put_in_phase(Phase.casting, facilitator=False)
    guest = await make_user(AccountRole.member, display_name="Gabi Gast")
    await enter(client, cast.case_giver)
    page = await get_page(client, f"/fallberatungen/{cast.id}")
    assert page.find_all(id="user_id") == []
    search = page.find("form", action=f"/fallberatungen/{cast.id}/einladen")
    assert search.get("method") == "get"
    results = await get_page(client, f"/fallberatungen/{cast.id}/einladen?q=gast")
    [form] = results.find("main").find_all("form", method="post")
    assert form.find("input", name="person").get("value") == "gabi.gast"
    response = await post_form(
        client, f"/fallberatungen/{cast.id}/einladen", {"person": "niemand", "role": "advisor"}
    )
    assert response.status_code == 422
    assert "nicht bekannt" in field_error(html(response), "q")
    response = await post_form(
        client,
        f"/fallberatungen/{cast.id}/einladen",
        {"person": "gabi.gast", "role": "facilitator"},
    )
    assert response.status_code in {302, 303}
    page = await get_page(client, f"/fallberatungen/{cast.id}")
    assert "Gabi Gast" in page.by_id("beteiligte").text
    # Inviting twice is a conflict: a warning, not an error page.
    response = await post_form(
        client,
        f"/fallberatungen/{cast.id}/einladen",
        {"person": "gabi.gast", "role": "advisor"},
    )
    assert response.status_code in {302, 303}
    page = await get_page(client, f"/fallberatungen/{cast.id}")
    assert "nimmt bereits teil" in flashes(page)[0]
    assert guest.id


# --- closed -----------------------------------------------------------------------------------


async def closed_cast() -> Cast:
    return await put_in_phase(Phase.closed)


async def test_closed_shows_the_conclusion_first_and_no_forms(client: ApiClient) -> None:
    cast = await closed_cast()
    for person in (cast.case_giver, cast.outsider):
        await switch(client, person)
        page = await get_page(client, f"/fallberatungen/{cast.id}")
        main = page.find("main")
        assert form_actions(page) == set()
        sections = [s.get("class") for s in main.find_all("section")]
        assert sections[0] == "c-result"
        result = main.find("section", cls="c-result")
        conclusion = "Anonymisierter Beitrag (Abschluss der Fallgeberin oder des Fallgebers)"
        assert conclusion in result.text
        assert "Wie kommen wir ohne die Unterlagen weiter?" in result.text
        assert "Gute Ratschläge" in result.text
        # Every phase is done and collapsible; none is current.
        assert len(main.find_all("details", cls="c-phase")) == 6
        assert all(not li.get("aria-current") for li in main.find("ol").find_all("li"))
        assert "kann nur noch gelesen werden" in main.text
        assert main.find_all(id="aktuelle-phase") == []


# --- reporting a post --------------------------------------------------------------------------


async def test_posts_of_others_can_be_reported(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.advice, with_result=True)
    advice = (
        await ConsultationPost.select(ConsultationPost.id, ConsultationPost.author)
        .where(ConsultationPost.consultation == cast.id)
        .run()
    )
    by_author = {row["author"]: row["id"] for row in advice}
    narration, advisor_post = by_author[cast.case_giver.id], by_author[cast.advisor.id]
    await enter(client, cast.advisor)
    page = await get_page(client, f"/fallberatungen/{cast.id}")
    # Under the case giver's narration, not under the advisor's own post.
    link = page.by_id(f"beitrag-{narration}").find("a", cls="flag-control")
    assert link.get("href") == f"/melden?target_type=consultation_post&target_id={narration}"
    assert not page.by_id(f"beitrag-{advisor_post}").find_all("a", cls="flag-control")

    report = await get_page(client, link.get("href"))
    assert report.find("h1").text == "Beitrag in einer Fallberatung melden"
    form = report.find("form", action="/melden")
    fields = {i.get("name"): i.get("value") for i in form.find_all("input", type="hidden")}
    assert fields["zurueck"] == f"/fallberatungen/{cast.id}#beitrag-{narration}"
    response = await post_form(
        client,
        "/melden",
        {k: v for k, v in fields.items() if k != "_csrf_token"} | {"reason": "personal_data"},
        page=link.get("href"),
    )
    assert response.headers["location"] == fields["zurueck"]
    page = await get_page(client, f"/fallberatungen/{cast.id}")
    assert "Danke, die Moderation prüft Ihre Meldung." in flashes(page)


async def test_outsiders_cannot_report_posts_of_a_closed_circle(client: ApiClient) -> None:
    cast = await put_in_phase(Phase.advice, with_result=True, visibility=Visibility.participants)
    [post_id] = [
        row["id"]
        for row in await ConsultationPost.select(ConsultationPost.id)
        .where(ConsultationPost.author == cast.advisor.id)
        .run()
    ]
    await enter(client, cast.outsider)
    page = await get_page(
        client, f"/melden?target_type=consultation_post&target_id={post_id}", status=404
    )
    assert page.find("h1").text == "Seite nicht gefunden"
