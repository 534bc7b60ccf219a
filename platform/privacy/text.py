"""The text the detectors read, and the way back to the text the user wrote.

Identifiers hide behind look-alike characters: a zero-width space inside an e-mail address,
full-width digits, a name typed in capitals. The detectors therefore read a normalised copy
(NFKC, without invisible characters); every finding is mapped back, so its position and text
are those of the user's own text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Characters that show nothing: zero-width spaces and joiners, soft hyphens, direction marks,
# variation selectors, the byte-order mark.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e"
    "\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0]"
)
_WORD = re.compile(r"[^\W\d_]+")
_RUN_GAP = re.compile(r"[ \t,.:;/()-]*")


@dataclass(frozen=True)
class Normalised:
    """`text` is what the detectors read; `starts[i]`/`ends[i]` the span of the user's text
    that character i came from (None: the texts are the same)."""

    original: str
    text: str
    starts: list[int] | None = None
    ends: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text behind `text[start:end]`."""
        if self.starts is None or self.ends is None:
            return start, end
        return self.starts[start], self.ends[end - 1]


def normalise(original: str) -> Normalised:
    if original.isascii() or (
        unicodedata.is_normalized("NFKC", original) and not _INVISIBLE.search(original)
    ):
        return Normalised(original, original)
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, length = 0, len(original)
    while i < length:
        # A character with its combining marks is normalised as one piece ("s" + cedilla).
        j = i + 1
        while j < length and unicodedata.combining(original[j]):
            j += 1
        cluster = original[i:j]
        if not _INVISIBLE.fullmatch(cluster[0]):
            out = unicodedata.normalize("NFKC", cluster)
            pieces.append(out)
            starts.extend([i] * len(out))
            ends.extend([j] * len(out))
        i = j
    return Normalised(original, "".join(pieces), starts, ends)


def _title(word: str) -> str:
    titled = word[0] + word[1:].lower()
    return titled if len(titled) == len(word) else word


def sentence_case(text: str) -> str:
    """`text` with every run of two or more words in capitals ("FRAU AYŞE YILMAZ") written
    like ordinary words ("Frau Ayşe Yılmaz"); single capitalised abbreviations ("AZR") stay.
    Character positions do not change."""
    if not any(ch.isupper() for ch in text):
        return text
    words = [m for m in _WORD.finditer(text) if len(m.group()) >= 2 and m.group().isupper()]
    if len(words) < 2:
        return text
    chars = list(text)
    run: list[re.Match[str]] = []

    def flush() -> None:
        if len(run) >= 2:
            for m in run:
                chars[m.start() : m.end()] = _title(m.group())
        run.clear()

    for match in words:
        if run and not _RUN_GAP.fullmatch(text, run[-1].end(), match.start()):
            flush()
        run.append(match)
    flush()
    return "".join(chars)
