"""The radar chart: valid SVG with a title and a description, five axes, vertices at the
radius their values ask for, a gap for a cornerstone without ratings, every text escaped,
nothing the Content-Security-Policy would block; and the table with the same numbers."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from fachaustausch.assessment.chart import (
    CENTER_X,
    CENTER_Y,
    RADIUS,
    ChartTableRow,
    chart_table_rows,
    format_score,
    radar_svg,
)
from fachaustausch.assessment.scoring import CornerstoneScore

ROOT = Path(__file__).resolve().parents[2]
NS = {"svg": "http://www.w3.org/2000/svg"}
TITLES = {
    c["number"]: c["title"]
    for c in json.loads((ROOT / "platform/toolbox/seed_data.json").read_text(encoding="utf-8"))[
        "cornerstones"
    ]
}
CURRENT = {
    1: CornerstoneScore(1, 2.5, 4.0, 2.0),
    2: CornerstoneScore(2, 5.0, 3.0, 0.0),
    3: CornerstoneScore(3, 1.0, 5.0, 4.0),
    4: CornerstoneScore(4, 3.25, 2.0, 0.5),
    5: CornerstoneScore(5, 4.0, 4.5, 1.0),
}
PREVIOUS = {c: CornerstoneScore(c, 2.0, 3.0, 1.0) for c in range(1, 6)}


def _parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (the chart module's own output)


def _series(root: ET.Element, name: str) -> ET.Element | None:
    for group in root.iterfind("svg:g", NS):
        if f"assessment-radar__series--{name}" in group.get("class", "").split():
            return group
    return None


def _vertices(shape: ET.Element) -> list[tuple[float, float]]:
    return [
        (float(x), float(y))
        for x, y in (pair.split(",") for pair in shape.get("points", "").split())
    ]


def _polar(point: tuple[float, float]) -> tuple[float, int]:
    """Radius and the axis the point lies on (0 = top, clockwise)."""
    dx, dy = point[0] - CENTER_X, point[1] - CENTER_Y
    fifths = (math.atan2(dy, dx) + math.pi / 2) / (2 * math.pi) * 5
    assert fifths == pytest.approx(round(fifths), abs=1e-3), "not on an axis"
    return math.hypot(dx, dy), round(fifths) % 5


def test_valid_svg_with_title_and_description_it_is_labelled_by() -> None:
    root = _parse(radar_svg(TITLES, CURRENT))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert root.get("role") == "img"
    title, desc = root[0], root[1]
    assert title.tag.endswith("title")
    assert title.text == "Standortbestimmung: mittlerer Stand und mittlere Relevanz je Eckpunkt"
    assert desc.tag.endswith("desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_description_reads_out_every_value() -> None:
    desc = _parse(radar_svg(TITLES, CURRENT, PREVIOUS)).find("svg:desc", NS)
    assert desc is not None
    text = desc.text or ""
    assert "1. Selbstverständnis: Stand 2,5, Relevanz 4,0, vorher 2,0" in text
    assert "4. Kompetenzen der Mitarbeitenden: Stand 3,3, Relevanz 2,0" in text
    assert "Stand der vorherigen Runde" in text


def test_five_axes_five_rings_and_scale_labels() -> None:
    root = _parse(radar_svg(TITLES, CURRENT))
    axes = root.findall(".//svg:line[@class='assessment-radar__axis']", NS)
    assert len(axes) == 5
    ends = [_polar((float(a.get("x2", "")), float(a.get("y2", "")))) for a in axes]
    for index, (radius, position) in enumerate(sorted(ends, key=lambda end: end[1])):
        assert radius == pytest.approx(RADIUS, abs=0.01)
        assert position == index
    rings = root.findall(".//svg:polygon[@class='assessment-radar__ring']", NS)
    assert sorted(round(_polar(_vertices(r)[0])[0], 1) for r in rings) == [
        round(RADIUS * v / 5, 1) for v in range(1, 6)
    ]
    ticks = root.findall(".//svg:text[@class='assessment-radar__tick']", NS)
    assert [t.text for t in ticks] == ["1", "2", "3", "4", "5"]


def test_axis_labels_name_the_cornerstones_wrapping_long_ones() -> None:
    root = _parse(radar_svg(TITLES, CURRENT))
    labels = root.findall(".//svg:text[@class='assessment-radar__label']", NS)
    assert len(labels) == 5
    joined = [" ".join(t.text or "" for t in label) for label in labels]
    assert joined == [f"{n}. {TITLES[n]}" for n in range(1, 6)]
    long_label = labels[2].findall("svg:tspan", NS)
    assert len(long_label) > 1
    assert all(len(t.text or "") <= 22 for t in long_label)


@pytest.mark.parametrize(("series", "field"), [("status", "status"), ("relevance", "relevance")])
def test_vertices_lie_at_the_radius_of_their_values(series: str, field: str) -> None:
    group = _series(_parse(radar_svg(TITLES, CURRENT)), series)
    assert group is not None
    shape = group.find("svg:polygon[@class='assessment-radar__shape']", NS)
    assert shape is not None
    for index, point in enumerate(_vertices(shape)):
        value = getattr(CURRENT[index + 1], field)
        radius, position = _polar(point)
        assert radius == pytest.approx(RADIUS * value / 5, abs=0.01)
        assert position == index


def test_previous_round_is_a_dashed_third_series_with_its_own_legend_entry() -> None:
    without = _parse(radar_svg(TITLES, CURRENT))
    assert _series(without, "previous") is None
    root = _parse(radar_svg(TITLES, CURRENT, PREVIOUS, previous_label="Runde vom 12.03.2025"))
    group = _series(root, "previous")
    assert group is not None
    shape = group.find("svg:polygon", NS)
    assert shape is not None
    assert shape.get("stroke-dasharray")
    assert all(_polar(p)[0] == pytest.approx(RADIUS * 2 / 5, abs=0.01) for p in _vertices(shape))
    legend = root.find("svg:g[@class='assessment-radar__legend']", NS)
    assert legend is not None
    assert [t.text for t in legend.findall("svg:text", NS)] == [
        "Stand heute (Mittelwert)",
        "Relevanz (Mittelwert)",
        "Runde vom 12.03.2025",
    ]


def test_series_differ_by_pattern_and_marker_not_only_by_colour() -> None:
    root = _parse(radar_svg(TITLES, CURRENT, PREVIOUS))
    legend = root.find("svg:g[@class='assessment-radar__legend']", NS)
    assert legend is not None
    patterns = [line.get("stroke-dasharray") for line in legend.findall("svg:line", NS)]
    assert len(set(patterns)) == 3
    markers = [
        (group[0].tag, group[0].get("fill") == "#fff") for group in legend.findall("svg:g", NS)
    ]
    assert len(set(markers)) == 3


def test_a_cornerstone_without_ratings_leaves_a_gap() -> None:
    current = {c: s for c, s in CURRENT.items() if c != 3}
    root = _parse(radar_svg(TITLES, current))
    group = _series(root, "status")
    assert group is not None
    assert group.find("svg:polygon[@class='assessment-radar__shape']", NS) is None
    path = group.find("svg:path", NS)
    assert path is not None
    # Axes 1-2, 4-5 and 5-1 are joined; nothing runs to or from axis 3.
    assert path.get("d", "").count("M") == 3
    assert path.get("fill") == "none"
    assert len(group.findall("svg:circle", NS)) == 4
    assert len(root.findall(".//svg:line[@class='assessment-radar__axis']", NS)) == 5
    desc = root.find("svg:desc", NS)
    assert desc is not None
    assert "3. Äußeres Erscheinungsbild und externe Kommunikation: noch nicht bewertet" in (
        desc.text or ""
    )
    notes = root.findall(".//svg:tspan[@class='assessment-radar__label-note']", NS)
    assert [n.text for n in notes] == ["(nicht bewertet)"]


def test_nothing_rated_draws_the_grid_only() -> None:
    empty = {c: CornerstoneScore(c, None, None, None) for c in range(1, 6)}
    root = _parse(radar_svg(TITLES, empty))
    for name in ("status", "relevance"):
        group = _series(root, name)
        assert group is not None
        assert [child.tag.split("}")[1] for child in group] == ["title"]
    assert len(root.findall(".//svg:line[@class='assessment-radar__axis']", NS)) == 5
    assert _parse(radar_svg(TITLES, {})).find("svg:desc", NS) is not None


def test_every_text_is_escaped() -> None:
    titles = {**TITLES, 2: 'Binnen<script>alert("x")</script> & Co'}
    svg = radar_svg(
        titles,
        CURRENT,
        PREVIOUS,
        title="<b>Titel</b> & mehr",
        previous_label="Runde <i>vorher</i>",
    )
    assert "<script" not in svg
    assert "<b>" not in svg
    assert "<i>" not in svg
    assert "&lt;script&gt;" in svg
    root = _parse(svg)
    assert root[0].text == "<b>Titel</b> & mehr"
    labels = root.findall(".//svg:text[@class='assessment-radar__label']", NS)
    assert "<script>" in " ".join(t.text or "" for t in labels[1])


def test_nothing_the_content_security_policy_blocks() -> None:
    svg = radar_svg(TITLES, CURRENT, PREVIOUS)
    root = _parse(svg)
    for element in root.iter():
        assert not element.tag.endswith(("script", "style", "foreignObject"))
        assert "style" not in element.attrib
        assert not any(name.startswith("on") for name in element.attrib)
        assert not any("href" in name for name in element.attrib)


def test_same_input_same_output_and_prefixed_ids() -> None:
    assert radar_svg(TITLES, CURRENT, PREVIOUS) == radar_svg(TITLES, CURRENT, PREVIOUS)
    root = _parse(radar_svg(TITLES, CURRENT, id_prefix="durchschnitt"))
    assert root.get("aria-labelledby") == "durchschnitt-title durchschnitt-desc"
    with pytest.raises(ValueError, match="id_prefix"):
        radar_svg(TITLES, CURRENT, id_prefix='x" onload="alert(1)')


def test_all_five_titles_are_required() -> None:
    with pytest.raises(ValueError, match="no title"):
        radar_svg({1: "Selbstverständnis"}, CURRENT)


# --- the table equivalent --------------------------------------------------------------------


def test_table_rows_carry_the_charts_numbers() -> None:
    rows = chart_table_rows(TITLES, {c: s for c, s in CURRENT.items() if c != 5}, PREVIOUS)
    assert rows[0] == ChartTableRow(1, "Selbstverständnis", 2.5, 4.0, 2.0, 2.0)
    assert rows[3].status_text == "3,3"
    assert rows[3].need_text == "0,5"
    assert rows[4] == ChartTableRow(5, "Vernetzung", None, None, None, 2.0)
    assert rows[4].status_text == "nicht bewertet"
    assert [r.cornerstone for r in rows] == [1, 2, 3, 4, 5]


def test_table_without_previous_round() -> None:
    rows = chart_table_rows(TITLES, CURRENT)
    assert all(r.previous_status is None for r in rows)


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, "nicht bewertet"), (4.0, "4,0"), (2.25, "2,3"), (3.249, "3,2"), (0.0, "0,0")],
)
def test_scores_are_shown_with_one_decimal_and_a_comma(value: float | None, text: str) -> None:
    assert format_score(value) == text


def test_stylesheet_has_an_a4_print_section_and_no_remote_resources() -> None:
    css = (ROOT / "frontend/static/css/assessment.css").read_text(encoding="utf-8")
    print_section = css[css.index("@media print") :]
    assert "size: A4" in print_section
    assert ".assessment-radar" in print_section
    assert "url(" not in css


def test_a_long_word_in_a_label_is_never_split() -> None:
    word = "Verwaltungsmodernisierungsgrundsätze"
    root = _parse(radar_svg({**TITLES, 5: f"Vernetzung und {word}"}, CURRENT))
    label = root.findall(".//svg:text[@class='assessment-radar__label']", NS)[4]
    assert [t.text for t in label] == ["5. Vernetzung und", word]
