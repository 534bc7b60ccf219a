"""The map's content as a list, grouped by Land."""

from __future__ import annotations

from fachaustausch.network.listing import map_legend_rows
from fachaustausch.network.map import MapPoint
from tests.network.test_map import PARTNERS, SEED


def test_groups_come_federal_first_then_laender_alphabetically() -> None:
    extra = [
        MapPoint("ueberall", "Amt Überall", "member", ""),
        MapPoint("gotha", "Landkreis Gotha", "member", "Thüringen"),
    ]
    groups = map_legend_rows([*SEED, *extra], PARTNERS)
    assert [g.heading for g in groups] == [
        "Bund", "Baden-Württemberg", "Bayern", "Brandenburg", "Hessen", "Nordrhein-Westfalen",
        "Rheinland-Pfalz", "Sachsen", "Sachsen-Anhalt", "Schleswig-Holstein", "Thüringen",
        "Ohne Land",
    ]  # fmt: skip
    assert groups[0].land == ""
    assert groups[-1].land == ""
    assert groups[1].land == "Baden-Württemberg"
    assert sum(len(g.rows) for g in groups) == len(SEED) + len(extra)


def test_rows_carry_kind_link_place_and_partners() -> None:
    groups = {g.heading: g for g in map_legend_rows(SEED, PARTNERS)}
    hessen = groups["Hessen"].rows
    assert [r.slug for r in hessen] == ["wetteraukreis", "kassel", "wiesbaden"]
    site = hessen[0]
    assert (site.name, site.kind_label, site.href) == (
        "Wetteraukreis", "Modellstandort", "/behoerden/wetteraukreis",
    )  # fmt: skip
    assert site.place == "Friedberg (Hessen)"
    assert (site.on_map, site.approximate) == (True, False)
    assert [p.name for p in site.partners] == ["Stadt Kassel", "Landeshauptstadt Wiesbaden"]
    assert [p.href for p in hessen[1].partners] == ["/behoerden/wetteraukreis"]
    (bamf,) = groups["Bund"].rows
    assert (bamf.kind_label, bamf.land, bamf.place) == ("BAMF", "Bayern", "Nürnberg")
    assert groups["Brandenburg"].rows[0].partners == ()


def test_rows_say_how_an_authority_was_placed() -> None:
    rows = {
        r.slug: r
        for g in map_legend_rows(
            [
                MapPoint("gotha", "Landkreis Gotha", "member", "Thüringen"),
                MapPoint("erfurt", "Stadt Erfurt", "member", "Thüringen", 50.9787, 11.0328),
                MapPoint("nirgends", "Amt Nirgends", "member", ""),
            ]
        )
        for r in g.rows
    }
    gotha = rows["gotha"]
    assert (gotha.approximate, gotha.on_map, gotha.place) == (True, True, None)
    assert (rows["erfurt"].approximate, rows["erfurt"].on_map) == (False, True)
    assert (rows["nirgends"].on_map, rows["nirgends"].approximate) == (False, False)


def test_names_sort_the_german_way_within_a_kind() -> None:
    points = [
        MapPoint("z", "Stadt Zwickau", "member", "Sachsen"),
        MapPoint("oe", "Stadt Öhringen-Test", "member", "Sachsen"),
        MapPoint("p", "Stadt Plauen", "member", "Sachsen"),
        MapPoint("chemnitz", "Stadt Chemnitz", "model_site", "Sachsen"),
    ]
    (group,) = map_legend_rows(points)
    assert [r.slug for r in group.rows] == ["chemnitz", "oe", "p", "z"]
