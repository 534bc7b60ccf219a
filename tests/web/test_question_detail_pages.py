"""The question page and its forms: answers in order with badges, votes, accepting,
comments, following, locked questions, edits with reasons and the version history."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.questions import service as questions
from fachaustausch.questions.tables import Answer, Comment, Follow, Question, Revision, Vote
from tests.factories import ApiClient, UserRecord, make_user
from tests.web.helpers import field_error, flashes, get_page, html, post_form, sign_in
from tests.web.html import Node
from tests.web.qa import answer, ask


@pytest.fixture
async def member(client: ApiClient) -> UserRecord:
    user = await make_user(Role.member, display_name="Jana Becker")
    await sign_in(client, user)
    return user


@pytest.fixture
async def expert() -> UserRecord:
    return await make_user(Role.expert, display_name="Katrin Vogel", authority="weimar")


async def switch_to(client: ApiClient, user: UserRecord) -> None:
    client.cookies.clear()
    await sign_in(client, user)


def answers(page: Node) -> list[Node]:
    return page.find_all("article", cls="post--answer")


def redirect(response: Any, location: str) -> None:
    assert response.status_code in {302, 303}, response.text[:2000]
    assert response.headers["location"] == location


async def backdate(question_id: int) -> None:
    """Moves the question's creation an hour back, so a later edit shows as one."""
    at = datetime.now(UTC) - timedelta(hours=1)
    values: dict[Any, Any] = {Question.created_at: at, Question.updated_at: at}
    await Question.update(values).where(Question.id == question_id).run()
    await (
        Answer.update({Answer.created_at: at, Answer.updated_at: at})
        .where(Answer.question == question_id)
        .run()
    )


# --- reading ---------------------------------------------------------------------------------


async def test_question_page_shows_question_and_answers_in_order(
    client: ApiClient, member: UserRecord, expert: UserRecord
) -> None:
    colleague = await make_user(Role.member, display_name="Paul Richter", authority="kassel")
    voter = await make_user(Role.member)
    qid = await ask(member, instruments=["terminsystem", "service-point-front-office"])
    first = await answer(colleague, qid, "Erste Antwort einer Partnerbehörde.")
    second = await answer(expert, qid, "Zweite Antwort aus **Weimar**.")
    third = await answer(colleague, qid, "Dritte Antwort mit Stimme.")
    await questions.vote(await voter.principal(), "answer", third, 1)
    await questions.accept(await member.principal(), second)

    page = await get_page(client, f"/fragen/{qid}")
    assert page.find("h1").text == "Wie organisieren Sie die Online-Terminvergabe?"
    head = page.find("article", id="frage")
    assert head.find(cls="status-badge").text == "Gelöst"
    tag_links = {a.text: a.get("href") for a in head.find("p", cls="post__tags").find_all("a")}
    assert tag_links == {
        "Eckpunkt: Eckpunkt 2: Binnenorganisation": "/fragen?eckpunkt=binnenorganisation",
        "Instrument: Terminsystem": "/werkzeugkoffer/terminsystem",
        "Instrument: Service-Point / Front-Office": "/werkzeugkoffer/service-point-front-office",
    }
    byline = head.find(cls="post__byline").text
    assert "Gefragt von Jana Becker, Stadt Leipzig" in byline
    assert "bearbeitet" not in byline
    assert head.find("div", cls="markdown").find("strong").text == "Terminsystem"

    found = answers(page)
    # Accepted first, then by score, then oldest.
    assert [a.get("id") for a in found] == [
        f"antwort-{second}",
        f"antwort-{third}",
        f"antwort-{first}",
    ]
    accepted = found[0]
    badges = [b.text for b in accepted.find(cls="post__badges").find_all(cls="kern-badge")]
    assert badges == ["✓ Angenommene Antwort", "Antwort eines Modellstandorts"]
    assert "post--accepted" in accepted.classes
    assert accepted.find("div", cls="markdown").find("strong").text == "Weimar"
    assert "Geantwortet von Katrin Vogel, Stadt Weimar" in accepted.text
    assert found[1].find_all(cls="post__badges") == []
    assert found[1].find(cls="vote__score").text == "1 Punkt"
    assert page.find("h2", id="antworten-titel").text == "3 Antworten"


