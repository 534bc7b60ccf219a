"""German titles and texts for the benchmark data, built from word lists and templates.

The vocabulary is the platform's own (Terminvergabe, Aufenthaltserlaubnis, Service-Point,
Willkommenscenter, …) so that search runs on realistic words, stems and synonyms. The texts
are plain paragraphs without Markdown syntax, so `<p>` + HTML escaping gives exactly what
`fachaustausch.core.markdown.render` gives (generate.py checks that on a sample)."""

from __future__ import annotations

import random

TOPICS = [
    "Terminvergabe",
    "Online-Terminvergabe",
    "Terminsystem",
    "Aufenthaltserlaubnis",
    "Niederlassungserlaubnis",
    "Blaue Karte EU",
    "Verlängerung der Aufenthaltserlaubnis",
    "Ausgabe des elektronischen Aufenthaltstitels",
    "Fiktionsbescheinigung",
    "Verpflichtungserklärung",
    "Familiennachzug",
    "Einbürgerung",
    "Beschäftigungsduldung",
    "Ausbildungsduldung",
    "Chancenkarte",
    "Westbalkanregelung",
    "Fachkräfteeinwanderung",
    "beschleunigtes Fachkräfteverfahren",
    "Vorabzustimmung der Bundesagentur für Arbeit",
    "Anerkennung ausländischer Berufsabschlüsse",
    "Passbeschaffung",
    "Identitätsklärung",
    "Erstberatung am Service-Point",
    "Wartezonengestaltung",
    "mehrsprachige Beschilderung",
    "Sprachmittlung",
    "Dolmetscherpool",
    "Leichte Sprache in Bescheiden",
    "E-Akte",
    "Aktenübergabe zwischen Ausländerbehörden",
    "Beschwerdemanagement",
    "Kundenbefragung",
    "Leitbildentwicklung",
    "interkulturelle Schulung",
    "Personalentwicklung",
    "Einarbeitung neuer Kolleginnen und Kollegen",
    "Willkommenspaket",
    "Willkommenscenter",
    "Zusammenarbeit mit dem Jobcenter",
    "Kooperation mit der Hochschule",
    "Zusammenarbeit mit der IHK",
    "Studierendenberatung",
    "Gebührenbescheid",
    "Ermessensspielräume",
    "Bearbeitungszeiten",
    "Wartezeiten am Schalter",
    "telefonische Erreichbarkeit",
    "E-Mail-Anfragen",
    "Postfach für Arbeitgeber",
    "Arbeitgeberservice",
]

PLACES = [
    "Service-Point",
    "Wartebereich",
    "Willkommenscenter",
    "Sachgebiet Aufenthalt",
    "Sachgebiet Fachkräfteeinwanderung",
    "Bürgerbüro",
    "Infotheke",
    "Sachgebiet Einbürgerung",
    "Sachgebiet Studium",
    "Empfangsbereich",
]

GROUPS = [
    "Studierende aus Drittstaaten",
    "Fachkräfte mit Blauer Karte",
    "Familienangehörige",
    "Pflegekräfte",
    "Auszubildende",
    "Saisonbeschäftigte",
    "Geflüchtete mit Duldung",
    "Forschende",
    "Arbeitgeber aus der Region",
    "ältere Kundinnen und Kunden",
    "Erstantragstellende",
    "Selbstständige",
]

PARTNERS = [
    "dem Jobcenter",
    "der Agentur für Arbeit",
    "der IHK",
    "der Handwerkskammer",
    "der Hochschule",
    "dem Integrationsbeauftragten",
    "dem Migrationsdienst",
    "der Bundesdruckerei",
    "der Auslandsvertretung",
    "dem BAMF",
    "der Meldebehörde",
    "dem Standesamt",
    "der Wirtschaftsförderung",
    "den Migrationsberatungsstellen",
]

PROBLEMS = [
    "langen Wartezeiten",
    "Rückstaus bei den Anträgen",
    "unvollständigen Unterlagen",
    "Missverständnissen bei der Antragstellung",
    "vielen Nachfragen per Telefon",
    "fehlenden Dolmetschern",
    "Verzögerungen bei der Bundesdruckerei",
    "doppelten Vorsprachen",
    "nicht wahrgenommenen Terminen",
    "Beschwerden über die Erreichbarkeit",
    "Engpässen beim Personal",
    "abgelaufenen Aufenthaltstiteln",
]

