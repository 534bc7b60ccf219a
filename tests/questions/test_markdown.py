"""Markdown: the source is stored verbatim, the HTML is rendered and sanitised once on write."""

from __future__ import annotations

import re

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.core.markdown import render
from tests.factories import QUESTION_DEFAULTS, ApiClient, make_user

NASTY = (
    "Vorab: <script>alert(1)</script>\n\n"
    "[Klick](javascript:alert(1)) und [auch](JavaScript:alert(2)) "
    "und <javascript:alert(3)>\n\n"
    '<img src=x onerror="alert(4)">\n\n'
    '<a href="javascript:alert(5)" onclick="alert(6)">roh</a>\n\n'
    "![Bild](javascript:alert(7))\n\n"
    "<iframe src=https://evil.example></iframe><style>p{}</style>"
)


def _assert_safe(body_html: str) -> None:
    tags = re.findall(r"<\s*([a-zA-Z]+)", body_html)
    assert set(tags) <= {"p", "a", "br", "strong", "em", "code", "pre"}, tags
    assert "<script" not in body_html
    assert "<img" not in body_html
    assert "<iframe" not in body_html
    # No attribute but href and rel, and no href but http(s).
    for attributes in re.findall(r"<a ([^>]*)>", body_html):
        names = re.findall(r'(\w+)="', attributes)
        assert set(names) <= {"href", "rel", "title"}, attributes
        href = re.search(r'href="([^"]*)"', attributes)
        assert href, attributes
        assert href.group(1).startswith(("http://", "https://", "mailto:")), attributes
    assert not re.search(r'<a\s[^>]*href="\s*javascript', body_html, re.IGNORECASE)
    assert not re.search(r"<[^>]*\son\w+\s*=", body_html)


async def test_question_answer_and_comment_are_sanitised(client: ApiClient) -> None:
    await client.login_token(await make_user(Role.expert))
    created = await client.post("/api/v1/questions", json={**QUESTION_DEFAULTS, "body": NASTY})
    assert created.status_code == 201, created.text
    question = created.json()
    assert question["body"] == NASTY  # the source, verbatim
    _assert_safe(question["body_html"])
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in question["body_html"]
    assert "&lt;img src=x onerror=" in question["body_html"]

    answer = await client.post(f"/api/v1/questions/{question['id']}/answers", json={"body": NASTY})
    assert answer.status_code == 201, answer.text
    assert answer.json()["body"] == NASTY
    _assert_safe(answer.json()["body_html"])

    comment = await client.post(
        f"/api/v1/questions/{question['id']}/comments",
        json={"body": "<script>alert(1)</script>\nzweite Zeile"},
    )
    assert comment.status_code == 201, comment.text
    assert comment.json()["body"] == "<script>alert(1)</script>\nzweite Zeile"
    assert comment.json()["body_html"] == (
        "&lt;script&gt;alert(1)&lt;/script&gt;<br>\nzweite Zeile"
    )

    edited = await client.patch(
        f"/api/v1/questions/{question['id']}", json={"body": "[x](javascript:alert(1))"}
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["body"] == "[x](javascript:alert(1))"
    _assert_safe(edited.json()["body_html"])
    assert "href" not in edited.json()["body_html"]


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JAVASCRIPT:alert(1))",
        "[x](  javascript:alert(1))",
        "[x](java\tscript:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x](vbscript:msgbox(1))",
        "<javascript:alert(1)>",
        "[x]: javascript:alert(1)\n\n[x]",
        "![x](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)>",
        "<details open ontoggle=alert(1)>",
    ],
)
def test_no_active_content(source: str) -> None:
    html = render(source)
    _assert_safe(html)
    assert "<a " not in html or "javascript" not in html.lower()


def test_raw_html_is_shown_as_text() -> None:
    assert render("<img src=x onerror=alert(1)>") == ("<p>&lt;img src=x onerror=alert(1)&gt;</p>\n")
    assert render("<b>fett</b>") == "<p>&lt;b&gt;fett&lt;/b&gt;</p>\n"


def test_tables_keep_their_alignment() -> None:
    html = render("| Stadt | Wartezeit |\n|:--|--:|\n| Weimar | 5 |\n")
    assert html == (
        "<table>\n<thead>\n<tr>\n"
        '<th class="align-left">Stadt</th>\n<th class="align-right">Wartezeit</th>\n'
        "</tr>\n</thead>\n<tbody>\n<tr>\n"
        '<td class="align-left">Weimar</td>\n<td class="align-right">5</td>\n'
        "</tr>\n</tbody>\n</table>\n"
    )


def test_links_and_autolinks_get_rel() -> None:
    rel = 'rel="nofollow noopener noreferrer"'
    assert render("Siehe https://www.bamf.de/faq und www.example.org.") == (
        f'<p>Siehe <a href="https://www.bamf.de/faq" {rel}>https://www.bamf.de/faq</a> und '
        f'<a href="http://www.example.org" {rel}>www.example.org</a>.</p>\n'
    )
    assert render("[BAMF](https://www.bamf.de)") == (
        f'<p><a href="https://www.bamf.de" {rel}>BAMF</a></p>\n'
    )
    assert render("<mailto:abh@weimar.de>") == (
        f'<p><a href="mailto:abh@weimar.de" {rel}>mailto:abh@weimar.de</a></p>\n'
    )


def test_images_become_links() -> None:
    """No image is loaded from elsewhere; the picture's name stays readable as a link."""
    assert render("![Grundriss *Wartebereich*](https://www.weimar.de/plan.png)") == (
        '<p><a href="https://www.weimar.de/plan.png" rel="nofollow noopener noreferrer">'
        "Grundriss Wartebereich</a></p>\n"
    )


def test_ordinary_markdown() -> None:
    assert render("**fett** _kursiv_ ~~weg~~ `code`\n\n1. eins\n2. zwei\n\n> Zitat") == (
        "<p><strong>fett</strong> <em>kursiv</em> <s>weg</s> <code>code</code></p>\n"
        "<ol>\n<li>eins</li>\n<li>zwei</li>\n</ol>\n<blockquote>\n<p>Zitat</p>\n</blockquote>\n"
    )
