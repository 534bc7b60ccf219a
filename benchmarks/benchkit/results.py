"""The results directory holds the newest result per engine and configuration: a run
writes `<prefix>-<timestamp>.*` and removes the older files of the same prefix (git keeps
the history)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

_STAMP = r"\d{8}T\d{6}Z"
SUFFIXES = (".json", ".md", ".png")


def _files(directory: Path, prefix: str) -> list[tuple[str, Path]]:
    pattern = re.compile(rf"^{re.escape(prefix)}-({_STAMP})(\.json|\.md|\.png)$")
    found = []
    for path in directory.glob(f"{prefix}-*") if directory.exists() else []:
        match = pattern.match(path.name)
        if match:
            found.append((match.group(1), path))
    return sorted(found)


def remove_older(directory: Path, prefix: str, keep_stamp: str) -> list[Path]:
    """Deletes the files of `prefix` other than those of `keep_stamp`; returns them."""
    removed = []
    for stamp, path in _files(directory, prefix):
        if stamp != keep_stamp:
            path.unlink()
            removed.append(path)
    return removed


def newest(directory: Path, prefix: str) -> Path | None:
    """The newest JSON result of `prefix`, if any."""
    jsons = [path for _, path in _files(directory, prefix) if path.suffix == ".json"]
    return jsons[-1] if jsons else None


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data