async def test_unknown_question_is_a_404_page(client: ApiClient, member: UserRecord) -> None:
    page = await get_page(client, "/fragen/999999", status=404)
    assert "Diese Frage gibt es nicht." in page.find("main").text
    await get_page(client, "/fragen/99999999999999", status=404)


# --- votes -----------------------------------------------------------------------------------


async def test_vote_on_question_and_answer_via_forms(
    client: ApiClient, member: UserRecord, expert: UserRecord
) -> None:
    asker = await make_user(Role.member)
    qid = await ask(asker)
    aid = await answer(expert, qid)

    page = await get_page(client, f"/fragen/{qid}")
    question_vote = page.find("article", id="frage").find(cls="vote")
    up, down = question_vote.find_all("button")
    assert up.get("aria-pressed") == "false"
    assert up.text == "▲Hilfreich"
    forms = question_vote.find_all("form")
    assert forms[0].get("action") == f"/fragen/{qid}/abstimmen"
    assert forms[0].find("input", name="value").get("value") == "1"

    response = await post_form(client, f"/fragen/{qid}/abstimmen", {"value": "1"})
    redirect(response, f"/fragen/{qid}#frage")
    page = await get_page(client, f"/fragen/{qid}")
    assert "Ihre Bewertung ist gespeichert." in flashes(page)
    question_vote = page.find("article", id="frage").find(cls="vote")
    up, down = question_vote.find_all("button")
    assert up.get("aria-pressed") == "true"
    assert down.get("aria-pressed") == "false"
    assert question_vote.find(cls="vote__score").text == "1 Punkt"
    assert question_vote.find(cls="vote__mine").text == "Ihre Bewertung: +1"
    # Pressing the pressed button again withdraws the vote.
    assert question_vote.find_all("form")[0].find("input", name="value").get("value") == "0"

    response = await post_form(client, f"/antworten/{aid}/abstimmen", {"value": "-1"})
    redirect(response, f"/fragen/{qid}#antwort-{aid}")
    response = await post_form(client, f"/fragen/{qid}/abstimmen", {"value": "0"})
    redirect(response, f"/fragen/{qid}#frage")
    page = await get_page(client, f"/fragen/{qid}")
    assert "Ihre Bewertung ist zurückgenommen." in flashes(page)
    assert page.find("article", id="frage").find(cls="vote__score").text == "0 Punkte"
    answer_vote = page.by_id(f"antwort-{aid}").find(cls="vote")
    assert answer_vote.find(cls="vote__score").text == "-1 Punkt"
    assert answer_vote.find_all("button")[1].get("aria-pressed") == "true"
    assert await Vote.count().run() == 1


async def test_own_posts_show_no_vote_buttons_and_bad_votes_are_refused(
    client: ApiClient, member: UserRecord
) -> None:
    qid = await ask(member)
    page = await get_page(client, f"/fragen/{qid}")
    vote = page.find("article", id="frage").find(cls="vote")
    assert vote.find_all("button") == []
    assert vote.find(cls="vote__score").text == "0 Punkte"

    response = await post_form(client, f"/fragen/{qid}/abstimmen", {"value": "1"})
    assert response.status_code == 403
    assert "Eigene Beiträge können Sie nicht bewerten." in html(response).find("main").text
    response = await post_form(client, f"/fragen/{qid}/abstimmen", {"value": "5"})
    assert response.status_code == 422
    assert "Der Seitenverweis" not in response.text
    assert html(response).find("h1").text


# --- accepting -------------------------------------------------------------------------------


async def test_asker_accepts_an_answer(
    client: ApiClient, member: UserRecord, expert: UserRecord
) -> None:
    qid = await ask(member)
    first = await answer(expert, qid, "Eine Antwort.")
    second = await answer(expert, qid, "Noch eine Antwort.")

    page = await get_page(client, f"/fragen/{qid}")
    buttons = [b.text for b in page.by_id(f"antwort-{second}").find_all("button")]
    assert "Diese Antwort annehmen (von Katrin Vogel)" in buttons

    response = await post_form(client, f"/antworten/{second}/annehmen")
    redirect(response, f"/fragen/{qid}#antwort-{second}")
    page = await get_page(client, f"/fragen/{qid}")
    assert "Die Antwort ist angenommen; die Frage gilt als gelöst." in flashes(page)
    assert page.find("article", id="frage").find(cls="status-badge").text == "Gelöst"
    accepted = answers(page)[0]
    assert accepted.get("id") == f"antwort-{second}"
    assert "✓ Angenommene Antwort" in accepted.text
    assert "Diese Antwort annehmen" not in accepted.text
    # The other one can still take the mark.
    assert "Diese Antwort annehmen" in page.by_id(f"antwort-{first}").text


