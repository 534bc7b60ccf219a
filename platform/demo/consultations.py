"""Demo collegial case consultations, invented and anonymised throughout, each advanced
to the phase it shows."""

from __future__ import annotations

from dataclasses import dataclass

from fachaustausch.consultations import service as consultations
from fachaustausch.consultations.models import ConsultationInput
from fachaustausch.consultations.phases import ORDER, Method, Phase, PostKind
from fachaustausch.consultations.phases import Role as ConsultationRole
from fachaustausch.consultations.tables import Consultation
from fachaustausch.demo.accounts import principal_by_email


@dataclass(frozen=True)
class DemoConsultation:
    """A consultation written for the demo; invented and anonymised throughout. `posts` maps
    a phase to (author e-mail, post kind, text) in order; the consultation is advanced up to
    `phase`."""

    title: str
    summary: str
    cornerstone: str
    instruments: tuple[str, ...]
    case_giver: str
    facilitator: str
    advisors: tuple[str, ...]
    phase: Phase
    posts: dict[Phase, tuple[tuple[str, PostKind, str], ...]]
    key_question: str = ""
    method: Method | None = None


_BREMEN, _FREIBURG, _DRESDEN = (
    "h.ohlsen@bremen.de",
    "m.kessler@stadt.freiburg.de",
    "f.neumann@dresden.de",
)
_KIEL, _CHEMNITZ, _BIETIGHEIM = (
    "r.hansen@kiel.de",
    "s.lorenz@stadt-chemnitz.de",
    "c.rieger@stadt-bietigheim-bissingen.de",
)
_LEIPZIG, _WEIMAR, _MAINZ = "mitglied@leipzig.de", "expertin@weimar.de", "experte@mainz.de"

