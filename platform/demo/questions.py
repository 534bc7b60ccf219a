"""Demo questions with answers, comments, votes and accepted answers
(demo_questions.json)."""

from __future__ import annotations

import json
import random
import secrets
from datetime import timedelta
from pathlib import Path

from fachaustausch.accounts import administration
from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.policy import Principal, Role
from fachaustausch.accounts.tables import User
from fachaustausch.core import clock
from fachaustausch.demo.accounts import DEMO_USERS, principal_by_email
from fachaustausch.questions import service as questions
from fachaustausch.questions.models import AnswerInput, CommentInput, QuestionInput
from fachaustausch.questions.tables import Answer, Question
from fachaustausch.toolbox.seed import load_seed_data

DEMO_QUESTIONS_FILE = Path(__file__).with_name("demo_questions.json")


async def seed_demo_questions() -> int:
    """Questions with answers, comments, votes and accepted answers, written for the demo
    (demo_questions.json). Returns how many questions it created; skips existing titles."""
    data = json.loads(DEMO_QUESTIONS_FILE.read_text(encoding="utf-8"))
    for extra in data["extra_users"]:
        if not await User.exists().where(User.email == extra["email"]).run():
            user_id = await accounts.create_user(
                email=extra["email"],
                display_name=extra["display_name"],
                password=secrets.token_urlsafe(24),  # shown nowhere: these accounts only post
                role=Role(extra["role"]),
                authority_slug=extra["authority"],
                check_password=False,
            )
            if extra.get("expertise"):
                await administration.set_expertise(user_id, extra["expertise"])
    voters = [await principal_by_email(d.email) for d in DEMO_USERS] + [
        await principal_by_email(e["email"]) for e in data["extra_users"]
    ]
    cornerstones = {c["number"]: c["slug"] for c in load_seed_data()["cornerstones"]}
    created = 0
    now = clock.now()
    for item in data["questions"]:
        if await Question.exists().where(Question.title == item["title"]).run():
            continue
        author = await principal_by_email(item["author"])
        qid = await questions.ask(
            author,
            QuestionInput(
                title=item["title"],
                body=item["body"],
                cornerstone=cornerstones[item["cornerstone"]],
                instruments=item.get("instruments", []),
                directed_to=item.get("directed_to"),
            ),
        )
        asked_at = now - timedelta(days=item["days_ago"], hours=random.randint(0, 8))
        latest = asked_at
        for c in item.get("comments", []):
            await questions.comment(
                await principal_by_email(c["author"]), qid, None, CommentInput(body=c["body"])
            )
        await _vote(voters, author.id, "question", qid, item["votes"]["question"])
        for a, votes in zip(item.get("answers", []), item["votes"]["answers"], strict=True):
            answerer = await principal_by_email(a["author"])
            aid = await questions.answer(answerer, qid, AnswerInput(body=a["body"]))
            answered_at = asked_at + timedelta(days=a["days_after"], hours=random.randint(1, 6))
            latest = max(latest, answered_at)
            await (
                Answer.update({Answer.created_at: answered_at, Answer.updated_at: answered_at})
                .where(Answer.id == aid)
                .run()
            )
            for c in a.get("comments", []):
                await questions.comment(
                    await principal_by_email(c["author"]), None, aid, CommentInput(body=c["body"])
                )
            await _vote(voters, answerer.id, "answer", aid, votes)
            if a.get("accepted"):
                await questions.accept(author, aid)
        await (
            Question.update(
                {
                    Question.created_at: asked_at,
                    Question.updated_at: asked_at,
                    Question.last_activity_at: latest,
                }
            )
            .where(Question.id == qid)
            .run()
        )
        created += 1
    return created


async def _vote(
    voters: list[Principal], author_id: int, target: str, target_id: int, n: int
) -> None:
    # As many up-votes as the file asks for, capped by the demo users who are not the author.
    for voter in [v for v in voters if v.id != author_id][:n]:
        await questions.vote(voter, target, target_id, 1)