async def test_member_cannot_accept_on_a_foreign_question(
    client: ApiClient, member: UserRecord, expert: UserRecord
) -> None:
    asker = await make_user(Role.member)
    qid = await ask(asker)
    aid = await answer(expert, qid)

    page = await get_page(client, f"/fragen/{qid}")
    assert "Diese Antwort annehmen" not in page.find("main").text
    response = await post_form(client, f"/antworten/{aid}/annehmen")
    assert response.status_code == 403
    page = html(response)
    assert page.find("h1").text == "Keine Berechtigung"
    assert "Nur wer die Frage gestellt hat" in page.find("main").text
    assert await Answer.count().where(Answer.accepted.eq(True)).run() == 0


# --- answering -------------------------------------------------------------------------------


async def test_answer_via_form(client: ApiClient, member: UserRecord, expert: UserRecord) -> None:
    qid = await ask(member)
    await switch_to(client, expert)
    response = await post_form(
        client, f"/fragen/{qid}/antworten", {"body": "Wir nutzen\r\n\r\n- Online-Termine"}
    )
    aid = await Answer.select(Answer.id).first().run()
    assert aid is not None
    redirect(response, f"/fragen/{qid}#antwort-{aid['id']}")
    page = await get_page(client, f"/fragen/{qid}")
    assert "Ihre Antwort ist veröffentlicht." in flashes(page)
    [found] = answers(page)
    assert "Antwort eines Modellstandorts" in found.text
    assert found.find("li").text == "Online-Termine"
    assert page.find("article", id="frage").find(cls="status-badge").text == "Beantwortet"


async def test_empty_answer_rerenders_with_message(client: ApiClient, member: UserRecord) -> None:
    qid = await ask(member)
    response = await post_form(client, f"/fragen/{qid}/antworten", {"body": "   "})
    assert response.status_code == 422
    page = html(response)
    assert field_error(page, "answer-body") == "Bitte füllen Sie dieses Feld aus."
    assert page.find(cls="error-summary").find("a").get("href") == "#answer-body"
    assert await Answer.count().run() == 0


async def test_locked_question_shows_no_answer_form(
    client: ApiClient, member: UserRecord, expert: UserRecord
) -> None:
    qid = await ask(member)
    aid = await answer(expert, qid)
    await (
        Question.update(
            {Question.locked: True, Question.locked_reason: "Die Diskussion ist abgeschlossen."}
        )
        .where(Question.id == qid)
        .run()
    )

    page = await get_page(client, f"/fragen/{qid}")
    main = page.find("main")
    alert = main.find(cls="kern-alert--warning")
    assert "Diese Frage ist gesperrt" in alert.text
    assert "Grund: Die Diskussion ist abgeschlossen." in alert.text
    assert page.find_all(id="answer-body") == []
    assert "Diese Frage ist gesperrt. Neue Antworten sind nicht möglich." in main.text
    assert page.find_all(cls="comment-add") == []  # no "Kommentieren" link
    assert "Diese Antwort annehmen" not in main.text
    assert "Frage bearbeiten" not in main.text

    # A form sent anyway is refused with the reason, never a 500.
    response = await post_form(client, f"/fragen/{qid}/antworten", {"body": "Trotzdem"})
    redirect(response, f"/fragen/{qid}")
    page = await get_page(client, f"/fragen/{qid}")
    assert "Die Frage ist gesperrt: Antworten ist nicht mehr möglich." in flashes(page)
    response = await post_form(client, f"/antworten/{aid}/annehmen")
    redirect(response, f"/fragen/{qid}#antwort-{aid}")
    assert await Answer.count().run() == 1
    # So is the comment page, reached by an old link.
    response = await client.get(f"/antworten/{aid}/kommentieren", follow_redirects=False)
    redirect(response, f"/fragen/{qid}#antwort-{aid}")
    page = await get_page(client, f"/fragen/{qid}")
    assert "Die Frage ist gesperrt: Kommentieren ist nicht mehr möglich." in flashes(page)


