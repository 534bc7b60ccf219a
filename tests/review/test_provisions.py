"""Changes in the law against citations: which citations a change of a provision reaches,
the provision a moderator types, and the links to the federal law portal (issue 23)."""

from __future__ import annotations

import pytest

from fachaustausch.review.citations import (
    Citation,
    affects,
    find_citations,
    law_portal_url,
    parse_provision,
)

# --------------------------------------------------------------------------- affects


def _p(text: str) -> Citation:
    return parse_provision(text)


@pytest.mark.parametrize(
    ("changed", "cited", "expected"),
    [
        ("§ 18 AufenthG", "§ 18 AufenthG", True),
        ("§ 18 AufenthG", "§ 18 Abs. 2 Nr. 1 AufenthG", True),
        ("§ 18 AufenthG", "§ 18 II 1 AufenthG", True),
        ("§ 18 AufenthG", "§ 18a AufenthG", False),
        ("§ 18a AufenthG", "§ 18 AufenthG", False),
        ("§ 18 AufenthG", "§ 18 BeschV", False),
        ("§ 18 AufenthG", "§ 19 AufenthG", False),
        ("§ 18 Abs. 2 AufenthG", "§ 18 Abs. 2 Nr. 1 AufenthG", True),
        ("§ 18 Abs. 2 AufenthG", "§ 18 AufenthG", True),
        ("§ 18 Abs. 2 AufenthG", "§ 18 Abs. 3 AufenthG", False),
        ("§ 18 Abs. 2 AufenthG", "§ 18 Abs. 3 Satz 1 AufenthG", False),
        ("§ 18 Abs. 2 Satz 1 AufenthG", "§ 18 Abs. 2 Satz 2 AufenthG", False),
        ("§ 18 Abs. 2 Satz 1 AufenthG", "§ 18 Abs. 2 AufenthG", True),
        ("§ 5 Abs. 1 Nr. 1 AufenthG", "§ 5 Abs. 1 Nr. 2 AufenthG", False),
        ("§ 5 Abs. 1 Nr. 1 AufenthG", "§ 5 Abs. 1 Nr. 1a AufenthG", False),
        ("Art. 6 GG", "Art. 6 Abs. 1 GG", True),
        ("Art. 6 Abs. 2 GG", "Art. 6 Abs. 1 GG", False),
        ("Art. 6 GG", "§ 6 GG", False),
        ("§ 18a AufenthG", "§§ 18 ff. AufenthG", True),
        ("§ 19 AufenthG", "§§ 18 ff. AufenthG", True),
        ("§ 18 Abs. 2 AufenthG", "§§ 18 ff. AufenthG", True),
        ("§ 17 AufenthG", "§§ 18 ff. AufenthG", False),
        ("§ 81 AufenthG", "§ 81a ff. AufenthG", False),
        ("§ 81b AufenthG", "§ 81a ff. AufenthG", True),
        ("§ 81b AufenthG", "§ 81a ff. AsylG", False),
    ],
)
def test_affects(changed: str, cited: str, expected: bool) -> None:
    (citation,) = find_citations(cited)
    assert affects(_p(changed), citation) is expected


@pytest.mark.parametrize(
    ("changed", "expected"),
    [
        ("§ 18 AufenthG", ["§ 18 AufenthG"]),
        ("§ 18a AufenthG", ["§ 18 AufenthG"]),
        ("§ 19 Abs. 1 AufenthG", ["§ 18 AufenthG", "§ 19 AufenthG"]),
        ("§ 21 AufenthG", ["§ 18 AufenthG", "§ 21 AufenthG"]),
        ("§ 21a AufenthG", []),
        ("§ 17 AufenthG", []),
        ("§ 18a BeschV", []),
    ],
)
def test_a_range_of_sections_stands_for_the_sections_between_its_ends(
    changed: str, expected: list[str]
) -> None:
    citations = find_citations("§§ 18 bis 21 AufenthG")
    assert [c.through for c in citations] == ["21", None, None, None]
    assert [c.label for c in citations if affects(_p(changed), c)] == expected


def test_a_change_reaches_exactly_the_citations_of_its_section_in_a_text() -> None:
    text = (
        "Früher § 18 Abs. 2 Nr. 1 AufenthG, heute § 18a AufenthG; vgl. auch § 18 BeschV "
        "und § 18 Abs. 3 i. V. m. § 19 AufenthG."
    )
    hits = [c.label for c in find_citations(text) if affects(_p("§ 18 Abs. 2 AufenthG"), c)]
    assert hits == ["§ 18 Abs. 2 Nr. 1 AufenthG"]
    hits = [c.label for c in find_citations(text) if affects(_p("§ 18 AufenthG"), c)]
    assert hits == ["§ 18 Abs. 2 Nr. 1 AufenthG", "§ 18 Abs. 3 AufenthG"]


