"""Names after a salutation or a naming phrase: "Herr Yilmaz", "Frau Dr. K. Nowak",
"Familie al-Hassan", "namens Abdullahi", "geb. Petrova". The anonymised form "Herr A." is
left alone, and so is "Frau Kollegin"."""

from __future__ import annotations

import re
from collections.abc import Iterator

from fachaustausch.privacy.contacts import SP
from fachaustausch.privacy.lexicon import fold, nouns
from fachaustausch.privacy.vocabulary import (
    DETERMINERS,
    NAME_PARTICLES,
    NOT_NAMES,
    ROLE_NOUNS,
    is_given_name,
    is_surname,
    looks_like_noun,
)

_NAME_INTRO = re.compile(
    r"\b(?:Herrn|Herr|Frau|Fräulein|Familie|Fam\.|Eheleute|Ehepaar|Geschwister|Hr\.|Fr\."
    r"|namens|Namens|heißt(?:{sp}+(?:eigentlich|tatsächlich|wirklich|richtig))?"
    r"|[gG]eb\.|geborene|geborener|geborenen|alias"
    r"|mit (?:dem )?(?:Vor|Nach|Familien)?[Nn]amen|(?:Vor|Nach|Familien|Geburts)?[Nn]ame{sp}*:)"
    r"(?={sp})".replace("{sp}", SP)
)
_TOKEN = re.compile(rf"{SP}+([^\W\d_]+(?:[-'’][^\W\d_]+)*)(\.)?")
_TITLE = re.compile(
    rf"{SP}*(?:Prof|Dr|med|dent|phil|jur|rer\.{SP}?nat|Dipl\.-Ing|Dipl|Mag|h\.{SP}?c)\."
)
_PREV_WORD = re.compile(r"([^\W\d_]+)[ \t\u00a0]*$")
_SENTENCE_REFERENCE = frozenset({"das", "dies", "es", "was", "wie"})  # "das heißt …"


def _usable_name(word: str, strict: bool) -> bool:
    key = fold(word)
    if not word[0].isupper() or key in NOT_NAMES or key in ROLE_NOUNS:
        return False
    if not strict:
        return True
    # After "die Familie" a capitalised word is more often a noun ("die Familie Leistungen
    # bezieht"), unless it is a known name ("die Familie Fischer").
    if looks_like_noun(word):
        return False
    return key not in nouns() or is_surname(word) or is_given_name(word)


def _name_word(word: str, strict: bool) -> bool:
    """A surname-like word; "al-Hassan" counts by its part after the particle."""
    head, _, tail = word.partition("-")
    if tail and head.lower() in NAME_PARTICLES and head.islower():
        return tail[0].isupper()
    return _usable_name(word, strict)


def salutation_names(text: str) -> Iterator[tuple[int, int]]:
    for intro in _NAME_INTRO.finditer(text):
        prev = _PREV_WORD.search(text, max(0, intro.start() - 30), intro.start())
        prev_word = prev.group(1) if prev else ""
        if intro.group().startswith("heißt") and prev_word.lower() in _SENTENCE_REFERENCE:
            continue
        strict = prev_word.lower() in DETERMINERS or (
            prev_word.islower() and prev_word.endswith(("e", "en", "er", "em"))
        )
        span = _following_name(text, intro.end(), strict)
        if span:
            yield span


def _following_name(text: str, pos: int, strict: bool) -> tuple[int, int] | None:
    while title := _TITLE.match(text, pos):
        pos = title.end()
    start = end = -1
    words = initials = 0
    role_seen = particle = False
    while words < 2:
        token = _TOKEN.match(text, pos)
        if token is None:
            break
        word, dot = token.group(1), token.group(2)
        if len(word) == 1 and word.isupper() and dot and words == 0 and not particle:
            initials += 1  # "K." belongs to the name only if a surname follows
            start = token.start(1) if start < 0 else start
            pos = token.end()
            continue
        if word.lower() in NAME_PARTICLES or (particle and word == "der"):
            if words:
                break
            particle = True  # "von der Leyen", "da Silva"
            start = token.start(1) if start < 0 else start
            pos = token.end(1)
            continue
        if not words and not initials and not role_seen and fold(word) in ROLE_NOUNS:
            role_seen = True  # "Frau Rechtsanwältin Schulz": a name may follow
            pos = token.end(1)
            continue
        if not _name_word(word, strict or initials > 0 or role_seen or words > 0):
            break
        if len(word) <= 2 and dot:
            break  # an abbreviation, not a name
        if initials and text[token.end(1) : token.end(1) + 1] == ":":
            break  # "Gespräch mit Frau B. Fazit: …" — a heading, not "B. Fazit"
        start = token.start(1) if start < 0 else start
        end = token.end(1)
        words += 1
        pos = end
    return (start, end) if words else None
