"""The audit log as moderators read it: a long text's change as a diff (what was appended
shows), and filters by a person's name and a target's title as well as by number."""

from __future__ import annotations

from fachaustausch.accounts.policy import Role
from tests.factories import ApiClient, make_user
from tests.web.helpers import get_page, post_form, sign_in
from tests.web.html import Node
from tests.web.qa import answer, ask

AUDIT = "/moderation/protokoll"
APPENDED = "Neu seit 2026: Erinnerungen per SMS zwei Tage vor dem Termin."


def entries(page: Node) -> list[Node]:
    return page.find_all("tr", cls="audit-entry")


async def test_a_long_text_change_shows_as_a_diff(client: ApiClient) -> None:
    await sign_in(client, await make_user(Role.moderator))
    page = await get_page(client, "/werkzeugkoffer/terminsystem/bearbeiten")
    description = page.by_id("description").text
    assert len(description) > 80
    response = await post_form(
        client,
        "/werkzeugkoffer/terminsystem/bearbeiten",
        {
            "title": page.by_id("title").get("value"),
            "description": description + "\n\n" + APPENDED,
            "origin_note": page.by_id("origin_note").get("value"),
            "reason": "Ergänzt",
        },
    )
    assert response.status_code in {302, 303}, response.text

    for path in (f"{AUDIT}?aktion=edit_instrument", "/moderation"):
        [entry] = entries(await get_page(client, path))
        change = entry.find(cls="audit-changes")
        added = [ins.text for ins in change.find_all("ins") if ins.text != "Hinzugefügt:"]
        assert added == [f"Hinzugefügt: {APPENDED}"], added
        assert change.find_all("del") == []  # nothing was taken away
        # The text before is there in full, not cut off.
        assert description.split("\n")[0][-30:] in change.text
        assert "…" not in change.text.replace("unveränderte", "")


async def test_filters_by_name_and_title(client: ApiClient) -> None:
    author = await make_user(display_name="Anna Autorin")
    question_id = await ask(author, "Wie gestalten Sie den Wartebereich kinderfreundlich?")
    other_id = await ask(author, "Wie organisieren Sie die Online-Terminvergabe?")
    answer_id = await answer(await make_user(Role.expert), question_id, "Mit einer Spielecke.")
    moderator = await make_user(Role.moderator, display_name="Sabine Krüger")
    await sign_in(client, moderator)

    async def act(action: str, target_type: str, target_id: int, reason: str) -> None:
        response = await post_form(
            client,
            "/moderation/aktionen",
            {
                "action": action,
                "target_type": target_type,
                "target_id": str(target_id),
                "reason": reason,
                "zurueck": "/moderation",
            },
        )
        assert response.status_code in {302, 303}

    await act("lock", "question", question_id, "Ruhe")
    await act("hide", "answer", answer_id, "Doppelt")
    await act("lock", "question", other_id, "Erledigt")

    page = await get_page(client, AUDIT)
    assert "inputmode" not in page.by_id("filter-akteur").attrs  # words, not only digits
    assert "Name" in page.by_id("filter-akteur-hint").text
    assert "Titel" in page.by_id("filter-ziel-hint").text

    # By the acting person's name (a part of it), or by number.
    assert len(entries(await get_page(client, f"{AUDIT}?akteur=Krüger"))) == 3
    assert len(entries(await get_page(client, f"{AUDIT}?akteur=sabine"))) == 3
    assert len(entries(await get_page(client, f"{AUDIT}?akteur={moderator.id}"))) == 3
    assert entries(await get_page(client, f"{AUDIT}?akteur=Niemand")) == []

    # By a target's title: the question and its answer; not the other question.
    rows = entries(await get_page(client, f"{AUDIT}?ziel=Wartebereich"))
    assert [r.find_all("td")[3].text for r in rows] == [
        f"Antwort Nr. {answer_id}",
        f"Frage Nr. {question_id}",
    ]
    rows = entries(await get_page(client, f"{AUDIT}?ziel=wartebereich&aktion=lock"))
    assert len(rows) == 1
    assert entries(await get_page(client, f"{AUDIT}?ziel=Gibt es nicht")) == []
    page = await get_page(client, f"{AUDIT}?ziel=Terminvergabe")
    assert page.by_id("filter-ziel").get("value") == "Terminvergabe"
    assert [r.find_all("td")[3].text for r in entries(page)] == [f"Frage Nr. {other_id}"]

    # The API offers the same filters.
    await client.csrf_token()
    found = await client.get(
        "/api/v1/moderation/audit", params={"actor_name": "Krüger", "target_title": "Warte"}
    )
    assert found.status_code == 200, found.text
    assert {(i["target_type"], i["target_id"]) for i in found.json()["items"]} == {
        ("question", question_id),
        ("answer", answer_id),
    }
