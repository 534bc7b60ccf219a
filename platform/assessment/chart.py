"""The results' radar chart: the five cornerstones as axes, mean status against mean
relevance (and, for comparison, the previous round's status), drawn on the server as SVG.

The page's Content-Security-Policy allows no style attribute, so the look comes from
presentation attributes (the drawing stands on its own) and classes that
frontend/static/css/assessment.css may refine. The three series differ by line pattern and
marker shape, not by colour alone. The SVG is an image with a title and a description that
reads out every value; `chart_table_rows` gives the same numbers for the table beside it.

ElementTree builds the markup, so every text is escaped and the output is the same for the
same input."""

from __future__ import annotations

import math
import re
import textwrap
import xml.etree.ElementTree as ET
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from markupsafe import Markup

from fachaustausch.assessment.scoring import CORNERSTONES, SCALE, SCALE_MAX, CornerstoneScore

SVG_NS = "http://www.w3.org/2000/svg"

# Geometry in the viewBox's user units; the page scales the whole drawing.
WIDTH = 760
CENTER_X = 380.0
CENTER_Y = 220.0
RADIUS = 165.0
FONT_SIZE = 16
LINE_HEIGHT = 19
LABEL_GAP = 14
LABEL_WRAP = 22
LEGEND_TOP = 470
LEGEND_ROW = 28
LEGEND_X = 200

GRID_COLOUR = "#c6c8d3"
AXIS_COLOUR = "#8d91a6"
MUTED_TEXT = "#404565"

DEFAULT_TITLE = "Standortbestimmung: mittlerer Stand und mittlere Relevanz je Eckpunkt"
STATUS_LEGEND_DE = "Stand heute (Mittelwert)"
RELEVANCE_LEGEND_DE = "Relevanz (Mittelwert)"
PREVIOUS_LEGEND_DE = "Stand der vorherigen Runde (Mittelwert)"
NOT_RATED_DE = "nicht bewertet"


@dataclass(frozen=True, slots=True)
class _Series:
    name: str
    colour: str
    width: float
    dasharray: str | None
    marker: str
    area: bool


STATUS = _Series("status", "#0d4ea6", 3, None, "circle", area=True)
RELEVANCE = _Series("relevance", "#a34700", 2.5, "12 4 3 4", "square", area=False)
PREVIOUS = _Series("previous", "#5c6075", 2, "6 5", "diamond", area=False)


def format_score(value: float | None) -> str:
    """A mean as the page shows it: one decimal, German comma; "nicht bewertet" for None."""
    if value is None:
        return NOT_RATED_DE
    rounded = Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{rounded}".replace(".", ",")


@dataclass(frozen=True, slots=True)
class ChartTableRow:
    cornerstone: int
    title: str
    status: float | None
    relevance: float | None
    need: float | None
    previous_status: float | None

    @property
    def status_text(self) -> str:
        return format_score(self.status)

    @property
    def relevance_text(self) -> str:
        return format_score(self.relevance)

    @property
    def need_text(self) -> str:
        return format_score(self.need)

    @property
    def previous_status_text(self) -> str:
        return format_score(self.previous_status)


def _check_titles(titles: Mapping[int, str]) -> None:
    missing = [c for c in CORNERSTONES if c not in titles]
    if missing:
        raise ValueError(f"no title for cornerstones {missing}")


def chart_table_rows(
    titles: Mapping[int, str],
    current: Mapping[int, CornerstoneScore],
    previous: Mapping[int, CornerstoneScore] | None = None,
) -> list[ChartTableRow]:
    """The chart's numbers, one row per cornerstone, for the table equivalent."""
    _check_titles(titles)
    rows = []
    for c in CORNERSTONES:
        score = current.get(c)
        before = previous.get(c) if previous is not None else None
        rows.append(
            ChartTableRow(
                cornerstone=c,
                title=titles[c],
                status=score.status if score else None,
                relevance=score.relevance if score else None,
                need=score.need if score else None,
                previous_status=before.status if before else None,
            )
        )
    return rows


