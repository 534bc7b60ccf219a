"""Which notifications their recipient may still see: the target's visibility, read at the
time the inbox, the count or a mail is read, so a notification disappears as soon as its
content is hidden and comes back when it is restored.

Written as one SQL condition on the `notification` table, with the questions' own rule
(`questions.visibility`) and the consultations' rule (hidden: nobody; participants-only:
its participants); events are seen by everyone. Moderators see hidden content, so their
notifications are not filtered. A moderation notice names the recipient's own post and is
always shown."""

from __future__ import annotations

from piccolo.columns.combination import WhereRaw

from fachaustausch.notifications.kinds import Kind
from fachaustausch.questions import visibility as thread

_N = "notification"
_ALWAYS = ", ".join(
    f"'{k}'"
    for k in (Kind.moderation, Kind.registration_approved, Kind.new_registration, Kind.new_flag)
)
# Built from constants alone, never from input.
_CASE_VISIBLE = (
    "rule_case.hidden = false AND (rule_case.visibility = 'members' OR EXISTS ("  # noqa: S608
    "SELECT 1 FROM participant AS rule_participant WHERE rule_participant.consultation = "
    f'rule_case.id AND rule_participant."user" = {_N}.user_id))'
)

CONDITION = (
    f"({_N}.kind IN ({_ALWAYS})"  # noqa: S608
    # Every member sees every event, cancelled ones included.
    f" OR {_N}.target_type = 'event'"
    f" OR ({_N}.target_type = 'question' AND EXISTS (SELECT 1 FROM question "
    f"WHERE question.id = {_N}.target_id AND {thread.question_visible('question')}))"
    f" OR ({_N}.target_type = 'answer' AND EXISTS (SELECT 1 FROM answer "
    f"WHERE answer.id = {_N}.target_id AND {thread.answer_visible('answer')}))"
    f" OR ({_N}.target_type = 'comment' AND EXISTS (SELECT 1 FROM comment "
    f"WHERE comment.id = {_N}.target_id AND {thread.comment_visible('comment')}))"
    f" OR ({_N}.target_type = 'consultation' AND EXISTS (SELECT 1 FROM consultation AS "
    f"rule_case WHERE rule_case.id = {_N}.target_id AND {_CASE_VISIBLE}))"
    f" OR ({_N}.target_type = 'consultation_post' AND EXISTS (SELECT 1 FROM "
    "consultation_post AS rule_post JOIN consultation AS rule_case ON rule_case.id = "
    f"rule_post.consultation WHERE rule_post.id = {_N}.target_id AND rule_post.hidden = false "
    f"AND {_CASE_VISIBLE})))"
)


def visible() -> WhereRaw:
    return WhereRaw(CONDITION)
