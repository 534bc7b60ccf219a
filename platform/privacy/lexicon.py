"""The word lists the name detector looks words up in (platform/privacy/data/).

- given names and surnames: Faker's person data (MIT), every Latin-script locale plus the
  Cyrillic ones transliterated, so that names of the people an authority deals with are
  known in the spellings German case texts use;
- German nouns and place names: the frequent ones, from the German Wiktionary through the
  `german-nouns` data set (CC BY-SA 4.0);
- names that are also German words ("Rose", "Mai", "Wolf", "Will"): such a name counts
  only where the context says it is a name.

scripts/build_privacy_lexicon.py builds the files; nothing here needs those packages.
Every list holds `fold`ed words, so "Ayşe", "AYSE" and "ayse" are one entry.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"

# Letters NFKD does not take apart.
_LETTERS = str.maketrans(
    {"ı": "i", "ß": "ss", "ø": "o", "ł": "l", "đ": "d", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}
)
_DROPPED = frozenset("'’ʼ`´")


def fold(word: str) -> str:
    """Lower case without accents: the key every list is looked up by."""
    decomposed = unicodedata.normalize("NFKD", word.casefold().translate(_LETTERS))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch) and ch not in _DROPPED)


class WordList:
    """A set of words in a fraction of the memory of a `frozenset` of them (one object per
    word would dominate): the words sharing their first three letters are kept in one string
    and searched there."""

    def __init__(self, words: Iterable[str]) -> None:
        buckets: dict[str, list[str]] = defaultdict(list)
        for word in words:
            buckets[word[:3]].append(word)
        self._buckets = {head: "\n" + "\n".join(ws) + "\n" for head, ws in buckets.items()}
        self._size = sum(len(ws) for ws in buckets.values())

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word or "\n" in word:
            return False
        bucket = self._buckets.get(word[:3])
        return bucket is not None and f"\n{word}\n" in bucket

    def __len__(self) -> int:
        return self._size


def _read(name: str) -> WordList:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return WordList(line for line in lines if line and not line.startswith("#"))


@cache
def given_names() -> WordList:
    return _read("given_names.txt")


@cache
def surnames() -> WordList:
    return _read("surnames.txt")


@cache
def nouns() -> WordList:
    """Frequent German nouns (all their forms) and place names."""
    return _read("german_nouns.txt")


@cache
def name_words() -> WordList:
    """Given names and surnames that are also German words or places."""
    return _read("name_words.txt")
