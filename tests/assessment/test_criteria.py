"""The seed criteria: the four published ones of cornerstone 1 word for word, three to six
of the platform's own for each other cornerstone, each linked to existing instruments, and
every instrument reachable from at least one criterion."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from fachaustausch.assessment.seed_criteria import (
    CRITERIA_FILE,
    SeedCriterion,
    load_seed_criteria,
)

ROOT = Path(__file__).resolve().parents[2]
TOOLBOX_SEED = ROOT / "platform" / "toolbox" / "seed_data.json"

# The Checkliste zur Standortbestimmung of the model project, cornerstone 1, as published.
PUBLISHED = [
    "Das Selbstverständnis der ABH hat sich von reiner Ordnungsbehörde zur "
    "Willkommensbehörde entwickelt.",
    "In der ABH werden ordnungsrechtliche Ermessensspielräume zugunsten der "
    "Kundinnen/Kunden ausgelegt.",
    "Die ABH nimmt Beratungsaufgaben wahr.",
    "Die Führungsebene der ABH lebt die Werte einer Willkommenskultur vor.",
]

CRITERIA = load_seed_criteria()


def _instrument_slugs() -> list[str]:
    data = json.loads(TOOLBOX_SEED.read_text(encoding="utf-8"))
    return [i["slug"] for i in data["instruments"]]


def test_cornerstone_one_holds_exactly_the_published_criteria_in_order() -> None:
    assert [c.text for c in CRITERIA if c.cornerstone == 1] == PUBLISHED


@pytest.mark.parametrize("cornerstone", [2, 3, 4, 5])
def test_other_cornerstones_have_three_to_six_criteria(cornerstone: int) -> None:
    assert 3 <= sum(c.cornerstone == cornerstone for c in CRITERIA) <= 6


def test_only_the_five_cornerstones_occur() -> None:
    assert {c.cornerstone for c in CRITERIA} == {1, 2, 3, 4, 5}


def test_keys_are_unique_slugs() -> None:
    keys = [c.key for c in CRITERIA]
    assert len(keys) == len(set(keys))
    for key in keys:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key), key


def test_texts_are_unique() -> None:
    texts = [c.text for c in CRITERIA]
    assert len(texts) == len(set(texts))


def test_positions_count_from_one_within_each_cornerstone() -> None:
    for cornerstone in range(1, 6):
        positions = [c.position for c in CRITERIA if c.cornerstone == cornerstone]
        assert positions == list(range(1, len(positions) + 1))


@pytest.mark.parametrize("criterion", CRITERIA, ids=lambda c: c.key)
def test_each_criterion_is_one_sentence_about_the_abh(criterion: SeedCriterion) -> None:
    text = criterion.text
    assert "ABH" in text
    assert text.endswith(".")
    assert text[0].isupper()
    # One sentence: no full stop before the last character.
    assert "." not in text[:-1]
    # Short like the published ones, so a checklist row and a printed line hold it.
    assert len(text) <= 110


@pytest.mark.parametrize("criterion", CRITERIA, ids=lambda c: c.key)
def test_gender_fair_wording(criterion: SeedCriterion) -> None:
    text = criterion.text
    for masculine, feminine in [
        ("Kunden", "Kundinnen"),
        ("Mitarbeiter", "Mitarbeiterinnen"),
        ("Bewerber", "Bewerberinnen"),
        ("Arbeitgeber", "Arbeitgeberinnen"),
    ]:
        if re.search(rf"\b{masculine}\b", text):
            assert feminine in text, f"{masculine!r} without {feminine!r}: {text}"


@pytest.mark.parametrize("criterion", CRITERIA, ids=lambda c: c.key)
def test_each_criterion_links_one_to_four_existing_instruments(criterion: SeedCriterion) -> None:
    instruments = criterion.instruments
    assert 1 <= len(instruments) <= 4
    assert len(set(instruments)) == len(instruments)
    assert set(instruments) <= set(_instrument_slugs())


def test_every_instrument_is_linked_from_at_least_one_criterion() -> None:
    linked = Counter(slug for c in CRITERIA for slug in c.instruments)
    unlinked = [slug for slug in _instrument_slugs() if slug not in linked]
    assert unlinked == []


def test_loader_refuses_unknown_fields(tmp_path: Path) -> None:
    data = json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))
    data["criteria"][0]["weight"] = 2
    broken = tmp_path / "criteria.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ValueError, match="unexpected or missing fields"):
        load_seed_criteria(broken)


def test_loader_returns_checklist_order(tmp_path: Path) -> None:
    data = json.loads(CRITERIA_FILE.read_text(encoding="utf-8"))
    data["criteria"].reverse()
    reversed_file = tmp_path / "criteria.json"
    reversed_file.write_text(json.dumps(data), encoding="utf-8")
    assert load_seed_criteria(reversed_file) == CRITERIA
