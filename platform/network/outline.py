"""The outlines of the 16 Länder, projected onto the map, with the geometry the map needs:
the SVG path of each Land, whether a point lies inside it, and a point inside it to put an
authority on whose own place is unknown.

The outlines ship in data/lands.json (Natural Earth, public domain; see data/SOURCE.md),
built by scripts/build_network_map.py.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fachaustausch.network.projection import project

DATA = Path(__file__).parent / "data"

Point = tuple[float, float]
Ring = tuple[Point, ...]

# Path coordinates are written in tenths of a map unit: finer than a screen shows.
_TENTHS = 10
# The Land's centre is used as its anchor only this far (in map units) from its border.
_ANCHOR_CLEARANCE = 10.0
_ANCHOR_GRID = 32


@dataclass(frozen=True, slots=True)
class Land:
    """One Land as drawn: its rings in map units (outer rings and holes, even-odd rule)."""

    name: str
    rings: tuple[Ring, ...]
    path: str  # the rings as SVG path data

    def contains(self, x: float, y: float) -> bool:
        """Even-odd rule: inside an outer ring and not inside one of its holes."""
        return sum(_ring_contains(ring, x, y) for ring in self.rings) % 2 == 1

    def centroid(self) -> Point:
        """Area-weighted centre of the Land (holes subtract their area)."""
        total = sx = sy = 0.0
        for ring in self.rings:
            area, (x, y) = _ring_area_centroid(ring)
            # Nesting depth decides: a ring inside an odd number of others is a hole.
            sign = -1.0 if self._depth(ring) % 2 else 1.0
            total += sign * area
            sx += sign * area * x
            sy += sign * area * y
        return sx / total, sy / total

    def anchor(self) -> Point:
        """A point well inside the Land to put authorities on whose own place is unknown:
        the centroid, unless that lies outside or on the border (a Land around another, as
        Brandenburg around Berlin, or one in two parts, as Bremen), then the inside point
        farthest from the border."""
        centre = self.centroid()
        if self.contains(*centre) and self.distance_to_border(*centre) >= _ANCHOR_CLEARANCE:
            return centre
        xs = [x for ring in self.rings for x, _ in ring]
        ys = [y for ring in self.rings for _, y in ring]
        step = max(max(xs) - min(xs), max(ys) - min(ys)) / _ANCHOR_GRID
        grid = [
            (min(xs) + i * step, min(ys) + j * step)
            for i in range(_ANCHOR_GRID + 1)
            for j in range(_ANCHOR_GRID + 1)
        ]
        inside = [p for p in grid if self.contains(*p)]
        return max(inside, key=lambda p: (self.distance_to_border(*p), -math.dist(p, centre)))

    def distance_to_border(self, x: float, y: float) -> float:
        return min(
            _distance_to_segment((x, y), a, b)
            for ring in self.rings
            for a, b in zip(ring, ring[1:] + ring[:1], strict=True)
        )

    def _depth(self, ring: Ring) -> int:
        x, y = ring[0]
        return sum(1 for other in self.rings if other is not ring and _ring_contains(other, x, y))


def path_data(rings: Sequence[Ring]) -> str:
    """SVG path data of rings: relative moves in tenths of a unit, each ring closed."""
    parts: list[str] = []
    cx = cy = 0
    for ring in rings:
        command = "m"
        for x, y in ring:
            tx, ty = round(x * _TENTHS), round(y * _TENTHS)
            parts.append(f"{command}{_number(tx - cx)} {_number(ty - cy)}")
            command = " "
            cx, cy = tx, ty
        parts.append("z")
        # After "z" the current point is the ring's start again.
        cx, cy = round(ring[0][0] * _TENTHS), round(ring[0][1] * _TENTHS)
    return "".join(parts).replace(" -", "-")


def _number(value: int) -> str:
    """A length in tenths as the shortest decimal: 12 -> "1.2", -5 -> "-.5", 30 -> "3"."""
    sign = "-" if value < 0 else ""
    whole, tenth = divmod(abs(value), _TENTHS)
    if not tenth:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{tenth}"


def _distance_to_segment(p: Point, a: Point, b: Point) -> float:
    (px, py), (ax, ay), (bx, by) = p, a, b
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - ax - t * dx, py - ay - t * dy)


def _ring_contains(ring: Ring, x: float, y: float) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _ring_area_centroid(ring: Sequence[Point]) -> tuple[float, Point]:
    """Shoelace area (unsigned) and centre of one ring."""
    a = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
        cross = x1 * y2 - x2 * y1
        a += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    if a == 0:
        return 0.0, ring[0]
    return abs(a) / 2, (cx / (3 * a), cy / (3 * a))


@cache
def lands() -> dict[str, Land]:
    """The 16 Länder by name, in alphabetical order."""
    document = json.loads((DATA / "lands.json").read_text(encoding="utf-8"))
    out = {}
    for name, rings in sorted(document["lands"].items()):
        projected = tuple(tuple(project(lon, lat) for lon, lat in ring) for ring in rings)
        out[name] = Land(name, projected, path_data(projected))
    return out


@cache
def anchors() -> dict[str, Point]:
    """Where an authority of each Land goes when its own place is unknown."""
    return {name: land.anchor() for name, land in lands().items()}