# --------------------------------------------------------------------------- parse_provision


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("§ 18a AufenthG", "§ 18a AufenthG"),
        ("§ 18 AufenthG", "§ 18 AufenthG"),
        ("  Art. 6 GG ", "Art. 6 GG"),
        ("§ 18 Abs. 2 AufenthG", "§ 18 Abs. 2 AufenthG"),
        ("§ 39 Abs. 2 BeschV", "§ 39 Abs. 2 BeschV"),
        ("Paragraf 18a des Aufenthaltsgesetzes", "§ 18a AufenthG"),
        ("§ 2 FreizügG/EU", "§ 2 FreizügG/EU"),
        ("§18a aufenthg", "§ 18a AufenthG"),
    ],
)
def test_parse_provision_reads_one_provision(typed: str, label: str) -> None:
    provision = parse_provision(typed)
    assert provision.label == label
    assert (provision.start, provision.end) == (0, len(typed.strip()))


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Bitte eine Vorschrift angeben"),
        ("   ", "Bitte eine Vorschrift angeben"),
        ("§ 18a", "fehlt ein bekanntes Gesetz. Bekannt sind AufenthG, AufenthV"),
        ("§ 1 BGB", "fehlt ein bekanntes Gesetz"),
        ("Art. 3 der Richtlinie 2009/50/EG", "fehlt ein bekanntes Gesetz"),
        ("Aufenthaltsgesetz", "ist keine erkennbare Vorschrift"),
        ("BVerwG 1 C 12.20", "ist keine erkennbare Vorschrift"),
        ("§§ 81, 81a AufenthG", "nennt mehrere Vorschriften"),
        ("§§ 16a bis 16c AufenthG", "nennt mehrere Vorschriften"),
        ("§ 18 AufenthG und § 39 BeschV", "nennt mehrere Vorschriften"),
        ("§§ 18 ff. AufenthG", "mit „ff.“ zu ungenau"),
        ("§ 18a AufenthG wurde geändert", "enthält außer der Vorschrift weiteren Text"),
        ("siehe § 18a AufenthG", "enthält außer der Vorschrift weiteren Text"),
    ],
)
def test_parse_provision_refuses_in_german(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace(".", r"\.")) as refused:
        parse_provision(typed)
    if typed.strip():
        assert f"„{typed.strip()}“" in str(refused.value)


def test_parse_provision_shortens_a_long_input_in_its_message() -> None:
    with pytest.raises(ValueError, match="ist keine erkennbare Vorschrift") as refused:
        parse_provision("x" * 500)
    assert len(str(refused.value)) < 200


# --------------------------------------------------------------------------- links


@pytest.mark.parametrize(
    ("cited", "url"),
    [
        ("§ 18a AufenthG", "https://www.gesetze-im-internet.de/aufenthg_2004/__18a.html"),
        (
            "§ 18 Abs. 2 Satz 1 AufenthG",
            "https://www.gesetze-im-internet.de/aufenthg_2004/__18.html",
        ),
        ("Art. 6 GG", "https://www.gesetze-im-internet.de/gg/art_6.html"),
        ("Art. 16a Abs. 1 GG", "https://www.gesetze-im-internet.de/gg/art_16a.html"),
        ("§ 31 AufenthV", "https://www.gesetze-im-internet.de/aufenthv/__31.html"),
        ("§ 39 Abs. 2 BeschV", "https://www.gesetze-im-internet.de/beschv_2013/__39.html"),
        ("§ 55 AsylVfG", "https://www.gesetze-im-internet.de/asylvfg_1992/__55.html"),
        ("§ 2 FreizügG/EU", "https://www.gesetze-im-internet.de/freiz_gg_eu_2004/__2.html"),
        ("§ 10 StAG", "https://www.gesetze-im-internet.de/stag/__10.html"),
        ("§ 12 BQFG", "https://www.gesetze-im-internet.de/bqfg/__12.html"),
    ],
)
def test_law_portal_url(cited: str, url: str) -> None:
    (citation,) = find_citations(cited)
    assert law_portal_url(citation) == url
