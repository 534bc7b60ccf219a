"""Recording a change in the law: the moderation names the changed provisions, and every
visible post citing one of them is put up for review, its author and the experts of its
question's instruments told (a domain event per post, expanded by the notifications
worker). One transaction: the change, its provisions, the review tasks, the events and the
audit row commit together."""

from __future__ import annotations

from fachaustausch import database
from fachaustausch.accounts.policy import Principal
from fachaustausch.core import audit, clock, events
from fachaustausch.core.errors import FieldError, InvalidInput
from fachaustausch.core.events import EventKind
from fachaustausch.privacy.refusal import ensure_anonymous
from fachaustausch.review import policy
from fachaustausch.review.citations import Citation, parse_provision
from fachaustausch.review.models import LegalChangeInput
from fachaustausch.review.queries import citing_visible_posts
from fachaustausch.review.tables import LegalChange, LegalChangeProvision, ReviewTask

AUDIT_ACTION = "record_legal_change"


def _parsed(provisions: list[str]) -> list[Citation]:
    """The provisions as typed, each parsed; every one at fault named with its position."""
    parsed: list[Citation] = []
    errors: list[FieldError] = []
    for index, text in enumerate(provisions):
        try:
            citation = parse_provision(text)
        except ValueError as error:
            errors.append(FieldError(f"provisions.{index}", str(error)))
            continue
        if citation.label not in {c.label for c in parsed}:
            parsed.append(citation)
    if errors:
        raise InvalidInput(errors[0].message, errors)
    return parsed


async def record_change(actor: Principal, data: LegalChangeInput) -> int:
    """Records the change and puts the posts citing its provisions up for review; returns
    the change's id."""
    policy.ensure_can_record_changes(actor)
    provisions = _parsed(data.provisions)
    ensure_anonymous({"title": data.title, "note": data.note})
    async with database.transaction():
        rows = await LegalChange.insert(
            LegalChange(
                title=data.title,
                note=data.note,
                effective_on=data.effective_on,
                recorded_by=actor.id,
                created_at=clock.now(),
            )
        ).run()
        change_id = int(rows[0]["id"])
        await LegalChangeProvision.insert(
            *(
                LegalChangeProvision(
                    change=change_id,
                    law=p.law,
                    kind=p.kind,
                    section=p.section,
                    paragraph=p.paragraph,
                    sentence=p.sentence,
                    number=p.number,
                    label=p.label,
                )
                for p in provisions
            )
        ).run()
        # Read inside the transaction: a post edited or hidden meanwhile is judged as it
        # stands when the change is recorded.
        posts = await citing_visible_posts(provisions)
        if posts:
            await ReviewTask.insert(
                *(
                    ReviewTask(
                        post_type=post.post_type,
                        post_id=post.post_id,
                        question_id=post.question_id,
                        change=change_id,
                        provisions="; ".join(post.provisions),
                    )
                    for post in posts
                )
            ).run()
        for post in posts:
            await events.record(
                EventKind.review_requested,
                post.post_type,
                post.post_id,
                actor.id,
                change=change_id,
                title=data.title,
                provisions=post.provisions,
            )
        await audit.record(
            actor.id,
            AUDIT_ACTION,
            "legal_change",
            change_id,
            reason=data.title,
            after={
                "provisions": [p.label for p in provisions],
                "effective_on": data.effective_on.isoformat(),
                "posts": len(posts),
            },
        )
    return change_id
