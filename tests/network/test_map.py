"""The SVG map: Länder, points where they belong, links with names, escaping, fallbacks."""

from __future__ import annotations

import random
import re

import pytest

from fachaustausch.network.map import MapPoint, render_map
from fachaustausch.network.places import known_places
from fachaustausch.network.projection import HEIGHT, WIDTH, project
from tests.network.svg import SVG, inside, land_rings, links, parse

LAENDER = {
    "Baden-Württemberg", "Bayern", "Berlin", "Brandenburg", "Bremen", "Hamburg", "Hessen",
    "Mecklenburg-Vorpommern", "Niedersachsen", "Nordrhein-Westfalen", "Rheinland-Pfalz",
    "Saarland", "Sachsen", "Sachsen-Anhalt", "Schleswig-Holstein", "Thüringen",
}  # fmt: skip

# The authorities of DOMAIN.md (BAMF without a Land, as the seed has it).
SEED = [
    MapPoint("bietigheim-bissingen", "Stadt Bietigheim-Bissingen", "model_site", "Baden-Württemberg"),  # noqa: E501
    MapPoint("deggendorf", "Landkreis Deggendorf", "model_site", "Bayern"),
    MapPoint("potsdam", "Landeshauptstadt Potsdam", "model_site", "Brandenburg"),
    MapPoint("wetteraukreis", "Wetteraukreis", "model_site", "Hessen"),
    MapPoint("essen", "Stadt Essen", "model_site", "Nordrhein-Westfalen"),
    MapPoint("mainz", "Landeshauptstadt Mainz", "model_site", "Rheinland-Pfalz"),
    MapPoint("chemnitz", "Stadt Chemnitz", "model_site", "Sachsen"),
    MapPoint("magdeburg", "Landeshauptstadt Magdeburg", "model_site", "Sachsen-Anhalt"),
    MapPoint("kiel", "Landeshauptstadt Kiel", "model_site", "Schleswig-Holstein"),
    MapPoint("weimar", "Stadt Weimar", "model_site", "Thüringen"),
    MapPoint("heidelberg", "Stadt Heidelberg", "partner", "Baden-Württemberg"),
    MapPoint("erlangen", "Stadt Erlangen", "partner", "Bayern"),
    MapPoint("kassel", "Stadt Kassel", "partner", "Hessen"),
    MapPoint("wiesbaden", "Landeshauptstadt Wiesbaden", "partner", "Hessen"),
    MapPoint("koeln", "Stadt Köln", "partner", "Nordrhein-Westfalen"),
    MapPoint("dresden", "Landeshauptstadt Dresden", "partner", "Sachsen"),
    MapPoint("bamf", "Bundesamt für Migration und Flüchtlinge", "federal", ""),
]  # fmt: skip
PARTNERS = [
    ("bietigheim-bissingen", "heidelberg"), ("deggendorf", "erlangen"),
    ("wetteraukreis", "kassel"), ("wetteraukreis", "wiesbaden"), ("essen", "koeln"),
    ("chemnitz", "dresden"),
]  # fmt: skip


def render(
    points: list[MapPoint],
    *,
    title: str = "Karte",
    partners: list[tuple[str, str]] | None = None,
    highlight_land: str | None = None,
    dom_id: str = "network-map",
) -> str:
    return render_map(
        points,
        title=title,
        description="Das Netzwerk",
        partners=partners or [],
        highlight_land=highlight_land,
        dom_id=dom_id,
    )


def test_the_svg_is_xml_with_a_title_and_description_it_is_labelled_by() -> None:
    root = parse(render(SEED, partners=PARTNERS))
    assert root.tag == f"{SVG}svg"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None
    assert desc is not None
    assert (title.text, desc.text) == ("Karte", "Das Netzwerk")
    assert root.get("aria-labelledby") == title.get("id")
    assert root.get("aria-describedby") == desc.get("id")
    # A group, not an image: the links inside must stay reachable.
    assert root.get("role") == "group"
    assert root.get("viewBox", "").startswith(f"0 0 {WIDTH:g} ")


