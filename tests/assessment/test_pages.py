"""The self-assessment pages without JavaScript: one cornerstone per step with the draft
kept, a summary before submitting, and the results with chart, table, need, comparison,
recommendations, the pre-filled ask form and the CSV export."""

from __future__ import annotations

import csv
import io
from typing import Any

from fachaustausch.accounts.policy import Role
from tests.assessment.support import API, criteria
from tests.factories import ApiClient, make_user
from tests.web.helpers import field_error, get_page, html, post_form, sign_in

BASE = "/standortbestimmung"


async def _member(client: ApiClient, authority: str = "leipzig") -> None:
    await sign_in(client, await make_user(Role.member, authority=authority))


def _step_fields(items: list[dict[str, Any]], number: int, rate: tuple[int, int]) -> dict[str, str]:
    fields: dict[str, str] = {}
    for c in items:
        if c["cornerstone"] == number:
            fields[f"status-{c['id']}"] = str(rate[0])
            fields[f"relevance-{c['id']}"] = str(rate[1])
            fields[f"note-{c['id']}"] = ""
    return fields


async def test_the_steps_keep_the_draft_and_lead_to_the_summary(client: ApiClient) -> None:
    await _member(client)
    overview = await get_page(client, BASE)
    overview.find("a", href=f"{BASE}/eckpunkt/1")
    items = await criteria(client)
    step = await get_page(client, f"{BASE}/eckpunkt/1")
    first = items[0]["id"]
    assert step.by_id(f"status-{first}-1").get("type") == "radio"
    fields = _step_fields(items, 1, (2, 5))
    fields[f"note-{first}"] = "Leitbild in Arbeit"
    response = await post_form(client, f"{BASE}/eckpunkt/1", {**fields, "aktion": "weiter"})
    assert response.status_code in {302, 303}, response.text
    assert response.headers["location"] == f"{BASE}/eckpunkt/2"
    again = await get_page(client, f"{BASE}/eckpunkt/1")
    assert "checked" in again.by_id(f"status-{first}-2").attrs
    assert again.by_id(f"note-{first}").text == "Leitbild in Arbeit"
    for number in range(2, 6):
        response = await post_form(
            client, f"{BASE}/eckpunkt/{number}", _step_fields(items, number, (3, 3))
        )
        assert response.status_code in {302, 303}
    assert response.headers["location"] == f"{BASE}/zusammenfassung"
    summary = await get_page(client, f"{BASE}/zusammenfassung")
    assert "Leitbild in Arbeit" in summary.text
    assert "(Relevanz − 1) × (5 − Stand) ÷ 4" in summary.text
    submitted = await post_form(client, f"{BASE}/einreichen", {})
    assert submitted.status_code in {302, 303}, submitted.text
    location = submitted.headers["location"]
    assert location.startswith(f"{BASE}/runden/")
    results = await get_page(client, location)
    svg = results.find("svg")
    assert svg.get("role") == "img"
    assert svg.find("title").text
    assert svg.find("desc").text
    assert results.find_all("table")
    assert "(Relevanz − 1) × (5 − Stand) ÷ 4" in results.text
    assert "sobald mindestens 5 Behörden" in results.text
    ask = [a for a in results.find_all("a") if a.get("href").startswith("/fragen/neu?instrument=")]
    assert ask, "each recommendation offers the ask form"
    form = await get_page(client, ask[0].get("href"))
    slug = ask[0].get("href").split("instrument=")[1].split("&")[0]
    assert "checked" in form.by_id(f"instrument-{slug}").attrs
    csv_response = await client.get(f"{location}/bewertungen.csv")
    assert csv_response.status_code == 200
    assert csv_response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(csv_response.text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][:3] == ["Eckpunkt", "Kriterium", "Fassung"]
    assert len(rows) == len(items) + 1
    assert [r[6] for r in rows[1:] if r[6]] == ["Leitbild in Arbeit"]


async def test_a_bad_step_is_shown_again_with_what_was_typed(client: ApiClient) -> None:
    await _member(client)
    items = await criteria(client)
    first = items[0]["id"]
    fields = _step_fields(items, 1, (2, 4))
    fields[f"status-{first}"] = "9"
    fields[f"note-{first}"] = "Herr Yilmaz, geb. 12.03.1985, war unzufrieden."
    response = await post_form(client, f"{BASE}/eckpunkt/1", fields)
    assert response.status_code == 422
    page = html(response)
    assert field_error(page, f"status-{first}")
    assert page.by_id(f"note-{first}").text.startswith("Herr Yilmaz")
    fields[f"status-{first}"] = "2"
    response = await post_form(client, f"{BASE}/eckpunkt/1", fields)
    assert response.status_code == 422
    assert "personenbezogene Daten" in field_error(html(response), f"note-{first}")
    assert (await client.get(API)).json()["draft"] == []


async def test_submitting_an_incomplete_draft_names_what_is_open(client: ApiClient) -> None:
    await _member(client)
    items = await criteria(client)
    await post_form(client, f"{BASE}/eckpunkt/1", _step_fields(items, 1, (2, 4)))
    summary = await get_page(client, f"{BASE}/zusammenfassung")
    assert "offen" in summary.text
    assert not [f for f in summary.find_all("form") if f.get("action") == f"{BASE}/einreichen"]
    response = await post_form(client, f"{BASE}/einreichen", {})
    assert response.status_code == 422
    assert "fehlen noch" in html(response).text


async def test_the_ask_form_takes_the_instrument_and_model_site(client: ApiClient) -> None:
    await _member(client)
    form = await get_page(client, "/fragen/neu?instrument=terminsystem&an=weimar")
    assert "checked" in form.by_id("instrument-terminsystem").attrs
    [chosen] = [o for o in form.by_id("cornerstone").find_all("option") if "selected" in o.attrs]
    assert chosen.get("value") == "binnenorganisation"
    [site] = [o for o in form.by_id("directed_to").find_all("option") if "selected" in o.attrs]
    assert site.get("value") == "weimar"
    # An unknown instrument pre-fills nothing.
    plain = await get_page(client, "/fragen/neu?instrument=gibt-es-nicht")
    assert not [i for i in plain.find_all("input") if "checked" in i.attrs]


async def test_the_results_print_on_a4(client: ApiClient) -> None:
    stylesheet = await client.get("/static/css/assessment.css")
    assert stylesheet.status_code == 200
    assert "@media print" in stylesheet.text
    assert "size: A4" in stylesheet.text
    for page in ("eckpunkt/1", "zusammenfassung"):
        await _member(client)
        html_page = await get_page(client, f"{BASE}/{page}")
        links = [link.get("href") for link in html_page.find_all("link")]
        assert "/static/css/assessment.css" in links
