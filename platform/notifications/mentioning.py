"""@mentions resolved to people: who a text mentions, how the preview shows each mention
(resolved or unknown), and the suggestions while typing `@`."""

from __future__ import annotations

from dataclasses import dataclass

from fachaustausch.accounts import audience as accounts
from fachaustausch.notifications.mentions import find_mentions

SUGGESTIONS = 8


async def mentioned_users(text: str) -> list[int]:
    """The active people a Markdown text mentions by handle."""
    found = await accounts.by_handles(m.handle for m in find_mentions(text))
    return sorted(person.id for person in found.values())


@dataclass(frozen=True, slots=True)
class MentionPreview:
    handle: str
    display_name: str | None  # None: nobody has this handle
    authority_name: str | None


async def preview(text: str) -> list[MentionPreview]:
    """Each handle the text mentions, once, in order, resolved or unknown."""
    handles = list(dict.fromkeys(m.handle for m in find_mentions(text)))
    found = await accounts.by_handles(handles)
    return [
        MentionPreview(h, found[h].display_name, found[h].authority_name)
        if h in found
        else MentionPreview(h, None, None)
        for h in handles
    ]


async def suggestions(text: str) -> list[accounts.Handle]:
    text = text.strip().lstrip("@")
    if not text:
        return []
    return await accounts.suggest(text[:40], SUGGESTIONS)
