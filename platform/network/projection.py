"""The one projection of the network map: geographic degrees to SVG user units.

A Lambert conformal conic with standard parallels through the north and south of Germany,
the projection official German small-scale maps use, so the country keeps its familiar
shape. The outlines (scripts/build_network_map.py) and every point on the map go through
`project`, which is why both line up.
"""

from __future__ import annotations

import math
from typing import Final

# Standard parallels, central meridian and latitude of origin for Germany.
_PHI_1: Final = math.radians(48.6667)
_PHI_2: Final = math.radians(53.6667)
_PHI_0: Final = math.radians(51.0)
_LAMBDA_0: Final = math.radians(10.5)

# Geographic frame the map shows: Germany from Sylt to the Alps, Aachen to Görlitz.
WEST: Final = 5.8
EAST: Final = 15.1
SOUTH: Final = 47.2
NORTH: Final = 55.1

WIDTH: Final = 600.0
MARGIN: Final = 8.0


def _tan_term(phi: float) -> float:
    return math.tan(math.pi / 4 + phi / 2)


_N: Final = math.log(math.cos(_PHI_1) / math.cos(_PHI_2)) / math.log(
    _tan_term(_PHI_2) / _tan_term(_PHI_1)
)
_F: Final = math.cos(_PHI_1) * _tan_term(_PHI_1) ** _N / _N
_RHO_0: Final = _F / _tan_term(_PHI_0) ** _N


def _conic(lon: float, lat: float) -> tuple[float, float]:
    """Unit-sphere Lambert conformal conic coordinates, y growing northwards."""
    rho = _F / _tan_term(math.radians(lat)) ** _N
    theta = _N * (math.radians(lon) - _LAMBDA_0)
    return rho * math.sin(theta), _RHO_0 - rho * math.cos(theta)


def _frame() -> tuple[float, float, float, float]:
    """Bounds of the geographic frame in conic coordinates (its edges bend, so sample them)."""
    steps = 64
    edge: list[tuple[float, float]] = []
    for i in range(steps + 1):
        lon = WEST + (EAST - WEST) * i / steps
        lat = SOUTH + (NORTH - SOUTH) * i / steps
        edge += [(lon, SOUTH), (lon, NORTH), (WEST, lat), (EAST, lat)]
    xs, ys = zip(*(_conic(lon, lat) for lon, lat in edge), strict=True)
    return min(xs), min(ys), max(xs), max(ys)


_X_MIN, _Y_MIN, _X_MAX, _Y_MAX = _frame()
_SCALE: Final = (WIDTH - 2 * MARGIN) / (_X_MAX - _X_MIN)
HEIGHT: Final = round((_Y_MAX - _Y_MIN) * _SCALE + 2 * MARGIN, 1)


def project(lon: float, lat: float) -> tuple[float, float]:
    """SVG user units (x to the right, y downwards) of a point given in degrees."""
    x, y = _conic(lon, lat)
    return (x - _X_MIN) * _SCALE + MARGIN, (_Y_MAX - y) * _SCALE + MARGIN


def in_frame(lon: float, lat: float) -> bool:
    """Whether a point lies in the part of the world the map shows."""
    return WEST <= lon <= EAST and SOUTH <= lat <= NORTH
