"""Reading the map's SVG back, independently of the code that wrote it: the Länder as
polygons from their path data, the points from their markers."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

SVG = "{http://www.w3.org/2000/svg}"
_TOKEN = re.compile(r"[MmLlZz]|-?(?:\d+\.?\d*|\.\d+)")

Point = tuple[float, float]


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, built in the test


def land_rings(root: ET.Element) -> dict[str, list[list[Point]]]:
    """Each Land's rings, from the `d` of its path (moveto, lineto, closepath)."""
    out = {}
    for path in root.iter(f"{SVG}path"):
        if "network-map__land" not in path.get("class", ""):
            continue
        title = path.find(f"{SVG}title")
        assert title is not None
        assert title.text
        out[title.text] = _rings(path.get("d", ""))
    return out


def _rings(d: str) -> list[list[Point]]:
    rings: list[list[Point]] = []
    tokens = _TOKEN.findall(d)
    x = y = 0.0
    start = (0.0, 0.0)
    command = ""
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in "MmLlZz":
            command = token
            i += 1
            if command in "Zz":
                x, y = start
            elif command in "Mm":
                rings.append([])
            continue
        dx, dy = float(token), float(tokens[i + 1])
        i += 2
        relative = command.islower()
        x, y = (x + dx, y + dy) if relative else (dx, dy)
        if command in "Mm" and not rings[-1]:
            start = (x, y)
        rings[-1].append((x, y))
    return rings


def inside(rings: list[list[Point]], x: float, y: float) -> bool:
    """Even-odd rule, the SVG paths' fill rule."""
    crossings = 0
    for ring in rings:
        for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
                crossings += 1
    return crossings % 2 == 1


@dataclass(frozen=True)
class Link:
    href: str
    label: str
    css: str
    shape: str
    x: float
    y: float
    marker: ET.Element


def links(root: ET.Element) -> list[Link]:
    out = []
    for a in root.iter(f"{SVG}a"):
        if "network-map__point" not in a.get("class", ""):
            continue  # a name's second link, hidden from the tab order
        marker = next(el for el in a if el.get("class") == "network-map__mark")
        x, y = _centre(marker)
        out.append(
            Link(
                href=a.get("href", ""),
                label=a.get("aria-label", ""),
                css=a.get("class", ""),
                shape=marker.tag.removeprefix(SVG),
                x=x,
                y=y,
                marker=marker,
            )
        )
    return out


def _centre(marker: ET.Element) -> Point:
    """Middle of the marker's bounding box."""
    tag = marker.tag.removeprefix(SVG)
    if tag == "circle":
        return float(marker.get("cx", "")), float(marker.get("cy", ""))
    if tag == "rect":
        w, h = float(marker.get("width", "")), float(marker.get("height", ""))
        return float(marker.get("x", "")) + w / 2, float(marker.get("y", "")) + h / 2
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", marker.get("d", ""))]
    xs, ys = numbers[0::2], numbers[1::2]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