def test_the_sixteen_laender_are_paths_named_by_their_title() -> None:
    rings = land_rings(parse(render([])))
    assert set(rings) == LAENDER
    assert all(len(r) >= 3 for land in rings.values() for r in land)


@pytest.mark.parametrize(
    ("slug", "land"),
    [(slug, place.land) for slug, place in known_places().items()],
)
def test_each_known_place_lies_in_its_land_and_in_no_other(slug: str, land: str) -> None:
    point = MapPoint(slug, slug, "member", land)
    root = parse(render([point]))
    (link,) = links(root)
    containing = {name for name, r in land_rings(root).items() if inside(r, link.x, link.y)}
    assert containing == {land}


def test_model_sites_land_where_the_issue_names_them() -> None:
    root = parse(render(SEED))
    rings = land_rings(root)
    at = {link.href.rsplit("/", 1)[1]: (link.x, link.y) for link in links(root)}
    assert inside(rings["Schleswig-Holstein"], *at["kiel"])
    assert inside(rings["Thüringen"], *at["weimar"])
    assert inside(rings["Hessen"], *at["wetteraukreis"])
    # Mainz and Wiesbaden face each other across the Rhine, the border of their Länder.
    assert inside(rings["Rheinland-Pfalz"], *at["mainz"])
    assert inside(rings["Hessen"], *at["wiesbaden"])
    assert not inside(rings["Berlin"], *at["potsdam"])
    assert inside(rings["Bayern"], *at["bamf"])


def test_the_projection_keeps_north_up_and_east_right() -> None:
    at = {slug: project(p.lon, p.lat) for slug, p in known_places().items()}
    assert at["kiel"][1] < at["weimar"][1]
    assert at["koeln"][0] < at["dresden"][0]
    # Görlitz and Aachen, the map's east and west ends, fit in the frame.
    assert 0 < project(6.08, 50.78)[0] < project(14.99, 51.15)[0] < WIDTH
    assert 0 < project(10.2, 55.06)[1] < project(10.2, 47.27)[1] < HEIGHT


def test_each_point_is_a_link_to_its_authority_with_an_accessible_name() -> None:
    found = {link.href: link for link in links(parse(render(SEED, partners=PARTNERS)))}
    assert set(found) == {f"/behoerden/{p.slug}" for p in SEED}
    assert found["/behoerden/potsdam"].label == "Landeshauptstadt Potsdam (Modellstandort)"
    assert found["/behoerden/koeln"].label == "Stadt Köln (Partnerbehörde)"
    assert found["/behoerden/bamf"].label == "Bundesamt für Migration und Flüchtlinge (BAMF)"
    # The shape, not only the colour, tells the kinds apart.
    assert found["/behoerden/potsdam"].shape == "circle"
    assert found["/behoerden/koeln"].shape == "rect"
    assert found["/behoerden/bamf"].shape == "path"
    member = links(parse(render([MapPoint("x", "Stadt X", "member", "Hessen")])))[0]
    assert member.shape == "circle"
    assert member.marker.get("fill") == "#ffffff"
    site = found["/behoerden/potsdam"].marker
    assert float(member.marker.get("r", "")) < float(site.get("r", ""))


def test_links_come_in_reading_order_model_sites_first() -> None:
    extra = MapPoint("amt", "Amt", "member", "Hessen")
    kinds = [link.css.split("--")[1] for link in links(parse(render([extra, *SEED])))]
    assert kinds == ["model-site"] * 10 + ["partner"] * 6 + ["federal", "member"]


def test_names_lie_above_all_markers_and_stay_out_of_the_tab_order() -> None:
    root = parse(render(SEED, partners=PARTNERS))
    layers = [g.get("class") for g in root if g.tag == f"{SVG}g"]
    assert layers.index("network-map__labels") > layers.index("network-map__points")
    labels = next(g for g in root if g.get("class") == "network-map__labels")
    assert labels.get("aria-hidden") == "true"
    names = {"".join(a.itertext()): a for a in labels.iter(f"{SVG}a")}
    assert len(names) == len(SEED)  # members carry no name; here there are none
    assert names["Potsdam"].get("href") == "/behoerden/potsdam"
    assert names["BAMF"].get("tabindex") == "-1"
    members = render([MapPoint("amt", "Stadt Amt", "member", "Hessen")])
    assert "Amt</text>" not in members


