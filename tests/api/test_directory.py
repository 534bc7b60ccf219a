"""Authorities, cornerstones and instruments through the API."""

from __future__ import annotations

import pytest

from fachaustausch.accounts.policy import Role
from tests.factories import ApiClient, assert_problem, make_user

pytestmark = pytest.mark.database


@pytest.fixture
async def member(client: ApiClient) -> ApiClient:
    await client.login(await make_user(Role.member))
    return client


async def test_all_authorities_sorted_by_name(member: ApiClient) -> None:
    authorities = (await member.get("/api/v1/authorities")).json()
    assert len(authorities) == 23
    names = [a["name"] for a in authorities]
    assert names == sorted(names)
    weimar = next(a for a in authorities if a["slug"] == "weimar")
    assert weimar == {
        "slug": "weimar",
        "name": weimar["name"],
        "kind": "model_site",
        "kind_label": "Modellstandort",
        "land": "Thüringen",
    }


@pytest.mark.parametrize(
    ("kind", "count", "label"),
    [
        ("model_site", 10, "Modellstandort"),
        ("partner", 6, "Partnerbehörde"),
        ("member", 6, "interessierte Behörde"),
        ("federal", 1, "BAMF"),
    ],
)
async def test_filter_by_kind(member: ApiClient, kind: str, count: int, label: str) -> None:
    authorities = (await member.get("/api/v1/authorities", params={"kind": kind})).json()
    assert len(authorities) == count
    assert {a["kind"] for a in authorities} == {kind}
    assert {a["kind_label"] for a in authorities} == {label}


async def test_filter_by_land_and_both(member: ApiClient) -> None:
    hessen = (await member.get("/api/v1/authorities", params={"land": "Hessen"})).json()
    assert sorted(a["slug"] for a in hessen) == ["kassel", "wetteraukreis", "wiesbaden"]
    both = (
        await member.get("/api/v1/authorities", params={"land": "Hessen", "kind": "partner"})
    ).json()
    assert sorted(a["slug"] for a in both) == ["kassel", "wiesbaden"]
    thueringen = (await member.get("/api/v1/authorities", params={"land": "Thüringen"})).json()
    assert [a["slug"] for a in thueringen] == ["weimar"]
    none = (await member.get("/api/v1/authorities", params={"land": "Atlantis"})).json()
    assert none == []


async def test_unknown_kind_is_400(member: ApiClient) -> None:
    response = await member.get("/api/v1/authorities", params={"kind": "stadt"})
    body = assert_problem(response, 400, fields=["kind"])
    assert "erlaubten Werte" in body["errors"][0]["message"]


async def test_five_cornerstones_with_their_instruments(member: ApiClient) -> None:
    cornerstones = (await member.get("/api/v1/cornerstones")).json()
    assert [c["number"] for c in cornerstones] == [1, 2, 3, 4, 5]
    assert cornerstones[4]["slug"] == "vernetzung"
    for cornerstone in cornerstones:
        assert cornerstone["title"]
        assert cornerstone["statement"]
        assert cornerstone["instruments"], cornerstone["slug"]
        assert {i["cornerstone"] for i in cornerstone["instruments"]} == {cornerstone["slug"]}
    total = sum(len(c["instruments"]) for c in cornerstones)
    assert total == len((await member.get("/api/v1/instruments")).json()) == 26


async def test_instruments_of_one_cornerstone(member: ApiClient) -> None:
    cornerstones = (await member.get("/api/v1/cornerstones")).json()
    expected = next(c for c in cornerstones if c["slug"] == "vernetzung")["instruments"]
    response = await member.get("/api/v1/instruments", params={"cornerstone": "vernetzung"})
    assert response.status_code == 200
    instruments = response.json()
    assert instruments == expected
    assert {i["cornerstone"] for i in instruments} == {"vernetzung"}
    assert len(instruments) < 26


async def test_unknown_cornerstone_is_404(member: ApiClient) -> None:
    response = await member.get("/api/v1/instruments", params={"cornerstone": "gibt-es-nicht"})
    assert_problem(response, 404, detail="Diesen Eckpunkt gibt es nicht.")


async def test_instrument_detail_lists_active_experts(client: ApiClient) -> None:
    expert = await make_user(Role.expert, display_name="Erika Expertin", expertise=["terminsystem"])
    await make_user(Role.member, expertise=["terminsystem"])  # members are no experts
    await client.login(expert)
    instrument = (await client.get("/api/v1/instruments/terminsystem")).json()
    assert instrument["slug"] == "terminsystem"
    assert instrument["title"] == "Terminsystem"
    assert 1 <= instrument["cornerstone_number"] <= 5
    assert [e["display_name"] for e in instrument["experts"]] == ["Erika Expertin"]


async def test_unknown_instrument_is_404(member: ApiClient) -> None:
    response = await member.get("/api/v1/instruments/gibt-es-nicht")
    assert_problem(response, 404, detail="Dieses Instrument gibt es nicht.")
