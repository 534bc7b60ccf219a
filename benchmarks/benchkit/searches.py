"""Search queries: a few repeated ones (what a cache serves) and many distinct ones of one to
three words from the generated texts' vocabulary, some with facet filters (what people
type, which no cache serves)."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from benchkit import german_text

# Repeated searches: the same few queries over and over, as before (comparable rows).
REPEATED_WORDS = [
    "Terminvergabe", "Aufenthaltserlaubnis", "Service-Point", "Blaue Karte",
    "Fiktionsbescheinigung", "Wartezeiten", "Dolmetscher", "Einbürgerung", "ABH",
    "Familiennachzug", "Jobcenter", "Terminvergbe", "Verpflichtungserklärung",
    "Willkommenscenter", "Ausländerbehörden", "Chancenkarte",
    "elektronischer Aufenthaltstitel", "Kundenbefragung", "Leitbild", "Sprachmittlung",
]  # fmt: skip

STATUSES = ["open", "answered", "solved"]
# The search page's parameters are German; the API's are English.
PAGE_PARAMS = {"type": "typ", "cornerstone": "eckpunkt", "instrument": "instrument"}
PAGE_VALUES = {
    "question": "frage",
    "open": "offen",
    "answered": "beantwortet",
    "solved": "geloest",
}
_STOPWORDS = {
    "aber", "alle", "allein", "anfangs", "auch", "beim", "besten", "dafür", "damit", "dann",
    "dass", "dazu", "denen", "dies", "diese", "durch", "eine", "einem", "einen", "einer",
    "eines", "etwa", "gern", "gibt", "haben", "hat", "immer", "ihre", "ihrer", "inzwischen",
    "kaum", "mehr", "nach", "nicht", "noch", "nur", "oder", "ohne", "rund", "schon", "sehr",
    "sein", "seit", "sich", "sind", "solange", "über", "unser", "unsere", "unter", "viele",
    "vielen", "vor", "wäre", "wären", "was", "welche", "wenn", "werden", "wird", "wir",
    "würden", "zwischen",
}  # fmt: skip


@dataclass(frozen=True)
class Search:
    text: str
    filters: tuple[tuple[str, str], ...] = ()

    def api_path(self) -> str:
        return "/api/v1/search?" + urlencode([("q", self.text), *self.filters])

    def page_path(self) -> str:
        params = [("q", self.text)] + [
            (PAGE_PARAMS.get(key, key), PAGE_VALUES.get(value, value))
            for key, value in self.filters
        ]
        return "/suche?" + urlencode(params)


def vocabulary() -> list[str]:
    """The words of the generated titles and texts worth searching for."""
    phrases = [
        *german_text.TOPICS, *german_text.PLACES, *german_text.GROUPS, *german_text.PARTNERS,
        *german_text.PROBLEMS, *german_text.MEASURES, *german_text.DOCUMENTS,
        *german_text.TIMES, *german_text.REASONS, *german_text.WISHES,
        *german_text.TITLE_TEMPLATES, *german_text.QUESTION_SENTENCES,
        *german_text.ANSWER_SENTENCES, *german_text.CASE_SENTENCES,
    ]  # fmt: skip
    words = set()
    for phrase in phrases:
        for word in re.sub(r"\{\w+\}", " ", phrase).split():
            word = word.strip(".,:;?!–()\"'")
            if len(word) >= 4 and word.lower() not in _STOPWORDS:
                words.add(word)
    return sorted(words)


def _typo(word: str, rng: random.Random) -> str:
    """A letter left out, as people type: the engine's fuzzy matching has to find it."""
    if len(word) < 7:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1 :]


def repeated_searches(pairs: list[tuple[str, str]], rng: random.Random) -> list[Search]:
    """REPEATED_WORDS with filters: a cornerstone, or type + instrument + status."""
    out = []
    for word in REPEATED_WORDS:
        cornerstone, instrument = rng.choice(pairs)
        out.append(Search(word, (("cornerstone", cornerstone),)))
        out.append(
            Search(
                word,
                (
                    ("type", "question"),
                    ("instrument", instrument),
                    ("status", rng.choice(STATUSES)),
                ),
            )
        )
    return out


def unique_searches(
    count: int, pairs: list[tuple[str, str]], rng: random.Random, filtered_share: float = 0.35
) -> list[Search]:
    """`count` distinct searches of one to three words (a quarter one word, almost half two,
    the rest three; one in twenty with a letter left out); `filtered_share` of them narrowed
    by one or two facets (type, cornerstone, instrument, status)."""
    words = vocabulary()
    cornerstones = sorted({c for c, _ in pairs})
    instruments = sorted({i for _, i in pairs})
    facets = ["type", "cornerstone", "instrument", "status"]
    seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    out: list[Search] = []
    attempts = 0
    while len(out) < count and attempts < count * 20:
        attempts += 1
        picked = rng.sample(words, rng.choices([1, 2, 3], weights=[25, 45, 30])[0])
        if rng.random() < 0.05:
            k = rng.randrange(len(picked))
            picked[k] = _typo(picked[k], rng)
        filters: list[tuple[str, str]] = []
        if rng.random() < filtered_share:
            for facet in sorted(rng.sample(facets, rng.choice([1, 1, 2])), key=facets.index):
                if facet == "type":
                    filters.append(("type", "question"))
                elif facet == "cornerstone" and cornerstones:
                    filters.append(("cornerstone", rng.choice(cornerstones)))
                elif facet == "instrument" and instruments:
                    filters.append(("instrument", rng.choice(instruments)))
                elif facet == "status":
                    filters.append(("status", rng.choice(STATUSES)))
        text = " ".join(picked)
        key = (text.lower(), tuple(filters))
        if key in seen:
            continue
        seen.add(key)
        out.append(Search(text, tuple(filters)))
    if len(out) < count:
        raise SystemExit(f"only {len(out)} distinct searches from the vocabulary, {count} wanted")
    return out
