"""The laws whose provisions the platform recognises, and where the federal law portal
gesetze-im-internet.de keeps each of them.

Only federal migration law and the Grundgesetz are known: a citation of any other law (BGB,
SGB II, an EU directive) is not one the review of answers can act on, so it is not recognised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PORTAL = "https://www.gesetze-im-internet.de"

# Umlauts as typed, transliterated or decomposed (a base letter with a combining diaeresis).
_AE = "(?:ä|ae|a\u0308)"
_OE = "(?:ö|oe|o\u0308)"
_UE = "(?:ü|ue|u\u0308)"
_EU = r"(?:\s?[/-]\s?EU)"


@dataclass(frozen=True)
class Law:
    abbreviation: str
    """The canonical abbreviation, as citations are stored and shown."""
    title: str
    portal_folder: str
    """The law's folder on the portal: its provisions are `/<folder>/__<section>.html`."""
    names: tuple[str, ...]
    """Regular expressions of the abbreviations and long names people write, matched
    case-insensitively and only as whole words. Old names of a law map onto its current one."""


LAWS: tuple[Law, ...] = (
    Law(
        "AufenthG",
        "Aufenthaltsgesetz",
        "aufenthg_2004",
        ("AufenthG", "AufenthaltsG", "Aufenthaltsgesetz(?:es)?"),
    ),
    Law("AufenthV", "Aufenthaltsverordnung", "aufenthv", ("AufenthV", "Aufenthaltsverordnung")),
    Law(
        "BeschV",
        "Beschäftigungsverordnung",
        "beschv_2013",
        ("BeschV", f"Besch{_AE}ftigungsverordnung"),
    ),
    Law(
        "AsylG",
        "Asylgesetz",
        "asylvfg_1992",
        ("AsylG", "AsylVfG", "Asylgesetz(?:es)?", "Asylverfahrensgesetz(?:es)?"),
    ),
    Law(
        "FreizügG/EU",
        "Freizügigkeitsgesetz/EU",
        "freiz_gg_eu_2004",
        (f"Freiz{_UE}gG{_EU}?", f"Freiz{_UE}gigkeitsgesetz(?:es)?{_EU}?"),
    ),
    Law(
        "StAG",
        "Staatsangehörigkeitsgesetz",
        "stag",
        ("StAG", "RuStAG", f"Staatsangeh{_OE}rigkeitsgesetz(?:es)?"),
    ),
    Law(
        "BQFG",
        "Berufsqualifikationsfeststellungsgesetz",
        "bqfg",
        ("BQFG", "Berufsqualifikationsfeststellungsgesetz(?:es)?"),
    ),
    Law(
        "GG",
        "Grundgesetz",
        "gg",
        ("GG", r"Grundgesetz(?:es)?(?:\s+f(?:ü|ue)r\s+die\s+Bundesrepublik\s+Deutschland)?"),
    ),
)

_BY_ABBREVIATION = {law.abbreviation: law for law in LAWS}

# One alternative per law, named by its position, so a match tells which law it was.
# The name may follow an article ("§ 18a des Aufenthaltsgesetzes", "§ 31 der AufenthV").
LAW_PATTERN = re.compile(
    r"(?:(?:des|der)\s+)?(?:"
    + "|".join(f"(?P<law{i}>{'|'.join(law.names)})" for i, law in enumerate(LAWS))
    + r")(?!\w)",
    re.IGNORECASE,
)


def law_of_match(match: re.Match[str]) -> Law:
    """The law that a match of LAW_PATTERN named."""
    group = match.lastgroup
    assert group is not None
    return LAWS[int(group.removeprefix("law"))]


def law_by_abbreviation(abbreviation: str) -> Law:
    """The law with this canonical abbreviation (KeyError for an unknown one)."""
    return _BY_ABBREVIATION[abbreviation]


def known_abbreviations() -> str:
    """The known laws as German prose: "AufenthG, AufenthV, … und GG"."""
    names = [law.abbreviation for law in LAWS]
    return ", ".join(names[:-1]) + " und " + names[-1]
