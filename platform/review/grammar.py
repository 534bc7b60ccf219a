"""The scanner that reads citation chains by the grammar given in `citations.py`.

It reads every character a bounded number of times: no pattern can backtrack over more
than one token, and a chain that fails hands the search back where it stopped. A chain is
read into drafts (provisions without their law) and the match of the law at its end.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from fachaustausch.review.laws import LAW_PATTERN, Law, law_of_match

_MARKER = re.compile(r"§§?|(?<!\w)(?:Paragra(?:ph|f)(?:en)?|Art(?:ikel|\.)?)(?!\w)", re.IGNORECASE)
_WS = re.compile(r"\s*")
# A letter suffix is written attached ("18a") or, in older texts, apart ("16 a"); apart it
# must not be followed by a dot, which makes it an abbreviation ("18 f.", "18 i. V. m.").
_SECTION = re.compile(r"(\d{1,4})(?:([a-z])|\s([a-z])(?![\w.]))?(?!\w)")
_VALUE = re.compile(r"(\d{1,3}[a-z]?)(?!\w)")
_MINOR_VALUE = re.compile(r"(?:[a-z]{1,2}|\d{1,2})\)?(?!\w)")
_ROMAN = re.compile(r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})(?!\w)")
_FOLLOWING = re.compile(r"ff(?!\w)\.?|f\.", re.IGNORECASE)
_RANGE = re.compile(r"bis(?!\w)|[–—-]", re.IGNORECASE)
# No semicolon: it ends a clause, and the law after it is not the law of what came before.
_LIST = re.compile(
    r",|(?:und|oder|sowie)(?!\w)|(?:u|bzw)\.|i\.?\s?v\.?\s?m(?!\w)\.?"
    r"|in\s+Verbindung\s+mit(?!\w)",
    re.IGNORECASE,
)

_SECTION_LEVEL, _PARAGRAPH, _SENTENCE, _NUMBER, _MINOR = 0, 1, 2, 3, 4
_PARTS = (
    (_PARAGRAPH, re.compile(r"(?i:Absatz|Absätze|Abs\.|Abs(?!\w))")),
    (_SENTENCE, re.compile(r"(?i:Satz|Sätze)(?!\w)|S\.|S(?= ?\d)")),
    (_NUMBER, re.compile(r"(?i:Nummer|Nrn\.|Nrn(?!\w)|Nr\.|Nr(?!\w))")),
    (
        _MINOR,
        re.compile(
            r"(?i:Buchstabe|Buchst\.|lit\.|Alternative|Alt\.|Variante|Var\."
            r"|Halbsatz|Halbs\.|Hs\.|Hs(?!\w))"
        ),
    ),
)
# Ranges longer than this keep their two ends: a real range of provisions is short, and an
# unbounded one would let a text multiply into any number of citations.
_MAX_RANGE = 20


@dataclass(slots=True)
class Draft:
    """A provision read so far, before the law at the end of its chain is known."""

    kind: str
    parts: list[str | None]  # section, paragraph, sentence, number
    start: int
    end: int
    following: bool = False
    through: str | None = None

    def branch(self, level: int, value: str, start: int, end: int) -> Draft:
        """The next provision of a list: the parts above `level` kept, `level` set."""
        parts = [*self.parts[:level], value] + [None] * (3 - level)
        return Draft(self.kind, parts, start, end)


@dataclass
class _Scanner:
    text: str
    pos: int
    drafts: list[Draft] = field(default_factory=list)
    level: int = _SECTION_LEVEL

    def take(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        match = pattern.match(self.text, self.pos)
        if match:
            self.pos = match.end()
        return match

    def skip_space(self) -> None:
        space = _WS.match(self.text, self.pos)
        assert space is not None  # `\s*` matches everywhere
        self.pos = space.end()

    def take_section(self, kind: str, start: int) -> bool:
        match = self.take(_SECTION)
        if match is None:
            return False
        section = match.group(1) + (match.group(2) or match.group(3) or "")
        self.drafts.append(Draft(kind, [section, None, None, None], start, match.end()))
        self.level = _SECTION_LEVEL
        return True

    def take_part(self) -> tuple[int, re.Match[str]] | None:
        """A keyword and its value; the position is left unchanged when there is none."""
        before = self.pos
        for level, keyword in _PARTS:
            if self.take(keyword):
                self.skip_space()
                value = self.take(_MINOR_VALUE if level == _MINOR else _VALUE)
                if value:
                    return level, value
                break
        self.pos = before
        return None

    def take_value(self) -> re.Match[str] | None:
        """A bare value at the current level ("81a" after "§§ 81,", "3" after "Abs. 1 und")."""
        if self.level == _SECTION_LEVEL:
            return self.take(_SECTION)
        if self.level == _MINOR:
            return self.take(_MINOR_VALUE)
        if self.level == _PARAGRAPH and (roman := self.take(_ROMAN)):
            return roman
        return self.take(_VALUE)


def _value_text(match: re.Match[str], level: int) -> str:
    if level == _SECTION_LEVEL:
        return match.group(1) + (match.group(2) or match.group(3) or "")
    if _ROMAN.fullmatch(match.group()):
        return str(_roman_to_int(match.group()))
    return match.group(1)


def _roman_to_int(roman: str) -> int:
    values = {"I": 1, "V": 5, "X": 10}
    total = 0
    for index, char in enumerate(roman):
        value = values[char]
        following = values[roman[index + 1]] if index + 1 < len(roman) else 0
        total += -value if value < following else value
    return total


def section_order(value: str) -> tuple[int, str]:
    """A section or part as number and letters, which sort as the law orders them."""
    digits = value.rstrip("abcdefghijklmnopqrstuvwxyz")
    return int(digits), value[len(digits) :]


def _expand(first: str, last: str) -> list[str]:
    """The values a range names after its first one: every number or letter between, then
    the last; a range across numbers with letters keeps only its ends."""
    (first_number, first_letter), (last_number, last_letter) = (
        section_order(first),
        section_order(last),
    )
    between: list[str] = []
    if not first_letter and not last_letter and 0 < last_number - first_number <= _MAX_RANGE:
        between = [str(n) for n in range(first_number + 1, last_number)]
    elif first_number == last_number and last_letter:
        start = ord(first_letter) + 1 if first_letter else ord("a")
        between = [f"{first_number}{chr(c)}" for c in range(start, ord(last_letter))]
    return [*between, last] if last != first else []


def _read_chain(scanner: _Scanner, marker: re.Match[str]) -> re.Match[str] | None:
    """Reads the chain that starts at `marker` into `scanner.drafts`, and returns the match of
    the law at its end; None when the chain ends in no known law. The scanner is left where
    the chain ended."""
    if not scanner.take_section(_kind(marker.group()), marker.start()):
        return None
    while True:
        stop = scanner.pos
        scanner.skip_space()
        if _read_suffix(scanner) or _read_part(scanner) or _read_connected(scanner):
            continue
        law = scanner.take(LAW_PATTERN)
        if law is None:
            scanner.pos = stop
        return law


def _kind(marker: str) -> str:
    return "§" if marker.startswith("§") or marker.lower().startswith("p") else "Art."


def _read_suffix(scanner: _Scanner) -> bool:
    """ "ff." after the section or a part, or the court style "§ 18 II 1"."""
    draft = scanner.drafts[-1]
    if following := scanner.take(_FOLLOWING):
        if scanner.level == _SECTION_LEVEL:
            draft.following = True
        elif scanner.level < _MINOR:
            # "Abs. 2 Satz 4 ff." may mean any later sentence: cite the whole Absatz.
            draft.parts[scanner.level] = None
            scanner.level = max(i for i, part in enumerate(draft.parts) if part is not None)
        draft.end = following.end()
        return True
    if scanner.level == _SECTION_LEVEL and (roman := scanner.take(_ROMAN)):
        draft.parts[_PARAGRAPH] = str(_roman_to_int(roman.group()))
        draft.end = roman.end()
        scanner.level = _PARAGRAPH
        before = scanner.pos
        scanner.skip_space()
        if sentence := scanner.take(_VALUE):
            draft.parts[_SENTENCE] = sentence.group(1)
            draft.end = sentence.end()
            scanner.level = _SENTENCE
        else:
            scanner.pos = before
        return True
    return False


def _read_part(scanner: _Scanner) -> bool:
    """A part below the ones read so far: "Abs. 2" after "§ 18", "Nr. 3" after "Satz 1"."""
    before = scanner.pos
    part = scanner.take_part()
    if part is None:
        return False
    level, value = part
    if level <= scanner.level:
        scanner.pos = before
        return False
    draft = scanner.drafts[-1]
    if level != _MINOR:
        draft.parts[level] = value.group(1)
    draft.end = value.end()
    scanner.level = level
    return True


def _read_connected(scanner: _Scanner) -> bool:
    """What follows a connector: a range's end, a new section, a new part or a listed value.
    The position is left unchanged when the connector leads to none of them."""
    before = scanner.pos
    if scanner.take(_RANGE):
        scanner.skip_space()
        if (last := scanner.take_value()) is None:
            scanner.pos = before
            return False
        _add_range(scanner, last)
        return True
    if not scanner.take(_LIST):
        return False
    scanner.skip_space()
    after = scanner.pos
    if marker := scanner.take(_MARKER):
        scanner.skip_space()
        if scanner.take_section(_kind(marker.group()), marker.start()):
            return True
    elif part := scanner.take_part():
        level, value = part
        if level != _MINOR:
            draft = scanner.drafts[-1].branch(level, value.group(1), after, value.end())
            scanner.drafts.append(draft)
        scanner.level = level
        return True
    elif listed := scanner.take_value():
        _add_value(scanner, listed)
        return True
    scanner.pos = before
    return False


def _add_value(scanner: _Scanner, match: re.Match[str]) -> None:
    if scanner.level == _MINOR:
        return
    value = _value_text(match, scanner.level)
    draft = scanner.drafts[-1].branch(scanner.level, value, match.start(), match.end())
    scanner.drafts.append(draft)


def _add_range(scanner: _Scanner, last: re.Match[str]) -> None:
    if scanner.level == _MINOR:
        return
    draft = scanner.drafts[-1]
    first = draft.parts[scanner.level]
    assert first is not None
    values = _expand(first, _value_text(last, scanner.level))
    if scanner.level == _SECTION_LEVEL and values:
        # The sections a range names may have letters it cannot list ("§§ 18 bis 21" holds
        # § 18a): its first citation stands for the whole range.
        draft.through = values[-1]
    for value in values:
        # A value between the ends has no text of its own: it spans the whole range.
        start = last.start() if value == values[-1] else draft.start
        scanner.drafts.append(draft.branch(scanner.level, value, start, last.end()))


def read_chains(text: str) -> Iterator[tuple[list[Draft], Law, re.Match[str]]]:
    """Every chain of `text` that ends in a known law: its drafts, the law and the law's
    match, in the order of the text."""
    scanner = _Scanner(text, 0)
    while marker := _MARKER.search(text, scanner.pos):
        scanner.pos, scanner.drafts = marker.end(), []
        scanner.skip_space()
        law = _read_chain(scanner, marker)
        if law is not None:
            yield scanner.drafts, law_of_match(law), law
        scanner.pos = max(scanner.pos, marker.end())
