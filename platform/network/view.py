"""The map and its list together, as one page part: what `/netzwerk` and the start page
show. The caller passes the authorities as plain values."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fachaustausch.network.listing import LandGroup, map_legend_rows
from fachaustausch.network.map import render_map
from fachaustausch.network.points import MapPoint

TITLE = "Karte des Netzwerks"
DESCRIPTION = (
    "Deutschland mit seinen Ländern; darauf die Modellstandorte, ihre Partnerbehörden, das "
    "BAMF und die weiteren Behörden mit Mitgliedern. Linien verbinden Modellstandorte mit "
    "den Partnerbehörden, die sie begleitet haben. Dieselben Angaben stehen in der Liste."
)


@dataclass(frozen=True, slots=True)
class NetworkView:
    svg: str
    groups: tuple[LandGroup, ...]
    count: int


def network_view(
    points: Sequence[MapPoint], partners: Iterable[tuple[str, str]], dom_id: str = "network-map"
) -> NetworkView:
    pairs = tuple(partners)
    return NetworkView(
        svg=render_map(points, title=TITLE, description=DESCRIPTION, partners=pairs, dom_id=dom_id),
        groups=map_legend_rows(points, pairs),
        count=len(points),
    )
