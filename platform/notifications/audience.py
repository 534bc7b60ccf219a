"""From a domain event to the people concerned: who, of which kind, with which sentence,
and who of them may see the target. The domains answer the questions about their rows
(`questions.audience`, `consultations.audience`, `accounts.audience`); this module only
decides who hears of what."""

from __future__ import annotations

from typing import Any

from fachaustausch.accounts import audience as accounts
from fachaustausch.consultations import audience as consultations
from fachaustausch.consultations.phases import Phase
from fachaustausch.core.events import EventKind
from fachaustausch.notifications import event_audience
from fachaustausch.notifications.expansion import Expansion
from fachaustausch.notifications.kinds import Kind
from fachaustausch.notifications.mentioning import mentioned_users
from fachaustausch.notifications.tables import TopicFollow
from fachaustausch.questions import audience as questions

_POST_NAMES = {
    "question": "Ihre Frage",
    "answer": "Ihre Antwort",
    "comment": "Ihr Kommentar",
    "consultation": "Ihre Fallberatung",
    "consultation_post": "Ihr Beitrag",
}


def question_url(question_id: int) -> str:
    return f"/fragen/{question_id}"


def target_url(target_type: str, target_id: int, topic_type: str, topic_id: int) -> str:
    """Where a notification leads."""
    if topic_type == "question":
        anchor = {"answer": "#antwort-", "comment": "#kommentar-"}.get(target_type)
        return question_url(topic_id) + (f"{anchor}{target_id}" if anchor else "")
    if topic_type == "consultation":
        return f"/fallberatungen/{topic_id}"
    if topic_type == "event":
        return f"/veranstaltungen/{topic_id}"
    if target_type == "flag":
        return "/moderation"
    if target_type == "user":
        return "/moderation/registrierungen"
    return "/"


async def _mentioned(text: str, actor_id: int | None, title: str, exp: Expansion) -> None:
    """Mentions come first: a person both mentioned and following hears of the mention.
    Who may not see the target is dropped later, like every recipient."""
    users = await mentioned_users(text)
    if users:
        exp.add(set(users), Kind.mention, f"{await _name(actor_id)} hat Sie erwähnt: „{title}“")


async def _name(user_id: int | None) -> str:
    if user_id is None:
        return "Jemand"
    found = await accounts.people([user_id])
    return found[user_id].display_name if user_id in found else "Jemand"


async def _question_created(event: dict[str, Any]) -> Expansion | None:
    post = await questions.post("question", event["target_id"])
    tags = await questions.tags(event["target_id"])
    if post is None or tags is None:
        return None
    title = post.question_title
    exp = Expansion("question", post.id, "question", post.id, title, lambda _u: post.visible)
    await _mentioned(post.body, event["actor_id"], title, exp)
    exp.add(
        set(await questions.routed_to(post.id)),
        Kind.routed_question,
        f"Neue Frage für Sie: „{title}“",
    )
    followed: Any = (TopicFollow.topic_type == "cornerstone") & (
        TopicFollow.topic_id == tags.cornerstone_id
    )
    if tags.instrument_ids:
        followed |= (TopicFollow.topic_type == "instrument") & TopicFollow.topic_id.is_in(
            tags.instrument_ids
        )
    rows = await TopicFollow.select(TopicFollow.user_id).where(followed).run()
    exp.add(
        {int(r["user_id"]) for r in rows},
        Kind.followed_topic,
        f"Neue Frage zu einem Thema, dem Sie folgen: „{title}“",
    )
    return exp


async def _answer_created(event: dict[str, Any]) -> Expansion | None:
    post = await questions.post("answer", event["target_id"])
    if post is None:
        return None
    title = post.question_title
    exp = Expansion("answer", post.id, "question", post.question_id, title, lambda _u: post.visible)
    await _mentioned(post.body, event["actor_id"], title, exp)
    exp.add(
        set(await questions.followers(post.question_id)),
        Kind.new_answer,
        f"Neue Antwort auf „{title}“",
    )
    return exp


async def _comment_created(event: dict[str, Any]) -> Expansion | None:
    post = await questions.post("comment", event["target_id"])
    if post is None:
        return None
    title = post.question_title
    exp = Expansion(
        "comment", post.id, "question", post.question_id, title, lambda _u: post.visible
    )
    await _mentioned(post.body, event["actor_id"], title, exp)
    if post.answer_author_id is not None:
        exp.add(
            {post.answer_author_id}, Kind.comment, f"Neuer Kommentar zu Ihrer Antwort auf „{title}“"
        )
    else:
        exp.add(
            {post.question_author_id}, Kind.comment, f"Neuer Kommentar zu Ihrer Frage „{title}“"
        )
    return exp


async def _answer_accepted(event: dict[str, Any]) -> Expansion | None:
    post = await questions.post("answer", event["target_id"])
    if post is None:
        return None
    title = post.question_title
    exp = Expansion("answer", post.id, "question", post.question_id, title, lambda _u: post.visible)
    exp.add({post.author_id}, Kind.answer_accepted, f"Ihre Antwort auf „{title}“ wurde akzeptiert")
    return exp


