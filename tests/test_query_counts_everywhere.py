"""Every page and every API endpoint that lists or shows data costs the same number of
queries however much data there is: each is measured once on small data and again after
the data behind it has grown (one answer → 40, one question → 60 more, revisions, posts,
flags, audit entries, registrations, tokens, authorities). The closer per-endpoint tests
(tests/questions/test_query_counts.py, tests/consultations/test_query_counts.py) cover the
API in depth; this one makes sure no page is left out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.policy import AccountStatus, Role
from fachaustausch.accounts.tables import Authority
from fachaustausch.consultations.phases import Phase, PostKind
from fachaustausch.consultations.tables import ConsultationPost, Participant
from fachaustausch.events import service as events
from fachaustausch.moderation import actions as moderation_actions
from fachaustausch.moderation import flags as moderation_flags
from fachaustausch.moderation.models import Action, ActionInput, FlagInput, FlagReason, TargetType
from fachaustausch.questions import service as questions
from fachaustausch.questions.models import AnswerEdit, CommentInput, QuestionEdit
from fachaustausch.review import changes as review_changes
from fachaustausch.review.models import LegalChangeInput
from fachaustausch.settings import Settings
from tests.consultations.support import put_in_phase, start
from tests.events.support import make_event
from tests.factories import ApiClient, UserRecord, make_user
from tests.querycount import count_queries
from tests.web.qa import answer, ask

# Counted on the database itself: a cached read would hide a query that grows.
pytestmark = [pytest.mark.database, pytest.mark.uncached]

INSTRUMENT = "terminsystem"


@dataclass
class World:
    viewer: UserRecord  # an expert for the instrument, author of the question and answer
    others: list[UserRecord]
    question: int
    answer: int
    consultation: int
    event: int


def member_paths(w: World) -> list[str]:
    q, a, c, e = w.question, w.answer, w.consultation, w.event
    return [
        "/",
        "/fragen",
        "/fragen/neu",
        f"/fragen?eckpunkt=binnenorganisation&instrument={INSTRUMENT}&sortierung=aktivitaet",
        "/fragen/fuer-mich",
        f"/fragen/{q}",
        f"/fragen/{q}/bearbeiten",
        f"/fragen/{q}/versionen",
        f"/antworten/{a}/bearbeiten",
        f"/antworten/{a}/versionen",
        f"/melden?target_type=answer&target_id={a}",
        "/fallberatungen",
        f"/fallberatungen/{c}",
        "/werkzeugkoffer",
        f"/werkzeugkoffer/{INSTRUMENT}",
        "/profil",
        "/profil/daten",
        "/profil/daten/anmeldungen",
        "/suche?q=Terminvergabe",
        "/api/v1/questions",
        f"/api/v1/questions?instrument={INSTRUMENT}&for_me=true",
        f"/api/v1/questions/{q}",
        f"/api/v1/questions/{q}/revisions",
        f"/api/v1/answers/{a}/revisions",
        "/api/v1/consultations",
        f"/api/v1/consultations/{c}",
        "/api/v1/authorities",
        "/api/v1/cornerstones",
        "/api/v1/instruments",
        f"/api/v1/instruments/{INSTRUMENT}",
        "/api/v1/me",
        "/api/v1/tokens",
        "/api/v1/me/sessions",
        "/api/v1/search?q=Terminvergabe",
        "/api/v1/search/similar?q=Terminvergabe",
        # The content review: the viewer is an expert.
        "/inhaltspflege",
        "/inhaltspflege?vorschrift=%C2%A7%2018a%20AufenthG&instrument=" + INSTRUMENT,
        "/inhaltspflege/rechtsaenderungen",
        f"/inhaltspflege/antworten/{a}/veraltet",
        f"/inhaltspflege/antworten/{a}/bearbeiten",
        f"/inhaltspflege/fragen/{q}/bearbeiten",
        "/api/v1/content-review",
        "/api/v1/legal-changes",
        "/veranstaltungen",
        f"/veranstaltungen/{e}",
        f"/veranstaltungen/{e}.ics",
        "/api/v1/events",
        f"/api/v1/events/{e}",
    ]


MODERATOR_PATHS = [
    "/moderation",
    "/moderation/protokoll",
    "/moderation/registrierungen",
    "/api/v1/moderation/queue",
    "/api/v1/moderation/audit",
    "/api/v1/moderation/registrations",
]


async def _world() -> World:
    viewer = await make_user(Role.expert, authority="weimar", expertise=[INSTRUMENT])
    others = [await make_user(Role.member), await make_user(Role.expert, authority="kiel")]
    question = await ask(viewer)
    own_answer = await answer(viewer, question)
    await answer(others[1], question)
    cast = await put_in_phase(Phase.advice, with_result=True)
    await make_user(status=AccountStatus.pending)
    # Every list starts with one item, so "small" is one item, not none: an open question
    # for the expert's instrument, and one report of each kind the queue shows.
    open_question = await ask(others[0], "Wer hat Erfahrung mit der Terminvergabe am Telefon?")
    [advice] = (
        await ConsultationPost.select(ConsultationPost.id)
        .where(
            (ConsultationPost.consultation == cast.id) & (ConsultationPost.kind == PostKind.advice)
        )
        .run()
    )
    comment = await questions.comment(
        await others[0].principal(), question, None, CommentInput(body="Welche Software?")
    )
    reporter = await make_user(Role.member)
    for target_type, target_id in (
        (TargetType.question, open_question),
        (TargetType.answer, own_answer),
        (TargetType.comment, comment),
        (TargetType.consultation_post, advice["id"]),
        (TargetType.user, others[0].id),
    ):
        await moderation_flags.flag(
            await reporter.principal(),
            FlagInput(target_type=target_type, target_id=target_id, reason=FlagReason.wrong),
        )
    # One post up for review after one change in the law.
    await answer(others[1], question, "Das regelt § 18a AufenthG.")
    await review_changes.record_change(await (await make_user(Role.moderator)).principal(),
                                       _change("§ 18a AufenthG"))  # fmt: skip
    # An event with one registration and one question from it.
    event = await make_event(viewer, capacity=3)
    await events.register(await others[0].principal(), event)
    await questions.edit_question(await viewer.principal(), question, QuestionEdit(event=event))
    return World(viewer, others, question, own_answer, cast.id, event)


def _change(provision: str) -> LegalChangeInput:
    return LegalChangeInput(
        provisions=[provision],
        effective_on=date(2024, 3, 1),
        title="Gesetz zur Weiterentwicklung der Fachkräfteeinwanderung",
        note="",
    )


async def _grow(w: World, settings: Settings, moderator: UserRecord) -> None:
    viewer = await w.viewer.principal()
    for n in range(40):
        author = w.others[n % 2]
        answer_id = await answer(
            author, w.question, f"Antwort Nummer {n} zur Terminvergabe nach § 18a AufenthG."
        )
        await questions.comment(viewer, None, answer_id, CommentInput(body=f"Danke {n}"))
        await questions.vote(viewer, "answer", answer_id, 1)
        await questions.comment(
            await author.principal(), w.question, None, CommentInput(body=f"Rückfrage {n}")
        )
        await moderation_flags.flag(
            viewer,
            FlagInput(target_type=TargetType.answer, target_id=answer_id, reason=FlagReason.wrong),
        )
    for n in range(10):
        await questions.edit_question(
            viewer, w.question, QuestionEdit(body=f"Wir planen ein Terminsystem, Fassung {n}.")
        )
        await questions.edit_answer(
            viewer, w.answer, AnswerEdit(body=f"Bei uns: online, Fassung {n}.")
        )
    for n in range(60):
        asked = await ask(w.others[n % 2], f"Wie lösen Sie die Terminvergabe im Fall {n}?")
        if n < 10:  # questions from the event, people registered, more events
            await questions.edit_question(
                await w.others[n % 2].principal(), asked, QuestionEdit(event=w.event)
            )
            await events.register(await (await make_user(Role.member)).principal(), w.event)
            await make_event(moderator, title=f"Netzwerktreffen Nummer {n}")
    for _ in range(5):
        await start(w.others[0])
    for other in w.others:
        await Participant.insert(
            Participant(consultation=w.consultation, user=other.id, role="advisor")
        ).run()
    for n in range(30):
        await ConsultationPost.insert(
            ConsultationPost(
                consultation=w.consultation,
                phase=Phase.advice,
                kind=PostKind.advice,
                author=w.others[n % 2].id,
                body=f"Rat {n}: die Unterlagen nachreichen lassen.",
                body_html=f"<p>Rat {n}: die Unterlagen nachreichen lassen.</p>",
            )
        ).run()
    for n in range(10):
        await make_user(status=AccountStatus.pending)
        await Authority.insert(
            Authority(slug=f"mehr-{n}", name=f"Ausländerbehörde Mehr {n}", kind="member")
        ).run()
        await accounts.create_token(viewer, f"Fachverfahren {n}")
    acting = await moderator.principal()
    for provision in ("§ 18a AufenthG", "§ 18a Abs. 1 AufenthG", "§ 81 AufenthG"):
        await review_changes.record_change(acting, _change(provision))
    for action in (Action.lock, Action.unlock) * 10:
        await moderation_actions.act(
            acting,
            ActionInput(
                action=action, target_type=TargetType.question, target_id=w.question, reason="Test"
            ),
            settings,
        )


async def _counts(client: ApiClient, paths: list[str]) -> dict[str, int]:
    counts = {}
    for path in paths:
        # Once unmeasured: a token records its last use at most every quarter hour.
        first = await client.get(path, follow_redirects=False)
        assert first.status_code == 200, (path, first.status_code, first.text[:500])
        with count_queries() as counter:
            response = await client.get(path, follow_redirects=False)
        assert response.status_code == 200, (path, response.status_code)
        counts[path] = counter.count
    return counts


async def test_no_page_or_endpoint_grows_with_the_data(
    client: ApiClient, settings: Settings
) -> None:
    w = await _world()
    moderator = await make_user(Role.moderator)
    await client.login(w.viewer)
    small = await _counts(client, member_paths(w))
    client.logout_local()
    await client.login(moderator)
    small_moderation = await _counts(client, MODERATOR_PATHS)

    await _grow(w, settings, moderator)

    client.logout_local()
    await client.login(w.viewer)
    large = await _counts(client, member_paths(w))
    client.logout_local()
    await client.login(moderator)
    large_moderation = await _counts(client, MODERATOR_PATHS)

    grew = {
        path: (small_all[path], large_all[path])
        for small_all, large_all in ((small, large), (small_moderation, large_moderation))
        for path in small_all
        if small_all[path] != large_all[path]
    }
    assert not grew, f"queries grew with the data (before, after): {grew}"
    # And none is expensive to begin with. The start page gathers the most: with upcoming
    # events in the world (two statements: the events, then their instruments and places
    # together), it needs one more than any other page.
    start_page = large.pop("/")
    assert start_page <= 13, start_page
    assert max(large.values()) <= 12, large
    assert max(large_moderation.values()) <= 12, large_moderation
