"""Ways to reach a person: e-mail addresses, phone numbers, bank accounts (IBAN).

Each detector takes the normalised text and yields (start, end) spans; every pattern is
linear in the text length (no nested variable-length repetition)."""

from __future__ import annotations

import re
from collections.abc import Iterator

SP = r"[ \t\u00a0]"  # a space inside a line; identifiers never run across line breaks
# "of whom": "Reisepassnummer des Kindes: …", "Aktenzeichen der ABH: …"
OF_WHOM = rf"(?:{SP}+(?:des|der|vom|von|im)(?:{SP}+[A-ZÄÖÜ][\w-]*){{1,2}}{SP}*(?=:))?"

# --------------------------------------------------------------------------- e-mail

# "@" also written as "[at]", "(at)", "{ät}"; dots as "[dot]", "(punkt)".
_AT = rf"(?:{SP}*[\[({{]{SP}*(?:at|ät|@){SP}*[\])}}]{SP}*|@)"
_DOT = rf"(?:{SP}*[\[({{]{SP}*(?:dot|punkt|\.){SP}*[\])}}]{SP}*|\.)"
_EMAIL = re.compile(
    rf"(?<![\w.+%-])[\w.+%-]+{_AT}[\w-]+(?:{_DOT}[\w-]+)*{_DOT}[^\W\d_]{{2,}}(?![\w-])",
    re.IGNORECASE,
)


def emails(text: str) -> Iterator[tuple[int, int]]:
    for match in _EMAIL.finditer(text):
        yield match.span()


# --------------------------------------------------------------------------- IBAN

# Lengths of the IBANs most likely to turn up (SWIFT IBAN registry); other countries are
# accepted at any length from 15 to 34 as long as the checksum holds.
IBAN_LENGTHS = {
    "AD": 24, "AL": 28, "AT": 20, "BA": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28,
    "CZ": 24, "DE": 22, "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22,
    "GE": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21,
    "LT": 20, "LU": 20, "LV": 21, "MD": 24, "ME": 22, "MK": 19, "MT": 31, "NL": 18,
    "NO": 15, "PL": 28, "PT": 25, "RO": 24, "RS": 22, "SE": 24, "SI": 19, "SK": 24,
    "TN": 24, "TR": 26, "UA": 29, "XK": 20, "IQ": 23, "JO": 30, "LB": 28, "PS": 29,
    "SA": 24, "EG": 29, "BY": 28, "AZ": 28,
}  # fmt: skip
_IBAN = re.compile(rf"(?<![\w-])[A-Za-z]{{2}}\d{{2}}(?:{SP}?[A-Za-z0-9]){{11,30}}")
_IBAN_LABEL = re.compile(r"IBAN[ \t:.]*$", re.IGNORECASE)


def iban_is_valid(iban: str) -> bool:
    """True if `iban` (spaces allowed, any case) has a known length for its country and the
    ISO 13616 mod-97 checksum holds."""
    compact = re.sub(r"\s", "", iban).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    expected = IBAN_LENGTHS.get(compact[:2])
    if expected is not None and len(compact) != expected:
        return False
    digits = "".join(str(int(ch, 36)) for ch in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def ibans(text: str) -> Iterator[tuple[int, int]]:
    for match in _IBAN.finditer(text):
        start, chunk = match.start(), match.group()
        # Offsets of the alphanumeric characters, so a prefix of the compact form can be
        # mapped back to the text (the greedy match may run into a following word).
        positions = [start + i for i, ch in enumerate(chunk) if not ch.isspace()]
        compact = "".join(ch for ch in chunk if not ch.isspace()).upper()
        expected = IBAN_LENGTHS.get(compact[:2])
        if expected is None and not chunk[:2].isupper():
            continue  # lower case only for countries whose IBAN length is known
        lengths = [expected] if expected else list(range(min(len(compact), 34), 14, -1))
        labelled = bool(_IBAN_LABEL.search(text, max(0, start - 12), start))
        for length in lengths:
            if length > len(compact):
                continue
            end = positions[length - 1] + 1
            if end < len(text) and text[end].isalnum():
                continue  # would cut a group in two
            if iban_is_valid(compact[:length]) or (labelled and length == expected):
                yield start, end
                break


# --------------------------------------------------------------------------- phone numbers

_PHONE_INTL = re.compile(
    rf"(?<![\w+])(?:\+|00)[1-9]\d*(?:{SP}?\(0\){SP}?\d+)?"
    rf"(?:{SP}?[/-]{SP}?\d+|{SP}\(?\d{{2,}}\)?)*"
)
_PHONE_NATIONAL = re.compile(
    rf"(?<![\w.,/+-])(?:\(0\d{{2,5}}\)|0[1-9]\d{{1,4}})"
    rf"(?:{SP}?[/-]{SP}?\d{{2,}}|{SP}\d{{2,}})+"
    rf"|(?<![\w.,/+-])0[1-9]\d{{7,12}}"
)
_PHONE_LABELLED = re.compile(
    r"\b(?i:Tel\.|Tel|Telefon|Telefonnummer|Tel\.-Nr\.|Handy|Handynummer|Mobil|Mobilnummer"
    r"|Mobilfunknummer|Rufnummer|Fax|Faxnummer|WhatsApp|Festnetz)"
    rf"{OF_WHOM}{SP}*[:.]?{SP}*(?:Nr\.{SP}*)?(?:(?:lautet|ist){SP}+)?"
    r"(\+?\(?\d[\d \t\u00a0()/-]*\d)"
)


def phones(text: str) -> Iterator[tuple[int, int]]:
    for pattern, group in ((_PHONE_INTL, 0), (_PHONE_NATIONAL, 0), (_PHONE_LABELLED, 1)):
        for match in pattern.finditer(text):
            start, end = match.span(group)
            number = text[start:end].rstrip(" \t\u00a0/-(")
            end = start + len(number)
            digits = sum(ch.isdigit() for ch in number)
            if not 6 <= digits <= 16:
                continue
            if end < len(text) and (
                text[end].isalnum() or (text[end] in ".,:" and text[end + 1 : end + 2].isdigit())
            ):
                continue  # part of an amount, a date or a time
            yield start, end
