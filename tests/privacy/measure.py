"""Precision and recall of the personal-data guard over a corpus file.

    .venv/bin/python -m tests.privacy.measure [corpus.json ...]

A corpus has "positive" examples (each with the "kinds" it must yield), "negative" ones
(nothing to find) and optionally "known_limits" (counted like the others). Two figures:
- by text: a positive text counts as found if the guard refuses it at all, a negative one
  as a false alarm if the guard finds anything in it;
- by kind: each expected kind found is a hit, each expected kind missed a miss, each finding
  of a kind not expected a false alarm.
Without arguments it measures tests/privacy/corpus.json; failures are listed.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fachaustausch.privacy.guard import check

CORPUS = Path(__file__).parent / "corpus.json"


@dataclass
class Scores:
    positives: int = 0
    negatives: int = 0
    found: int = 0  # positive texts refused
    false_alarms: int = 0  # negative texts refused
    kind_hits: int = 0
    kind_misses: int = 0
    kind_false: int = 0
    failures: list[str] = field(default_factory=list)

    @staticmethod
    def _ratio(a: int, b: int) -> float:
        return a / b if b else 1.0

    @property
    def precision(self) -> float:
        return self._ratio(self.found, self.found + self.false_alarms)

    @property
    def recall(self) -> float:
        return self._ratio(self.found, self.positives)

    @property
    def kind_precision(self) -> float:
        return self._ratio(self.kind_hits, self.kind_hits + self.kind_false)

    @property
    def kind_recall(self) -> float:
        return self._ratio(self.kind_hits, self.kind_hits + self.kind_misses)

    def summary(self, name: str) -> str:
        return (
            f"{name}: {self.positives} positive, {self.negatives} negative texts\n"
            f"  by text: precision {self.precision:.3f} ({self.found} refused, "
            f"{self.false_alarms} false alarms), recall {self.recall:.3f} "
            f"({self.found}/{self.positives})\n"
            f"  by kind: precision {self.kind_precision:.3f}, recall {self.kind_recall:.3f} "
            f"(hits {self.kind_hits}, misses {self.kind_misses}, false {self.kind_false})"
        )


def measure(corpus: dict[str, Any]) -> Scores:
    scores = Scores()
    examples = [*corpus.get("positive", []), *corpus.get("negative", [])]
    for example in [*examples, *corpus.get("known_limits", [])]:
        expected = set(example.get("kinds", []))
        findings = check(example["text"])
        kinds = {f.kind for f in findings}
        if expected:
            scores.positives += 1
            scores.found += bool(findings)
        else:
            scores.negatives += 1
            scores.false_alarms += bool(findings)
        scores.kind_hits += len(expected & kinds)
        scores.kind_misses += len(expected - kinds)
        scores.kind_false += sum(1 for f in findings if f.kind not in expected)
        if expected - kinds or kinds - expected:
            found = ", ".join(f"{f.kind} „{f.text}“" for f in findings) or "nichts"
            scores.failures.append(f"{example['text']!r}: erwartet {sorted(expected)}, {found}")
    return scores


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def main(paths: list[str]) -> None:
    for path in [Path(p) for p in paths] or [CORPUS]:
        scores = measure(load(path))
        print(scores.summary(str(path)))
        for failure in scores.failures:
            print("  -", failure)


if __name__ == "__main__":
    main(sys.argv[1:])
