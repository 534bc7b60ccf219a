"""The moderation pages over HTTP: the "Melden" form, the dashboard with its queue, actions
from forms, inline controls on the question page, the audit log, and what the author sees."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import AccountStatus, Role
from fachaustausch.moderation.tables import Flag
from fachaustausch.questions.tables import Answer
from tests.factories import ApiClient, make_user, store_unchecked
from tests.web.helpers import flashes, get_page, html, post_form, sign_in
from tests.web.html import Node
from tests.web.qa import answer, ask

DASHBOARD = "/moderation"
AUDIT = "/moderation/protokoll"


def card(page: Node, target_type: str, target_id: int) -> Node:
    return page.by_id(f"meldung-{target_type}-{target_id}")


def form_fields(form: Node) -> dict[str, str]:
    return {
        i.get("name"): i.get("value")
        for i in form.find_all("input")
        if i.get("type") == "hidden" and i.get("name") != "_csrf_token"
    }


def action_form(scope: Node, action: str) -> dict[str, str]:
    forms = [
        f
        for f in scope.find_all("form", action="/moderation/aktionen")
        if form_fields(f).get("action") == action
    ]
    assert len(forms) == 1, [form_fields(f) for f in scope.find_all("form")]
    return form_fields(forms[0])


async def flag_via_form(
    client: ApiClient, page: Node, target_type: str, target_id: int, reason: str, text: str = ""
) -> list[str]:
    """Follows the post's "Melden" link on `page` and sends the report page's form."""
    link = page.find("a", cls="flag-control", href=flag_href(target_type, target_id))
    report_path = link.get("href")
    form = (await get_page(client, report_path)).find("form", action="/melden")
    assert form.by_id(f"reason-{reason}").get("name") == "reason"
    fields = form_fields(form)
    response = await post_form(
        client, "/melden", {**fields, "reason": reason, "text": text}, page=report_path
    )
    assert response.status_code in {302, 303}, response.text
    assert response.headers["location"] == fields["zurueck"]
    return flashes(await get_page(client, response.headers["location"].split("#")[0]))


def flag_href(target_type: str, target_id: int) -> str:
    return f"/melden?target_type={target_type}&target_id={target_id}"


async def setup_answer() -> tuple[int, int]:
    author = await make_user(display_name="Anna Autorin")
    expert = await make_user(Role.expert, display_name="Erik Experte")
    question_id = await ask(author)
    # Stored before the guard checked answers: what members flag and moderators review.
    answer_id = await answer(expert, question_id, "Bei uns: online.")
    await store_unchecked("answer", answer_id, body="Bei uns: Max Mustermann, geb. 1.1.1980.")
    return question_id, answer_id


# --- who may: every moderation page and action refuses members and experts ------------------

GET_PAGES = [
    DASHBOARD,
    AUDIT,
    AUDIT + "?aktion=hide&von=2020-01-01",
    "/werkzeugkoffer/neu",
    "/werkzeugkoffer/terminsystem/bearbeiten",
    "/werkzeugkoffer/terminsystem/zusammenfuehren",
    "/werkzeugkoffer/eckpunkte/binnenorganisation/bearbeiten",
    "/moderation/registrierungen",
]
POSTS = [
    ("/moderation/aktionen", {"action": "hide", "target_type": "question", "reason": "x"}),
    ("/moderation/aktionen", {"action": "hide", "target_type": "question"}),
    ("/moderation/aktionen", {}),
    ("/moderation/meldungen-verwerfen", {"flag_id": "1"}),
    ("/moderation/meldungen-verwerfen", {}),
    ("/werkzeugkoffer/neu", {"title": "Neues Ding", "cornerstone": "binnenorganisation"}),
    ("/werkzeugkoffer/terminsystem/bearbeiten", {"title": "Anders", "reason": "x"}),
    ("/werkzeugkoffer/terminsystem/zusammenfuehren", {"into": "prozessgestaltung", "reason": "x"}),
    ("/werkzeugkoffer/eckpunkte/binnenorganisation/bearbeiten", {"title": "Anders"}),
    ("/moderation/registrierungen/1/ablehnen", {"reason": "x" * 2000}),
]


@pytest.mark.parametrize("role", [Role.member, Role.expert])
async def test_members_and_experts_are_refused_everywhere(client: ApiClient, role: Role) -> None:
    question_id, _ = await setup_answer()
    await sign_in(client, await make_user(role))
    for path in GET_PAGES:
        page = await get_page(client, path, status=403)
        assert page.find("h1").text == "Keine Berechtigung", path
    for path, data in POSTS:
        if data.get("target_type") == "question":
            data = {**data, "target_id": str(question_id)}
        response = await post_form(client, path, data, page="/")
        assert response.status_code == 403, (path, data, response.status_code)
    # Nothing happened: the toolbox and the question are unchanged.
    await get_page(client, "/werkzeugkoffer/terminsystem")
    await get_page(client, f"/fragen/{question_id}")


async def test_moderator_reaches_every_page(client: ApiClient) -> None:
    await sign_in(client, await make_user(Role.moderator))
    for path in GET_PAGES:
        page = await get_page(client, path)
        assert page.find("h1").text, path


async def test_navigation_and_inline_controls_only_for_moderators(client: ApiClient) -> None:
    question_id, answer_id = await setup_answer()
    await sign_in(client, await make_user())
    page = await get_page(client, f"/fragen/{question_id}")
    nav = page.find("nav", aria_label="Hauptnavigation")
    assert not nav.find_all("a", href=DASHBOARD)
    assert not page.find_all("form", action="/moderation/aktionen")
    assert page.find_all("a", cls="flag-control")

    client.cookies.clear()
    await sign_in(client, await make_user(Role.moderator))
    page = await get_page(client, f"/fragen/{question_id}")
    assert page.find("nav", aria_label="Hauptnavigation").find("a", href=DASHBOARD)
    question = page.by_id("frage")
    for action in ("hide", "lock", "close"):
        action_form(question.find("details", cls="mod-controls"), action)
    answer_node = page.by_id(f"antwort-{answer_id}")
    action_form(answer_node, "hide")
    action_form(answer_node, "mark_outdated")
    ids = [n.get("id") for n in page.iter() if n.get("id")]
    assert len(ids) == len(set(ids)), "ids on the question page are unique"


# --- the "Melden" form -----------------------------------------------------------------------


async def test_member_flags_an_answer_once(client: ApiClient) -> None:
    question_id, answer_id = await setup_answer()
    await sign_in(client, await make_user())
    page = await get_page(client, f"/fragen/{question_id}")
    # Under the answer: a link, named for the post, to a page of its own.
    link = page.by_id(f"antwort-{answer_id}").find("a", cls="flag-control")
    assert link.get("href") == flag_href("answer", answer_id)
    assert link.text == "Melden (die Antwort von Erik Experte)"
    report = await get_page(client, flag_href("answer", answer_id))
    assert report.find("h1").text == "Antwort melden"
    assert "Max Mustermann" in report.find("blockquote").text
    # The seven reasons with their German labels.
    assert len(report.find("form", action="/melden").find_all("input", type="radio")) == 7
    assert report.find("label", for_="reason-personal_data").text == (
        "Enthält personenbezogene Daten"
    )
    cancel = report.find("a", cls="kern-btn--tertiary")
    assert cancel.get("href") == f"/fragen/{question_id}#antwort-{answer_id}"

    messages = await flag_via_form(client, page, "answer", answer_id, "personal_data")
    assert "Danke, die Moderation prüft Ihre Meldung." in messages
    again = await flag_via_form(client, page, "answer", answer_id, "wrong")
    assert any("bereits gemeldet" in m for m in again)


async def test_flag_without_reason_keeps_what_was_typed(client: ApiClient) -> None:
    question_id, _ = await setup_answer()
    await sign_in(client, await make_user())
    report_path = flag_href("question", question_id)
    back = f"/fragen/{question_id}#frage"
    data = {
        "target_type": "question",
        "target_id": str(question_id),
        "zurueck": back,
        "text": "Steht doppelt im Werkzeugkoffer.",
    }
    response = await post_form(client, "/melden", data, page=report_path)
    assert response.status_code == 422
    page = html(response)
    assert page.find("p", cls="kern-error", id="reason-error").text.strip() == (
        "Bitte wählen Sie einen Grund für die Meldung."
    )
    assert page.by_id("text").text == "Steht doppelt im Werkzeugkoffer."
    assert page.find("input", name="zurueck").get("value") == back
    # "other" needs a text: the choice stays made.
    data = {**data, "reason": "other", "text": " "}
    response = await post_form(client, "/melden", data, page=report_path)
    assert response.status_code == 422
    page = html(response)
    assert "Bitte beschreiben Sie kurz, was nicht stimmt." in page.find("main").text
    assert page.by_id("reason-other").get("checked") is not None
    # A foreign return address is not followed: the report goes back to the post.
    data = {**data, "reason": "wrong", "zurueck": "https://example.org/"}
    response = await post_form(client, "/melden", data, page=report_path)
    assert response.headers["location"] == f"/fragen/{question_id}"
    assert await Flag.count().where(Flag.target_id == question_id).run() == 1


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ("target_type=answer&target_id=999999", 404),
        ("target_type=answer&target_id=abc", 404),
        ("target_type=answer&target_id=99999999999", 404),
        ("target_type=antwort&target_id=1", 404),
        ("target_id=1", 404),
        ("target_type=flag&target_id=1", 422),
    ],
)
async def test_report_page_for_no_such_target_is_a_german_error(
    client: ApiClient, query: str, status: int
) -> None:
    await sign_in(client, await make_user())
    page = await get_page(client, f"/melden?{query}", status=status)
    assert page.find("h1").text in {"Seite nicht gefunden", "Ungültige Anfrage"}


async def test_hidden_posts_cannot_be_reported_by_members(client: ApiClient) -> None:
    _, answer_id = await setup_answer()
    await Answer.update({Answer.hidden: True}).where(Answer.id == answer_id).run()
    await sign_in(client, await make_user())
    await get_page(client, flag_href("answer", answer_id), status=404)
    data = {"target_type": "answer", "target_id": str(answer_id), "reason": "wrong"}
    response = await post_form(client, "/melden", data, page="/")
    assert response.status_code == 404
    assert await Flag.count().where(Flag.target_id == answer_id).run() == 0


async def test_own_posts_have_no_flag_link(client: ApiClient) -> None:
    author = await make_user()
    question_id = await ask(author)
    await sign_in(client, author)
    page = await get_page(client, f"/fragen/{question_id}")
    assert not page.find_all("a", cls="flag-control")


# --- the dashboard ---------------------------------------------------------------------------


async def test_dashboard_groups_flags_with_counts(client: ApiClient) -> None:
    question_id, answer_id = await setup_answer()
    for reason, text in (("wrong", ""), ("wrong", ""), ("other", "Quelle fehlt.")):
        reporter = await make_user()
        await sign_in(client, reporter)
        page = await get_page(client, f"/fragen/{question_id}")
        await flag_via_form(client, page, "answer", answer_id, reason, text)
        client.cookies.clear()
    await make_user(status=AccountStatus.pending, display_name="Neu Wartend")

    await sign_in(client, await make_user(Role.moderator))
    page = await get_page(client, DASHBOARD)
    item = card(page, "answer", answer_id)
    assert "Antwort Nr." in item.find("h3").text
    assert item.find("h3").find("a").get("href") == f"/fragen/{question_id}#antwort-{answer_id}"
    text = item.text
    assert "3 Meldungen" in text
    assert "Fachlich falsch: 2" in text
    assert "Anderer Grund: 1" in text
    assert "Quelle fehlt." in text
    main = page.find("main").text
    assert "3 offene Meldungen zu 1 Eintrag" in main
    registrations = page.find("section", aria_labelledby="registrierungen")
    assert "Neu Wartend" in registrations.text
    assert registrations.find("a", href="/moderation/registrierungen")


async def test_auto_hidden_content_waits_for_review(client: ApiClient) -> None:
    question_id, answer_id = await setup_answer()
    for _ in range(3):
        await sign_in(client, await make_user())
        page = await get_page(client, f"/fragen/{question_id}")
        await flag_via_form(client, page, "answer", answer_id, "personal_data")
        client.cookies.clear()
    await sign_in(client, await make_user(Role.moderator))
    page = await get_page(client, DASHBOARD)
    item = card(page, "answer", answer_id)
    assert "wartet auf Prüfung" in item.text
    # Restoring is offered instead of hiding.
    fields = action_form(item, "restore")
    response = await post_form(client, "/moderation/aktionen", fields)
    assert response.headers["location"] == f"/moderation#meldung-answer-{answer_id}"
    page = await get_page(client, DASHBOARD)
    assert "Antwort ist jetzt wieder sichtbar." in " ".join(flashes(page))
    assert not page.find_all(id=f"meldung-answer-{answer_id}")


async def test_hiding_from_the_dashboard_removes_the_answer_for_members(
    client: ApiClient,
) -> None:
    question_id, answer_id = await setup_answer()
    member = await make_user()
    await sign_in(client, member)
    await flag_via_form(
        client, await get_page(client, f"/fragen/{question_id}"), "answer", answer_id, "wrong"
    )
    client.cookies.clear()

    await sign_in(client, await make_user(Role.moderator))
    fields = action_form(card(await get_page(client, DASHBOARD), "answer", answer_id), "hide")
    # Without a reason: a German warning, nothing changes.
    response = await post_form(client, "/moderation/aktionen", fields)
    assert response.status_code in {302, 303}
    page = await get_page(client, DASHBOARD)
    assert "Bitte geben Sie eine Begründung an." in flashes(page)
    assert await Answer.select(Answer.hidden).where(Answer.id == answer_id).first().run() == {
        "hidden": False
    }
    response = await post_form(
        client, "/moderation/aktionen", {**fields, "reason": "Personenbezogene Daten"}
    )
    page = await get_page(client, DASHBOARD)
    assert "Antwort ist jetzt ausgeblendet." in flashes(page)
    assert not page.find_all(id=f"meldung-answer-{answer_id}")
    # The moderator still sees it, marked.
    question_page = await get_page(client, f"/fragen/{question_id}")
    marked = question_page.by_id(f"antwort-{answer_id}").text
    assert "Ausgeblendet: Personenbezogene Daten" in marked
    client.cookies.clear()

    await sign_in(client, member)
    page = await get_page(client, f"/fragen/{question_id}")
    assert not page.find_all(id=f"antwort-{answer_id}")


async def test_hiding_a_question_makes_it_404_for_members(client: ApiClient) -> None:
    question_id, _ = await setup_answer()
    await sign_in(client, await make_user(Role.moderator))
    page = await get_page(client, f"/fragen/{question_id}")
    fields = action_form(page.by_id("frage"), "hide")
    response = await post_form(client, "/moderation/aktionen", {**fields, "reason": "Doppelt"})
    assert response.headers["location"] == f"/fragen/{question_id}#frage"
    page = await get_page(client, f"/fragen/{question_id}")
    assert "Diese Frage ist ausgeblendet" in page.find("main").text
    client.cookies.clear()
    await sign_in(client, await make_user())
    await get_page(client, f"/fragen/{question_id}", status=404)


async def test_close_lock_and_outdated_from_the_question_page(client: ApiClient) -> None:
    question_id, answer_id = await setup_answer()
    other = await ask(await make_user(), "Wie organisieren Sie die Terminvergabe online bitte?")
    await sign_in(client, await make_user(Role.moderator))
    page = await get_page(client, f"/fragen/{question_id}")
    close = action_form(page.by_id("frage"), "close")
    # Duplicate without the other question: a German warning.
    await post_form(client, "/moderation/aktionen", {**close, "close_reason": "duplicate"})
    page = await get_page(client, f"/fragen/{question_id}")
    assert "Bitte nennen Sie die Frage, die doppelt ist." in flashes(page)
    await post_form(
        client,
        "/moderation/aktionen",
        {**close, "close_reason": "duplicate", "duplicate_of": str(other), "reason": "Gibt es"},
    )
    fields = action_form(page.by_id("frage"), "lock")
    await post_form(client, "/moderation/aktionen", {**fields, "reason": "Streit"})
    fields = action_form(page.by_id(f"antwort-{answer_id}"), "mark_outdated")
    await post_form(client, "/moderation/aktionen", {**fields, "reason": "Rechtslage neu"})
    client.cookies.clear()

    await sign_in(client, await make_user())
    text = (await get_page(client, f"/fragen/{question_id}")).find("main").text
    assert "Diese Frage ist geschlossen" in text
    assert "Gibt es" in text
    assert "Diese Frage ist gesperrt" in text
    assert "Grund: Streit" in text
    assert "Diese Antwort ist veraltet Rechtslage neu" in " ".join(text.split())


async def test_dismissing_flags(client: ApiClient) -> None:
    question_id, _ = await setup_answer()
    await sign_in(client, await make_user())
    await flag_via_form(
        client, await get_page(client, f"/fragen/{question_id}"), "question", question_id, "wrong"
    )
    client.cookies.clear()
    await sign_in(client, await make_user(Role.moderator))
    item = card(await get_page(client, DASHBOARD), "question", question_id)
    form = item.find("form", action="/moderation/meldungen-verwerfen")
    flag_ids = [i.get("value") for i in form.find_all("input", name="flag_id")]
    await post_form(client, "/moderation/meldungen-verwerfen", {"flag_id": flag_ids})
    page = await get_page(client, DASHBOARD)
    assert "Die Meldung ist verworfen." in flashes(page)
    assert not page.find_all(id=f"meldung-question-{question_id}")
    recent = page.find("section", aria_labelledby="letzte-aktionen")
    assert "Meldung verworfen" in recent.text


# --- the audit log ---------------------------------------------------------------------------


async def test_audit_log_filters_and_shows_changes(client: ApiClient) -> None:
    question_id, answer_id = await setup_answer()
    moderator = await make_user(Role.moderator)
    await sign_in(client, moderator)
    page = await get_page(client, f"/fragen/{question_id}")
    await post_form(
        client,
        "/moderation/aktionen",
        {**action_form(page.by_id(f"antwort-{answer_id}"), "hide"), "reason": "Daten"},
    )
    await post_form(
        client,
        "/moderation/aktionen",
        {**action_form(page.by_id("frage"), "lock"), "reason": "Ruhe"},
    )

    page = await get_page(client, AUDIT)
    rows = page.find_all("tr", cls="audit-entry")
    assert len(rows) == 2
    assert "Frage Nr." in rows[0].text
    assert "gesperrt" in rows[0].text

    page = await get_page(client, f"{AUDIT}?aktion=hide")
    rows = page.find_all("tr", cls="audit-entry")
    assert len(rows) == 1
    assert "ausgeblendet: nein → ja" in rows[0].text.replace("wird zu", "")
    assert "Daten" in rows[0].text
    assert page.by_id("filter-aktion").find("option", value="hide").get("selected") == ""

    page = await get_page(client, f"{AUDIT}?zieltyp=question&ziel={question_id}")
    assert len(page.find_all("tr", cls="audit-entry")) == 1
    page = await get_page(client, f"{AUDIT}?akteur={moderator.id + 1000}")
    assert "Keine Einträge für diese Filter." in page.find("main").text
    page = await get_page(client, f"{AUDIT}?von=2000-01-01&bis=2000-12-31")
    assert not page.find_all("tr", cls="audit-entry")
    page = await get_page(client, f"{AUDIT}?von=2000-01-01")
    assert len(page.find_all("tr", cls="audit-entry")) == 2

    # Bad filters: a German message next to the field, never a 500.
    page = await get_page(client, f"{AUDIT}?von=gestern&ziel=0&aktion=sprengen&seite=0")
    alert = page.find("main").find("div", role="alert").text
    assert "TT.MM.JJJJ" in alert
    assert "Zahl ab 1" in alert
    assert "angebotenen Aktionen" in alert
    assert page.by_id("filter-von").get("aria-invalid") == "true"


async def test_audit_log_paginates(client: ApiClient) -> None:
    moderator = await make_user(Role.moderator)
    await sign_in(client, moderator)
    for i in range(27):
        question_id = await ask(await make_user(), f"Frage Nummer {i} zum Blättern im Protokoll")
        page = await get_page(client, f"/fragen/{question_id}")
        await post_form(
            client,
            "/moderation/aktionen",
            {**action_form(page.by_id("frage"), "lock"), "reason": f"Grund {i}"},
        )
    page = await get_page(client, f"{AUDIT}?aktion=lock")
    assert len(page.find_all("tr", cls="audit-entry")) == 25
    assert "27 Einträge, Seite 1 von 2" in page.find("main").text
    older = page.find("a", rel="next").get("href")
    assert older == "/moderation/protokoll?aktion=lock&seite=2"
    page = await get_page(client, older)
    assert len(page.find_all("tr", cls="audit-entry")) == 2
    assert page.find("a", rel="prev")


# --- what the author sees --------------------------------------------------------------------


async def test_profile_lists_actions_on_own_content(client: ApiClient) -> None:
    author = await make_user(display_name="Anna Autorin")
    question_id = await ask(author)
    answer_id = await answer(author, question_id, "Meine eigene Antwort.")
    await sign_in(client, await make_user(Role.moderator))
    page = await get_page(client, f"/fragen/{question_id}")
    await post_form(
        client,
        "/moderation/aktionen",
        {**action_form(page.by_id("frage"), "lock"), "reason": "Bitte sachlich bleiben"},
    )
    await post_form(
        client,
        "/moderation/aktionen",
        {**action_form(page.by_id(f"antwort-{answer_id}"), "hide"), "reason": "Enthält Namen"},
    )
    client.cookies.clear()

    await sign_in(client, author)
    page = await get_page(client, "/profil")
    section = page.by_id("moderation")
    assert section.text == "Moderation Ihrer Beiträge"
    notes = page.find_all("li", cls="moderation-note")
    assert len(notes) == 2
    hidden, locked = notes
    assert "Ihre Antwort" in hidden.text
    assert "ausgeblendet" in hidden.text
    assert "Begründung: Enthält Namen" in hidden.text
    assert not hidden.find_all("a")
    assert "Ihre Frage" in locked.text
    assert "gesperrt" in locked.text
    assert "Begründung: Bitte sachlich bleiben" in locked.text
    assert locked.find("a").get("href") == f"/fragen/{question_id}"
    # On the question itself, the reason for the lock.
    text = (await get_page(client, f"/fragen/{question_id}")).find("main").text
    assert "Grund: Bitte sachlich bleiben" in text


async def test_profile_without_actions_says_so(client: ApiClient) -> None:
    await sign_in(client, await make_user())
    page = await get_page(client, "/profil")
    assert "Die Moderation hat an Ihren Beiträgen nichts geändert." in page.find("main").text


async def test_report_page_needs_an_account(client: ApiClient) -> None:
    question_id, _ = await setup_answer()
    path = flag_href("question", question_id)
    response = await client.get(path, follow_redirects=False)
    assert response.status_code in {302, 303}
    assert response.headers["location"].startswith("/anmelden?weiter=/melden")
