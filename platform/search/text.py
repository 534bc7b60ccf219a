"""Language data shared by both engines: German stop words, synonyms, snippet markup, and
Markdown as the plain text documents index."""

from __future__ import annotations

import html
import json
import re
from functools import cache
from pathlib import Path

from fachaustausch.search.backend import MARK_CLOSE, MARK_OPEN

_HERE = Path(__file__).parent
# Engines mark matches with these private-use characters; only mark_html turns them into
# tags, after escaping everything else, so no other markup can reach a snippet.
HIGHLIGHT_START, HIGHLIGHT_END = "\ue000", "\ue001"


@cache
def stop_words() -> frozenset[str]:
    lines = (_HERE / "stopwords_de.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip())


@cache
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    data = json.loads((_HERE / "synonyms.json").read_text(encoding="utf-8"))
    return tuple(tuple(group) for group in data["groups"])


def synonyms_map() -> dict[str, list[str]]:
    """Each term to the other terms of its group (Meilisearch's `synonyms` setting)."""
    result: dict[str, list[str]] = {}
    for group in synonym_groups():
        for term in group:
            result[term] = [other for other in group if other != term]
    return result


def mark_html(text: str) -> str:
    """Escapes `text` and turns the highlight markers into <mark> tags."""
    escaped = html.escape(text, quote=False)
    return escaped.replace(HIGHLIGHT_START, MARK_OPEN).replace(HIGHLIGHT_END, MARK_CLOSE)


_EMPHASIS = re.compile(r"[*_`~]+")
_LINK_TARGET = re.compile(r"\]\([^)]*\)")
_STRUCTURE = re.compile(r"[#>|\[\]!]+")


def plain_text(markdown_source: str) -> str:
    """Markdown source as searchable text: syntax characters and link targets dropped."""
    text = _LINK_TARGET.sub(" ", _EMPHASIS.sub("", markdown_source))
    return " ".join(_STRUCTURE.sub(" ", text).split())
