"""The map's content as a list, grouped by Land: for screen readers, for pages read without
images, and as the text alternative next to the SVG. Same input as `render_map`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from fachaustausch.network.points import (
    MapPoint,
    Placement,
    authority_href,
    kind_rank,
    place_points,
    short_name,
)

FEDERAL_GROUP = "Bund"
NO_LAND_GROUP = "Ohne Land"

# German alphabetical order: umlauts sort as their base letter.
_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


@dataclass(frozen=True, slots=True)
class PartnerLink:
    slug: str
    name: str
    href: str


@dataclass(frozen=True, slots=True)
class ListRow:
    """One authority. `place` is the town the map shows it at (None where the caller gave
    coordinates or none is known); `approximate` says it sits in the middle of its Land
    because its own place is unknown; `on_map` is False where neither is known.
    `partners` are the authorities it has a partner relation with."""

    slug: str
    name: str
    kind: str
    kind_label: str
    href: str
    land: str
    place: str | None
    approximate: bool
    on_map: bool
    partners: tuple[PartnerLink, ...]


@dataclass(frozen=True, slots=True)
class LandGroup:
    """The authorities of one Land (`land` empty for the federal office and for authorities
    without a Land; `heading` says which)."""

    land: str
    heading: str
    rows: tuple[ListRow, ...]


def map_legend_rows(
    points: Sequence[MapPoint], partners: Iterable[tuple[str, str]] = ()
) -> tuple[LandGroup, ...]:
    """Groups in reading order: the federal office first, then the Länder alphabetically,
    then authorities without a Land; within a group model sites, partner authorities,
    then the others, each by its place's name."""
    placed = place_points(points)
    by_slug = {p.point.slug: p.point for p in placed}
    related: dict[str, set[str]] = defaultdict(set)
    for a, b in partners:
        if a in by_slug and b in by_slug and a != b:
            related[a].add(b)
            related[b].add(a)
    groups: dict[tuple[int, str], list[ListRow]] = defaultdict(list)
    for p in placed:
        point = p.point
        if point.kind == "federal":
            key = (0, FEDERAL_GROUP)
        elif p.land:
            key = (1, p.land)
        else:
            key = (2, NO_LAND_GROUP)
        groups[key].append(
            ListRow(
                slug=point.slug,
                name=point.name,
                kind=point.kind,
                kind_label=point.kind_label,
                href=point.href,
                land=p.land,
                place=p.place,
                approximate=p.placement is Placement.land,
                on_map=p.placement is not Placement.unplaced,
                partners=tuple(
                    PartnerLink(other.slug, other.name, authority_href(other.slug))
                    for other in sorted((by_slug[s] for s in related[point.slug]), key=_order)
                ),
            )
        )
    return tuple(
        LandGroup(
            land=heading if rank == 1 else "",
            heading=heading,
            rows=tuple(sorted(rows, key=_order)),
        )
        for (rank, heading), rows in sorted(groups.items(), key=lambda g: (g[0][0], _key(g[0][1])))
    )


def _order(item: ListRow | MapPoint) -> tuple[int, str, str, str]:
    # By place ("Stadt Kassel" before "Landeshauptstadt Wiesbaden"), then by full name.
    return kind_rank(item.kind), _key(short_name(item.name, item.kind)), _key(item.name), item.slug


def _key(text: str) -> str:
    return text.casefold().translate(_FOLD)