MEASURES = [
    "eine Online-Terminvergabe",
    "einen zentralen Service-Point",
    "eine Checkliste für die Antragstellung",
    "mehrsprachige Merkblätter",
    "ein Vorabprüfverfahren für Unterlagen",
    "feste Sprechzeiten für Arbeitgeber",
    "eine digitale Antragsannahme",
    "ein Ticketsystem im Wartebereich",
    "eine Rückrufmöglichkeit",
    "ein gemeinsames Postfach mit dem Jobcenter",
    "eine Express-Schiene für Fachkräfte",
    "Sammeltermine für Familien",
    "eine Videoberatung",
    "eine Kundenbefragung",
    "Leitlinien für die Nutzung von Ermessensspielräumen",
]

DOCUMENTS = [
    "die Verpflichtungserklärung",
    "eine Eingangsbestätigung",
    "ein mehrsprachiges Merkblatt",
    "die Checkliste Familiennachzug",
    "den Fragebogen zur Kundenzufriedenheit",
    "ein Einarbeitungskonzept",
    "die Dienstanweisung zur Terminvergabe",
    "eine Vorlage für die Fiktionsbescheinigung",
    "ein Schreiben an Arbeitgeber",
    "eine Kooperationsvereinbarung",
]

TIMES = [
    "einigen Wochen",
    "mehreren Monaten",
    "dem letzten Jahr",
    "der Umstellung auf die E-Akte",
    "dem Inkrafttreten des Fachkräfteeinwanderungsgesetzes",
    "dem Umzug in das neue Dienstgebäude",
    "der Einführung des neuen Terminsystems",
]

REASONS = [
    "die Unterlagen oft nur in der Herkunftssprache vorliegen",
    "die Bearbeitung mehrere Stellen einbindet",
    "die Fristen sehr knapp sind",
    "viele Anfragen gleichzeitig eingehen",
    "die Zuständigkeiten nicht immer klar sind",
    "der elektronische Aufenthaltstitel erst nach Wochen ausgegeben wird",
    "die Kundinnen und Kunden den Ablauf nicht kennen",
]

WISHES = [
    "verlässliche Termine",
    "kurze Wege",
    "verständliche Informationen",
    "einen festen Ansprechpartner",
    "eine schnelle Rückmeldung",
    "Informationen in ihrer Sprache",
]

TITLE_TEMPLATES = [
    "Wie organisieren Sie die {topic} für {group}?",
    "Erfahrungen mit {topic} im {place}?",
    "{Topic}: Wie gehen Sie mit {problem} um?",
    "Wer hat {measure} schon gemeinsam mit {partner} umgesetzt?",
    "Frage zur {topic} bei {group}",
    "{Topic} – welche Lösungen gibt es gegen {problem}?",
    "Muster gesucht: {document} im Zusammenhang mit der {topic}",
    "Lohnt sich {measure} für eine kleinere Ausländerbehörde?",
    "Abstimmung mit {partner} bei der {topic}",
    "{Topic} seit {time}: Was hat sich bei Ihnen bewährt?",
]

QUESTION_SENTENCES = [
    "Bei uns kommt es seit {time} immer wieder zu {problem} bei der {topic}.",
    "Wir überlegen, {measure} einzuführen, und würden gern wissen, welche Erfahrungen "
    "andere Ausländerbehörden damit gemacht haben.",
    "Besonders {group} sind davon betroffen, weil {reason}.",
    "Unser Team im {place} besteht aus {n} Beschäftigten, die täglich rund {m} Vorsprachen "
    "bearbeiten.",
    "Hat jemand ein Muster für {document}?",
    "Wie stimmen Sie sich bei der {topic} mit {partner} ab?",
    "Die Kundinnen und Kunden wünschen sich vor allem {wish}.",
    "Gibt es rechtliche Bedenken, wenn wir für {group} {measure} anbieten?",
    "Uns interessiert auch, wie Sie die {topic} intern organisiert haben.",
    "Für Hinweise aus den Modellstandorten wären wir sehr dankbar.",
    "Die Ausländerbehörde ist für rund {k} Einwohnerinnen und Einwohner zuständig.",
]

ANSWER_SENTENCES = [
    "Wir haben {measure} vor {time} eingeführt und gute Erfahrungen gemacht.",
    "Bei uns hat sich bewährt, die {topic} eng mit {partner} abzustimmen.",
    "Wichtig ist aus unserer Sicht, dass {group} vorab wissen, welche Unterlagen sie "
    "mitbringen müssen.",
    "Die Wartezeiten im {place} sind dadurch um etwa {pct} Prozent gesunken.",
    "Sprechen Sie am besten frühzeitig mit {partner}.",
    "Gern schicken wir Ihnen unser Konzept zur {topic} zu.",
    "Als Modellstandort haben wir die {topic} im Rahmen des Werkzeugkoffers erprobt.",
    "Am Anfang gab es {problem}, das hat sich nach einigen Wochen gelegt.",
    "Wir nutzen dafür {document}, das wir regelmäßig überarbeiten.",
    "Rechtlich sehen wir keine Bedenken, solange die Zuständigkeit klar geregelt ist.",
    "Die Kolleginnen und Kollegen im {place} waren anfangs skeptisch, inzwischen möchte "
    "niemand mehr zurück.",
    "Entscheidend war für uns die Unterstützung der Amtsleitung.",
]

