"""The legal-reference parser: citation forms as German administrative texts, court decisions
and the practice of BAMF and Ausländerbehörden write them (issue 23)."""

from __future__ import annotations

import time

import pytest

from fachaustausch.review.citations import Citation, find_citations

FORMS: list[tuple[str, list[str]]] = [
    # the forms the issue names
    ("§ 18a AufenthG", ["§ 18a AufenthG"]),
    ("§§ 81, 81a AufenthG", ["§ 81 AufenthG", "§ 81a AufenthG"]),
    ("§ 39 Abs. 2 BeschV", ["§ 39 Abs. 2 BeschV"]),
    ("Art. 6 GG", ["Art. 6 GG"]),
    ("§ 5 Abs. 1 Nr. 1 AufenthG", ["§ 5 Abs. 1 Nr. 1 AufenthG"]),
    # paragraph, sentence and number parts
    ("Art. 6 Abs. 1 GG", ["Art. 6 Abs. 1 GG"]),
    ("§ 18 Abs. 2 Satz 1 Nr. 3 AufenthG", ["§ 18 Abs. 2 Satz 1 Nr. 3 AufenthG"]),
    ("§ 60a Abs. 2 S. 1 AufenthG", ["§ 60a Abs. 2 Satz 1 AufenthG"]),
    ("§ 25b Abs. 1 Satz 2 Nr. 3 AufenthG", ["§ 25b Abs. 1 Satz 2 Nr. 3 AufenthG"]),
    ("§ 81 Abs. 4 S. 1 AufenthG", ["§ 81 Abs. 4 Satz 1 AufenthG"]),
    ("§ 84 Abs. 2 Satz 2 AufenthG", ["§ 84 Abs. 2 Satz 2 AufenthG"]),
    ("§ 9 Abs. 2 Satz 1 Nr. 3 AufenthG", ["§ 9 Abs. 2 Satz 1 Nr. 3 AufenthG"]),
    ("§ 60d Abs. 1 Nr. 2 AufenthG", ["§ 60d Abs. 1 Nr. 2 AufenthG"]),
    ("§ 104c AufenthG", ["§ 104c AufenthG"]),
    ("§ 60a Abs. 2b AufenthG", ["§ 60a Abs. 2b AufenthG"]),
    ("§ 5 Abs. 1 Nr. 1a AufenthG", ["§ 5 Abs. 1 Nr. 1a AufenthG"]),
    ("§ 39 Satz 1 Nr. 3 AufenthV", ["§ 39 Satz 1 Nr. 3 AufenthV"]),
    ("§ 30 Abs. 1 Satz 1 Nr. 3 Buchst. d AufenthG", ["§ 30 Abs. 1 Satz 1 Nr. 3 AufenthG"]),
    ("§ 5 Abs. 3 Satz 1 Halbs. 1 AufenthG", ["§ 5 Abs. 3 Satz 1 AufenthG"]),
    (
        "§ 18 Absatz 2 Satz 1 Nummer 3 des Aufenthaltsgesetzes",
        ["§ 18 Abs. 2 Satz 1 Nr. 3 AufenthG"],
    ),
    # court style: Roman numerals for the Absatz, no dots
    ("§ 18 II 1 AufenthG", ["§ 18 Abs. 2 Satz 1 AufenthG"]),
    ("§ 25 V AufenthG", ["§ 25 Abs. 5 AufenthG"]),
    ("§ 60a II 4 AufenthG", ["§ 60a Abs. 2 Satz 4 AufenthG"]),
    ("§ 5 I Nr. 1a AufenthG", ["§ 5 Abs. 1 Nr. 1a AufenthG"]),
    ("§ 10 IV 1 AufenthG", ["§ 10 Abs. 4 Satz 1 AufenthG"]),
    ("Art 6 Abs 1 GG", ["Art. 6 Abs. 1 GG"]),
    ("§ 7 Abs 1 S 2 AufenthG", ["§ 7 Abs. 1 Satz 2 AufenthG"]),
    # "f." and "ff."
    ("§ 81a ff. AufenthG", ["§ 81a ff. AufenthG"]),
    ("§§ 18 ff. AufenthG", ["§ 18 ff. AufenthG"]),
    ("§ 18 f. AufenthG", ["§ 18 ff. AufenthG"]),
    ("§ 60a Abs. 2 Satz 4 ff. AufenthG", ["§ 60a Abs. 2 AufenthG"]),
    # ranges
    ("§§ 16a bis 16c AufenthG", ["§ 16a AufenthG", "§ 16b AufenthG", "§ 16c AufenthG"]),
    ("§§ 16a–16c AufenthG", ["§ 16a AufenthG", "§ 16b AufenthG", "§ 16c AufenthG"]),
    ("§§ 16a-16c AufenthG", ["§ 16a AufenthG", "§ 16b AufenthG", "§ 16c AufenthG"]),
    ("§§ 18 bis 21 AufenthG", ["§ 18 AufenthG", "§ 19 AufenthG", "§ 20 AufenthG", "§ 21 AufenthG"]),
    ("§§ 16 bis 16b AufenthG", ["§ 16 AufenthG", "§ 16a AufenthG", "§ 16b AufenthG"]),
    ("§§ 16a bis 17 AufenthG", ["§ 16a AufenthG", "§ 17 AufenthG"]),
    (
        "§ 81 Abs. 1 bis 3 AufenthG",
        ["§ 81 Abs. 1 AufenthG", "§ 81 Abs. 2 AufenthG", "§ 81 Abs. 3 AufenthG"],
    ),
    (
        "§ 10 Abs. 1 Satz 1 Nr. 1 bis 7 StAG",
        [f"§ 10 Abs. 1 Satz 1 Nr. {n} StAG" for n in range(1, 8)],
    ),
    # lists
    ("§ 4a Abs. 1 und 3 AufenthG", ["§ 4a Abs. 1 AufenthG", "§ 4a Abs. 3 AufenthG"]),
    ("Art. 6 Abs. 1 und 2 GG", ["Art. 6 Abs. 1 GG", "Art. 6 Abs. 2 GG"]),
    ("§ 81 Abs. 3 und 4 AufenthG", ["§ 81 Abs. 3 AufenthG", "§ 81 Abs. 4 AufenthG"]),
    ("§ 5 Abs. 1 Nr. 1 und 2 AufenthG", ["§ 5 Abs. 1 Nr. 1 AufenthG", "§ 5 Abs. 1 Nr. 2 AufenthG"]),
    (
        "§ 5 Abs. 1 Nrn. 1 und 2 AufenthG",
        ["§ 5 Abs. 1 Nr. 1 AufenthG", "§ 5 Abs. 1 Nr. 2 AufenthG"],
    ),
    ("§ 5 Abs. 1 Nr. 1, Abs. 2 AufenthG", ["§ 5 Abs. 1 Nr. 1 AufenthG", "§ 5 Abs. 2 AufenthG"]),
    ("§ 25 Absätze 1 und 2 AufenthG", ["§ 25 Abs. 1 AufenthG", "§ 25 Abs. 2 AufenthG"]),
    (
        "§ 25 Abs. 4 Sätze 1 und 2 AufenthG",
        ["§ 25 Abs. 4 Satz 1 AufenthG", "§ 25 Abs. 4 Satz 2 AufenthG"],
    ),
    (
        "§ 18 Abs. 2 Nr. 1 bzw. Nr. 2 AufenthG",
        ["§ 18 Abs. 2 Nr. 1 AufenthG", "§ 18 Abs. 2 Nr. 2 AufenthG"],
    ),
    ("§§ 53, 54 Abs. 1 Nr. 2 AufenthG", ["§ 53 AufenthG", "§ 54 Abs. 1 Nr. 2 AufenthG"]),
    ("§§ 16b und 16c AufenthG", ["§ 16b AufenthG", "§ 16c AufenthG"]),
    ("§ 18a oder § 18b AufenthG", ["§ 18a AufenthG", "§ 18b AufenthG"]),
    ("§ 18 II und III AufenthG", ["§ 18 Abs. 2 AufenthG", "§ 18 Abs. 3 AufenthG"]),
    # "i. V. m.": every provision of the chain cites the law at its end
    ("§ 10 Abs. 3 i. V. m. § 5 Abs. 2 AufenthG", ["§ 10 Abs. 3 AufenthG", "§ 5 Abs. 2 AufenthG"]),
    ("§ 10 Abs. 3 iVm § 5 Abs. 2 AufenthG", ["§ 10 Abs. 3 AufenthG", "§ 5 Abs. 2 AufenthG"]),
    (
        "§ 10 Abs. 3 i.V.m. § 5 Abs. 2 Nr. 1 AufenthG",
        ["§ 10 Abs. 3 AufenthG", "§ 5 Abs. 2 Nr. 1 AufenthG"],
    ),
    (
        "§ 10 Abs. 3 in Verbindung mit § 5 Abs. 2 AufenthG",
        ["§ 10 Abs. 3 AufenthG", "§ 5 Abs. 2 AufenthG"],
    ),
    (
        "§ 5 Abs. 1 Nr. 1 i. V. m. Abs. 2 AufenthG",
        ["§ 5 Abs. 1 Nr. 1 AufenthG", "§ 5 Abs. 2 AufenthG"],
    ),
    ("§ 18a AufenthG i. V. m. § 9 BeschV", ["§ 18a AufenthG", "§ 9 BeschV"]),
    ("§ 25 Abs. 5 AufenthG i. V. m. Art. 6 GG", ["§ 25 Abs. 5 AufenthG", "Art. 6 GG"]),
    ("gem. §§ 3, 4 AufenthG i.V.m. § 2 BeschV", ["§ 3 AufenthG", "§ 4 AufenthG", "§ 2 BeschV"]),
    (
        "§ 18 Abs. 2 i.V.m. § 39 Abs. 3 Nr. 1 AufenthG sowie § 9 BeschV",
        ["§ 18 Abs. 2 AufenthG", "§ 39 Abs. 3 Nr. 1 AufenthG", "§ 9 BeschV"],
    ),
    (
        "§ 16 Abs. 1 bis 3 i. V. m. Abs. 5 StAG",
        ["§ 16 Abs. 1 StAG", "§ 16 Abs. 2 StAG", "§ 16 Abs. 3 StAG", "§ 16 Abs. 5 StAG"],
    ),
    # long names, with and without an article
    ("Paragraf 18a des Aufenthaltsgesetzes", ["§ 18a AufenthG"]),
    ("§ 18a des Aufenthaltsgesetzes", ["§ 18a AufenthG"]),
    ("Paragraph 18a AufenthG", ["§ 18a AufenthG"]),
    ("Paragrafen 18 und 19 des Aufenthaltsgesetzes", ["§ 18 AufenthG", "§ 19 AufenthG"]),
    ("§ 18a Aufenthaltsgesetz", ["§ 18a AufenthG"]),
    ("§ 31 der Aufenthaltsverordnung", ["§ 31 AufenthV"]),
    ("§ 9 der Beschäftigungsverordnung", ["§ 9 BeschV"]),
    ("§ 55 des Asylgesetzes", ["§ 55 AsylG"]),
    ("§ 2 des Freizügigkeitsgesetzes/EU", ["§ 2 FreizügG/EU"]),
    ("§ 10 des Staatsangehörigkeitsgesetzes", ["§ 10 StAG"]),
    ("§ 14 des Berufsqualifikationsfeststellungsgesetzes", ["§ 14 BQFG"]),
    ("Artikel 16a des Grundgesetzes", ["Art. 16a GG"]),
    ("Art. 6 des Grundgesetzes für die Bundesrepublik Deutschland", ["Art. 6 GG"]),
    # every known law, old names and spellings
    ("§ 2 Abs. 1 FreizügG/EU", ["§ 2 Abs. 1 FreizügG/EU"]),
    ("§ 11 Abs. 1 FreizügG-EU", ["§ 11 Abs. 1 FreizügG/EU"]),
    ("§ 5 FreizuegG/EU", ["§ 5 FreizügG/EU"]),
    ("§ 2 Abs. 2 Nr. 1a FreizügG/EU", ["§ 2 Abs. 2 Nr. 1a FreizügG/EU"]),
    ("§ 4a FreizügG / EU", ["§ 4a FreizügG/EU"]),
    ("§ 10 StAG", ["§ 10 StAG"]),
    ("§ 4 Abs. 3 StAG", ["§ 4 Abs. 3 StAG"]),
    ("§ 8 RuStAG", ["§ 8 StAG"]),
    ("§ 12 BQFG", ["§ 12 BQFG"]),
    ("§ 4 Abs. 1 BQFG", ["§ 4 Abs. 1 BQFG"]),
    ("§ 55 AsylG", ["§ 55 AsylG"]),
    ("§ 55 Abs. 1 Satz 1 AsylVfG", ["§ 55 Abs. 1 Satz 1 AsylG"]),
    ("§ 29 Abs. 1 Nr. 2 AsylG", ["§ 29 Abs. 1 Nr. 2 AsylG"]),
    ("§ 71a AsylG", ["§ 71a AsylG"]),
    ("§ 31 AufenthV", ["§ 31 AufenthV"]),
    ("§ 41 Abs. 1 AufenthV", ["§ 41 Abs. 1 AufenthV"]),
    ("§ 26 Abs. 2 BeschV", ["§ 26 Abs. 2 BeschV"]),
    ("§ 22 Nr. 3 BeschV", ["§ 22 Nr. 3 BeschV"]),
    ("Art. 116 Abs. 1 GG", ["Art. 116 Abs. 1 GG"]),
    ("§ 25 Abs. 4a und 4b AufenthG", ["§ 25 Abs. 4a AufenthG", "§ 25 Abs. 4b AufenthG"]),
    ("§ 18 Abs. 2 Nr. 1 Buchst. a und b AufenthG", ["§ 18 Abs. 2 Nr. 1 AufenthG"]),
    ("§§ 81 ff., 84 AufenthG", ["§ 81 ff. AufenthG", "§ 84 AufenthG"]),
    ("Artikel 3 Absatz 3 Satz 1 GG", ["Art. 3 Abs. 3 Satz 1 GG"]),
    # spacing and case as people type them
    ("§ 25 abs. 5 aufenthg", ["§ 25 Abs. 5 AufenthG"]),
    ("§18a AufenthG", ["§ 18a AufenthG"]),
    ("§§81,81a AufenthG", ["§ 81 AufenthG", "§ 81a AufenthG"]),
    ("§ 16 a AufenthG", ["§ 16a AufenthG"]),
    ("§ 18f AufenthG", ["§ 18f AufenthG"]),
    ("§\u00a018a\u00a0AufenthG", ["§ 18a AufenthG"]),
    ("§ 25 Abs. 5 AufenthG a. F.", ["§ 25 Abs. 5 AufenthG"]),
    ("§ 5 Abs.1 Nr.1, 2 und 4 AufenthG", [f"§ 5 Abs. 1 Nr. {n} AufenthG" for n in (1, 2, 4)]),
    ("art. 6 gg", ["Art. 6 GG"]),
]