def test_a_marker_moves_off_a_more_prominent_one_it_would_hide() -> None:
    kassel = known_places()["kassel"]
    county = MapPoint(
        "landkreis-kassel", "Landkreis Kassel", "member", "Hessen", kassel.lat, kassel.lon
    )
    town = next(p for p in SEED if p.slug == "kassel")
    at = {link.href: link for link in links(parse(render([town, county])))}
    partner, member = at["/behoerden/kassel"], at["/behoerden/landkreis-kassel"]
    assert (partner.x, partner.y) == pytest.approx(project(kassel.lon, kassel.lat), abs=0.06)
    gap = ((partner.x - member.x) ** 2 + (partner.y - member.y) ** 2) ** 0.5
    assert 5.5 + 4 < gap < 20
    # Two members at one place may overlap: a cluster stays where it is.
    twins = [MapPoint(f"amt-{i}", "Amt", "member", "Hessen", 50.5, 9.0) for i in range(2)]
    first, second = links(parse(render(twins)))
    assert (first.x, first.y) == (second.x, second.y)


def test_names_are_escaped() -> None:
    name = 'Amt <script>alert("x")</script> & Söhne'
    svg = render([MapPoint("amt", name, "model_site", "Hessen")])
    assert "<script>" not in svg
    root = parse(svg)
    (link,) = links(root)
    assert link.label == f"{name} (Modellstandort)"
    # The name next to the marker comes through as text, not as markup.
    assert name in ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]
    assert root.find(f".//{SVG}script") is None
    title = parse(render([], title='Karte <b>"fett"</b> & mehr')).find(f"{SVG}title")
    assert title is not None
    assert title.text == 'Karte <b>"fett"</b> & mehr'


def test_no_inline_style_script_or_event_handler() -> None:
    svg = render(SEED, partners=PARTNERS, highlight_land="Hessen")
    root = parse(svg)
    for element in root.iter():
        assert element.tag not in {f"{SVG}style", f"{SVG}script", f"{SVG}foreignObject"}
        assert "style" not in element.attrib
        assert not [name for name in element.attrib if name.lower().startswith("on")]


def test_authorities_without_a_place_go_to_the_middle_of_their_land() -> None:
    strangers = [MapPoint(f"amt-{i}", f"Amt {i}", "member", "Thüringen") for i in range(6)]
    root = parse(render([*strangers, MapPoint("bremerhaven-amt", "Amt B", "member", "Bremen")]))
    rings = land_rings(root)
    at = {link.href: (link.x, link.y) for link in links(root)}
    assert len(at) == 7
    for i in range(6):
        assert inside(rings["Thüringen"], *at[f"/behoerden/amt-{i}"])
    # Spread out rather than stacked on one spot.
    assert len({(round(x), round(y)) for x, y in at.values()}) == 7
    assert inside(rings["Bremen"], *at["/behoerden/bremerhaven-amt"])
    dashed = [link for link in links(root) if link.marker.get("stroke-dasharray")]
    assert len(dashed) == 7


def test_brandenburg_s_middle_is_not_in_berlin() -> None:
    root = parse(render([MapPoint("amt", "Amt", "member", "Brandenburg")]))
    rings = land_rings(root)
    (link,) = links(root)
    assert inside(rings["Brandenburg"], link.x, link.y)
    assert not inside(rings["Berlin"], link.x, link.y)


