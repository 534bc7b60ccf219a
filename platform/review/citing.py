"""Keeping a post's stored citations current: the questions domain calls `record_citations`
inside the transaction that creates or changes a post's text, so the citations a change in
the law is matched against are always those of the text as it stands."""

from __future__ import annotations

from fachaustausch.review.citations import Citation, find_citations
from fachaustausch.review.tables import PostCitation


def distinct(citations: list[Citation]) -> list[Citation]:
    """Each provision once, in the order the text first cites it."""
    seen: set[tuple[str, str | None]] = set()
    kept: list[Citation] = []
    for citation in citations:
        key = (citation.label, citation.through)
        if key not in seen:
            seen.add(key)
            kept.append(citation)
    return kept


async def record_citations(post_type: str, post_id: int, question_id: int, text: str) -> None:
    """Replaces the stored citations of a post (`post_type` question or answer) with those
    of `text`. Call inside the transaction that writes the text."""
    await (
        PostCitation.delete()
        .where((PostCitation.post_type == post_type) & (PostCitation.post_id == post_id))
        .run()
    )
    found = distinct(find_citations(text))
    if not found:
        return
    await PostCitation.insert(
        *(
            PostCitation(
                post_type=post_type,
                post_id=post_id,
                question_id=question_id,
                law=c.law,
                kind=c.kind,
                section=c.section,
                paragraph=c.paragraph,
                sentence=c.sentence,
                number=c.number,
                following=c.following,
                through=c.through,
                label=c.label[:120],
            )
            for c in found
        )
    ).run()
