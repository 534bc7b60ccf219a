"""Numbers that point at one person's file: AZR numbers, file numbers (Aktenzeichen),
passport and ID numbers, dates of birth."""

from __future__ import annotations

import re
from collections.abc import Iterator

from fachaustausch.privacy.contacts import OF_WHOM, SP

UP = "A-ZÄÖÜ"
MONTHS = (
    r"(?:Januar|Jan\.|Jänner|Februar|Feb\.|März|Mär\.|April|Apr\.|Mai|Juni|Jun\.|Juli|Jul\."
    r"|August|Aug\.|September|Sept\.|Sep\.|Oktober|Okt\.|November|Nov\.|Dezember|Dez\.)"
)
DATE = (
    r"(?:\d{1,2}\.[ \u00a0]?\d{1,2}\.[ \u00a0]?(?:19|20)?\d{2}"
    rf"|\d{{1,2}}\.[ \u00a0]?{MONTHS}[ \u00a0]?(?:19|20)\d{{2}}"
    r"|(?:19|20)\d{2}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}/\d{1,2}/(?:19|20)\d{2})(?![\d.]\d)(?!\d)"
)

# --------------------------------------------------------------------------- AZR numbers

_AZR_LABELLED = re.compile(
    r"\b(?i:AZR|Ausländerzentralregister)"
    rf"(?:[- ]?(?i:Nr\.?|Nummer|Zahl|Kennzeichen|-Nummer))?{OF_WHOM}{SP}*[:.]?{SP}*"
    rf"(?:(?i:lautet|ist|Nr\.){SP}*:?{SP}*)?"
    r"(\d(?:[ \u00a0]?\d){5,13})(?!\d)"
)
_TWELVE_DIGITS = re.compile(r"(?<![\d.,/-])\d(?:[ \u00a0]?\d){11}(?!\d)(?![.,]\d)")
_AZR_CONTEXT = re.compile(r"\b(?i:AZR|Ausländerzentralregister)")


def azr_numbers(text: str) -> Iterator[tuple[int, int]]:
    for match in _AZR_LABELLED.finditer(text):
        yield match.span(1)
    for match in _TWELVE_DIGITS.finditer(text):
        start, end = match.span()
        if _AZR_CONTEXT.search(text, max(0, start - 80), min(len(text), end + 40)):
            yield start, end


# --------------------------------------------------------------------------- file numbers

_FILE_LABEL = (
    r"(?:Aktenzeichen|Geschäftszeichen|Az\.|Az\b|AZ\b|Gz\.|Gz\b|GZ\b|Vorgangsnummer"
    r"|Vorgangs-Nr\.|Kundennummer|Kunden-Nr\.|Aktennummer|Akten-Nr\.|Antragsnummer"
    r"|Antrags-Nr\.|Fallnummer|Bearbeitungsnummer|Ticketnummer|Buchungsnummer"
    r"|Unser Zeichen|Ihr Zeichen|AKTENZEICHEN|GESCHÄFTSZEICHEN)"
)
_CODE = r"(?=[\w./-]*\d)[\w][\w./#-]*"
# A court's file number: "7 E 1234/23 We", "3 K 88/22".
_COURT_CODE = r"\d{1,2} [A-Z][A-Za-z]{0,3} \d{1,5}[/.]\d{2}(?: [A-Z][a-z]{1,2}\b)?"
_FILE_NUMBER = re.compile(
    rf"\b{_FILE_LABEL}{OF_WHOM}{SP}*[:.]?{SP}*"
    rf"(?:(?:lautet|ist|Nr\.|der ABH|der Ausländerbehörde|des BAMF){SP}*:?{SP}*)?"
    rf"({_COURT_CODE}|{_CODE})"
)
# A code that is a file number on its own: "ABH-2023-00123", "AB/2022/4711".
_FILE_CODE = re.compile(rf"(?<![\w/-])[{UP}]{{2,6}}[-/](?:19|20)\d{{2}}[-/]\d{{3,7}}(?![\w/-])")
# The file number of a decree, a circular or a published leading case is a public
# reference, not a case file.
_GENERAL_ORDER = re.compile(
    r"(?:Erlass|Runderlass|Rundschreiben|Rundverfügung|Anwendungshinweise|Verwaltungsvorschrift"
    r"|Weisung|Ländermitteilung|BVerfG|BVerwG|EuGH|EGMR|BGH|BSG|BAG)\w*\b[^\n]*$"
)


def file_numbers(text: str) -> Iterator[tuple[int, int]]:
    for match in _FILE_NUMBER.finditer(text):
        if _GENERAL_ORDER.search(text, max(0, match.start() - 60), match.start()):
            continue
        start, end = match.span(1)
        code = text[start:end].rstrip("./-#")
        if len(code) >= 3:
            yield start, start + len(code)
    for match in _FILE_CODE.finditer(text):
        yield match.span()


# --------------------------------------------------------------------------- passports, IDs

_ID_DOCUMENT = re.compile(
    r"(?<![\w-])(?i:Kinderreisepass|Reisepass|Pass|Personalausweis|Ausweis|Reiseausweis"
    r"|Passersatzpapier|Passersatz|Aufenthaltstitel|eAT|Dokument|Dokumenten|Karten)"
    r"(?i:-?Nr\.|-?Nummer|nummer|es|s)?"
    rf"{OF_WHOM}{SP}*[:.]?{SP}*(?:(?i:Nr\.|Nummer|mit der Nummer|lautet|ist){SP}*:?{SP}*)?"
    r"((?=[A-Z]*\d)[A-Z0-9]{6,12})(?![\w-])"
)


def id_documents(text: str) -> Iterator[tuple[int, int]]:
    for match in _ID_DOCUMENT.finditer(text):
        yield match.span(1)


# --------------------------------------------------------------------------- dates of birth

_BIRTH_BEFORE = re.compile(
    r"(?:\b(?i:geb)\.(?:[ \t\u00a0]*am)?|\b(?i:geboren)(?:[ \t\u00a0]+am)?|\b(?i:Geburtsdatum)"
    r"|\bGeb\.-Datum|\bGeburtstag|\bGeburtsdatum[ \t\u00a0]+laut[ \t\u00a0]+\w+"
    r"|(?<=[(,;])[ \t\u00a0]*\*|(?<=[(,;][ \t\u00a0])\*"
    r"|(?<![\w*])\*(?=\d))"
    rf"{SP}*:?{SP}*({DATE})(?!\*)"  # "*12.03.2024*" is Markdown emphasis
)
_BIRTH_AFTER = re.compile(
    # "am 14.02.2017 in Masar-e Scharif geboren"
    rf"\b({DATE}){SP}+(?:in{SP}+[{UP}][\w-]*(?:{SP}+[{UP}][\w-]*){{0,2}}"
    rf"(?:{SP}\([\w ]+\))?{SP}+)?(?i:geboren)\b"
)


def birth_dates(text: str) -> Iterator[tuple[int, int]]:
    for pattern in (_BIRTH_BEFORE, _BIRTH_AFTER):
        for match in pattern.finditer(text):
            yield match.span(1)