def _labels(text: str) -> list[str]:
    citations = find_citations(text)
    for citation in citations:
        assert 0 <= citation.start < citation.end <= len(text)
    return [citation.label for citation in citations]


def test_at_least_sixty_forms_are_covered() -> None:
    assert len({text for text, _ in FORMS}) == len(FORMS) >= 60


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_each_form_is_recognised(text: str, expected: list[str]) -> None:
    assert _labels(text) == expected


@pytest.mark.parametrize(("text", "expected"), FORMS)
def test_each_form_is_recognised_inside_a_sentence(text: str, expected: list[str]) -> None:
    sentence = f"Die Behörde prüft dies nach {text}, bevor sie entscheidet."
    assert _labels(sentence) == expected


NOT_CITATIONS = [
    "BVerwG, Urteil vom 16. November 2010 – 1 C 17.09",
    "BVerwG 1 C 12.20",
    "VG Berlin, Beschluss vom 12.03.2020 – 11 L 40/20",
    "Der Antrag vom 1.3.2024 wurde am 01.06.2024 beschieden.",
    "nach § 18a",
    "§ 18a wurde zum 1. März 2024 geändert.",
    "Art. 3 der Richtlinie 2009/50/EG",
    "Art. 6 Abs. 1 der Richtlinie (EU) 2016/801",
    "Art. 8 EMRK",
    "Art. 20 AEUV",
    "§ 1 BGB",
    "§ 7 Abs. 1 SGB II",
    "§ 3 Abs. 2 VwVfG",
    "Nr. 18.3.1 AVwV-AufenthG",
    "Abs. 2 AufenthG",
    "18a AufenthG",
    "§ AufenthG",
    "§§ und Art. GG",
    "Art und Weise der Anhörung nach dem AufenthG",
    "§ 10 Abs. 3 i. V. m. § 5 BGB",
    "§ 18a (Fachkräfte mit Berufsausbildung)",
    "Die §§ 18a und 18b sind neu; die BeschV bleibt.",
]


