"""Details that identify a person only together. "Der Kunde, 34 Jahre, aus Aleppo, wohnt in
der Eisenbahnstraße" names nobody, yet in one town it points at one household. A street of
residence is refused when the same sentence also gives two of: an age, an origin, a person
(an initial, a salutation, a word for a relative or client). Each detail alone, and the
usual anonymised description ("Herr A. (34) aus Syrien"), pass."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator

from fachaustausch.privacy.addresses import street_names
from fachaustausch.privacy.lexicon import fold
from fachaustausch.privacy.vocabulary import RELATIVES

_RESIDENCE = re.compile(
    r"\b(?:wohn\w*|Wohn\w*|lebt|leben|lebte|untergebracht|Unterkunft|gemeldet|zieht|zog"
    r"|umgezogen|Adresse|Anschrift)\b"
)
_AGE = re.compile(
    r"\b\d{1,2}[ \t]*(?:Jahre\b|J\.|-?jährig)|\(\s*\d{1,2}\s*\)|,[ \t]*\d{1,2}[ \t]*,"
    r"|\b(?:Jahrgang|[gG]eboren|geb\.)[ \t]*(?:19|20)\d{2}\b"
)
_ORIGIN = re.compile(r"\b(?:aus|Herkunft:?|Herkunftsort:?)[ \t]+[A-ZÄÖÜ][\w-]+")
_PERSON = re.compile(r"(?<![\w.])[A-ZÄÖÜ]\.(?=[ \t,)])|\b(?:Herr|Herrn|Frau|Familie)\b")
_WORD = re.compile(r"[^\W\d_]+")
# A sentence ends at a line break, "!" or "?", or a full stop after a word of three or more
# letters or a number ("A." and "Nr." do not end one).
_BOUNDARY = re.compile(r"\n|[!?]|(?<=[a-zäöüß\d]{3})\.(?=\s)|(?<=\d)\.(?=\s)")


def _sentence(bounds: list[tuple[int, int]], start: int, length: int) -> tuple[int, int]:
    """The sentence around `start`, from the sorted (start, end) spans of the boundaries."""
    i = bisect.bisect_left(bounds, (start, start))
    begin = bounds[i - 1][1] if i else 0
    return begin, bounds[i][0] if i < len(bounds) else length


def _mentions_person(text: str, begin: int, end: int) -> bool:
    if _PERSON.search(text, begin, end):
        return True
    return any(fold(m.group()) in RELATIVES for m in _WORD.finditer(text, begin, end))


def _identifying(text: str, begin: int, end: int) -> bool:
    if not _RESIDENCE.search(text, begin, end):
        return False
    details = (
        bool(_AGE.search(text, begin, end))
        + bool(_ORIGIN.search(text, begin, end))
        + _mentions_person(text, begin, end)
    )
    return details >= 2


def combinations(text: str) -> Iterator[tuple[int, int]]:
    bounds: list[tuple[int, int]] | None = None
    verdicts: dict[tuple[int, int], bool] = {}  # per sentence, however many streets it names
    for start, stop in street_names(text):
        if bounds is None:
            bounds = [m.span() for m in _BOUNDARY.finditer(text)]
        sentence = _sentence(bounds, start, len(text))
        if sentence not in verdicts:
            verdicts[sentence] = _identifying(text, *sentence)
        if verdicts[sentence]:
            yield start, stop
