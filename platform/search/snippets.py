"""Search hits as a page shows them: the stored fields of a found document and a snippet
of its text around what the query matched, the matches marked.

The index stores no texts a snippet is cut from: they come from the database for the
hits of one page (embedded.TextSource)."""

from __future__ import annotations

import re
from collections.abc import Mapping

import tantivy

from fachaustausch.search.backend import SearchHit
from fachaustausch.search.embedded_query import Found, Matcher
from fachaustausch.search.text import HIGHLIGHT_END, HIGHLIGHT_START, mark_html

SNIPPET_FIELDS = ("body", "extra", "title")
SNIPPET_CHARS = 200
SNIPPET_LEAD_CHARS = 40
SNIPPET_SOURCE_CHARS = 20_000  # matches further into a text are not looked for
_SPACE = re.compile(r"\s+")


class Snippets:
    """Makes the hits of a page with the analyzer the index's texts were analysed with,
    so that a snippet marks the words the query found."""

    def __init__(self, analyzer: tantivy.TextAnalyzer) -> None:
        self._analyzer = analyzer

    def hits(self, found: Found, texts: Mapping[str, tuple[str, str]]) -> list[SearchHit]:
        return [self._hit(doc, texts, found.matcher) for doc in found.documents]

    def _hit(
        self, doc: tantivy.Document, texts: Mapping[str, tuple[str, str]], matcher: Matcher
    ) -> SearchHit:
        def text(name: str) -> str:
            value = doc.get_first(name)
            return str(value) if value is not None else ""

        def optional(name: str) -> str | None:
            value = doc.get_first(name)
            return str(value) if value is not None else None

        document_id, title = text("id"), text("title")
        # Gone from the database since the index last saw it: the title alone.
        body, extra = texts.get(document_id, ("", ""))
        return SearchHit(
            id=document_id,
            type=text("type"),
            entity_id=int(doc.get_first("entity_id") or 0),
            title=title,
            snippet_html=self.snippet({"body": body, "extra": extra, "title": title}, matcher),
            url=text("url"),
            cornerstone=optional("cornerstone"),
            instruments=tuple(str(v) for v in doc.get_all("instruments")),
            status=optional("status"),
        )

    def snippet(self, texts: dict[str, str], matcher: Matcher) -> str:
        """From the first of body, extra, title that holds a match; else the body's start."""
        # The markers are ours alone: a stray one in the text becomes a space (same offsets).
        texts = {
            name: value[:SNIPPET_SOURCE_CHARS]
            .replace(HIGHLIGHT_START, " ")
            .replace(HIGHLIGHT_END, " ")
            for name, value in texts.items()
        }
        if matcher.exact or matcher.prefixes:
            for name in SNIPPET_FIELDS:
                source = texts[name]
                tokens = self._analyzer.pre_tokenize(source).tokens if source else []
                matches = [
                    (t.char_offset_from, t.char_offset_to) for t in tokens if matcher(t.text)
                ]
                if matches:
                    return mark_html(_cut(source, _window_start(source, matches), matches))
        return mark_html(_cut(texts["body"] or texts["extra"], 0, []))


def _window_start(text: str, matches: list[tuple[int, int]]) -> int:
    """The start of the SNIPPET_CHARS window that holds the most matches, a little before
    its first match and on a word boundary."""
    best_first, best_count, last = 0, 0, 0
    for first, (start, _end) in enumerate(matches):
        last = max(last, first)
        while last + 1 < len(matches) and matches[last + 1][1] - start <= SNIPPET_CHARS:
            last += 1
        if last - first + 1 > best_count:
            best_first, best_count = first, last - first + 1
    start = matches[best_first][0]
    # A little context before the match, and no space wasted after the end of the text.
    lead = max(0, min(start - SNIPPET_LEAD_CHARS, len(text) - SNIPPET_CHARS))
    if lead == 0:
        return 0
    space = text.find(" ", lead, start)
    return space + 1 if space != -1 else start


def _cut(text: str, start: int, matches: list[tuple[int, int]]) -> str:
    """text[start:start+SNIPPET_CHARS] cut at word boundaries, with the highlight markers
    around the matches inside it and an ellipsis where text was left out."""
    end = start + SNIPPET_CHARS
    if end < len(text):
        space = text.rfind(" ", start + SNIPPET_CHARS // 2, end)
        end = space if space != -1 else end
    else:
        end = len(text)
    parts: list[str] = []
    position = start
    for match_start, match_end in matches:
        if match_start < start or match_end > end:
            continue
        parts += [text[position:match_start], HIGHLIGHT_START, text[match_start:match_end]]
        parts.append(HIGHLIGHT_END)
        position = match_end
    parts.append(text[position:end])
    fragment = _SPACE.sub(" ", "".join(parts)).strip()
    if start > 0:
        fragment = "… " + fragment
    if end < len(text):
        fragment += " …"
    return fragment
