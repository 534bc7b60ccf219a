"""Readable line diffs for the revision history pages."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

# Unchanged lines shown around a change; longer unchanged runs are folded.
CONTEXT = 2


@dataclass(frozen=True)
class DiffLine:
    kind: Literal["same", "removed", "added", "folded"]
    text: str
    folded: int = 0  # for kind "folded": how many unchanged lines are left out


def _lines(text: str) -> list[str]:
    return text.replace("\r\n", "\n").split("\n") if text else []


def line_diff(old: str, new: str) -> list[DiffLine]:
    """The lines of `old` and `new`, each marked unchanged, removed or added."""
    a, b = _lines(old), _lines(new)
    result: list[DiffLine] = []
    opcodes = difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes()
    for index, (tag, i1, i2, j1, j2) in enumerate(opcodes):
        if tag == "equal":
            same = a[i1:i2]
            head = CONTEXT if index > 0 else 0
            tail = CONTEXT if index < len(opcodes) - 1 else 0
            if len(same) > head + tail + 1:
                result += [DiffLine("same", line) for line in same[:head]]
                result.append(DiffLine("folded", "", len(same) - head - tail))
                result += [DiffLine("same", line) for line in same[len(same) - tail :]]
            else:
                result += [DiffLine("same", line) for line in same]
            continue
        result += [DiffLine("removed", line) for line in a[i1:i2]]
        result += [DiffLine("added", line) for line in b[j1:j2]]
    return result


@dataclass(frozen=True)
class VersionStep:
    """One edit: who changed the text when and why, and what changed."""

    editor: str
    created_at: datetime
    reason: str
    title_before: str
    title_after: str
    body_diff: list[DiffLine]

    @property
    def title_changed(self) -> bool:
        return bool(self.title_before or self.title_after) and (
            self.title_before != self.title_after
        )

    @property
    def body_changed(self) -> bool:
        return any(line.kind in {"removed", "added"} for line in self.body_diff)
