"""The personal-data guard (DOMAIN.md, "Personal data in cases").

`check(text)` finds clear identifiers of the people a case is about: e-mail addresses,
phone numbers, IBANs, AZR numbers, file numbers, passport and ID numbers, dates of birth,
street addresses, names (after a salutation, a word for a relative or client, "Fall", or
known given names anywhere) and details that identify a person only together. Ordinary case
facts — legal provisions, nationalities, residence titles, plain dates and years, authority
names, counts and amounts — are left alone, and so is the anonymised form "Herr A.".

The detectors read a normalised copy of the text (text.py); findings refer to the text as
written. Pure Python, no database or web code: the patterns are compiled once at import and
every one of them is linear in the text length (no nested variable-length repetition).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from fachaustausch.privacy.addresses import addresses
from fachaustausch.privacy.combination import combinations
from fachaustausch.privacy.contacts import emails, iban_is_valid, ibans, phones
from fachaustausch.privacy.identifiers import azr_numbers, birth_dates, file_numbers, id_documents
from fachaustausch.privacy.names import names
from fachaustausch.privacy.salutations import salutation_names
from fachaustausch.privacy.text import normalise, sentence_case

__all__ = ["KINDS", "Finding", "check", "check_fields", "explain", "iban_is_valid"]

# Kind → German label used in messages. The order is the priority when two findings
# overlap: the more specific identifier wins ("Kunden-Nr. 0361123456" is a file number,
# not a phone number).
KINDS: dict[str, str] = {
    "email": "E-Mail-Adresse",
    "iban": "IBAN",
    "azr_number": "AZR-Nummer",
    "id_document": "Pass- oder Ausweisnummer",
    "file_number": "Aktenzeichen",
    "birth_date": "Geburtsdatum",
    "phone": "Telefonnummer",
    "address": "Anschrift",
    "person_name": "Name",
    "combination": "Wohnstraße zusammen mit Alter, Herkunft oder Person",
}
_PRIORITY = {kind: rank for rank, kind in enumerate(KINDS)}

_MAX_LISTED = 8  # findings spelled out in `explain`; the rest are counted


@dataclass(frozen=True)
class Finding:
    """One identifier in a checked text; `text == checked[start:end]`."""

    kind: str
    start: int
    end: int
    text: str
    message: str

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    @property
    def place(self) -> str:
        """Where, in human terms: characters counted from 1, both ends included."""
        return f"Zeichen {self.start + 1}–{self.end}"


def _message(kind: str, text: str, start: int, end: int) -> str:
    return f"{KINDS[kind]} „{text}“ (Zeichen {start + 1}–{end})"


Detector = Callable[[str], Iterator[tuple[int, int]]]

# (kind, detector, reads the sentence-cased text): names and streets are found by their
# capitals, which a text written in capitals hides.
_DETECTORS: tuple[tuple[str, Detector, bool], ...] = (
    ("email", emails, False),
    ("iban", ibans, False),
    ("azr_number", azr_numbers, False),
    ("id_document", id_documents, False),
    ("file_number", file_numbers, False),
    ("birth_date", birth_dates, False),
    ("phone", phones, False),
    ("address", addresses, True),
    ("person_name", salutation_names, True),
    ("person_name", names, True),
    ("combination", combinations, True),
)


def check(text: str) -> list[Finding]:
    """All identifiers in `text`, sorted by position, none overlapping another."""
    normal = normalise(text)
    cased = sentence_case(normal.text)
    candidates = [
        (kind, start, end)
        for kind, detect, wants_cased in _DETECTORS
        for start, end in detect(cased if wants_cased else normal.text)
        if end > start
    ]
    # More specific kinds first, then longer spans; a candidate overlapping an accepted
    # finding is dropped.
    candidates.sort(key=lambda c: (_PRIORITY[c[0]], c[1] - c[2], c[1]))
    # Accepted spans never overlap, so sorted by start they are sorted by end too.
    starts: list[int] = []
    accepted: list[tuple[int, int, str]] = []
    for kind, start, end in candidates:
        i = bisect.bisect_right(starts, start)
        if (i and accepted[i - 1][1] > start) or (i < len(starts) and starts[i] < end):
            continue
        starts.insert(i, start)
        accepted.insert(i, (start, end, kind))
    findings = []
    for start, end, kind in accepted:
        first, last = normal.span(start, end)
        written = text[first:last]
        findings.append(Finding(kind, first, last, written, _message(kind, written, first, last)))
    return findings


def check_fields(fields: Mapping[str, str | None]) -> dict[str, list[Finding]]:
    """Findings per form field ("title", "summary", "body", …); fields without findings
    are left out, so an empty result means the form may be stored."""
    result: dict[str, list[Finding]] = {}
    for name, value in fields.items():
        findings = check(value or "")
        if findings:
            result[name] = findings
    return result


_ADVICE = (
    "Bitte anonymisieren Sie den Fall (z. B. „Herr A.“ statt des Namens) und entfernen Sie "
    "Aktenzeichen, Geburtsdaten und Kontaktdaten."
)


def listing(findings: Sequence[Finding]) -> str:
    """The findings as one German enumeration, the first few spelled out."""
    shown = "; ".join(f.message for f in findings[:_MAX_LISTED])
    hidden = len(findings) - _MAX_LISTED
    if hidden == 1:
        shown += " und eine weitere Fundstelle"
    elif hidden > 1:
        shown += f" und {hidden} weitere Fundstellen"
    return shown


def explain(findings: Iterable[Finding] | Mapping[str, Sequence[Finding]]) -> str:
    """One German paragraph for an error message; "" when there is nothing to explain.

    Takes the list from `check` or the dict from `check_fields` (then each field's findings
    are introduced by the field name as given)."""
    if isinstance(findings, Mapping):
        parts = [
            f"im Feld „{field}“: {listing(list(items))}"
            for field, items in findings.items()
            if items
        ]
        if not parts:
            return ""
        return f"Der Text enthält personenbezogene Daten – {' – '.join(parts)}. {_ADVICE}"
    listed = list(findings)
    if not listed:
        return ""
    return f"Der Text enthält personenbezogene Daten: {listing(listed)}. {_ADVICE}"
