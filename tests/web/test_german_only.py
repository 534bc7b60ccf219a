"""No English and no code words reach a user: forms leave required fields to the server's
German messages (the browser's own would say "Please fill out this field."), a stale list
link explains itself in German, and date filters are German text fields."""

from __future__ import annotations

from fachaustausch.accounts.policy import AccountStatus, Role
from fachaustausch.moderation.tables import Flag
from tests.factories import ApiClient, assert_problem, make_user
from tests.web.helpers import flashes, get_page, post_form, sign_in
from tests.web.html import Node
from tests.web.qa import answer, ask

AUDIT = "/moderation/protokoll"


def moderator_action(scope: Node, action: str) -> dict[str, str]:
    """The hidden fields of the inline moderator form for `action`."""
    [form] = [
        f
        for f in scope.find_all("form", action="/moderation/aktionen")
        if f.find_all("input", value=action)
    ]
    return {
        i.get("name"): i.get("value")
        for i in form.find_all("input")
        if i.get("type") == "hidden" and i.get("name") != "_csrf_token"
    }


def forms_validated_by_the_browser(page: Node) -> list[str]:
    """The actions of POST forms with a `required` control but no `novalidate`."""
    return [
        form.get("action")
        for form in page.find_all("form")
        if form.get("method") == "post"
        and "novalidate" not in form.attrs
        and any(
            "required" in control.attrs
            for control in [*form.find_all("input"), *form.find_all("select")]
        )
    ]


async def test_moderation_forms_leave_required_fields_to_the_server(client: ApiClient) -> None:
    author = await make_user()
    question_id = await ask(author)
    answer_id = await answer(await make_user(Role.expert), question_id)
    await make_user(Role.member, status=AccountStatus.pending)
    reporter = await make_user()
    await Flag.insert(
        Flag(reporter=reporter.id, target_type="answer", target_id=answer_id, reason="off_topic")
    ).run()
    await sign_in(client, await make_user(Role.moderator))
    for path in (f"/fragen/{question_id}", "/moderation", "/moderation/registrierungen"):
        page = await get_page(client, path)
        assert page.find_all("form", action="/moderation/aktionen") or "registrierungen" in path
        assert forms_validated_by_the_browser(page) == [], path

    # The empty reason comes back as the server's German message.
    page = await get_page(client, f"/fragen/{question_id}")
    fields = moderator_action(page.by_id("frage"), "hide")
    response = await post_form(client, "/moderation/aktionen", {**fields, "reason": ""})
    assert response.status_code in {302, 303}
    shown = flashes(await get_page(client, response.headers["location"].split("#")[0]))
    assert any("Bitte geben Sie eine Begründung an." in text for text in shown), shown


async def test_a_stale_page_link_shows_the_list_from_its_beginning(client: ApiClient) -> None:
    member = await make_user()
    await ask(member, "Eine Frage, die auf der ersten Seite steht")
    await sign_in(client, member)
    for path in ("/fragen?seite=9999", "/fragen?seite=kaputt", "/fragen/fuer-mich?seite=9999"):
        page = await get_page(client, path)
        notice = page.find("main").find(cls="kern-alert--warning").text
        assert "Bitte beginnen Sie am Anfang der Liste." in notice, path
        assert "cursor" not in page.find("main").text
    page = await get_page(client, "/fragen?seite=9999")
    assert "Eine Frage, die auf der ersten Seite steht" in page.find("main").text
    # The API names its parameter in the problem's field list, not in the German text.
    body = assert_problem(await client.get("/api/v1/questions?cursor=9999"), 422, fields=["cursor"])
    assert "cursor" not in body["detail"]


async def test_audit_dates_are_german_text_fields(client: ApiClient) -> None:
    moderator = await make_user(Role.moderator)
    question_id = await ask(await make_user())
    await sign_in(client, moderator)
    page = await get_page(client, f"/fragen/{question_id}")
    fields = moderator_action(page.by_id("frage"), "lock")
    await post_form(client, "/moderation/aktionen", {**fields, "reason": "Ruhe bitte"})

    page = await get_page(client, AUDIT)
    for name in ("von", "bis"):
        field = page.by_id(f"filter-{name}")
        assert field.get("type") == "text"  # a date field shows the browser's "mm/dd/yyyy"
        assert "TT.MM.JJJJ" in page.by_id(f"filter-{name}-hint").text
    assert page.find_all("input", type="date") == []

    assert (
        len((await get_page(client, f"{AUDIT}?von=01.01.2000")).find_all("tr", cls="audit-entry"))
        == 1
    )
    assert (await get_page(client, f"{AUDIT}?bis=31.12.2000")).find_all(
        "tr", cls="audit-entry"
    ) == []
    # Links from before keep working with ISO dates.
    assert (
        len((await get_page(client, f"{AUDIT}?von=2000-01-01")).find_all("tr", cls="audit-entry"))
        == 1
    )
    page = await get_page(client, f"{AUDIT}?von=gestern")
    assert "TT.MM.JJJJ" in page.find("main").find("div", role="alert").text
    assert page.by_id("filter-von").get("value") == "gestern"
