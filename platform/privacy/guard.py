"""The personal-data guard (DOMAIN.md, "Personal data in cases").

`check(text)` finds clear identifiers of the people a case is about: e-mail addresses,
phone numbers, IBANs, AZR numbers, file numbers, passport and ID numbers, dates of birth,
street addresses and names after a salutation ("Herr Yilmaz"). Ordinary case facts —
legal provisions, nationalities, residence titles, plain dates and years, authority names,
counts and amounts — are left alone, and so is the anonymised form "Herr A.".

Pure Python, no database or web code: the patterns are compiled once at import and every
one of them is linear in the text length (no nested variable-length repetition), so a
long post is checked in a few milliseconds.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

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
}
_PRIORITY = {kind: rank for rank, kind in enumerate(KINDS)}

_MAX_LISTED = 8  # findings spelled out in `explain`; the rest are counted


def _words(words: str) -> frozenset[str]:
    return frozenset(words.split())


@dataclass(frozen=True)
class Finding:
    """One identifier in a checked text; `text == checked[start:end]`."""

    kind: str
    start: int
    end: int
    text: str
    message: str


def _message(kind: str, text: str, start: int, end: int) -> str:
    # Positions in human terms: characters counted from 1, both ends included.
    return f"{KINDS[kind]} „{text}“ (Zeichen {start + 1}–{end})"


# --------------------------------------------------------------------------- building blocks

_SP = r"[ \t\u00a0]"  # a space inside a line; identifiers never run across line breaks
_UP = "A-ZÄÖÜ"
_LO = "a-zäöüß"
_MONTHS = (
    r"(?:Januar|Jan\.|Jänner|Februar|Feb\.|März|Mär\.|April|Apr\.|Mai|Juni|Jun\.|Juli|Jul\."
    r"|August|Aug\.|September|Sept\.|Sep\.|Oktober|Okt\.|November|Nov\.|Dezember|Dez\.)"
)
# "Reisepassnummer des Kindes: …", "Aktenzeichen der ABH: …"
_OF_WHOM = rf"(?:{_SP}+(?:des|der|vom|von|im)(?:{_SP}+[{_UP}][\w-]*){{1,2}}{_SP}*(?=:))?"
_DATE = (
    r"(?:\d{1,2}\.[ \u00a0]?\d{1,2}\.[ \u00a0]?(?:19|20)?\d{2}"
    rf"|\d{{1,2}}\.[ \u00a0]?{_MONTHS}[ \u00a0]?(?:19|20)\d{{2}}"
    r"|(?:19|20)\d{2}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}/\d{1,2}/(?:19|20)\d{2})(?![\d.]\d)(?!\d)"
)

# --------------------------------------------------------------------------- e-mail

_EMAIL = re.compile(r"(?<![\w.+%-])[\w.+%-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?![\w-])")

# --------------------------------------------------------------------------- IBAN

# Lengths of the IBANs most likely to turn up (SWIFT IBAN registry); other countries are
# accepted at any length from 15 to 34 as long as the checksum holds.
_IBAN_LENGTHS = {
    "AD": 24, "AL": 28, "AT": 20, "BA": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28,
    "CZ": 24, "DE": 22, "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22,
    "GE": 22, "GR": 27, "HR": 21, "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21,
    "LT": 20, "LU": 20, "LV": 21, "MD": 24, "ME": 22, "MK": 19, "MT": 31, "NL": 18,
    "NO": 15, "PL": 28, "PT": 25, "RO": 24, "RS": 22, "SE": 24, "SI": 19, "SK": 24,
    "TN": 24, "TR": 26, "UA": 29, "XK": 20, "IQ": 23, "JO": 30, "LB": 28, "PS": 29,
    "SA": 24, "EG": 29, "BY": 28, "AZ": 28,
}  # fmt: skip
_IBAN = re.compile(rf"(?<![\w-])[A-Z]{{2}}\d{{2}}(?:{_SP}?[A-Z0-9]){{11,30}}")
_IBAN_LABEL = re.compile(r"IBAN[ \t:.]*$")


def iban_is_valid(iban: str) -> bool:
    """True if `iban` (spaces allowed) has a known length for its country and the
    ISO 13616 mod-97 checksum holds."""
    compact = re.sub(r"\s", "", iban).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", compact):
        return False
    expected = _IBAN_LENGTHS.get(compact[:2])
    if expected is not None and len(compact) != expected:
        return False
    digits = "".join(str(int(ch, 36)) for ch in compact[4:] + compact[:4])
    return int(digits) % 97 == 1


def _ibans(text: str) -> Iterator[tuple[int, int]]:
    for match in _IBAN.finditer(text):
        start, chunk = match.start(), match.group()
        # Offsets of the alphanumeric characters, so a prefix of the compact form can be
        # mapped back to the text (the greedy match may run into a following word).
        positions = [start + i for i, ch in enumerate(chunk) if not ch.isspace()]
        compact = "".join(ch for ch in chunk if not ch.isspace())
        expected = _IBAN_LENGTHS.get(compact[:2])
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
    rf"(?<![\w+])(?:\+|00)[1-9]\d*(?:{_SP}?\(0\){_SP}?\d+)?"
    rf"(?:{_SP}?[/-]{_SP}?\d+|{_SP}\(?\d{{2,}}\)?)*"
)
_PHONE_NATIONAL = re.compile(
    rf"(?<![\w.,/+-])(?:\(0\d{{2,5}}\)|0[1-9]\d{{1,4}})"
    rf"(?:{_SP}?[/-]{_SP}?\d{{2,}}|{_SP}\d{{2,}})+"
    rf"|(?<![\w.,/+-])0[1-9]\d{{7,12}}"
)
_PHONE_LABELLED = re.compile(
    r"\b(?:Tel\.|Tel|Telefon|Telefonnummer|Tel\.-Nr\.|Handy|Handynummer|Mobil|Mobilnummer"
    r"|Mobilfunknummer|Rufnummer|Fax|Faxnummer|WhatsApp|Festnetz)"
    rf"{_OF_WHOM}{_SP}*[:.]?{_SP}*(?:Nr\.{_SP}*)?(?:(?:lautet|ist){_SP}+)?"
    r"(\+?\(?\d[\d \t\u00a0()/-]*\d)"
)


def _phones(text: str) -> Iterator[tuple[int, int]]:
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


# --------------------------------------------------------------------------- AZR numbers

_AZR_LABELLED = re.compile(
    r"\b(?:AZR|Ausländerzentralregister)"
    rf"(?:[- ]?(?:Nr\.?|Nummer|Zahl|Kennzeichen|-Nummer))?{_OF_WHOM}{_SP}*[:.]?{_SP}*"
    rf"(?:(?:lautet|ist|Nr\.){_SP}*:?{_SP}*)?"
    r"(\d(?:[ \u00a0]?\d){5,13})(?!\d)"
)
_TWELVE_DIGITS = re.compile(r"(?<![\d.,/-])\d(?:[ \u00a0]?\d){11}(?!\d)(?![.,]\d)")
_AZR_CONTEXT = re.compile(r"\bAZR|Ausländerzentralregister")


def _azr_numbers(text: str) -> Iterator[tuple[int, int]]:
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
    r"|Unser Zeichen|Ihr Zeichen)"
)
_CODE = r"(?=[\w./-]*\d)[\w][\w./#-]*"
# A court's file number: "7 E 1234/23 We", "3 K 88/22".
_COURT_CODE = r"\d{1,2} [A-Z][A-Za-z]{0,3} \d{1,5}[/.]\d{2}(?: [A-Z][a-z]{1,2}\b)?"
_FILE_NUMBER = re.compile(
    rf"\b{_FILE_LABEL}{_OF_WHOM}{_SP}*[:.]?{_SP}*"
    rf"(?:(?:lautet|ist|Nr\.|der ABH|der Ausländerbehörde|des BAMF){_SP}*:?{_SP}*)?"
    rf"({_COURT_CODE}|{_CODE})"
)
# A code that is a file number on its own: "ABH-2023-00123", "AB/2022/4711".
_FILE_CODE = re.compile(rf"(?<![\w/-])[{_UP}]{{2,6}}[-/](?:19|20)\d{{2}}[-/]\d{{3,7}}(?![\w/-])")


# The file number of a decree, a circular or a published leading case is a public
# reference, not a case file.
_GENERAL_ORDER = re.compile(
    r"(?:Erlass|Runderlass|Rundschreiben|Rundverfügung|Anwendungshinweise|Verwaltungsvorschrift"
    r"|Weisung|Ländermitteilung|BVerfG|BVerwG|EuGH|EGMR|BGH|BSG|BAG)\w*\b[^\n]*$"
)


def _file_numbers(text: str) -> Iterator[tuple[int, int]]:
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
    r"(?<![\w-])(?:Kinderreisepass|Reisepass|Pass|Personalausweis|Ausweis|Reiseausweis"
    r"|Passersatzpapier|Passersatz|Aufenthaltstitel|eAT|Dokument|Dokumenten|Karten)"
    r"(?:-?Nr\.|-?Nummer|nummer|es|s)?"
    rf"{_OF_WHOM}{_SP}*[:.]?{_SP}*(?:(?:Nr\.|Nummer|mit der Nummer|lautet|ist){_SP}*:?{_SP}*)?"
    r"((?=[A-Z]*\d)[A-Z0-9]{6,12})(?![\w-])"
)

# --------------------------------------------------------------------------- dates of birth

_BIRTH_BEFORE = re.compile(
    r"(?:\b[gG]eb\.(?:[ \t\u00a0]*am)?|\b[gG]eboren(?:[ \t\u00a0]+am)?|\bGeburtsdatum"
    r"|\bGeb\.-Datum|\bGeburtstag|\bGeburtsdatum[ \t\u00a0]+laut[ \t\u00a0]+\w+"
    r"|(?<=[(,;])[ \t\u00a0]*\*|(?<=[(,;][ \t\u00a0])\*"
    r"|(?<![\w*])\*(?=\d))"
    rf"{_SP}*:?{_SP}*({_DATE})(?!\*)"  # "*12.03.2024*" is Markdown emphasis
)
_BIRTH_AFTER = re.compile(
    # "am 14.02.2017 in Masar-e Scharif geboren"
    rf"\b({_DATE}){_SP}+(?:in{_SP}+[{_UP}][\w-]*(?:{_SP}+[{_UP}][\w-]*){{0,2}}"
    rf"(?:{_SP}\([\w ]+\))?{_SP}+)?geboren\b"
)


def _birth_dates(text: str) -> Iterator[tuple[int, int]]:
    for pattern in (_BIRTH_BEFORE, _BIRTH_AFTER):
        for match in pattern.finditer(text):
            yield match.span(1)


# --------------------------------------------------------------------------- addresses

_STREET_SUFFIX = (
    r"(?:straße|strasse|str\.|weg|gasse|allee|platz|ring|damm|ufer|chaussee|steig|pfad"
    r"|stieg|graben|promenade|kai|anger|wall|zeile|markt|hof|berg|siedlung)"
)
_STREET_WORD = (
    r"(?:Straße|Str\.|Weg|Gasse|Allee|Platz|Markt|Ring|Damm|Ufer|Chaussee|Promenade"
    r"|Landstraße)"
)
_HOUSE_NUMBER = r"\d{1,3}(?:[ \u00a0]?[a-zA-Z])?(?:[-/]\d{1,3}[a-z]?)?(?![\d\w])(?![.,:]\d)"
_POSTCODE_CITY = rf"(?:D-)?\d{{5}}{_SP}+[{_UP}][{_LO}]+(?:[ -][{_UP}][{_LO}]+)?"
# A count, not a house number: "in Nürnberg 2 Fälle", "Arbeitsmarkt 3 %", "12 Uhr".
_NOT_AFTER_NUMBER = rf"(?![ \t\u00a0]*(?:%|€|Prozent\b|Uhr\b|Mio\b|Abs\.|Nr\.|[{_UP}]))"
_STREET = re.compile(
    # "Hauptstraße 12", "Karl-Marx-Allee 3a", "Weimarer Straße 7", "Goethestr. 5"
    rf"(?<![\w-])(?:[{_UP}][{_LO}]+-)*(?:[{_UP}][{_LO}]*{_STREET_SUFFIX}|(?<=-){_STREET_WORD})"
    rf"{_SP}*{_HOUSE_NUMBER}{_NOT_AFTER_NUMBER}"
    rf"(?:,?{_SP}+{_POSTCODE_CITY})?"
    rf"|(?<![\w-])[{_UP}][{_LO}]+er{_SP}+{_STREET_WORD}{_SP}+{_HOUSE_NUMBER}{_NOT_AFTER_NUMBER}"
    rf"(?:,?{_SP}+{_POSTCODE_CITY})?"
)
# Words after "Am"/"Im"/"Zum" that start a phrase, not a street: "Im Jahr 15", "Zum Punkt 3."
_NOT_STREETS = (
    r"(?:Jahr|Jahre|Monat|Quartal|Halbjahr|Tag|Termin|Stichtag|Ende|Anfang|Beginn|Zeitpunkt"
    r"|Zeitraum|Wochenende|Vormittag|Nachmittag|Abend|Morgen|Montag|Dienstag|Mittwoch"
    r"|Donnerstag|Freitag|Samstag|Sonntag|Haushalt|Ergebnis|Verfahren|Rahmen|Alter|Beispiel"
    r"|Teil|Schluss|Thema|Punkt|Abschnitt|Absatz|Kapitel|Fall|Frage|Nummer|Anlage|Schritt"
    rf"|Ziffer|Buchstabe|Satz|{_MONTHS})"
)
_PREFIX_STREET = re.compile(
    # "Am Markt 3a", "An der Ilm 5", "Im Winkel 12" — only with an address-like ending,
    # so that "Im Haushalt leben 4 Personen" is not an address.
    r"(?<![\w-])(?:Am|An der|An den|Auf der|Auf dem|Im|In der|In den|Zum|Zur|Hinter der"
    rf"|Unter den|Vor dem){_SP}+(?!{_NOT_STREETS}\b)"
    rf"[{_UP}][{_LO}-]+(?:{_SP}[{_UP}][{_LO}-]+)?{_SP}+{_HOUSE_NUMBER}"
    rf"(?:,?{_SP}+{_POSTCODE_CITY}|(?=[ \t]*(?:[,;)]|$|\.(?:\s|$))|{_SP}+(?:in|bei)\b))",
    re.MULTILINE,
)
_POSTCODE = re.compile(
    rf"(?<![\w.,/-])(?:D-)?(\d{{5}}){_SP}+([{_UP}][{_LO}]+)(?:[ -][{_UP}][{_LO}]+)?"
)
# Capitalised nouns that follow a five-digit count rather than a postcode.
_COUNT_NOUNS = _words(
    "Euro EUR Dollar Menschen Personen Anträge Antragsteller Antragstellende Fälle Einwohner"
    " Einwohnerinnen Ausländer Ausländerinnen Geflüchtete Flüchtlinge Schutzsuchende"
    " Beschäftigte Mitarbeiter Mitarbeitende Stunden Tage Visa Verfahren Bescheide Kinder"
    " Studierende Fachkräfte Arbeitskräfte Zuwanderer Einbürgerungen Aufenthaltstitel"
    " Duldungen Asylanträge Erstanträge Folgeanträge Exemplare Seiten Zeichen Kunden"
    " Vorsprachen Termine Aufenthaltserlaubnisse Niederlassungserlaubnisse Einträge"
    " Datensätze Akten Vorgänge Personal Stellen Plätze Betten Haushalte Familien"
)
_QUANTITY_BEFORE = re.compile(
    r"(?:rund|über|etwa|ca\.|circa|knapp|mehr als|weniger als|insgesamt|fast|nur|bis zu"
    r"|zirka|mindestens|höchstens)\s*$",
    re.IGNORECASE,
)


def _is_count_noun(word: str) -> bool:
    # also the dative plural: "von 12500 Anträgen"
    return word in _COUNT_NOUNS or (word.endswith("n") and word[:-1] in _COUNT_NOUNS)


def _addresses(text: str) -> Iterator[tuple[int, int]]:
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


# --------------------------------------------------------------------------- names

# Words after "Herr"/"Frau" that name a role, not a person ("Frau Kollegin").
_ROLE_NOUNS = _words(
    """kollege kollegin kollegen sachbearbeiter sachbearbeiterin antragsteller antragstellerin
    betroffene betroffener betroffenen klient klientin kunde kundin vater mutter dolmetscher
    dolmetscherin anwalt anwältin rechtsanwalt rechtsanwältin doktor professor professorin
    bürgermeister bürgermeisterin oberbürgermeister oberbürgermeisterin landrat landrätin
    richter richterin vorsitzender vorsitzende präsident präsidentin minister ministerin
    staatssekretär staatssekretärin abgeordneter abgeordnete leiter leiterin amtsleiter
    amtsleiterin mitarbeiter mitarbeiterin bewerber bewerberin arbeitgeber arbeitgeberin
    vermieter vermieterin nachbar nachbarin betreuer betreuerin vormund lehrer lehrerin arzt
    ärztin berater beraterin beistand ehemann ehefrau sohn tochter bruder schwester
    verfahrensbevollmächtigter bevollmächtigte bevollmächtigter integrationsbeauftragte
    beauftragte beauftragter referent referentin dezernent dezernentin direktor direktorin
    pfarrer pfarrerin oberin kommissar kommissarin polizist polizistin beamter beamtin
    sozialarbeiter sozialarbeiterin gutachter gutachterin zeuge zeugin"""
)
# Capitalised words that cannot be a surname here: sentence openers, pronouns, and the
# nouns that follow "die Frau"/"die Familie" in ordinary case texts.
_NOT_NAMES = _words(
    """der die das den dem des ein eine einer einem eines einen kein keine und oder aber
    sie er es ihr ihre ihrem ihren ihrer sein seine seinem seinen seiner wir ich man dies
    diese dieser dieses jene jeder jede alle beide hat habe haben ist sind war waren wird
    werden wurde wurden kann konnte muss musste soll sollte will wollte darf am im in mit
    von bei nach aus vor zu zum zur für über unter gegen ohne seit bis ab an auf durch um
    laut gemäß trotz wegen aufgrund nachdem obwohl weil da wenn als auch nur noch jetzt
    heute gestern morgen zunächst dann danach anschließend schließlich insgesamt bisher
    zudem außerdem nun leider daher deshalb allerdings inzwischen mittlerweile hier dort
    welche welcher was wie wo warum wann ob so doch bitte danke ja nein nicht sehr mitte
    anfang ende dr prof herr herrn frau familie zusätzlich ferner weiterhin ebenfalls jedoch
    trotzdem dennoch somit folglich demnach damit dadurch hierzu dazu darüber darauf davon
    daraufhin nunmehr derzeit aktuell momentan bislang ursprünglich eigentlich tatsächlich offenbar
    vermutlich wahrscheinlich möglicherweise grundsätzlich insbesondere einige viele
    mehrere andere weitere beim vom ins aufs hinsichtlich bezüglich innerhalb außerhalb
    während sowie sofern soweit falls sobald solange seitdem bevor damals früher später
    vorher nachher zuletzt erst bereits schon immer nie oft manchmal wieder gleichzeitig
    stand frage fazit ergebnis hintergrund sachverhalt problem hinweis anmerkung nachtrag
    ziel vorschlag lösung rückfrage ergänzung update info folgendes
    anspruch ansprüche leistungen leistung schutz zeit hilfe unterstützung aufenthalt
    antrag anträge termin termine geld kinder kind wohnung arbeit duldung asyl bleiberecht
    kontakt angst zugang nachzug familiennachzug deutschkurse deutschkurs sprachkurs
    integrationskurs papiere pass pässe ausweis dokumente unterlagen bescheid bescheide
    post briefe nachweise probleme schwierigkeiten sorgen fragen rat beratung widerspruch
    klage rechtsschutz eilrechtsschutz interesse vertrauen zweifel bedenken wert arbeitsplatz
    ausbildung ausbildungsplatz beschäftigung einkommen miete sozialleistungen bürgergeld
    kindergeld elterngeld wohngeld unterhalt krankenversicherung kenntnis kenntnisse
    deutschkenntnisse mitwirkung identität staatsangehörigkeit aufenthaltserlaubnis
    niederlassungserlaubnis fiktionsbescheinigung einbürgerung visum visa
    ausländerbehörde behörde stadt landkreis gemeinde bamf abh eu"""
)
_NOUN_SUFFIXES = (
    "ung", "ungen", "heit", "keit", "schaft", "tion", "tionen", "tät", "nis", "nisse",
    "ismus", "ment", "kurs", "kurse", "recht", "schutz", "geld", "antrag", "anträge",
    "leistungen", "kenntnisse", "papiere", "erlaubnis", "titel", "karte", "bescheid",
    "termin", "stelle", "platz", "gespräch", "gespräche", "verfahren", "raum", "räume",
    "unterkunft", "wohnung", "arbeit", "hilfe", "kosten", "mittel", "behörde", "gericht",
)  # fmt: skip
_DETERMINERS = _words(
    """der die das den dem des ein eine einer einem eines einen seine seiner seinem seinen
    ihre ihrer ihrem ihren deren dessen diese dieser diesem jene jeder jede jeden"""
)
_NAME_PARTICLES = _words("al el von van de da di du del della ibn bin ben abu ter ten")

_NAME_INTRO = re.compile(
    r"\b(?:Herrn|Herr|Frau|Fräulein|Familie|Fam\.|Eheleute|Ehepaar|Geschwister|Hr\.|Fr\."
    r"|namens|Namens|heißt(?:{sp}+(?:eigentlich|tatsächlich|wirklich|richtig))?"
    r"|[gG]eb\.|geborene|geborener|geborenen|alias"
    r"|mit (?:dem )?(?:Vor|Nach|Familien)?[Nn]amen|(?:Vor|Nach|Familien|Geburts)?[Nn]ame{sp}*:)"
    r"(?={sp})".replace("{sp}", _SP)
)
_TOKEN = re.compile(rf"{_SP}+([^\W\d_]+(?:[-'’][^\W\d_]+)*)(\.)?")
_TITLE = re.compile(
    rf"{_SP}*(?:Prof|Dr|med|dent|phil|jur|rer\.{_SP}?nat|Dipl\.-Ing|Dipl|Mag|h\.{_SP}?c)\."
)
_PREV_WORD = re.compile(r"([^\W\d_]+)[ \t\u00a0]*$")
_SENTENCE_REFERENCE = _words("das dies es was wie")  # "das heißt …"


def _looks_like_noun(word: str) -> bool:
    lower = word.lower()
    return len(lower) >= 5 and lower.endswith(_NOUN_SUFFIXES)


def _usable_name(word: str, strict: bool) -> bool:
    lower = word.lower()
    if not word[0].isupper() or lower in _NOT_NAMES or lower in _ROLE_NOUNS:
        return False
    return not (strict and _looks_like_noun(word))


def _name_word(word: str, strict: bool) -> bool:
    """A surname-like word; "al-Hassan" counts by its part after the particle."""
    head, _, tail = word.partition("-")
    if tail and head.lower() in _NAME_PARTICLES and head.islower():
        return tail[0].isupper()
    return _usable_name(word, strict)


def _names(text: str) -> Iterator[tuple[int, int]]:
    for intro in _NAME_INTRO.finditer(text):
        prev = _PREV_WORD.search(text, max(0, intro.start() - 30), intro.start())
        prev_word = prev.group(1) if prev else ""
        if intro.group().startswith("heißt") and prev_word.lower() in _SENTENCE_REFERENCE:
            continue
        # After "die Frau", "der betroffenen Familie" a capitalised word is more often a
        # noun ("die Familie Leistungen bezieht"), so such words are checked harder.
        strict = prev_word.lower() in _DETERMINERS or (
            prev_word.islower() and prev_word.endswith(("e", "en", "er", "em"))
        )
        pos = intro.end()
        while title := _TITLE.match(text, pos):
            pos = title.end()
        start = end = -1
        words = initials = 0
        role_seen = particle = False
        while words < 2:
            token = _TOKEN.match(text, pos)
            if token is None:
                break
            word, dot = token.group(1), token.group(2)
            if len(word) == 1 and word.isupper() and dot and words == 0 and not particle:
                initials += 1  # "K." belongs to the name only if a surname follows
                start = token.start(1) if start < 0 else start
                pos = token.end()
                continue
            if word.lower() in _NAME_PARTICLES or (particle and word == "der"):
                if words:
                    break
                particle = True  # "von der Leyen", "da Silva"
                start = token.start(1) if start < 0 else start
                pos = token.end(1)
                continue
            if not words and not initials and not role_seen and word.lower() in _ROLE_NOUNS:
                role_seen = True  # "Frau Rechtsanwältin Schulz": a name may follow
                pos = token.end(1)
                continue
            if not _name_word(word, strict or initials > 0 or role_seen or words > 0):
                break
            if len(word) <= 2 and dot:
                break  # an abbreviation, not a name
            if initials and text[token.end(1) : token.end(1) + 1] == ":":
                break  # "Gespräch mit Frau B. Fazit: …" — a heading, not "B. Fazit"
            start = token.start(1) if start < 0 else start
            end = token.end(1)
            words += 1
            pos = end
        if words:
            yield start, end


# --------------------------------------------------------------------------- the guard

_DETECTORS = (
    ("email", lambda text: (m.span() for m in _EMAIL.finditer(text))),
    ("iban", _ibans),
    ("azr_number", _azr_numbers),
    ("id_document", lambda text: (m.span(1) for m in _ID_DOCUMENT.finditer(text))),
    ("file_number", _file_numbers),
    ("birth_date", _birth_dates),
    ("phone", _phones),
    ("address", _addresses),
    ("person_name", _names),
)


def check(text: str) -> list[Finding]:
    """All identifiers in `text`, sorted by position, none overlapping another."""
    candidates = [
        (kind, start, end)
        for kind, detect in _DETECTORS
        for start, end in detect(text)
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
    return [
        Finding(kind, start, end, text[start:end], _message(kind, text[start:end], start, end))
        for start, end, kind in accepted
    ]


def check_fields(fields: Mapping[str, str]) -> dict[str, list[Finding]]:
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


def _listing(findings: Sequence[Finding]) -> str:
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
            f"im Feld „{field}“: {_listing(list(items))}"
            for field, items in findings.items()
            if items
        ]
        if not parts:
            return ""
        return f"Der Text enthält personenbezogene Daten – {' – '.join(parts)}. {_ADVICE}"
    listed = list(findings)
    if not listed:
        return ""
    return f"Der Text enthält personenbezogene Daten: {_listing(listed)}. {_ADVICE}"