DEMO_CONSULTATIONS = (
    DemoConsultation(
        title="Verlängerung stockt: Urkunden aus dem Herkunftsland fehlen",
        summary=(
            "Eine fünfköpfige Familie aus Afghanistan lebt seit vier Jahren in unserer Stadt. "
            "Die Aufenthaltserlaubnisse laufen in wenigen Wochen aus. Für die Verlängerung "
            "fehlen die Geburtsurkunden der beiden jüngeren Kinder; die Familie sagt, sie "
            "könne sie derzeit nicht beschaffen. Seit Monaten gibt es nur "
            "Fiktionsbescheinigungen, und die Stimmung bei den Vorsprachen wird schlechter."
        ),
        cornerstone="binnenorganisation",
        instruments=("prozessgestaltung", "verweis-und-orientierungsberatung"),
        case_giver=_BREMEN,
        facilitator=_WEIMAR,
        advisors=(_DRESDEN, _CHEMNITZ),
        phase=Phase.narration,
        posts={
            Phase.narration: (
                (
                    _BREMEN,
                    PostKind.narration,
                    "Der Vater kommt regelmäßig zur Vorsprache, immer pünktlich, immer mit "
                    "einem Ordner voller Kopien. Die Urkunden der Kinder sind aber nicht "
                    "dabei. Er sagt, die Behörden im Herkunftsland stellten derzeit keine "
                    "Dokumente aus, und Verwandte vor Ort könnten nicht helfen.\n\n"
                    "Meine Kollegin hat zweimal eine Frist gesetzt, ich habe sie verlängert. "
                    "Beim letzten Termin war die Mutter dabei und hat geweint. Ich weiß nicht, "
                    "wie lange ich die Fiktionsbescheinigungen noch vertreten kann, und ich "
                    "weiß auch nicht, ob wir die Familie genug über andere Wege informiert "
                    "haben.",
                ),
                (
                    _DRESDEN,
                    PostKind.clarifying_question,
                    "Haben Sie geprüft, ob die Kinder in Deutschland geboren sind? Dann gäbe "
                    "es ja Einträge beim hiesigen Standesamt.",
                ),
            ),
        },
    ),
    DemoConsultation(
        title="Arbeitgeber beschwert sich über Wartezeiten für eine Fachkraft",
        summary=(
            "Ein mittelständischer Betrieb hat eine Pflegefachkraft aus Indien eingestellt. "
            "Der Antrag auf die Blaue Karte EU bzw. die Aufenthaltserlaubnis nach § 18a "
            "AufenthG liegt seit elf Wochen bei uns. Die Geschäftsführung hat sich beim "
            "Oberbürgermeister beschwert, die Fachkraft fürchtet um die Stelle. Intern "
            "fehlt noch die Zustimmung der Bundesagentur, und unser Team ist unterbesetzt."
        ),
        cornerstone="vernetzung",
        instruments=("kooperation-mit-unternehmen-und-hochschulen", "terminsystem"),
        case_giver=_FREIBURG,
        facilitator=_MAINZ,
        advisors=(_BIETIGHEIM, _LEIPZIG),
        phase=Phase.advice,
        posts={
            Phase.narration: (
                (
                    _FREIBURG,
                    PostKind.narration,
                    "Der Anruf der Geschäftsführung kam an einem Freitagnachmittag. Man "
                    "warf uns vor, wir würden die Fachkräftegewinnung der ganzen Region "
                    "ausbremsen. Sachlich hat der Betrieb nicht ganz unrecht: Der Antrag "
                    "war vollständig, aber er lag drei Wochen im Eingang, bevor ihn jemand "
                    "angesehen hat. Danach haben wir die Zustimmung angefragt und warten "
                    "seitdem.",
                ),
                (
                    _BIETIGHEIM,
                    PostKind.clarifying_question,
                    "Gibt es bei Ihnen eine feste Ansprechperson für Arbeitgeber, oder "
                    "landen solche Anfragen bei wechselnden Kolleginnen und Kollegen?",
                ),
                (
                    _FREIBURG,
                    PostKind.clarification,
                    "Eine feste Ansprechperson gibt es nicht; wer gerade Telefondienst hat, "
                    "nimmt die Anfrage an.",
                ),
            ),
            Phase.key_question: (
                (
                    _MAINZ,
                    PostKind.key_question_suggestion,
                    "Vielleicht: Wie können wir Arbeitgebern verlässlich sagen, wo ein "
                    "Verfahren steht?",
                ),
            ),
            Phase.method: (
                (
                    _LEIPZIG,
                    PostKind.method_suggestion,
                    "Ich schlage „Gute Ratschläge“ vor, dann bekommt die Fallgeberin konkrete "
                    "Ideen.",
                ),
            ),
            Phase.advice: (
                (
                    _BIETIGHEIM,
                    PostKind.advice,
                    "Ich an Ihrer Stelle würde eine feste Ansprechperson für Arbeitgeber "
                    "benennen und ihnen einen kurzen Sachstand per E-Mail zusagen, sobald "
                    "sich etwas ändert. Bei uns hat das die Beschwerden fast halbiert.",
                ),
                (
                    _LEIPZIG,
                    PostKind.advice,
                    "Ich an Ihrer Stelle würde Anträge von Fachkräften schon im Eingang auf "
                    "Vollständigkeit prüfen lassen und die Zustimmung am selben Tag "
                    "anfragen. Die drei Wochen im Eingang sind der Teil, den Sie selbst in "
                    "der Hand haben.",
                ),
            ),
        },
        key_question="Wie halten wir Arbeitgeber gut informiert, solange wir auf die "
        "Zustimmung warten?",
        method=Method.good_advice,
    ),
    DemoConsultation(
        title="Angespannte Situation am Schalter: Kunde wird laut",
        summary=(
            "Ein junger Mann mit Duldung kommt ohne Termin an den Service-Point und verlangt, "
            "sofort eine Arbeitserlaubnis zu bekommen. Als die Kollegin auf die Terminvergabe "
            "verweist, wird er laut, schlägt auf den Tresen, andere Wartende werden unruhig. "
            "Der Sicherheitsdienst kommt, die Lage beruhigt sich, aber die Kollegin ist "
            "seitdem verunsichert."
        ),
        cornerstone="kompetenzen-mitarbeitende",
        instruments=(
            "service-point-front-office",
            "interkulturelle-trainings-und-reflexion-der-haltung",
            "kollegiale-fallberatung",
        ),
        case_giver=_LEIPZIG,
        facilitator=_KIEL,
        advisors=(_WEIMAR, _DRESDEN),
        phase=Phase.closed,
        posts={
            Phase.narration: (
                (
                    _LEIPZIG,
                    PostKind.narration,
                    "Es war ein Montagvormittag, der Wartebereich war voll. Der Mann hatte "
                    "eine Zusage für einen Aushilfsjob und sollte am nächsten Tag anfangen. "
                    "Er hat wohl gehofft, das sei in zehn Minuten erledigt. Meine Kollegin "
                    "hat korrekt reagiert, aber sehr knapp, und er hat sich abgewiesen "
                    "gefühlt. Wir haben danach im Team gesprochen, aber niemand wusste so "
                    "recht, was wir beim nächsten Mal anders machen würden.",
                ),
                (
                    _WEIMAR,
                    PostKind.clarifying_question,
                    "Konnte die Kollegin ihm sagen, wann er frühestens einen Termin bekommt?",
                ),
                (
                    _LEIPZIG,
                    PostKind.clarification,
                    "Nein, der Terminkalender ist für den Service-Point nicht einsehbar.",
                ),
            ),
            Phase.method: (
                (
                    _DRESDEN,
                    PostKind.method_suggestion,
                    "Erfahrungsberichte wären hilfreich, das kennt jede Behörde.",
                ),
            ),
            Phase.advice: (
                (
                    _WEIMAR,
                    PostKind.advice,
                    "Bei uns sieht der Service-Point die freien Termine der nächsten zwei "
                    "Wochen und darf in dringenden Fällen einen Notfalltermin vergeben. "
                    "Allein das Angebot „morgen um acht“ hat viele Situationen entschärft.",
                ),
                (
                    _DRESDEN,
                    PostKind.advice,
                    "Wir haben nach einem ähnlichen Vorfall ein Deeskalationstraining für "
                    "alle am Tresen gemacht und vereinbart, dass nach jedem Vorfall eine "
                    "kurze Nachbesprechung stattfindet. Die Kolleginnen fühlen sich "
                    "seitdem sicherer.",
                ),
                (
                    _KIEL,
                    PostKind.summary,
                    "Zwei Ansätze: den Service-Point in die Terminvergabe einbinden, damit er "
                    "etwas anbieten kann, und das Team mit Training und Nachbesprechungen "
                    "stärken.",
                ),
            ),
            Phase.conclusion: (
                (
                    _LEIPZIG,
                    PostKind.conclusion,
                    "Geholfen hat mir vor allem der Gedanke, dass der Service-Point etwas "
                    "anbieten können muss, statt nur abzuweisen. Nächste Schritte: Ich "
                    "spreche mit der Leitung über Lesezugriff auf den Terminkalender und "
                    "ein Kontingent für Notfalltermine. Außerdem melden wir das Team für "
                    "ein Deeskalationstraining an.",
                ),
            ),
        },
        key_question="Wie können wir am Schalter deeskalieren, wenn wir das Anliegen nicht "
        "sofort erfüllen können?",
        method=Method.experience,
    ),
)