@pytest.mark.parametrize("text", NOT_CITATIONS)
def test_no_citation_of_a_known_law(text: str) -> None:
    assert find_citations(text) == []


def test_a_semicolon_ends_a_chain() -> None:
    assert _labels("Neu sind die §§ 18a und 18b; § 39 BeschV bleibt.") == ["§ 39 BeschV"]


def test_a_text_names_its_citations_in_order_with_their_positions() -> None:
    text = (
        "Nach BVerwG, Urteil vom 16.11.2010 – 1 C 17.09 – ist § 25 Abs. 5 AufenthG "
        "i. V. m. Art. 8 EMRK zu prüfen; die Zustimmung richtet sich nach §§ 39, 40 "
        "AufenthG i. V. m. § 9 BeschV, nicht nach § 18a."
    )
    citations = find_citations(text)
    assert [(c.label, text[c.start : c.end]) for c in citations] == [
        ("§ 25 Abs. 5 AufenthG", "§ 25 Abs. 5 AufenthG"),
        ("§ 39 AufenthG", "§§ 39"),
        ("§ 40 AufenthG", "40 AufenthG"),
        ("§ 9 BeschV", "§ 9 BeschV"),
    ]


def test_a_citation_carries_its_parts_its_key_and_its_kind() -> None:
    (citation,) = find_citations("vgl. § 18 II 1 Nr. 3 aufenthg")
    assert citation == Citation(
        law="AufenthG", kind="§", section="18", paragraph="2", sentence="1", number="3",
        start=5, end=29,
    )  # fmt: skip
    assert citation.key == "§ 18 AufenthG"
    assert citation.label == "§ 18 Abs. 2 Satz 1 Nr. 3 AufenthG"
    (article,) = find_citations("Artikel 6 Absatz 1 GG")
    assert (article.kind, article.section, article.paragraph, article.key) == (
        "Art.", "6", "1", "Art. 6 GG",
    )  # fmt: skip


