"""Where the markers and their names go so that none hides another.

- Markers: a marker that would cover one of a more prominent kind (a Landkreis seated in a
  partner city, say) moves just far enough aside for both to show.
- Names: each tries right, left, above and below its marker and takes the first spot that
  covers no marker, no other name and stays on the map.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from fachaustausch.network.projection import HEIGHT, WIDTH

FONT_SIZE = 12.0
# Average advance of a sans-serif letter, as a share of the font size (an estimate: the
# server cannot measure text; it errs on the wide side).
_ADVANCE = 0.58
_GAP = 3.0
# Directions tried, in turn, to move a marker off one it would cover (screen angles, y
# downwards: east, then north-east, south-east, …).
_DIRECTIONS = tuple(math.radians(a) for a in (0, -45, 45, -90, 90, -135, 135, 180))

Box = tuple[float, float, float, float]  # left, top, right, bottom


@dataclass(frozen=True, slots=True)
class Label:
    text: str
    x: float
    y: float  # baseline
    anchor: str  # SVG text-anchor: start, end or middle


@dataclass(frozen=True, slots=True)
class Marker:
    text: str
    x: float
    y: float
    radius: float
    rank: int = 0  # 0 is the most prominent kind


def separate(markers: Sequence[Marker]) -> list[Marker]:
    """The markers, in their order, each moved off any marker of a more prominent kind it
    would cover: straight away from it, or (where that spot is taken too, or both sit on
    one spot) in the first free direction. Markers of one kind may overlap (a cluster of
    towns stays a cluster)."""
    out: list[Marker] = []
    for marker in markers:
        above = [m for m in out if m.rank < marker.rank]
        moved = marker
        for step in range(len(_DIRECTIONS) * 3 + 1):
            blocking = next((m for m in above if _too_close(moved, m)), None)
            if blocking is None:
                break
            away = (marker.x - blocking.x, marker.y - blocking.y)
            if step == 0 and math.hypot(*away) > 0.5:
                angle = math.atan2(away[1], away[0])
            else:
                angle = _DIRECTIONS[(step - 1) % len(_DIRECTIONS)]
            distance = blocking.radius + marker.radius + _GAP * (1 + step // len(_DIRECTIONS))
            moved = replace(
                marker,
                x=blocking.x + distance * math.cos(angle),
                y=blocking.y + distance * math.sin(angle),
            )
        out.append(moved)
    return out


def _too_close(a: Marker, b: Marker) -> bool:
    return math.dist((a.x, a.y), (b.x, b.y)) < a.radius + b.radius + 1


def place_labels(labelled: Sequence[Marker], obstacles: Sequence[Box] = ()) -> list[Label]:
    """Labels for `labelled`, in its order, covering none of these markers, no earlier
    label and none of the `obstacles` (other markers, the legend)."""
    taken: list[Box] = [*(marker_box(m) for m in labelled), *obstacles]
    labels = []
    for marker in labelled:
        candidates = _candidates(marker)
        free = [
            (label, box)
            for label, box in candidates
            if _inside_map(box) and not any(_overlap(box, other) for other in taken)
        ]
        label, box = (free or [c for c in candidates if _inside_map(c[1])] or candidates)[0]
        taken.append(box)
        labels.append(label)
    return labels


def _candidates(m: Marker) -> list[tuple[Label, Box]]:
    width = len(m.text) * FONT_SIZE * _ADVANCE
    # The baseline sits below the middle of the capitals.
    ascent, descent = FONT_SIZE * 0.75, FONT_SIZE * 0.25
    side_baseline = m.y + FONT_SIZE * 0.35
    right = m.x + m.radius + _GAP
    left = m.x - m.radius - _GAP
    above = m.y - m.radius - _GAP - descent
    below = m.y + m.radius + _GAP + ascent
    return [
        (
            Label(m.text, right, side_baseline, "start"),
            (right, side_baseline - ascent, right + width, side_baseline + descent),
        ),
        (
            Label(m.text, left, side_baseline, "end"),
            (left - width, side_baseline - ascent, left, side_baseline + descent),
        ),
        (
            Label(m.text, m.x, above, "middle"),
            (m.x - width / 2, above - ascent, m.x + width / 2, above + descent),
        ),
        (
            Label(m.text, m.x, below, "middle"),
            (m.x - width / 2, below - ascent, m.x + width / 2, below + descent),
        ),
    ]


def marker_box(m: Marker) -> Box:
    return (m.x - m.radius, m.y - m.radius, m.x + m.radius, m.y + m.radius)


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside_map(box: Box) -> bool:
    return box[0] >= 0 and box[1] >= 0 and box[2] <= WIDTH and box[3] <= HEIGHT