async def test_closed_question_says_why(client: ApiClient, member: UserRecord) -> None:
    qid = await ask(member)
    await (
        Question.update(
            {Question.closed_reason: "outdated", Question.closed_note: "Rechtslage geändert."}
        )
        .where(Question.id == qid)
        .run()
    )
    page = await get_page(client, f"/fragen/{qid}")
    main = page.find("main")
    assert "Diese Frage ist geschlossen" in main.find(cls="kern-alert--info").text
    assert "Rechtslage geändert." in main.text
    assert page.find_all(id="answer-body") == []
    assert "nimmt keine neuen Antworten an" in page.find("section", cls="answer-form").text


# --- comments and following ------------------------------------------------------------------


async def test_comment_on_question_and_answer(
    client: ApiClient, member: UserRecord, expert: UserRecord
) -> None:
    qid = await ask(member)
    aid = await answer(expert, qid)

    response = await post_form(client, f"/fragen/{qid}/kommentare", {"body": "Eine Rückfrage"})
    comment = await Comment.select(Comment.id).first().run()
    assert comment is not None
    redirect(response, f"/fragen/{qid}#kommentar-{comment['id']}")
    response = await post_form(client, f"/antworten/{aid}/kommentare", {"body": "Danke!"})
    assert response.status_code in {302, 303}

    page = await get_page(client, f"/fragen/{qid}")
    assert "Ihr Kommentar ist veröffentlicht." in flashes(page)
    question_comments = page.find("article", id="frage").find("ul", cls="comment-list")
    assert "Eine Rückfrage – Jana Becker, Stadt Leipzig" in question_comments.text
    answer_comments = page.by_id(f"antwort-{aid}").find("ul", cls="comment-list")
    assert answer_comments.find("li").text.startswith("Danke!")


async def test_comment_forms_are_pages_of_their_own(
    client: ApiClient, member: UserRecord, expert: UserRecord
) -> None:
    qid = await ask(member)
    aid = await answer(expert, qid)
    question_page = await get_page(client, f"/fragen/{qid}")
    links = [n.find("a").get("href") for n in question_page.find_all(cls="comment-add")]
    assert links == [f"/fragen/{qid}/kommentieren", f"/antworten/{aid}/kommentieren"]
    assert question_page.find_all("textarea", id="body") == []  # no form under the posts

    page = await get_page(client, f"/fragen/{qid}/kommentieren")
    assert page.find("h1").text == "Kommentar zur Frage"
    assert "Wir planen" in page.find("section", cls="comment-context").text
    assert page.find("main").find("form").get("action") == f"/fragen/{qid}/kommentare"

    page = await get_page(client, f"/antworten/{aid}/kommentieren")
    assert page.find("h1").text.startswith("Kommentar zur Antwort von ")
    assert page.find("main").find("form").get("action") == f"/antworten/{aid}/kommentare"
    cancel = page.find("a", cls="kern-btn--tertiary")
    assert cancel.get("href") == f"/fragen/{qid}#antwort-{aid}"


async def test_comment_errors_stay_on_the_comment_page(
    client: ApiClient, member: UserRecord, expert: UserRecord
) -> None:
    qid = await ask(member)
    aid = await answer(expert, qid)
    long_text = "x" * 1001
    response = await post_form(client, f"/antworten/{aid}/kommentare", {"body": long_text})
    assert response.status_code == 422
    page = html(response)
    assert page.find("h1").text.startswith("Kommentar zur Antwort von ")
    assert field_error(page, "body") == "Bitte höchstens 1000 Zeichen."
    assert page.by_id("body").text == long_text  # what was typed stays
    assert await Comment.count().run() == 0


async def test_comment_pages_of_what_one_may_not_see_do_not_exist(
    client: ApiClient, member: UserRecord, expert: UserRecord
) -> None:
    qid = await ask(member)
    aid = await answer(expert, qid)
    await Answer.update({Answer.hidden: True}).where(Answer.id == aid).run()
    for path in (f"/antworten/{aid}/kommentieren", "/fragen/999999/kommentieren"):
        response = await client.get(path, follow_redirects=False)
        assert response.status_code == 404, path


