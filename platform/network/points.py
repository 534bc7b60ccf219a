"""The authorities on the map: what the caller passes in (`MapPoint`) and where each one
ends up (`place_points`), shared by the SVG and by the list that says the same in text."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote

from fachaustausch.network.outline import anchors, lands
from fachaustausch.network.places import known_places
from fachaustausch.network.projection import in_frame, project

KIND_LABELS = {
    "model_site": "Modellstandort",
    "partner": "Partnerbehörde",
    "federal": "BAMF",
    "member": "interessierte Behörde",
}
# Order of the kinds in lists and legend; on the map the first is drawn last (on top).
KIND_ORDER = tuple(KIND_LABELS)

# The kind of town an authority's name starts with; a label or a sort key needs the place.
_PREFIXES = ("Landeshauptstadt ", "Hansestadt ", "Stadt ", "Landkreis ", "Kreis ")

# Authorities placed at their Land's anchor are spread on a spiral this far apart.
_SPREAD = 9.0
_GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))


@dataclass(frozen=True, slots=True)
class MapPoint:
    """One authority: `kind` is an authority kind (model_site, partner, member, federal),
    `land` the name of its Land ("" if none); without `lat`/`lon` it is placed by its slug
    (data/places.json) or, failing that, in the middle of its Land."""

    slug: str
    name: str
    kind: str
    land: str
    lat: float | None = None
    lon: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in KIND_LABELS:
            raise ValueError(f"unknown authority kind {self.kind!r}")
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon are given together or not at all")

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def href(self) -> str:
        return authority_href(self.slug)


class Placement(StrEnum):
    coordinates = "coordinates"  # the caller's lat/lon
    place = "place"  # the place of data/places.json
    land = "land"  # the middle of its Land: its own place is unknown
    unplaced = "unplaced"  # neither place nor Land known: in the list, not on the map


@dataclass(frozen=True, slots=True)
class PlacedPoint:
    point: MapPoint
    land: str
    placement: Placement
    place: str | None = None
    x: float = 0.0
    y: float = 0.0


def authority_href(slug: str) -> str:
    # Slugs are [a-z0-9-]; quoting keeps any other character from leaving the path.
    return f"/behoerden/{quote(slug, safe='')}"


def place_points(points: Iterable[MapPoint]) -> list[PlacedPoint]:
    """Every point with its Land and position, sorted by slug. Raises ValueError for a slug
    given twice."""
    by_slug: dict[str, MapPoint] = {}
    for point in points:
        if point.slug in by_slug:
            raise ValueError(f"authority {point.slug!r} given twice")
        by_slug[point.slug] = point
    places = known_places()
    placed: list[PlacedPoint] = []
    waiting: dict[str, list[MapPoint]] = defaultdict(list)
    for slug, point in sorted(by_slug.items()):
        place = places.get(slug)
        land = point.land if point.land in lands() else (place.land if place else "")
        if point.lat is not None and point.lon is not None and in_frame(point.lon, point.lat):
            x, y = project(point.lon, point.lat)
            placed.append(PlacedPoint(point, land, Placement.coordinates, None, x, y))
        elif place is not None:
            x, y = project(place.lon, place.lat)
            placed.append(PlacedPoint(point, land, Placement.place, place.place, x, y))
        elif land:
            waiting[land].append(point)
        else:
            placed.append(PlacedPoint(point, land, Placement.unplaced))
    for land, group in waiting.items():
        for point, (x, y) in zip(group, _spread(land, len(group)), strict=True):
            placed.append(PlacedPoint(point, land, Placement.land, None, x, y))
    return sorted(placed, key=lambda p: p.point.slug)


def _spread(land: str, count: int) -> list[tuple[float, float]]:
    """`count` positions around the Land's anchor on a sunflower spiral, inside the Land
    (a small Land that runs out of room repeats its anchor)."""
    outline = lands()[land]
    ax, ay = anchors()[land]
    positions = [(ax, ay)]
    k = 1
    while len(positions) < count and k < 4 * count + 32:
        radius, angle = _SPREAD * math.sqrt(k), k * _GOLDEN_ANGLE
        x, y = ax + radius * math.cos(angle), ay + radius * math.sin(angle)
        if outline.contains(x, y):
            positions.append((x, y))
        k += 1
    return positions + [(ax, ay)] * (count - len(positions))


def short_name(name: str, kind: str) -> str:
    """ "Landeshauptstadt Potsdam" -> "Potsdam"; the federal office by its abbreviation."""
    if kind == "federal":
        return "BAMF"
    for prefix in _PREFIXES:
        if name.startswith(prefix) and len(name) > len(prefix):
            return name[len(prefix) :]
    return name


def kind_rank(kind: str) -> int:
    return KIND_ORDER.index(kind)


def partner_pairs(
    pairs: Iterable[tuple[str, str]], placed: Sequence[PlacedPoint]
) -> list[tuple[PlacedPoint, PlacedPoint]]:
    """The partner relations between two authorities that are both on the map, each once,
    sorted; pairs naming an authority not given are left out."""
    by_slug = {p.point.slug: p for p in placed if p.placement is not Placement.unplaced}
    unique = {tuple(sorted(pair)) for pair in pairs if pair[0] != pair[1]}
    return [(by_slug[a], by_slug[b]) for a, b in sorted(unique) if a in by_slug and b in by_slug]
