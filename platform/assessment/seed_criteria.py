"""The checklist's starting criteria, kept as data in criteria.json beside this module.

Cornerstone 1 holds the four published criteria word for word; the criteria of cornerstones
2–5 are the platform's own, written from the toolbox's texts on each cornerstone. Each names
the toolbox instruments (by slug) that address it. Moderators edit them later in the
database; this file is only where they start."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CRITERIA_FILE = Path(__file__).with_name("criteria.json")


@dataclass(frozen=True, slots=True)
class SeedCriterion:
    key: str
    cornerstone: int
    position: int
    text: str
    instruments: tuple[str, ...]


def _criterion(entry: dict[str, Any]) -> SeedCriterion:
    criterion = SeedCriterion(
        key=str(entry["key"]),
        cornerstone=int(entry["cornerstone"]),
        position=int(entry["position"]),
        text=str(entry["text"]),
        instruments=tuple(str(slug) for slug in entry["instruments"]),
    )
    if set(entry) != {"key", "cornerstone", "position", "text", "instruments"}:
        raise ValueError(f"criterion {criterion.key!r}: unexpected or missing fields")
    return criterion


def load_seed_criteria(path: Path = CRITERIA_FILE) -> list[SeedCriterion]:
    """The criteria in checklist order (cornerstone, then position)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    criteria = [_criterion(entry) for entry in data["criteria"]]
    return sorted(criteria, key=lambda c: (c.cornerstone, c.position))
