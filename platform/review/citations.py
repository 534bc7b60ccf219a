"""Legal references in questions and answers, as German legal writing cites them.

`find_citations` reads a text and returns every provision of a known law (see `laws.py`) it
cites; `parse_provision` reads one provision as a moderator types it; `affects` tells whether
a change of one provision concerns a citation; `law_portal_url` links a citation to the
federal law portal. Nothing here touches a database or the network.

The grammar of a citation chain (keywords case-insensitive, except the one-letter "S" for
Satz and Roman numerals, which are capitals only; whitespace between tokens optional):

    chain     = marker item { connector ( marker item | part | value ) } law
    marker    = "§" | "§§" | "Paragraf(en)" | "Paragraph(en)"            (kind "§")
              | "Art." | "Art" | "Artikel"                               (kind "Art.")
    item      = section [ "f." | "ff." ] [ roman [ arabic ] ] { part }
    section   = digits [ letter ]                    18, 18a, "16 a"
    roman     = I … XXXIX, the Absatz in court style: "§ 18 II 1" is Abs. 2 Satz 1
    part      = keyword value
    keyword   = "Abs." | "Absatz" | "Absätze"                          → paragraph
              | "S." | "Satz" | "Sätze"                                → sentence
              | "Nr." | "Nrn." | "Nummer"                              → number
              | "Buchst." | "lit." | "Alt." | "Var." | "Halbs." | "Hs."  (read, not kept)
    connector = "," | "und" | "u." | "oder" | "sowie" | "bzw."
              | "i. V. m." | "iVm" | "in Verbindung mit"
              | "bis" | "–" | "-"                                     (a range)
    law       = [ "des" | "der" ] one of the known laws' abbreviations or long names

A connector followed by a bare value continues the deepest part ("§§ 81, 81a", "Abs. 1 und
3"); followed by a keyword it starts a new provision of the same section ("Abs. 1 Nr. 1,
Abs. 2"); followed by a marker it starts a new section. Every provision of a chain cites the
law named at its end ("§ 10 Abs. 3 i. V. m. § 5 Abs. 2 AufenthG" cites two provisions of the
AufenthG). A chain that does not end in a known law ("nach § 18a", "Art. 3 der Richtlinie
2009/50/EG", "§ 1 BGB") cites nothing. Ranges expand: plain numbers to every number between,
letters of one number to every letter between ("§§ 16a bis 16c" is 16a, 16b, 16c), anything
else (and a range too long to be real) to its two ends; the first citation of a range of
sections carries the range's end as `through`. A value between the ends has no text of its
own and spans the whole range, so the spans of a range's citations overlap. "ff." on a
section marks the citation as `following`; on a part it widens the citation to the part
above ("Abs. 2 Satz 4 ff." cites Abs. 2). Parts kept are Absatz, Satz and Nummer; Buchstabe,
Alternative and Halbsatz are read so the chain goes on, and the citation stands for the
Nummer (or the part above) that holds them.

The scanner (`grammar.py`) reads in linear time.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from fachaustausch.review.grammar import read_chains, section_order
from fachaustausch.review.laws import PORTAL, known_abbreviations, law_by_abbreviation


@dataclass(frozen=True, slots=True)
class Citation:
    """One cited provision: a section (§) or article (Art.) of a law, down to Absatz
    (paragraph), Satz (sentence) and Nummer (number), and where in the text it stands."""

    law: str
    kind: str
    section: str
    paragraph: str | None = None
    sentence: str | None = None
    number: str | None = None
    start: int = 0
    end: int = 0
    following: bool = False
    """Cited with "ff.": this section and the ones after it."""
    through: str | None = None
    """On the first citation of a range of sections, the range's last section: the range
    also cites the sections between that it cannot list ("§§ 18 bis 21" holds § 18a)."""

    @property
    def key(self) -> str:
        """The section-level key that changes are matched by: "§ 18a AufenthG"."""
        return f"{self.kind} {self.section} {self.law}"

    @property
    def label(self) -> str:
        """The provision with its parts: "§ 18a Abs. 2 Satz 1 AufenthG"."""
        words = [self.kind, self.section]
        if self.following:
            words.append("ff.")
        for name, value in (("Abs.", self.paragraph), ("Satz", self.sentence)):
            if value is not None:
                words += [name, value]
        if self.number is not None:
            words += ["Nr.", self.number]
        return " ".join([*words, self.law])


def find_citations(text: str) -> list[Citation]:
    """Every provision of a known law that `text` cites, in the order of the text.

    A provision cited twice is returned twice (each with its position). Each citation spans
    the text of its own provision; the last of a chain also spans the law's name."""
    citations: list[Citation] = []
    for drafts, law, law_match in read_chains(text):
        for draft in drafts:
            section, paragraph, sentence, number = draft.parts
            assert section is not None
            end = law_match.end() if draft is drafts[-1] else draft.end
            citations.append(
                Citation(
                    law=law.abbreviation,
                    kind=draft.kind,
                    section=section,
                    paragraph=paragraph,
                    sentence=sentence,
                    number=number,
                    start=draft.start,
                    end=end,
                    following=draft.following,
                    through=draft.through,
                )
            )
    return citations


