"""The shipped outlines and the geometry on them; the labels beside the markers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fachaustausch.network.layout import Marker, place_labels
from fachaustausch.network.outline import DATA, anchors, lands
from fachaustausch.network.points import short_name
from tests.network.svg import _rings


@pytest.mark.parametrize("name", sorted(lands()))
def test_each_land_s_anchor_lies_inside_it_away_from_its_border(name: str) -> None:
    land = lands()[name]
    x, y = anchors()[name]
    assert land.contains(x, y)
    assert land.distance_to_border(x, y) > 3
    for other in set(lands()) - {name}:
        assert not lands()[other].contains(x, y)


@pytest.mark.parametrize("name", sorted(lands()))
def test_the_path_data_draws_the_rings(name: str) -> None:
    land = lands()[name]
    drawn = _rings(land.path)
    assert len(drawn) == len(land.rings)
    for ring, points in zip(land.rings, drawn, strict=True):
        assert len(ring) == len(points)
        for (x, y), (px, py) in zip(ring, points, strict=True):
            assert abs(x - px) <= 0.051
            assert abs(y - py) <= 0.051


def test_holes_are_holes() -> None:
    berlin, brandenburg = lands()["Berlin"], lands()["Brandenburg"]
    x, y = anchors()["Berlin"]
    assert berlin.contains(x, y)
    assert not brandenburg.contains(x, y)
    assert len(brandenburg.rings) == 2


def test_the_data_names_its_source_and_licence() -> None:
    document = json.loads((DATA / "lands.json").read_text(encoding="utf-8"))
    assert "Natural Earth" in document["source"]
    assert "public domain" in document["source"]
    places = json.loads((DATA / "places.json").read_text(encoding="utf-8"))
    assert "GeoNames (CC BY 4.0)" in places["source"]
    source = (Path(DATA) / "SOURCE.md").read_text(encoding="utf-8")
    assert "public domain" in source
    assert "CC BY 4.0" in source


def test_short_names_drop_the_kind_of_town() -> None:
    assert short_name("Landeshauptstadt Potsdam", "model_site") == "Potsdam"
    assert short_name("Stadt Bietigheim-Bissingen", "model_site") == "Bietigheim-Bissingen"
    assert short_name("Wetteraukreis", "model_site") == "Wetteraukreis"
    assert short_name("Bundesamt für Migration und Flüchtlinge", "federal") == "BAMF"


def test_a_label_moves_aside_for_a_neighbour() -> None:
    # Wiesbaden's marker sits right of Mainz: Mainz's name goes to the left.
    mainz = Marker("Mainz", 170, 480, 7)
    wiesbaden = Marker("Wiesbaden", 185, 474, 5.5)
    first, second = place_labels([mainz, wiesbaden])
    assert (first.anchor, first.x) == ("end", 160)
    assert second.anchor == "start"
    alone = place_labels([mainz])[0]
    assert alone.anchor == "start"
    east_edge = place_labels([Marker("Görlitz", 595, 300, 7)])[0]
    assert east_edge.anchor == "end"
