"""What a capitalised German word is, as far as names go: a role ("Kollegin"), a relative or
a client ("Bruder", "Kundin") that a name may follow, an ordinary noun, a function word, or a
name from the lists in lexicon.py.

In German every noun is capitalised, so "is it a name?" is mostly "is it no noun?": the noun
list, the endings of nouns and their compounds ("Nachhilfeunterricht" ends in a noun) answer
that."""

from __future__ import annotations

from functools import lru_cache

from fachaustausch.privacy.lexicon import fold, given_names, name_words, nouns, surnames


def words(text: str) -> frozenset[str]:
    return frozenset(fold(w) for w in text.split())


# Words after "Herr"/"Frau" that name a role, not a person ("Frau Kollegin").
ROLE_NOUNS = words(
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
# Words for the people a case is about, after which a name often follows without a
# salutation: "der Kunde Mohammed A.", "Bruder Ali", "die Kinder Lina und Omar".
RELATIVES = words(
    """kunde kunden kundin antragsteller antragstellers antragstellerin betroffene
    betroffener betroffenen klient klienten klientin mandant mandanten mandantin bewerber
    bewerberin asylbewerber asylbewerberin schutzsuchende schutzsuchender geflüchtete
    geflüchteter flüchtling ausländer ausländerin arbeitnehmer arbeitnehmerin auszubildende
    auszubildender azubi schüler schülerin student studentin jugendliche jugendlicher
    minderjährige minderjähriger mündel pflegekind
    bruder bruders brüder schwester schwestern mutter vater vaters eltern ehemann ehemannes
    ehemanns ehefrau ehegatte ehegatten ehegattin gatte gattin sohn sohnes sohns söhne tochter
    töchter kind kindes kinder enkel enkelin enkelkind onkel tante neffe neffen nichte cousin
    cousine großvater großmutter opa oma stiefvater stiefmutter stiefsohn stieftochter
    halbbruder halbschwester schwager schwägerin schwiegersohn schwiegertochter
    schwiegervater schwiegermutter lebensgefährte lebensgefährtin partner partnerin verlobte
    verlobter witwe witwer zwilling zwillinge baby säugling mädchen junge"""
)
# Capitalised words that cannot be a surname here: sentence openers, pronouns, and the
# nouns that follow "die Frau"/"die Familie" in ordinary case texts.
NOT_NAMES = words(
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
    daraufhin nunmehr derzeit aktuell momentan bislang ursprünglich eigentlich tatsächlich
    offenbar vermutlich wahrscheinlich möglicherweise grundsätzlich insbesondere einige viele
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
    ausländerbehörde behörde stadt landkreis gemeinde bamf abh eu
    januar februar märz april mai juni juli august september oktober november dezember
    montag dienstag mittwoch donnerstag freitag samstag sonntag"""
)
MONTHS = words("januar februar märz april mai juni juli august september oktober november dezember")
# After these a capitalised word names a place or a thing ("Stadt Jena", "Beratungsstelle
# Refugio", "Programm Ariadne"), and before these one is part of an institution's or a
# street's name ("Robert Bosch Stiftung").
PLACE_BEFORE = words(
    """stadt landkreis kreis gemeinde ausländerbehörde abh jobcenter landeshauptstadt bezirk
    region hansestadt kreisstadt samtgemeinde verbandsgemeinde amt landratsamt st sankt san
    santa bad hotel klinik klinikum universität hochschule beratungsstelle verein initiative
    netzwerk projekt programm software system app plattform portal tool team firma
    unternehmen betrieb restaurant praxis kanzlei kita schule stiftung organisation träger
    einrichtung unterkunft heim wohnheim zentrum center modell methode leitfaden broschüre
    kampagne aktion konzept marke produkt standort verfahren fachverfahren datenbank"""
)
INSTITUTION_AFTER = words(
    """stiftung schule gymnasium grundschule realschule gesamtschule oberschule institut
    haus klinik klinikum krankenhaus hospital universität hochschule preis zentrum center
    straße str strasse weg gasse allee platz ring damm ufer kirche gemeinde verein werk werke
    gmbh ag kg stadion halle saal park bahnhof brücke programm"""
)
DETERMINERS = words(
    """der die das den dem des ein eine einer einem eines einen seine seiner seinem seinen
    ihre ihrer ihrem ihren deren dessen diese dieser diesem jene jeder jede jeden"""
)
NAME_PARTICLES = words("al el von van de da di du del della ibn bin ben abu ter ten")
NOUN_SUFFIXES = (
    "ung", "ungen", "heit", "keit", "schaft", "tion", "tionen", "tät", "nis", "nisse",
    "ismus", "ment", "kurs", "kurse", "recht", "schutz", "geld", "antrag", "anträge",
    "leistungen", "kenntnisse", "papiere", "erlaubnis", "titel", "karte", "bescheid",
    "termin", "stelle", "platz", "gespräch", "gespräche", "verfahren", "raum", "räume",
    "unterkunft", "wohnung", "arbeit", "hilfe", "kosten", "mittel", "behörde", "gericht",
)  # fmt: skip
_GERMAN_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzäöüß-")


def looks_like_noun(word: str) -> bool:
    lower = word.lower()
    return len(lower) >= 5 and lower.endswith(NOUN_SUFFIXES)


@lru_cache(maxsize=8192)
def is_noun(word: str) -> bool:
    """A German noun or place: in the noun list, with a noun ending, or a compound whose
    last part is one ("Nachhilfeunterricht", "Kita-Platz")."""
    key = fold(word)
    if key in nouns() or looks_like_noun(word):
        return True
    # The feminine form of a noun: "Syrerin" (Syrer), "Kurdin" (Kurde, Kurden). The plural
    # tells a German noun from a foreign word that a name happens to contain ("Shirin").
    base = key[:-2]
    if key.endswith("in") and (
        base in nouns() or (base + "e" in nouns() and base + "en" in nouns())
    ):
        return True
    tail = key.rsplit("-", 1)[-1]
    if tail != key and (tail in nouns() or looks_like_noun(tail)):
        return True
    # A compound: its last part is a noun of at least four letters.
    return any(key[i:] in nouns() for i in range(1, len(key) - 3)) if len(key) >= 8 else False


def is_given_name(word: str) -> bool:
    return fold(word) in given_names()


def is_surname(word: str) -> bool:
    return fold(word) in surnames()


def is_name_word(word: str) -> bool:
    """A name that is also a German word ("Rose", "Wolf", "Frank", "Nur")."""
    return fold(word) in name_words()


def foreign_letters(word: str) -> bool:
    """Letters German does not use ("Çelik", "Petrović", "Yılmaz"): a name, not a noun."""
    return any(ch not in _GERMAN_LETTERS for ch in word.lower())
