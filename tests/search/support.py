"""A database holding every kind of search document, written the way the platform writes
it (services, and so outbox rows), for the tests that compare what the sync and a rebuild
put into an engine."""

from __future__ import annotations

from fachaustausch.accounts.policy import Role
from fachaustausch.consultations.models import Visibility
from fachaustausch.consultations.phases import Phase
from fachaustausch.core.outbox import EntityType, enqueue
from fachaustausch.events import service as events
from fachaustausch.events.models import EventPatch
from fachaustausch.moderation import actions as moderation_actions
from fachaustausch.moderation.models import Action, ActionInput, TargetType
from fachaustausch.questions import service as questions
from fachaustausch.questions.models import CommentInput
from fachaustausch.settings import Settings
from fachaustausch.toolbox.seed import seed_reference_data
from fachaustausch.toolbox.tables import Instrument
from tests.consultations.support import put_in_phase
from tests.events.support import event_body, make_event
from tests.factories import answer_question, ask_question, make_user


async def every_document_type(settings: Settings) -> set[str]:
    """Seeds the toolbox as a fresh install does, then writes questions (with answers and
        comments, some hidden, one under a hidden answer) and consultations (closed for
        members, closed for participants, closed and hidden, and one still open) and events (one
    edited with materials, one cancelled, which stays findable). Returns the
        ids of the documents the index must hold."""
    await seed_reference_data()
    member = await make_user(Role.member)
    expert = await make_user(Role.expert)
    moderator = await (await make_user(Role.moderator)).principal()

    async def hide(target_type: TargetType, target_id: int) -> None:
        data = ActionInput(
            action=Action.hide, target_type=target_type, target_id=target_id, reason="Test"
        )
        await moderation_actions.act(moderator, data, settings)

    async def comment(question_id: int | None, answer_id: int | None, body: str) -> int:
        principal = await member.principal()
        return await questions.comment(principal, question_id, answer_id, CommentInput(body=body))

    answered = await ask_question(member, title="Wie verteilen Sie Termine am Vormittag?")
    answer = await answer_question(expert, answered, "Wir geben Wartemarken aus.")
    await comment(answered, None, "Wie viele Marken am Tag?")
    await comment(None, answer, "Gilt das auch samstags?")
    with_hidden_answer = await ask_question(member, title="Wer kennt ein Leitsystem für Flure?")
    hidden_answer = await answer_question(expert, with_hidden_answer, "Farbige Linien am Boden.")
    await comment(None, hidden_answer, "Welche Farben genau?")
    await hide(TargetType.answer, hidden_answer)
    hidden_question = await ask_question(member, title="Eine Frage, die ausgeblendet wird")
    await hide(TargetType.question, hidden_question)
    with_hidden_comment = await ask_question(member, title="Welche Sprachen spricht Ihr Team?")
    await hide(TargetType.comment, await comment(with_hidden_comment, None, "Englisch, Arabisch"))

    closed = (await put_in_phase(Phase.closed, with_result=True)).id
    private = (await put_in_phase(Phase.closed, visibility=Visibility.participants)).id
    hidden = (await put_in_phase(Phase.closed, with_result=True)).id
    still_open = (await put_in_phase(Phase.advice, with_result=True)).id
    for consultation in (closed, private, hidden, still_open):
        # Closing queues the row in the service; the test writes the phase directly.
        await enqueue(EntityType.consultation, consultation)
    await hide(TargetType.consultation, hidden)

    organiser = await make_user(Role.moderator)
    edited = await make_event(organiser, programme=[{"starts_at": _nine(), "title": "Rundgang"}])
    await events.update(
        await organiser.principal(),
        edited,
        EventPatch(materials="[Folien zum Terminsystem](https://www.bamf.de/folien.pdf)"),
    )
    cancelled = await make_event(organiser, kind="training", title="Schulung Wissenstransfer")
    await events.cancel(await organiser.principal(), cancelled)

    instruments = await Instrument.select(Instrument.id).output(as_list=True).run()
    return {
        *(f"instrument-{i}" for i in instruments),
        *(
            f"question-{i}"
            for i in (answered, with_hidden_answer, hidden_question, with_hidden_comment)
        ),
        *(f"consultation-{i}" for i in (closed, private, hidden)),
        *(f"event-{i}" for i in (edited, cancelled)),
    }


def _nine() -> str:
    return str(event_body()["starts_at"])