async def _consultation(event: dict[str, Any]) -> Expansion | None:
    kind = event["kind"]
    post = None
    if kind == EventKind.consultation_post_created:
        post = await consultations.case_post(event["target_id"])
        if post is None:
            return None
        case = await consultations.case(post.consultation_id)
    else:
        case = await consultations.case(event["target_id"])
    if case is None:
        return None

    def visible(user: int) -> bool:
        return case.visible_to(user) and (post is None or not post.hidden)

    exp = Expansion(
        event["target_type"], event["target_id"], "consultation", case.id, case.title, visible
    )
    title = case.title
    if kind == EventKind.consultation_invited:
        invited = int(event["payload"].get("user_id", 0))
        exp.add(
            {invited},
            Kind.consultation_invited,
            f"Sie wurden zur Fallberatung „{title}“ eingeladen",
        )
    elif kind == EventKind.consultation_phase_changed:
        phase = Phase(event["payload"].get("phase", case.phase)).label
        exp.add(
            case.participant_ids,
            Kind.consultation_phase,
            f"Die Fallberatung „{title}“ ist jetzt in der Phase „{phase}“",
        )
    elif post is not None:
        await _mentioned(post.body, event["actor_id"], title, exp)
        phase = Phase(post.phase).label
        exp.add(
            case.participant_ids,
            Kind.consultation_post,
            f"Neuer Beitrag in der Fallberatung „{title}“ (Phase „{phase}“)",
        )
    return exp


async def _moderated(event: dict[str, Any]) -> Expansion | None:
    target_type, target_id = event["target_type"], event["target_id"]
    author: int | None = None
    topic_type, topic_id, title = "", 0, ""
    if target_type in ("question", "answer", "comment"):
        post = await questions.post(target_type, target_id)
        if post is not None:
            author, topic_type, topic_id, title = (
                post.author_id, "question", post.question_id, post.question_title,
            )  # fmt: skip
    elif target_type in ("consultation", "consultation_post"):
        case_post = (
            await consultations.case_post(target_id) if target_type != "consultation" else None
        )
        case_id = case_post.consultation_id if case_post else target_id
        case = await consultations.case(case_id)
        if case is not None:
            author = case_post.author_id if case_post else case.case_giver_id
            topic_type, topic_id, title = "consultation", case.id, case.title
    if author is None:
        return None
    what = _POST_NAMES.get(target_type, "Ihr Beitrag")
    where = f" („{title}“)" if title else ""
    if event["kind"] == EventKind.content_hidden:
        reason = str(event["payload"].get("reason", "")).strip()
        text = f"{what}{where} wurde von der Moderation ausgeblendet. Grund: {reason}"
    else:
        text = f"{what}{where} ist wieder sichtbar."
    # The author is told even though the post is hidden: it is their own.
    exp = Expansion(target_type, target_id, topic_type, topic_id, title)
    exp.add({author}, Kind.moderation, text)
    return exp


async def _account(event: dict[str, Any]) -> Expansion | None:
    user_id = event["target_id"]
    exp = Expansion("user", user_id)
    if event["kind"] == EventKind.registration_approved:
        exp.add(
            {user_id},
            Kind.registration_approved,
            "Ihr Konto wurde freigeschaltet. Willkommen im Fachaustausch!",
        )
        return exp
    found = (await accounts.people([user_id])).get(user_id)
    if found is None:
        return None
    who = f"{found.display_name} ({found.authority_name})"
    text = f"Neue Registrierung wartet auf Freischaltung: {who}"
    exp.add(set(await accounts.moderators()), Kind.new_registration, text)
    return exp


async def _flag(event: dict[str, Any]) -> Expansion | None:
    exp = Expansion("flag", event["target_id"])
    exp.add(
        set(await accounts.moderators()),
        Kind.new_flag,
        "Neue Meldung in der Prüfliste der Moderation",
    )
    return exp


async def _review_requested(event: dict[str, Any]) -> Expansion | None:
    """A change in the law put a post up for review: its author and the experts of its
    question's instruments are asked to check it."""
    post = await questions.post(event["target_type"], event["target_id"])
    if post is None:
        return None
    title = post.question_title
    provisions = ", ".join(str(p) for p in event["payload"].get("provisions", []))
    change = str(event["payload"].get("title", "")).strip()
    cited = f" ({provisions})" if provisions else ""
    exp = Expansion(
        post.type, post.id, "question", post.question_id, title, lambda _u: post.visible
    )
    what = _POST_NAMES.get(post.type, "Ihr Beitrag")
    exp.add(
        {post.author_id},
        Kind.content_review,
        f"{what} zu „{title}“ zitiert eine geänderte Vorschrift{cited}: bitte prüfen "
        f"(Rechtsänderung „{change}“).",
    )
    exp.add(
        set(await questions.instrument_experts(post.question_id)),
        Kind.content_review,
        f"Zur Inhaltspflege: Ein Beitrag zu „{title}“ zitiert eine geänderte "
        f"Vorschrift{cited} (Rechtsänderung „{change}“).",
    )
    return exp


_EXPANDERS = {
    EventKind.question_created: _question_created,
    EventKind.answer_created: _answer_created,
    EventKind.comment_created: _comment_created,
    EventKind.answer_accepted: _answer_accepted,
    EventKind.consultation_invited: _consultation,
    EventKind.consultation_phase_changed: _consultation,
    EventKind.consultation_post_created: _consultation,
    EventKind.content_hidden: _moderated,
    EventKind.content_restored: _moderated,
    EventKind.flag_created: _flag,
    EventKind.registration_created: _account,
    EventKind.registration_approved: _account,
    EventKind.review_requested: _review_requested,
    EventKind.event_changed: event_audience.changed,
    EventKind.event_cancelled: event_audience.cancelled,
    EventKind.event_moved_up: event_audience.moved_up,
    EventKind.event_reminder: event_audience.reminder,
}


async def expand(event: dict[str, Any]) -> Expansion | None:
    """None for an event of an unknown kind or about a row that is gone."""
    try:
        kind = EventKind(event["kind"])
    except ValueError:
        return None
    return await _EXPANDERS[kind](event)