async def test_follow_and_unfollow(client: ApiClient, member: UserRecord) -> None:
    asker = await make_user(Role.member)
    qid = await ask(asker)
    page = await get_page(client, f"/fragen/{qid}")
    form = page.find("article", id="frage").find("form", action=f"/fragen/{qid}/folgen")
    assert form.find("button").text == "Frage folgen"

    redirect(await post_form(client, f"/fragen/{qid}/folgen"), f"/fragen/{qid}#frage")
    page = await get_page(client, f"/fragen/{qid}")
    assert "Sie folgen dieser Frage und werden über neue Antworten informiert." in flashes(page)
    head = page.find("article", id="frage")
    form = head.find("form", action=f"/fragen/{qid}/nicht-mehr-folgen")
    assert form.find("button").text == "Nicht mehr folgen"
    assert await Follow.count().where(Follow.user == member.id).run() == 1

    redirect(await post_form(client, f"/fragen/{qid}/nicht-mehr-folgen"), f"/fragen/{qid}#frage")
    assert await Follow.count().where(Follow.user == member.id).run() == 0


async def test_hidden_question_is_a_404_for_members(client: ApiClient, member: UserRecord) -> None:
    asker = await make_user(Role.member)
    qid = await ask(asker)
    await (
        Question.update({Question.hidden: True, Question.hidden_reason: "Personenbezug"})
        .where(Question.id == qid)
        .run()
    )
    await get_page(client, f"/fragen/{qid}", status=404)
    assert (await post_form(client, f"/fragen/{qid}/folgen")).status_code == 404

    await switch_to(client, await make_user(Role.moderator))
    page = await get_page(client, f"/fragen/{qid}")
    alert = page.find("main").find(cls="kern-alert--warning")
    assert "Diese Frage ist ausgeblendet" in alert.text
    assert "Grund: Personenbezug" in alert.text


# --- editing and versions --------------------------------------------------------------------


async def test_edit_question_with_reason_creates_a_version_with_a_diff(
    client: ApiClient, member: UserRecord
) -> None:
    body = "Erste Zeile bleibt.\n\nZweite Zeile alt.\n\nDritte Zeile bleibt."
    qid = await ask(member, body=body)
    await backdate(qid)

    page = await get_page(client, f"/fragen/{qid}/bearbeiten")
    assert page.by_id("title").get("value") == "Wie organisieren Sie die Online-Terminvergabe?"
    assert page.by_id("body").text == " ".join(body.split())
    assert "checked" in page.by_id("instrument-terminsystem").attrs
    assert page.by_id("reason").get("value") == ""

    new_body = "Erste Zeile bleibt.\r\n\r\nZweite Zeile neu.\r\n\r\nDritte Zeile bleibt."
    response = await post_form(
        client,
        f"/fragen/{qid}/bearbeiten",
        {
            "title": "Wie organisieren Sie die Terminvergabe online?",
            "body": new_body,
            "cornerstone": "binnenorganisation",
            "instruments": ["terminsystem", "service-point-front-office"],
            "reason": "Frage präzisiert",
        },
    )
    redirect(response, f"/fragen/{qid}#frage")
    [revision] = await Revision.select().run()
    assert revision["reason"] == "Frage präzisiert"
    assert revision["body"] == body

    page = await get_page(client, f"/fragen/{qid}")
    assert "Ihre Änderungen sind gespeichert." in flashes(page)
    assert page.find("h1").text == "Wie organisieren Sie die Terminvergabe online?"
    byline = page.find("article", id="frage").find(cls="post__byline")
    assert "bearbeitet am" in byline.text
    # The link sits with the post's other actions (one size, one line each).
    versions = (
        page.find("article", id="frage")
        .find(cls="post__actions")
        .find("a", href=f"/fragen/{qid}/versionen")
    )
    assert versions.text == "Versionen der Frage"
    assert versions.get("href") == f"/fragen/{qid}/versionen"

    page = await get_page(client, f"/fragen/{qid}/versionen")
    assert page.find("h1").text == "Versionen der Frage"
    [step] = page.find_all("li", cls="version")
    assert "Bearbeitet von Jana Becker. Grund: Frage präzisiert" in step.text
    removed = [d.text for d in step.find_all("del")]
    added = [i.text for i in step.find_all("ins")]
    assert removed == [
        "Entfernt: Wie organisieren Sie die Online-Terminvergabe?",
        "Entfernt: Zweite Zeile alt.",
    ]
    assert added == [
        "Hinzugefügt: Wie organisieren Sie die Terminvergabe online?",
        "Hinzugefügt: Zweite Zeile neu.",
    ]
    assert "Unverändert: Erste Zeile bleibt." in step.text