def test_given_coordinates_win_and_coordinates_outside_the_map_fall_back() -> None:
    # Erfurt, given by the caller, is west of Weimar's place in the data.
    erfurt = MapPoint("erfurt", "Stadt Erfurt", "member", "Thüringen", lat=50.9787, lon=11.0328)
    paris = MapPoint("paris", "Paris", "member", "Saarland", lat=48.8566, lon=2.3522)
    root = parse(render([erfurt, paris]))
    at = {link.href: (link.x, link.y) for link in links(root)}
    assert at["/behoerden/erfurt"] == pytest.approx(project(11.0328, 50.9787), abs=0.06)
    assert inside(land_rings(root)["Saarland"], *at["/behoerden/paris"])


def test_an_authority_without_place_or_land_stays_off_the_map() -> None:
    svg = render([MapPoint("nirgends", "Amt Nirgends", "member", "")])
    assert links(parse(svg)) == []


def test_partner_relations_are_lines_between_the_two_points() -> None:
    root = parse(render(SEED, partners=[*PARTNERS, ("kiel", "unknown"), ("essen", "koeln")]))
    at = {link.href.rsplit("/", 1)[1]: (link.x, link.y) for link in links(root)}
    lines = [
        {(float(el.get("x1", "")), float(el.get("y1", ""))),
         (float(el.get("x2", "")), float(el.get("y2", "")))}
        for el in root.iter(f"{SVG}line")
        if el.get("class") == "network-map__partner-line"
    ]  # fmt: skip
    assert len(lines) == len(PARTNERS)
    for a, b in PARTNERS:
        ends = {(round(at[a][0], 1), round(at[a][1], 1)), (round(at[b][0], 1), round(at[b][1], 1))}
        assert any(ends == {(round(x, 1), round(y, 1)) for x, y in line} for line in lines)


def test_the_legend_names_each_kind_shown_with_its_shape() -> None:
    strangers = [MapPoint("amt", "Amt", "member", "Hessen")]
    root = parse(render([*SEED, *strangers], partners=PARTNERS))
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "network-map__legend")
    texts = ["".join(t.itertext()) for t in legend.iter(f"{SVG}text")]
    assert texts[:4] == ["Modellstandort", "Partnerbehörde", "BAMF", "interessierte Behörde"]
    assert "Lage ungefähr (Mitte des Landes)" in texts
    assert any("Partnerbehörde begleitet" in t for t in texts)
    only_sites = parse(render(SEED[:2]))
    legend = next(g for g in only_sites.iter(f"{SVG}g") if g.get("class") == "network-map__legend")
    assert ["".join(t.itertext()) for t in legend.iter(f"{SVG}text")] == ["Modellstandort"]


def test_highlight_marks_exactly_one_land() -> None:
    root = parse(render(SEED, highlight_land="Sachsen"))
    marked = [
        "".join(p.find(f"{SVG}title").itertext())  # type: ignore[union-attr]
        for p in root.iter(f"{SVG}path")
        if "network-map__land--highlight" in p.get("class", "")
    ]
    assert marked == ["Sachsen"]
    lands = [p for p in root.iter(f"{SVG}path") if "network-map__land" in p.get("class", "")]
    fills = {p.get("fill") for p in lands}
    assert len(fills) == 2
    plain = render(SEED, highlight_land="")
    assert "network-map__land--highlight" not in plain


def test_output_is_deterministic() -> None:
    shuffled = SEED[:]
    random.Random(7).shuffle(shuffled)
    assert render(shuffled, partners=PARTNERS[::-1]) == render(SEED, partners=PARTNERS)


def test_the_map_stays_small() -> None:
    svg = render(SEED, partners=PARTNERS)
    path_data = sum(len(d) for d in re.findall(r' d="([^"]*)"', svg))
    assert path_data < 60_000
    assert len(svg.encode()) < 80_000


def test_bad_points_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown authority kind"):
        MapPoint("a", "A", "ministry", "Hessen")
    with pytest.raises(ValueError, match="together"):
        MapPoint("a", "A", "member", "Hessen", lat=50.0)


def test_a_slug_given_twice_and_a_bad_dom_id_are_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        render([SEED[0], SEED[0]])
    with pytest.raises(ValueError, match="no valid id"):
        render(SEED, dom_id='x" onload="alert(1)')