def _n(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _angle(index: int) -> float:
    """Axis `index` (0 = first cornerstone) counted clockwise from the top."""
    return -math.pi / 2 + 2 * math.pi * index / len(CORNERSTONES)


def vertex(index: int, value: float) -> tuple[float, float]:
    """Where `value` (on the 0 … 5 scale) lies on axis `index`."""
    radius = RADIUS * value / SCALE_MAX
    angle = _angle(index)
    return CENTER_X + radius * math.cos(angle), CENTER_Y + radius * math.sin(angle)


def _points(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{_n(x)},{_n(y)}" for x, y in points)


def _add(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
    # Attribute names with a dash are passed with an underscore (and `class` as `class_`).
    names = {k: "class" if k == "class_" else k.replace("_", "-") for k in attributes}
    return ET.SubElement(parent, tag, {names[k]: v for k, v in attributes.items()})


def _marker(parent: ET.Element, series: _Series, x: float, y: float) -> None:
    common = {"class_": "assessment-radar__marker", "stroke": series.colour}
    filled = {"fill": series.colour} if series.marker != "diamond" else {"fill": "#fff"}
    if series.marker == "circle":
        _add(parent, "circle", cx=_n(x), cy=_n(y), r="4.5", **common, **filled)
    elif series.marker == "square":
        _add(parent, "rect", x=_n(x - 5), y=_n(y - 5), width="10", height="10", **common, **filled)
    else:
        diamond = [(x, y - 6.5), (x + 6.5, y), (x, y + 6.5), (x - 6.5, y)]
        _add(parent, "polygon", points=_points(diamond), stroke_width="2", **common, **filled)


def _line_attributes(series: _Series) -> dict[str, str]:
    attributes = {
        "stroke": series.colour,
        "stroke_width": _n(series.width),
        "stroke_linejoin": "round",
    }
    if series.dasharray:
        attributes["stroke_dasharray"] = series.dasharray
    return attributes


def _draw_series(
    svg: ET.Element, series: _Series, values: Sequence[float | None], label: str
) -> None:
    group = _add(
        svg, "g", class_=f"assessment-radar__series assessment-radar__series--{series.name}"
    )
    _add(group, "title").text = label
    points = [vertex(i, v) if v is not None else None for i, v in enumerate(values)]
    line = _line_attributes(series)
    if all(p is not None for p in points):
        area = {"fill": series.colour, "fill_opacity": "0.12"} if series.area else {"fill": "none"}
        _add(
            group,
            "polygon",
            class_="assessment-radar__shape",
            points=_points([p for p in points if p is not None]),
            **area,
            **line,
        )
    else:
        # A cornerstone without ratings leaves a gap: only neighbours that both have a value
        # are joined, so no line pretends to pass through a missing point.
        segments = []
        for i, start in enumerate(points):
            end = points[(i + 1) % len(points)]
            if start is not None and end is not None:
                segments.append(f"M{_n(start[0])} {_n(start[1])}L{_n(end[0])} {_n(end[1])}")
        if segments:
            _add(
                group,
                "path",
                class_="assessment-radar__shape",
                d="".join(segments),
                fill="none",
                **line,
            )
    for p in points:
        if p is not None:
            _marker(group, series, *p)


def _draw_grid(svg: ET.Element) -> None:
    grid = _add(svg, "g", class_="assessment-radar__grid")
    for value in SCALE:
        ring = [vertex(i, value) for i in range(len(CORNERSTONES))]
        _add(
            grid,
            "polygon",
            class_="assessment-radar__ring",
            points=_points(ring),
            fill="none",
            stroke=GRID_COLOUR if value < SCALE_MAX else AXIS_COLOUR,
            stroke_width="1",
        )
    for i in range(len(CORNERSTONES)):
        x, y = vertex(i, SCALE_MAX)
        _add(
            grid,
            "line",
            class_="assessment-radar__axis",
            x1=_n(CENTER_X),
            y1=_n(CENTER_Y),
            x2=_n(x),
            y2=_n(y),
            stroke=AXIS_COLOUR,
            stroke_width="1",
        )


def _draw_ticks(svg: ET.Element) -> None:
    # Drawn over the series, so a line that crosses the top axis never hides a figure.
    ticks = _add(svg, "g", class_="assessment-radar__ticks")
    for value in SCALE:
        _, y = vertex(0, value)
        tick = _add(
            ticks,
            "text",
            class_="assessment-radar__tick",
            x=_n(CENTER_X - 11),
            y=_n(y + 4),
            text_anchor="end",
            font_size="13",
            fill=MUTED_TEXT,
            stroke="#fff",
            stroke_width="3",
            paint_order="stroke",
        )
        tick.text = str(value)


def _draw_label(svg: ET.Element, index: int, title: str, rated: bool) -> None:
    lines = textwrap.wrap(
        f"{CORNERSTONES[index]}. {title}", LABEL_WRAP, break_long_words=False
    ) or [""]
    notes = [] if rated else [f"({NOT_RATED_DE})"]
    count = len(lines) + len(notes)
    angle = _angle(index)
    cos, sin = math.cos(angle), math.sin(angle)
    x = CENTER_X + (RADIUS + LABEL_GAP) * cos
    y = CENTER_Y + (RADIUS + LABEL_GAP) * sin
    anchor = "middle" if abs(cos) < 0.2 else ("start" if cos > 0 else "end")
    if sin < -0.5:
        first = y - (count - 1) * LINE_HEIGHT
    elif sin > 0.5:
        first = y + FONT_SIZE
    else:
        first = y - (count - 1) * LINE_HEIGHT / 2 + FONT_SIZE * 0.35
    text = _add(
        svg,
        "text",
        class_="assessment-radar__label",
        x=_n(x),
        y=_n(first),
        text_anchor=anchor,
        fill="#171a2b",
    )
    for number, line in enumerate(lines + notes):
        attributes = {"x": _n(x), "dy": "0" if number == 0 else str(LINE_HEIGHT)}
        if number >= len(lines):
            attributes |= {
                "class_": "assessment-radar__label-note",
                "fill": MUTED_TEXT,
                "font_style": "italic",
            }
        _add(text, "tspan", **attributes).text = line


def _draw_legend(svg: ET.Element, entries: Sequence[tuple[_Series, str]]) -> None:
    legend = _add(svg, "g", class_="assessment-radar__legend")
    for row, (series, label) in enumerate(entries):
        y = LEGEND_TOP + row * LEGEND_ROW
        _add(
            legend,
            "line",
            class_=f"assessment-radar__legend-line assessment-radar__series--{series.name}",
            x1=_n(LEGEND_X),
            y1=_n(y),
            x2=_n(LEGEND_X + 48),
            y2=_n(y),
            **_line_attributes(series),
        )
        marker = _add(legend, "g", class_=f"assessment-radar__series--{series.name}")
        _marker(marker, series, LEGEND_X + 24, y)
        text = _add(legend, "text", x=_n(LEGEND_X + 62), y=_n(y + 5), fill="#171a2b")
        text.text = label


def _describe(
    titles: Mapping[int, str],
    rows: Sequence[ChartTableRow],
    with_previous: bool,
    previous_label: str,
) -> str:
    parts = []
    for row in rows:
        name = f"{row.cornerstone}. {titles[row.cornerstone]}"
        if row.status is None and row.relevance is None:
            value = "noch nicht bewertet, im Diagramm eine Lücke"
        else:
            value = f"Stand {row.status_text}, Relevanz {row.relevance_text}"
        if with_previous:
            value += f", vorher {row.previous_status_text}"
        parts.append(f"{name}: {value}")
    intro = "Netzdiagramm mit einer Achse je Eckpunkt, Skala von 1 (innen) bis 5 (außen). "
    if with_previous:
        intro += f"„Vorher“ nennt zum Vergleich: {previous_label}. "
    return intro + "; ".join(parts) + "."


def radar_svg(
    titles: Mapping[int, str],
    current: Mapping[int, CornerstoneScore],
    previous: Mapping[int, CornerstoneScore] | None = None,
    *,
    title: str = DEFAULT_TITLE,
    previous_label: str = PREVIOUS_LEGEND_DE,
    id_prefix: str = "radar",
) -> Markup:
    """The chart as inline SVG markup. `titles` names the five cornerstones by number;
    `id_prefix` keeps the ids unique when a page shows more than one chart."""
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_-]*", id_prefix):
        raise ValueError("id_prefix must be a plain identifier")
    rows = chart_table_rows(titles, current, previous)
    entries = [(STATUS, STATUS_LEGEND_DE), (RELEVANCE, RELEVANCE_LEGEND_DE)]
    if previous is not None:
        entries.append((PREVIOUS, previous_label))
    height = LEGEND_TOP + (len(entries) - 1) * LEGEND_ROW + 20
    svg = ET.Element(
        "svg",
        {
            "xmlns": SVG_NS,
            "viewBox": f"0 0 {WIDTH} {height}",
            "class": "assessment-radar",
            "role": "img",
            "aria-labelledby": f"{id_prefix}-title {id_prefix}-desc",
            "font-family": "sans-serif",
            "font-size": str(FONT_SIZE),
        },
    )
    _add(svg, "title", id=f"{id_prefix}-title").text = title
    _add(svg, "desc", id=f"{id_prefix}-desc").text = _describe(
        titles, rows, previous is not None, previous_label
    )
    _draw_grid(svg)
    for index, row in enumerate(rows):
        _draw_label(svg, index, row.title, row.status is not None or row.relevance is not None)
    # The hollow diamonds of the previous round go over the relevance squares, so both stay
    # visible where the values meet; the current status is drawn last, on top.
    _draw_series(svg, RELEVANCE, [r.relevance for r in rows], RELEVANCE_LEGEND_DE)
    if previous is not None:
        _draw_series(svg, PREVIOUS, [r.previous_status for r in rows], previous_label)
    _draw_series(svg, STATUS, [r.status for r in rows], STATUS_LEGEND_DE)
    _draw_ticks(svg)
    _draw_legend(svg, entries)
    return Markup(ET.tostring(svg, encoding="unicode"))  # noqa: S704 (escaped by ElementTree)