async def seed_demo_consultations() -> int:
    """The demo consultations, written through the service (so the personal-data guard checks
    every text) and advanced to their phase. Needs the demo users and the extra users of
    `seed_demo_questions`. Returns how many it created; skips existing titles."""
    created = 0
    for item in DEMO_CONSULTATIONS:
        if await Consultation.exists().where(Consultation.title == item.title).run():
            continue
        case_giver = await principal_by_email(item.case_giver)
        facilitator = await principal_by_email(item.facilitator)
        cid = await consultations.create(
            case_giver,
            ConsultationInput(
                title=item.title,
                summary=item.summary,
                cornerstone=item.cornerstone,
                instruments=list(item.instruments),
            ),
        )
        await consultations.join(facilitator, cid, ConsultationRole.facilitator)
        for email in item.advisors:
            await consultations.join(await principal_by_email(email), cid)
        for phase in ORDER[: ORDER.index(item.phase) + 1]:
            for email, kind, body in item.posts.get(phase, ()):
                await consultations.post(await principal_by_email(email), cid, kind, body)
            if phase is Phase.key_question and item.key_question:
                await consultations.set_key_question(case_giver, cid, item.key_question)
            if phase is Phase.method and item.method:
                await consultations.set_method(facilitator, cid, item.method)
            if phase is not item.phase:
                await consultations.advance(facilitator, cid)
        created += 1
    return created