def test_the_values_between_the_ends_of_a_range_span_the_whole_range() -> None:
    text = "§§ 16a bis 16c AufenthG"
    spans = [text[c.start : c.end] for c in find_citations(text)]
    assert spans == ["§§ 16a", "§§ 16a bis 16c", "16c AufenthG"]


def test_a_long_range_keeps_only_its_ends() -> None:
    assert _labels("§§ 1 bis 9999 AufenthG") == ["§ 1 AufenthG", "§ 9999 AufenthG"]


def test_a_citation_repeated_is_found_each_time() -> None:
    text = "§ 18a AufenthG regelt das; § 18a AufenthG gilt auch hier."
    assert [c.start for c in find_citations(text)] == [0, 27]


# --------------------------------------------------------------------------- linear time


@pytest.mark.parametrize(
    "unit",
    [
        "§",
        "§ 1, ",
        "§ 1 ",
        "§§ 1 bis 20 AufenthG ",
        "§§1-20 GG ",
        "§ 1 Abs. 1 Nr. 1 i. V. m. ",
        "Art ",
        "§ 1 II 1 ",
        "§ 18a-",
        " ",
        "1 ",
        "des ",
    ],
)
def test_an_adversarial_text_is_read_in_linear_time(unit: str) -> None:
    """Ten times the text costs about ten times the work, not a hundred: the scan never
    backtracks over what it has read. Measured as the process's CPU time, best of three,
    so a busy machine does not decide the outcome."""

    def cost(length: int) -> float:
        text = (unit * (length // len(unit) + 1))[:length]
        runs = []
        for _ in range(3):
            began = time.process_time()
            find_citations(text)
            runs.append(time.process_time() - began)
        return min(runs)

    short, long = cost(5_000), cost(50_000)
    assert long < 30 * max(short, 0.001), (short, long)
