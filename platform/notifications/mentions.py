"""@mentions in Markdown, and the handles people are mentioned by. Pure: no database.

A handle is 2 to 40 characters of lowercase ASCII letters, digits, `.`, `_` and `-`,
beginning and ending with a letter or digit: `anna.mueller`, `hans-peter.schmidt2`.

In text, `@handle` is a mention when
- the `@` starts the text or follows a space or an opening mark (`(`, `[`, quotes, `*`, `_`,
  `~`, a literal backtick), so `anna@bamf.de`, `https://host/@anna` and `\\@anna` are not;
- it is not inside a code span, a fenced or indented code block, or a URL;
- the handle is followed by neither a letter nor a digit nor another `@`. Trailing `.`, `-`
  and `_` belong to the sentence, not the handle: in "Danke, @anna.mueller." the handle is
  `anna.mueller`.
Letters are matched in either case and the handle is reported in lowercase (at the start
of a German sentence people write `@Anna.Mueller`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from markdown_it import MarkdownIt

HANDLE_MIN = 2
HANDLE_MAX = 40
HANDLE = re.compile(r"[a-z0-9](?:[a-z0-9._-]{0,38}[a-z0-9])")
FALLBACK_HANDLE = "mitglied"

# The platform renders Markdown without raw HTML (platform/markdown.py): the same block
# structure decides what is a code block here.
_md = MarkdownIt("commonmark").enable("table").disable("html_block")

_CANDIDATE = re.compile(r"@([A-Za-z0-9][A-Za-z0-9._-]*)")
_OPENERS = frozenset("([{<\"'„“”‚‘’«»‹›*_~`")
_URL = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.|mailto:)[^\s<>\"]*")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_BACKTICKS = re.compile(r"`+")
_BLANK = re.compile(r"[ \t]*(?:\r\n|\r|\n)?")


@dataclass(frozen=True, slots=True)
class Mention:
    handle: str  # lowercase
    start: int  # text[start:end] is the "@" and the handle as written
    end: int


def find_mentions(text: str) -> list[Mention]:
    """Every mention in a Markdown text, in order (a handle mentioned twice appears twice)."""
    excluded = _excluded(text)
    mentions: list[Mention] = []
    for match in _CANDIDATE.finditer(text):
        at = match.start()
        if excluded[at] or (at > 0 and not (text[at - 1].isspace() or text[at - 1] in _OPENERS)):
            continue
        written = match.group(1).rstrip("._-")
        end = at + 1 + len(written)
        after = text[end] if end < len(text) else ""
        if after.isalnum() or after == "@":
            continue
        handle = written.lower()
        if HANDLE.fullmatch(handle):
            mentions.append(Mention(handle=handle, start=at, end=end))
    return mentions


def _excluded(text: str) -> list[bool]:
    """Per character: inside a code block, a code span or a URL."""
    excluded = [False] * (len(text) + 1)
    lines = [(m.start(), m.end()) for m in _LINE.finditer(text) if m.end() > m.start()]
    in_block = [False] * len(lines)
    for token in _md.parse(text):
        if token.type in ("fence", "code_block") and token.map:
            first, last = token.map
            for i in range(first, min(last, len(lines))):
                in_block[i] = True
    segment_start: int | None = None
    for i, (start, end) in enumerate(lines):
        if in_block[i]:
            excluded[start:end] = [True] * (end - start)
        breaks_paragraph = in_block[i] or _BLANK.fullmatch(text, start, end) is not None
        if breaks_paragraph and segment_start is not None:
            _exclude_code_spans(text, segment_start, start, excluded)
            segment_start = None
        elif not breaks_paragraph and segment_start is None:
            segment_start = start
    if segment_start is not None:
        _exclude_code_spans(text, segment_start, len(text), excluded)
    for url in _URL.finditer(text):
        excluded[url.start() : url.end()] = [True] * (url.end() - url.start())
    return excluded


def _exclude_code_spans(text: str, start: int, end: int, excluded: list[bool]) -> None:
    """CommonMark code spans in one paragraph: a run of n backticks up to the next run of
    exactly n. A backslash before the opening run makes its first backtick literal."""
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(text, start, end)]
    i = 0
    while i < len(runs):
        open_start, open_end = runs[i]
        backslash = open_start
        while backslash > start and text[backslash - 1] == "\\":
            backslash -= 1
        if (open_start - backslash) % 2:
            open_start += 1
        width = open_end - open_start
        close = next(
            (j for j in range(i + 1, len(runs)) if runs[j][1] - runs[j][0] == width and width),
            None,
        )
        if close is None:
            i += 1
            continue
        close_end = runs[close][1]
        excluded[open_start:close_end] = [True] * (close_end - open_start)
        i = close + 1


# Letters that Unicode decomposition leaves whole, and German's own transliteration
# (ä → ae, not a), applied before decomposition strips the remaining accents.
_TRANSLITERATION = str.maketrans(
    {
        "ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss", "ẞ": "SS",
        "æ": "ae", "Æ": "Ae", "œ": "oe", "Œ": "Oe", "ø": "o", "Ø": "O", "å": "aa", "Å": "Aa",
        "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th",
        "ı": "i",
    }
)  # fmt: skip
_TITLES = frozenset({"dr.", "dr", "prof.", "prof", "dr.-ing.", "dipl.-ing."})
_APOSTROPHES = re.compile(r"['’‘`´]")
_SEPARATOR_RUN = re.compile(r"[._-]{2,}")


def handle_base(display_name: str) -> str:
    """The handle a name reduces to before collisions: "Dr. Jürgen Groß-Özdemir" →
    "juergen.gross-oezdemir". Words are joined by dots, hyphens stay, other characters
    separate words; scripts without a Latin transliteration reduce to "mitglied"."""
    latin = unicodedata.normalize("NFC", display_name).translate(_TRANSLITERATION)
    decomposed = unicodedata.normalize("NFKD", latin)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    words = plain.split()
    if any(w not in _TITLES for w in words):
        words = [w for w in words if w not in _TITLES]
    joined = ".".join(_APOSTROPHES.sub("", w) for w in words)
    handle = re.sub(r"[^a-z0-9_-]+", ".", joined)
    handle = _SEPARATOR_RUN.sub(lambda m: "." if "." in m.group() else m.group()[0], handle)
    handle = handle.strip("._-")[:HANDLE_MAX].rstrip("._-")
    return handle if len(handle) >= HANDLE_MIN else FALLBACK_HANDLE


def handle_for(display_name: str, taken: Callable[[str], bool]) -> str:
    """A handle for a new person: the name's base, or on collision base2, base3 … . Stable:
    the same name and the same taken handles give the same handle."""
    base = handle_base(display_name)
    candidate = base
    number = 2
    while taken(candidate):
        suffix = str(number)
        candidate = base[: HANDLE_MAX - len(suffix)].rstrip("._-") + suffix
        number += 1
    return candidate