def parse_provision(text: str) -> Citation:
    """The one provision that `text` names, as typed into a form ("§ 18a AufenthG").

    Raises ValueError with a German message for anything else."""
    typed = text.strip()
    shown = typed if len(typed) <= 80 else typed[:79] + "…"
    if not typed:
        raise ValueError("Bitte eine Vorschrift angeben, zum Beispiel „§ 18a AufenthG“.")
    citations = find_citations(typed)
    if not citations:
        if re.match(r"(?:§|Art|Paragra)\S*\s*\d", typed, re.IGNORECASE):
            raise ValueError(
                f"In „{shown}“ fehlt ein bekanntes Gesetz. Bekannt sind {known_abbreviations()}."
            )
        raise ValueError(
            f"„{shown}“ ist keine erkennbare Vorschrift. Bitte so angeben: "
            "„§ 18a AufenthG“, „§ 39 Abs. 2 BeschV“ oder „Art. 6 GG“."
        )
    if len(citations) > 1:
        raise ValueError(
            f"„{shown}“ nennt mehrere Vorschriften. Bitte jede Vorschrift einzeln angeben."
        )
    citation = citations[0]
    if citation.following:
        raise ValueError(
            f"„{shown}“ ist mit „ff.“ zu ungenau. Bitte die geänderten Vorschriften "
            "einzeln angeben."
        )
    if citation.start != 0 or citation.end != len(typed):
        raise ValueError(
            f"„{shown}“ enthält außer der Vorschrift weiteren Text. Bitte nur die "
            "Vorschrift angeben, zum Beispiel „§ 18a AufenthG“."
        )
    return replace(citation, start=0, end=len(typed))


def affects(changed: Citation, cited: Citation) -> bool:
    """Whether a change of the provision `changed` concerns the citation `cited`.

    Conservative: a citation that may mean the changed part is affected. A change of § 18
    affects § 18 with any part; a change of § 18 Abs. 2 affects § 18 Abs. 2 with any part
    and plain § 18, not § 18 Abs. 3; never § 18a, nor a provision of another law. A citation
    with "ff." is affected by a change of any later section (a text does not say where "ff."
    ends), the first citation of a range by any section between its ends."""
    if (changed.law, changed.kind) != (cited.law, cited.kind):
        return False
    if changed.section != cited.section:
        return _covers(cited, changed.section) or _covers(changed, cited.section)
    for ours, theirs in (
        (changed.paragraph, cited.paragraph),
        (changed.sentence, cited.sentence),
        (changed.number, cited.number),
    ):
        # A part one side leaves open may be the part the other names.
        if ours is not None and theirs is not None and ours != theirs:
            return False
    return True


def _covers(citation: Citation, section: str) -> bool:
    """Whether a citation with "ff." or of a range also stands for another section."""
    order = section_order(section)
    if citation.following:
        return order > section_order(citation.section)
    if citation.through is not None:
        return section_order(citation.section) < order <= section_order(citation.through)
    return False


def law_portal_url(citation: Citation) -> str:
    """The provision's page on gesetze-im-internet.de (only built, never fetched)."""
    law = law_by_abbreviation(citation.law)
    page = f"art_{citation.section}" if citation.kind == "Art." else f"__{citation.section}"
    return f"{PORTAL}/{law.portal_folder}/{page}.html"
