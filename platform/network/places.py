"""Where the authorities of the seed data are: data/places.json (GeoNames, CC BY 4.0; see
data/SOURCE.md), built by scripts/build_network_map.py. An authority of a Kreis is placed
at its seat (the Wetteraukreis at Friedberg (Hessen))."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True, slots=True)
class Place:
    slug: str
    place: str
    land: str
    lat: float
    lon: float


@cache
def known_places() -> dict[str, Place]:
    """The places by authority slug."""
    document = json.loads((DATA / "places.json").read_text(encoding="utf-8"))
    return {
        slug: Place(slug, entry["place"], entry["land"], entry["lat"], entry["lon"])
        for slug, entry in sorted(document["places"].items())
    }