async def test_edit_needs_a_change_and_valid_fields(client: ApiClient, member: UserRecord) -> None:
    qid = await ask(member)
    unchanged = {
        "title": "Wie organisieren Sie die Online-Terminvergabe?",
        "body": "Wir planen ein **Terminsystem**. Welche Erfahrungen haben Sie gemacht?",
        "cornerstone": "binnenorganisation",
        "instruments": "terminsystem",
        "reason": "nur ein Grund",
    }
    response = await post_form(client, f"/fragen/{qid}/bearbeiten", unchanged)
    assert response.status_code == 422
    assert "Bitte ändern Sie mindestens Titel, Text oder Zuordnung." in html(response).text

    response = await post_form(client, f"/fragen/{qid}/bearbeiten", {**unchanged, "title": "kurz"})
    assert response.status_code == 422
    page = html(response)
    assert field_error(page, "title") == "Bitte mindestens 10 Zeichen."
    assert page.by_id("reason").get("value") == "nur ein Grund"
    assert await Revision.count().run() == 0


async def test_others_cannot_edit(client: ApiClient, member: UserRecord) -> None:
    asker = await make_user(Role.member)
    qid = await ask(asker)
    page = await get_page(client, f"/fragen/{qid}")
    assert "Frage bearbeiten" not in page.find("main").text
    await get_page(client, f"/fragen/{qid}/bearbeiten", status=403)
    response = await post_form(client, f"/fragen/{qid}/bearbeiten", {"title": "Neuer Titel hier"})
    assert response.status_code == 403


async def test_edit_answer_and_its_versions(
    client: ApiClient, member: UserRecord, expert: UserRecord
) -> None:
    qid = await ask(member)
    aid = await answer(expert, qid, "Wir nutzen ein Terminsystem.")
    await backdate(qid)
    page = await get_page(client, f"/fragen/{qid}")
    assert "Antwort bearbeiten" not in page.by_id(f"antwort-{aid}").text
    await get_page(client, f"/antworten/{aid}/bearbeiten", status=403)

    await switch_to(client, expert)
    page = await get_page(client, f"/fragen/{qid}")
    link = page.by_id(f"antwort-{aid}").find("a", href=f"/antworten/{aid}/bearbeiten")
    assert link.text == "Antwort bearbeiten (von Katrin Vogel)"
    page = await get_page(client, f"/antworten/{aid}/bearbeiten")
    assert page.by_id("body").text == "Wir nutzen ein Terminsystem."

    response = await post_form(client, f"/antworten/{aid}/bearbeiten", {"body": "", "reason": ""})
    assert response.status_code == 422
    assert field_error(html(response), "body") == "Bitte füllen Sie dieses Feld aus."

    response = await post_form(
        client,
        f"/antworten/{aid}/bearbeiten",
        {"body": "Wir nutzen seit 2024 ein Terminsystem.", "reason": "Jahr ergänzt"},
    )
    redirect(response, f"/fragen/{qid}#antwort-{aid}")
    page = await get_page(client, f"/fragen/{qid}")
    versions = page.by_id(f"antwort-{aid}").find("a", href=f"/antworten/{aid}/versionen")
    assert versions.text.startswith("Versionen")

    page = await get_page(client, f"/antworten/{aid}/versionen")
    assert page.find("h1").text == "Versionen der Antwort von Katrin Vogel"
    [step] = page.find_all("li", cls="version")
    assert "Grund: Jahr ergänzt" in step.text
    assert [d.text for d in step.find_all("del")] == ["Entfernt: Wir nutzen ein Terminsystem."]
    assert [i.text for i in step.find_all("ins")] == [
        "Hinzugefügt: Wir nutzen seit 2024 ein Terminsystem."
    ]
    assert "Titel" not in [h.text for h in step.find_all("h3")]
