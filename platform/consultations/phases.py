"""The method of collegial case consultation as one table: for each phase, which role may
write which kind of post, what must exist before the phase may be left, and who moves on.

Everything the service and the pages say about "who may do what when" is read from here."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Phase(StrEnum):
    casting = "casting"
    narration = "narration"
    key_question = "key_question"
    method = "method"
    advice = "advice"
    conclusion = "conclusion"
    closed = "closed"

    @property
    def label(self) -> str:
        return PHASE_LABELS[self]

    @property
    def number(self) -> int:
        return ORDER.index(self) + 1

    @property
    def next(self) -> Phase | None:
        index = ORDER.index(self)
        return ORDER[index + 1] if index + 1 < len(ORDER) else None


ORDER = list(Phase)

PHASE_LABELS = {
    Phase.casting: "Casting",
    Phase.narration: "Spontanerzählung",
    Phase.key_question: "Schlüsselfrage",
    Phase.method: "Methodenwahl",
    Phase.advice: "Beratung",
    Phase.conclusion: "Abschluss",
    Phase.closed: "Abgeschlossen",
}


class Role(StrEnum):
    case_giver = "case_giver"
    facilitator = "facilitator"
    advisor = "advisor"

    @property
    def label(self) -> str:
        return {
            Role.case_giver: "Fallgeber/in",
            # Not "Moderator/in", the method's own word: on this platform "Moderation" is
            # the BAMF's, and the two roles must not read as one.
            Role.facilitator: "Gesprächsleitung",
            Role.advisor: "Berater/in",
        }[self]


class PostKind(StrEnum):
    narration = "narration"
    clarifying_question = "clarifying_question"
    clarification = "clarification"
    key_question_suggestion = "key_question_suggestion"
    method_suggestion = "method_suggestion"
    advice = "advice"
    summary = "summary"
    conclusion = "conclusion"

    @property
    def label(self) -> str:
        return POST_KIND_LABELS[self]


POST_KIND_LABELS = {
    PostKind.narration: "Fallschilderung",
    PostKind.clarifying_question: "Verständnisfrage",
    PostKind.clarification: "Antwort auf eine Verständnisfrage",
    PostKind.key_question_suggestion: "Vorschlag zur Schlüsselfrage",
    PostKind.method_suggestion: "Methodenvorschlag",
    PostKind.advice: "Beratungsbeitrag",
    PostKind.summary: "Zusammenfassung der Beratung",
    PostKind.conclusion: "Abschluss der Fallgeberin oder des Fallgebers",
}


class Method(StrEnum):
    brainstorming = "brainstorming"
    reverse_brainstorming = "reverse_brainstorming"
    good_advice = "good_advice"
    resonance = "resonance"
    hypotheses = "hypotheses"
    experience = "experience"

    @property
    def label(self) -> str:
        return METHODS[self][0]

    @property
    def rules(self) -> str:
        return METHODS[self][1]


METHODS: dict[Method, tuple[str, str]] = {
    Method.brainstorming: (
        "Brainstorming (Ideen sammeln)",
        "Sammeln Sie möglichst viele Ideen. Jede Idee zählt, nichts wird bewertet oder "
        "kommentiert; auch ungewöhnliche Vorschläge sind willkommen.",
    ),
    Method.reverse_brainstorming: (
        "Kopfstand-Brainstorming",
        "Fragen Sie: Wie ließe sich die Lage garantiert verschlimmern? Sammeln Sie diese "
        "Ideen ohne Bewertung; die Fallgeberin oder der Fallgeber kehrt sie später um.",
    ),
    Method.good_advice: (
        "Gute Ratschläge",
        "Jede Beraterin und jeder Berater gibt einen konkreten Rat in der Form „Ich an "
        "Ihrer Stelle würde …“. Ratschläge werden nicht diskutiert.",
    ),
    Method.resonance: (
        "Resonanzrunde",
        "Schildern Sie, was der Fall bei Ihnen auslöst: Gefühle, Bilder, Gedanken. "
        "Keine Lösungen, keine Bewertungen.",
    ),
    Method.hypotheses: (
        "Hypothesen bilden",
        "Formulieren Sie Vermutungen, was hinter der Situation stecken könnte "
        "(„Es könnte sein, dass …“). Vermutungen werden nicht bewiesen oder widerlegt.",
    ),
    Method.experience: (
        "Erfahrungsberichte",
        "Berichten Sie von ähnlichen Fällen aus Ihrer Behörde: Was haben Sie getan, was hat "
        "geholfen, was nicht?",
    ),
}


@dataclass(frozen=True)
class PhaseRule:
    """What a phase allows: post kinds per role, and what must exist to leave it."""

    posts: dict[Role, frozenset[PostKind]]
    # German description of the result required before moving on.
    requires: str
    # One sentence for the page: who speaks in this phase.
    explanation: str


def _kinds(*kinds: PostKind) -> frozenset[PostKind]:
    return frozenset(kinds)


NOTHING = _kinds()

RULES: dict[Phase, PhaseRule] = {
    Phase.casting: PhaseRule(
        posts={Role.case_giver: NOTHING, Role.facilitator: NOTHING, Role.advisor: NOTHING},
        requires="eine anonymisierte Fallzusammenfassung",
        explanation="Die Rollen werden verteilt: Gesprächsleitung und Berater/innen treten bei; "
        "die Fallgeberin oder der Fallgeber hat den Fall kurz und anonymisiert zusammengefasst.",
    ),
    Phase.narration: PhaseRule(
        posts={
            Role.case_giver: _kinds(PostKind.narration, PostKind.clarification),
            Role.facilitator: _kinds(PostKind.clarifying_question),
            Role.advisor: _kinds(PostKind.clarifying_question),
        },
        requires="die Fallschilderung der Fallgeberin oder des Fallgebers",
        explanation="Die Fallgeberin oder der Fallgeber schildert den Fall; die anderen "
        "stellen kurze Verständnisfragen, die sie oder er beantwortet.",
    ),
    Phase.key_question: PhaseRule(
        posts={
            Role.case_giver: NOTHING,
            Role.facilitator: _kinds(PostKind.key_question_suggestion),
            Role.advisor: NOTHING,
        },
        requires="die Schlüsselfrage",
        explanation="Die Fallgeberin oder der Fallgeber formuliert die eine Frage, an der die "
        "Gruppe arbeiten soll; die Gesprächsleitung kann eine Formulierung vorschlagen.",
    ),
    Phase.method: PhaseRule(
        posts={
            Role.case_giver: _kinds(PostKind.method_suggestion),
            Role.facilitator: NOTHING,
            Role.advisor: _kinds(PostKind.method_suggestion),
        },
        requires="die gewählte Methode",
        explanation="Die Gesprächsleitung wählt die Beratungsmethode; alle anderen können eine "
        "Methode vorschlagen.",
    ),
    Phase.advice: PhaseRule(
        posts={
            Role.case_giver: NOTHING,
            Role.facilitator: _kinds(PostKind.advice, PostKind.summary),
            Role.advisor: _kinds(PostKind.advice),
        },
        requires="mindestens einen Beratungsbeitrag",
        explanation="Die Berater/innen beraten nach der gewählten Methode; die Fallgeberin "
        "oder der Fallgeber hört nur zu.",
    ),
    Phase.conclusion: PhaseRule(
        posts={
            Role.case_giver: _kinds(PostKind.conclusion),
            Role.facilitator: NOTHING,
            Role.advisor: NOTHING,
        },
        requires="den Abschluss der Fallgeberin oder des Fallgebers",
        explanation="Die Fallgeberin oder der Fallgeber fasst zusammen, was geholfen hat und "
        "welche nächsten Schritte folgen.",
    ),
    Phase.closed: PhaseRule(
        posts={Role.case_giver: NOTHING, Role.facilitator: NOTHING, Role.advisor: NOTHING},
        requires="",
        explanation="Die Fallberatung ist abgeschlossen und kann nur noch gelesen werden.",
    ),
}


class Refusal(StrEnum):
    """Why a post is refused: the role never writes this kind (403), or not now (409)."""

    role = "role"
    phase = "phase"


def post_refusal(phase: Phase, role: Role, kind: PostKind) -> Refusal | None:
    if kind in RULES[phase].posts[role]:
        return None
    if any(kind in rule.posts[role] for rule in RULES.values()):
        return Refusal.phase
    return Refusal.role


def phases_where(role: Role, kind: PostKind) -> list[Phase]:
    return [phase for phase, rule in RULES.items() if kind in rule.posts[role]]


# Joining as an advisor is open until the advice starts; later joiners would have missed
# the narration the advice builds on.
JOINABLE = frozenset({Phase.casting, Phase.narration, Phase.key_question, Phase.method})
