"""Markdown to safe HTML: CommonMark with tables and linkified URLs, then sanitised.

The source is stored and rendered once on write; nh3 (ammonia) removes anything a page must
not carry — raw HTML, `javascript:` links, event handlers — whatever markdown-it lets by."""

from __future__ import annotations

import html
from typing import Any

import nh3
from markdown_it import MarkdownIt

_md = (
    MarkdownIt("commonmark", {"linkify": True, "typographer": False})
    .enable("table")
    .enable("linkify")
    .enable("strikethrough")
)
# Authors write Markdown; HTML they type is shown as text, not interpreted.
_md.disable("html_block")
_md.disable("html_inline")


def _image_as_link(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """Pages load no images from elsewhere (that would tell a third party who reads what):
    `![Plan](https://…)` becomes a link named after the picture, not an empty paragraph."""
    token = tokens[idx]
    src = html.escape(str(token.attrGet("src") or ""))
    alt = html.escape(renderer.renderInlineAsText(token.children or [], options, env))
    return f'<a href="{src}">{alt or src}</a>'


_md.add_render_rule("image", _image_as_link)


def _alignment_as_class(state: Any) -> None:
    """markdown-it aligns table cells with a style attribute, which the pages' Content
    Security Policy refuses (no inline styles): a class from app.css instead."""
    for token in state.tokens:
        if token.type in ("th_open", "td_open"):
            style = token.attrs.pop("style", None)
            if isinstance(style, str) and style.startswith("text-align:"):
                token.attrSet("class", "align-" + style.removeprefix("text-align:"))


_md.core.ruler.push("alignment_as_class", _alignment_as_class)

_TAGS = {
    "p", "br", "hr", "strong", "em", "s", "del", "code", "pre", "blockquote", "a",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
_ALIGNMENTS = {"align-left", "align-center", "align-right"}


def render(source: str) -> str:
    return nh3.clean(
        _md.render(source),
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
        allowed_classes={"th": _ALIGNMENTS, "td": _ALIGNMENTS},
    )


def render_plain(text: str) -> str:
    """Comments are plain text: escaped, with line breaks kept."""
    return html.escape(text).replace("\n", "<br>\n")