COMMENT_SENTENCES = [
    "Danke, das hilft uns sehr weiter!",
    "Können Sie das Muster für {document} teilen?",
    "Gilt das auch für {group}?",
    "Wie lange hat die Umstellung auf {measure} gedauert?",
    "Wir haben ähnliche Erfahrungen mit {partner} gemacht.",
    "Gibt es dazu schon eine Auswertung?",
    "Bei uns hat das leider zu {problem} geführt.",
]

CASE_SENTENCES = [
    "Eine Kundin aus einem Drittstaat beantragt die {topic}, die Unterlagen sind unvollständig.",
    "Ein Arbeitgeber aus der Region wartet seit {time} auf eine Rückmeldung.",
    "Die Familie hat bereits mehrere Termine im {place} wahrgenommen, ohne dass der Antrag "
    "vollständig war.",
    "Im Team gibt es unterschiedliche Auffassungen über die Ermessensspielräume.",
    "Die Abstimmung mit {partner} verläuft schleppend, weil {reason}.",
    "Der Kunde spricht kaum Deutsch, eine Sprachmittlung stand nicht zur Verfügung.",
    "Die Sachbearbeitung fühlt sich in dem Fall allein gelassen.",
]

FIRST_NAMES = [
    "Anna", "Lena", "Sarah", "Julia", "Laura", "Katharina", "Maria", "Sophie", "Miriam",
    "Sabine", "Petra", "Claudia", "Nicole", "Andrea", "Stefanie", "Ayşe", "Elif", "Fatma",
    "Olga", "Natalia", "Jana", "Ines", "Birgit", "Heike", "Monika", "Thomas", "Michael",
    "Andreas", "Stefan", "Markus", "Christian", "Daniel", "Jan", "Tobias", "Sebastian",
    "Florian", "Matthias", "Alexander", "Frank", "Jürgen", "Uwe", "Mehmet", "Ahmet",
    "Dmitri", "Pawel", "Jens", "Holger", "Timo", "Lukas", "Felix",
]  # fmt: skip

LAST_NAMES = [
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
    "Schulz", "Hoffmann", "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder",
    "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange",
    "Schmitt", "Werner", "Krause", "Meier", "Lehmann", "Schmid", "Schulze", "Maier", "Köhler",
    "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Peters", "Lang",
    "Scholz", "Möller", "Weiß", "Jung", "Hahn", "Yılmaz", "Kaya", "Demir", "Nowak", "Kowalski",
    "Popescu", "Ivanova",
]  # fmt: skip

TOWNS = [
    "Aachen", "Aalen", "Ahlen", "Altötting", "Amberg", "Ansbach", "Arnsberg", "Aschaffenburg",
    "Augsburg", "Aurich", "Bamberg", "Bautzen", "Bayreuth", "Bergheim", "Bielefeld", "Bocholt",
    "Bochum", "Bonn", "Borken", "Bottrop", "Brandenburg an der Havel", "Braunschweig",
    "Bremerhaven", "Celle", "Chemnitz", "Coburg", "Cottbus", "Cuxhaven", "Darmstadt",
    "Delmenhorst", "Dessau-Roßlau", "Detmold", "Dortmund", "Dresden", "Düren", "Düsseldorf",
    "Duisburg", "Eisenach", "Emden", "Erfurt", "Erlangen", "Essen", "Esslingen",
    "Flensburg", "Frankfurt (Oder)", "Freiburg im Breisgau", "Fulda", "Fürth", "Gelsenkirchen",
    "Gera", "Gießen", "Gifhorn", "Göttingen", "Görlitz", "Gotha", "Greifswald", "Gütersloh",
    "Hagen", "Halle (Saale)", "Hamm", "Hameln", "Hanau", "Hannover", "Heidelberg", "Heilbronn",
    "Herford", "Herne", "Hildesheim", "Hof", "Ingolstadt", "Iserlohn", "Jena", "Kaiserslautern",
    "Karlsruhe", "Kassel", "Kempten", "Kiel", "Koblenz", "Köln", "Konstanz", "Krefeld",
    "Landshut", "Leipzig", "Leverkusen", "Lippstadt", "Ludwigsburg", "Ludwigshafen", "Lübeck",
    "Lüneburg", "Magdeburg", "Mainz", "Mannheim", "Marburg", "Minden", "Moers",
    "Mönchengladbach", "Mülheim an der Ruhr", "München", "Münster", "Neubrandenburg",
    "Neumünster", "Neuss", "Nürnberg", "Oberhausen", "Offenbach am Main", "Oldenburg",
    "Osnabrück", "Paderborn", "Passau", "Pforzheim", "Plauen", "Ratingen", "Recklinghausen",
    "Regensburg", "Remscheid", "Reutlingen", "Rosenheim", "Rostock", "Saarbrücken",
    "Salzgitter", "Schwerin", "Siegen", "Solingen", "Stralsund", "Stuttgart", "Suhl", "Trier",
    "Tübingen", "Ulm", "Unna", "Velbert", "Villingen-Schwenningen", "Weimar", "Wesel",
    "Wiesbaden", "Wilhelmshaven", "Witten", "Wolfsburg", "Worms", "Wuppertal", "Würzburg",
    "Zwickau",
]  # fmt: skip

