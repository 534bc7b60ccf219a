"""Street addresses ("Hauptstraße 12", "Am Markt 3a, 99423 Weimar") and street names alone,
which identify a person together with other details (see combination.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from fachaustausch.privacy.contacts import SP
from fachaustausch.privacy.identifiers import MONTHS, UP

LO = "a-zäöüß"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_STREET_SUFFIX = (
    r"(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee|steig|pfad"
    r"|stieg|graben|promenade|kai|anger|wall|zeile|markt|hof|berg|siedlung)"
)
_STREET_WORD = (
    r"(?:Straße|Str\.|Weg|Gasse|Allee|Platz|Markt|Ring|Damm|Ufer|Chaussee|Promenade"
    r"|Landstraße)"
)
_HOUSE_NUMBER = r"\d{1,3}(?:[ \u00a0]?[a-zA-Z])?(?:[-/]\d{1,3}[a-z]?)?(?![\d\w])(?![.,:]\d)"
_POSTCODE_CITY = rf"(?:D-)?\d{{5}}{SP}+[{UP}][{LO}]+(?:[ -][{UP}][{LO}]+)?"
# A count, not a house number: "in Nürnberg 2 Fälle", "Arbeitsmarkt 3 %", "12 Uhr".
_NOT_AFTER_NUMBER = rf"(?![ \t\u00a0]*(?:%|€|Prozent\b|Uhr\b|Mio\b|Abs\.|Nr\.|[{UP}]))"
_STREET = re.compile(
    # "Hauptstraße 12", "Karl-Marx-Allee 3a", "Weimarer Straße 7", "Goethestr. 5"
    rf"(?<![\w-])(?:[{UP}][{LO}]+-)*(?:[{UP}][{LO}]*{_STREET_SUFFIX}|(?<=-){_STREET_WORD})"
    rf"{SP}*{_HOUSE_NUMBER}{_NOT_AFTER_NUMBER}"
    rf"(?:,?{SP}+{_POSTCODE_CITY})?"
    rf"|(?<![\w-])[{UP}][{LO}]+er{SP}+{_STREET_WORD}{SP}+{_HOUSE_NUMBER}{_NOT_AFTER_NUMBER}"
    rf"(?:,?{SP}+{_POSTCODE_CITY})?"
)
# Words after "Am"/"Im"/"Zum" that start a phrase, not a street: "Im Jahr 15", "Zum Punkt 3."
_NOT_STREETS = (
    r"(?:Jahr|Jahre|Monat|Quartal|Halbjahr|Tag|Termin|Stichtag|Ende|Anfang|Beginn|Zeitpunkt"
    r"|Zeitraum|Wochenende|Vormittag|Nachmittag|Abend|Morgen|Montag|Dienstag|Mittwoch"
    r"|Donnerstag|Freitag|Samstag|Sonntag|Haushalt|Ergebnis|Verfahren|Rahmen|Alter|Beispiel"
    r"|Teil|Schluss|Thema|Punkt|Abschnitt|Absatz|Kapitel|Fall|Frage|Nummer|Anlage|Schritt"
    rf"|Ziffer|Buchstabe|Satz|Raum|Zimmer|Gebäude|Haus|Stock|Flur|{MONTHS})"
)
_PREFIX_STREET = re.compile(
    # "Am Markt 3a", "An der Ilm 5", "Im Winkel 12" — only with an address-like ending,
    # so that "Im Haushalt leben 4 Personen" is not an address.
    r"(?<![\w-])(?:Am|An der|An den|Auf der|Auf dem|Im|In der|In den|Zum|Zur|Hinter der"
    rf"|Unter den|Vor dem){SP}+(?!{_NOT_STREETS}\b)"
    rf"[{UP}][{LO}-]+(?:{SP}[{UP}][{LO}-]+)?{SP}+{_HOUSE_NUMBER}"
    rf"(?:,?{SP}+{_POSTCODE_CITY}|(?=[ \t]*(?:[,;)]|$|\.(?:\s|$))|{SP}+(?:in|bei)\b))",
    re.MULTILINE,
)
_POSTCODE = re.compile(rf"(?<![\w.,/-])(?:D-)?(\d{{5}}){SP}+([{UP}][{LO}]+)(?:[ -][{UP}][{LO}]+)?")
# Capitalised nouns that follow a five-digit count rather than a postcode.
_COUNT_NOUNS = _words(
    """Euro EUR Dollar Menschen Personen Anträge Antragsteller Antragstellende Fälle Einwohner
    Einwohnerinnen Ausländer Ausländerinnen Geflüchtete Flüchtlinge Schutzsuchende Beschäftigte
    Mitarbeiter Mitarbeitende Stunden Tage Visa Verfahren Bescheide Kinder Studierende
    Fachkräfte Arbeitskräfte Zuwanderer Einbürgerungen Aufenthaltstitel Duldungen Asylanträge
    Erstanträge Folgeanträge Exemplare Seiten Zeichen Kunden Vorsprachen Termine
    Aufenthaltserlaubnisse Niederlassungserlaubnisse Einträge Datensätze Akten Vorgänge
    Personal Stellen Plätze Betten Haushalte Familien"""
)
_QUANTITY_BEFORE = re.compile(
    r"(?:rund|über|etwa|ca\.|circa|knapp|mehr als|weniger als|insgesamt|fast|nur|bis zu"
    r"|zirka|mindestens|höchstens)\s*$",
    re.IGNORECASE,
)
# A street named without a house number: "in der Eisenbahnstraße", "Karl-Marx-Allee".
_STREET_NAME = re.compile(
    rf"(?<![\w-])(?:[{UP}][{LO}]+-)*(?:[{UP}][{LO}]*(?:straße|strasse|str\.|weg|gasse|allee"
    rf"|platz|ring|damm|ufer|chaussee|promenade)|(?<=-){_STREET_WORD})(?![\w-])"
    rf"|(?<![\w-])[{UP}][{LO}]+er{SP}+(?:Straße|Weg|Allee|Platz|Ring|Damm)(?![\w-])"
)


def _is_count_noun(word: str) -> bool:
    # also the dative plural: "von 12500 Anträgen"
    return word in _COUNT_NOUNS or (word.endswith("n") and word[:-1] in _COUNT_NOUNS)


def addresses(text: str) -> Iterator[tuple[int, int]]:
    for pattern in (_STREET, _PREFIX_STREET):
        for match in pattern.finditer(text):
            yield match.span()
    for match in _POSTCODE.finditer(text):
        code, word = match.group(1), match.group(2)
        if code.startswith("00") or code.endswith("000") or _is_count_noun(word):
            continue
        before = max(0, match.start() - 12)
        if word.endswith("ungen") or _QUANTITY_BEFORE.search(text, before, match.start()):
            continue
        yield match.span()


def street_names(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """Streets named in text[start:end], with or without a house number."""
    for match in _STREET_NAME.finditer(text, start, len(text) if end is None else end):
        yield match.span()
