"""A map of the network, rendered on the server as SVG: the 16 Länder, the authorities as
links to their pages, and the partner relations between model sites and partner
authorities.

The outlines are Natural Earth's "Admin 1 – States, Provinces" at 1:10m (public domain),
simplified by scripts/build_network_map.py; the places of the seed authorities come from
GeoNames (CC BY 4.0). data/SOURCE.md has the details. Nothing is fetched at run time.

The SVG is built for a page whose Content-Security-Policy allows no inline styles and no
scripts: colours are presentation attributes, the rest is in
frontend/static/css/network-map.css. Every text is escaped, so the result can be put into
a page as markup. Each authority is a link with an accessible name; `listing.py` gives the
same information as a list for those who do not see the map.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape

from fachaustausch.network.layout import (
    FONT_SIZE,
    Marker,
    marker_box,
    place_labels,
    separate,
)
from fachaustausch.network.outline import lands
from fachaustausch.network.points import (
    KIND_LABELS,
    KIND_ORDER,
    MapPoint,
    PlacedPoint,
    Placement,
    kind_rank,
    partner_pairs,
    place_points,
    short_name,
)
from fachaustausch.network.projection import HEIGHT, MARGIN, WIDTH

__all__ = ["MapPoint", "render_map"]

# Colours keep at least 3:1 against the Land fill (WCAG 1.4.11); the kinds also differ in
# shape and size, so no one has to tell them apart by colour.
_LAND_FILL = "#eef0f5"
_LAND_HIGHLIGHT = "#cfdcf3"
_LAND_STROKE = "#8b91a7"
_PARTNER_LINE = "#00715d"
_TEXT = "#1b1f2e"
_MARKERS = {
    # kind: (fill, stroke, stroke width, size)
    "model_site": ("#0a4c95", "#ffffff", 2.0, 7.0),
    "partner": ("#00715d", "#ffffff", 1.5, 5.5),
    "federal": ("#a3143c", "#ffffff", 1.5, 8.0),
    "member": ("#ffffff", "#3b3f51", 2.0, 4.0),
}
_APPROXIMATE = "Lage ungefähr (Mitte des Landes)"
_PARTNERSHIP = "Partnerbehörde begleitet Modellstandort"
_ID = re.compile(r"[a-z][a-z0-9-]*")
_LEGEND_ROW = 20.0


def render_map(
    points: Sequence[MapPoint],
    *,
    title: str,
    description: str,
    highlight_land: str | None = None,
    partners: Iterable[tuple[str, str]] = (),
    dom_id: str = "network-map",
) -> str:
    """The SVG document of the map.

    `partners` are pairs of slugs (model site, partner authority) drawn as lines where both
    are among `points`. `highlight_land` (a Land's name) is filled in a stronger tone; a
    name that is no Land highlights nothing. `dom_id` prefixes the ids of the SVG's title
    and description (ids must be unique on a page). Output is deterministic: the same
    input gives the same bytes.
    """
    if not _ID.fullmatch(dom_id):
        raise ValueError(f"dom_id {dom_id!r} is no valid id")
    placed = [p for p in place_points(points) if p.placement is not Placement.unplaced]
    # Reading and tab order as in the list: model sites first, then partner authorities,
    # the BAMF and the members. Later markers are drawn over earlier ones, which is why
    # `separate` moves a marker off any more prominent one it would hide.
    ordered = sorted(placed, key=lambda p: (kind_rank(p.point.kind), p.point.slug))
    markers = separate(
        [
            Marker(
                short_name(p.point.name, p.point.kind),
                p.x,
                p.y,
                _MARKERS[p.point.kind][3],
                kind_rank(p.point.kind),
            )
            for p in ordered
        ]
    )
    pairs = partner_pairs(partners, placed)
    legend, legend_height = _legend(placed, bool(pairs))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="network-map" '
        f'viewBox="0 0 {_n(WIDTH)} {_n(HEIGHT + legend_height)}" role="group" '
        f'aria-labelledby="{dom_id}-title" aria-describedby="{dom_id}-desc">',
        f'<title id="{dom_id}-title">{escape(title)}</title>',
        f'<desc id="{dom_id}-desc">{escape(description)}</desc>',
        *_lands(highlight_land),
        *_partner_lines(pairs, {p.point.slug: m for p, m in zip(ordered, markers, strict=True)}),
        *_points(ordered, markers),
        *_labels(ordered, markers),
        *legend,
        "</svg>",
    ]
    return "\n".join(out) + "\n"


def _lands(highlight: str | None) -> list[str]:
    # The Länder are the background: their names show as tooltips; for assistive
    # technology the links and the list carry the Land.
    out = ['<g class="network-map__lands" aria-hidden="true">']
    for name, land in lands().items():
        current = name == highlight
        css = "network-map__land network-map__land--highlight" if current else "network-map__land"
        fill = _LAND_HIGHLIGHT if current else _LAND_FILL
        out.append(
            f'<path class="{css}" d="{land.path}" fill="{fill}" '
            f'stroke="{_LAND_STROKE}" stroke-width="0.8" stroke-linejoin="round" '
            f'fill-rule="evenodd"><title>{escape(name)}</title></path>'
        )
    out.append("</g>")
    return out


def _partner_lines(
    pairs: Sequence[tuple[PlacedPoint, PlacedPoint]], at: dict[str, Marker]
) -> list[str]:
    if not pairs:
        return []
    out = ['<g class="network-map__partners" aria-hidden="true">']
    for a, b in (tuple(at[p.point.slug] for p in pair) for pair in pairs):
        out.append(
            f'<line class="network-map__partner-line" x1="{_n(a.x)}" y1="{_n(a.y)}" '
            f'x2="{_n(b.x)}" y2="{_n(b.y)}" stroke="{_PARTNER_LINE}" stroke-width="1.5" '
            f'stroke-linecap="round"/>'
        )
    out.append("</g>")
    return out


def _points(ordered: Sequence[PlacedPoint], markers: Sequence[Marker]) -> list[str]:
    out = ['<g class="network-map__points">']
    for p, marker in zip(ordered, markers, strict=True):
        point = p.point
        approximate = p.placement is Placement.land
        css = f"network-map__point network-map__point--{point.kind.replace('_', '-')}"
        tooltip = f"{point.name} – {point.kind_label}"
        if approximate:
            tooltip += f" ({_APPROXIMATE})"
        out += [
            f'<a href="{escape(point.href)}" class="{css}" '
            f'aria-label="{escape(f"{point.name} ({point.kind_label})")}">',
            _marker(point.kind, marker.x, marker.y, tooltip, approximate),
            "</a>",
        ]
    out.append("</g>")
    return out


def _labels(ordered: Sequence[PlacedPoint], markers: Sequence[Marker]) -> list[str]:
    """Names beside the markers, above all markers so none hides a name. Members may be
    many: only the other kinds are named. A name is a second way to click its authority,
    kept out of the tab order and from assistive technology (the marker's link has it)."""
    named = [i for i, p in enumerate(ordered) if p.point.kind != "member"]
    if not named:
        return []
    unnamed = [marker_box(m) for i, m in enumerate(markers) if i not in set(named)]
    labels = place_labels([markers[i] for i in named], unnamed)
    out = ['<g class="network-map__labels" aria-hidden="true">']
    for i, label in zip(named, labels, strict=True):
        out.append(
            f'<a href="{escape(ordered[i].point.href)}" tabindex="-1">'
            f'<text class="network-map__label" x="{_n(label.x)}" y="{_n(label.y)}" '
            f'text-anchor="{label.anchor}" font-size="{_n(FONT_SIZE)}" fill="{_TEXT}" '
            f'stroke="#ffffff" stroke-width="3" stroke-linejoin="round" '
            f'paint-order="stroke">{escape(label.text)}</text></a>'
        )
    out.append("</g>")
    return out


def _marker(kind: str, x: float, y: float, tooltip: str = "", approximate: bool = False) -> str:
    """The shape of a kind: circle, square, triangle, or a small ring for members."""
    fill, stroke, width, size = _MARKERS[kind]
    paint = f'fill="{fill}" stroke="{stroke}" stroke-width="{_n(width)}"'
    if approximate:
        paint += ' stroke-dasharray="2 1.5"'
    title = f"<title>{escape(tooltip)}</title>" if tooltip else ""
    css = 'class="network-map__mark" aria-hidden="true"'
    if kind == "partner":
        return (
            f'<rect {css} x="{_n(x - size)}" y="{_n(y - size)}" width="{_n(2 * size)}" '
            f'height="{_n(2 * size)}" {paint}>{title}</rect>'
        )
    if kind == "federal":
        # An upward triangle around the point.
        d = (
            f"M{_n(x)} {_n(y - size)}L{_n(x + size * 0.9)} {_n(y + size * 0.6)}"
            f"L{_n(x - size * 0.9)} {_n(y + size * 0.6)}Z"
        )
        return f'<path {css} d="{d}" stroke-linejoin="round" {paint}>{title}</path>'
    return f'<circle {css} cx="{_n(x)}" cy="{_n(y)}" r="{_n(size)}" {paint}>{title}</circle>'


def _legend(placed: Sequence[PlacedPoint], with_partners: bool) -> tuple[list[str], float]:
    """The legend in a band below the map, in two columns: one row per kind on the map
    (shape and word, not colour alone), the partner line and the approximate placement if
    shown. Returns its elements and its height."""
    kinds = {p.point.kind for p in placed}
    rows = [(kind, KIND_LABELS[kind]) for kind in KIND_ORDER if kind in kinds]
    if with_partners:
        rows.append(("line", _PARTNERSHIP))
    if any(p.placement is Placement.land for p in placed):
        rows.append(("approximate", _APPROXIMATE))
    if not rows:
        return [], 0.0
    per_column = (len(rows) + 1) // 2
    height = _LEGEND_ROW * per_column + 12
    top = HEIGHT + 4
    out = [
        '<g class="network-map__legend" aria-hidden="true">',
        f'<rect x="{_n(MARGIN)}" y="{_n(top)}" width="{_n(WIDTH - 2 * MARGIN)}" '
        f'height="{_n(height - 8)}" fill="#ffffff" stroke="{_LAND_STROKE}" '
        f'stroke-width="0.8" rx="3"/>',
    ]
    for i, (key, text) in enumerate(rows):
        column, row = divmod(i, per_column)
        cx = MARGIN + 18 + column * (WIDTH - 2 * MARGIN) / 2
        cy = top + 2 + _LEGEND_ROW * (row + 0.5)
        if key == "line":
            out.append(
                f'<line x1="{_n(cx - 10)}" y1="{_n(cy)}" x2="{_n(cx + 10)}" y2="{_n(cy)}" '
                f'stroke="{_PARTNER_LINE}" stroke-width="1.5" stroke-linecap="round"/>'
            )
        elif key == "approximate":
            out.append(_marker("member", cx, cy, approximate=True))
        else:
            out.append(_marker(key, cx, cy))
        out.append(
            f'<text x="{_n(cx + 16)}" y="{_n(cy + FONT_SIZE * 0.35)}" '
            f'font-size="{_n(FONT_SIZE)}" fill="{_TEXT}">{escape(text)}</text>'
        )
    out.append("</g>")
    return out, height


def _n(value: float) -> str:
    """A coordinate with one decimal at most: "12", "12.5", "-3.2"."""
    text = f"{value:.1f}"
    text = text[:-2] if text.endswith(".0") else text
    return "0" if text == "-0" else text