LAENDER = [
    "Baden-Württemberg", "Bayern", "Berlin", "Brandenburg", "Bremen", "Hamburg", "Hessen",
    "Mecklenburg-Vorpommern", "Niedersachsen", "Nordrhein-Westfalen", "Rheinland-Pfalz",
    "Saarland", "Sachsen", "Sachsen-Anhalt", "Schleswig-Holstein", "Thüringen",
]  # fmt: skip

AUTHORITY_KINDS = ["Stadt", "Landkreis", "Kreis", "Landeshauptstadt", "Hansestadt"]

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ı": "i", "ş": "s"})


def slugify(text: str) -> str:
    cleaned = "".join(c if c.isalnum() else "-" for c in text.lower().translate(_UMLAUTS))
    return "-".join(part for part in cleaned.split("-") if part)


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


class TextGenerator:
    """Deterministic for a given seed. Sentences are filled once into a pool per topic and
    kind (about 60 variants each), and texts are drawn from those pools: filling every
    sentence anew would cost more than writing the rows."""

    POOL_SIZE = 60

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._random = rng.random
        self._pools: dict[tuple[str, str], list[str]] = {}
        for kind, templates in (
            ("question", QUESTION_SENTENCES),
            ("answer", ANSWER_SENTENCES),
            ("comment", COMMENT_SENTENCES),
            ("case", CASE_SENTENCES),
        ):
            for topic in TOPICS:
                self._pools[kind, topic] = [
                    self._fill(templates[n % len(templates)], topic) for n in range(self.POOL_SIZE)
                ]

    def _fill(self, template: str, topic: str | None = None) -> str:
        choice = self.rng.choice
        topic = topic or choice(TOPICS)
        return template.format(
            topic=topic,
            Topic=_capitalize(topic),
            place=choice(PLACES),
            group=choice(GROUPS),
            partner=choice(PARTNERS),
            problem=choice(PROBLEMS),
            measure=choice(MEASURES),
            document=choice(DOCUMENTS),
            time=choice(TIMES),
            reason=choice(REASONS),
            wish=choice(WISHES),
            n=self.rng.randint(3, 40),
            m=self.rng.randint(20, 400),
            k=self.rng.randint(30, 600) * 1000,
            pct=self.rng.randint(10, 60),
        )

    def _pick(self, items: list[str]) -> str:
        return items[int(self._random() * len(items))]

    def _between(self, low: int, high: int) -> int:
        return low + int(self._random() * (high - low + 1))

    def topic(self) -> str:
        return self._pick(TOPICS)

    def title(self, topic: str) -> str:
        title = self._fill(self._pick(TITLE_TEMPLATES), topic)
        return title if len(title) <= 150 else title[:149].rstrip() + "?"

    def _paragraphs(
        self, kind: str, topic: str, paragraphs: tuple[int, int], per: tuple[int, int]
    ) -> str:
        pools, pick, rnd = self._pools, self._pick, self._random
        own = pools[kind, topic]
        out = []
        for _ in range(self._between(*paragraphs)):
            out.append(
                " ".join(
                    pick(own if rnd() < 0.6 else pools[kind, pick(TOPICS)])
                    for _ in range(self._between(*per))
                )
            )
        return "\n\n".join(out)

    def question_body(self, topic: str) -> str:
        return self._paragraphs("question", topic, (1, 3), (2, 5))

    def answer_body(self, topic: str) -> str:
        return self._paragraphs("answer", topic, (1, 2), (1, 4))

    def comment(self, topic: str) -> str:
        return self._pick(self._pools["comment", topic])

    def case_text(self, topic: str) -> str:
        return self._paragraphs("case", topic, (1, 2), (2, 4))

    def person(self) -> tuple[str, str]:
        return self._pick(FIRST_NAMES), self._pick(LAST_NAMES)
