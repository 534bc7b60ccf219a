"""Demo data for `fachaustausch seed --demo`: one account per role, a pending registration
for the moderators to approve, and questions with answers. All names are invented."""

from __future__ import annotations

import json
import random
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fachaustausch.accounts import passwords
from fachaustausch.accounts import service as accounts
from fachaustausch.accounts.policy import AccountStatus, Principal, Role
from fachaustausch.accounts.tables import Authority, User
from fachaustausch.questions import service as questions
from fachaustausch.questions.models import AnswerInput, CommentInput, QuestionInput
from fachaustausch.questions.tables import Answer, Question
from fachaustausch.toolbox.seed import load_seed_data


@dataclass(frozen=True)
class DemoUser:
    email: str
    display_name: str
    role: Role
    authority: str
    password: str
    expertise: tuple[str, ...] = ()


DEMO_USERS = (
    DemoUser("mitglied@leipzig.de", "Jana Becker", Role.member, "leipzig", "Demo-Mitglied-2026"),
    DemoUser(
        "expertin@weimar.de",
        "Katrin Vogel",
        Role.expert,
        "weimar",
        "Demo-Expertin-2026",
        (
            "terminsystem",
            "service-point-front-office",
            "front-und-back-office-im-wechsel",
            "raum-und-wartebereichsgestaltung",
            "mobiler-arbeitsplatz",
        ),
    ),
    DemoUser(
        "experte@mainz.de",
        "Thomas Berger",
        Role.expert,
        "mainz",
        "Demo-Experte-2026",
        ("website-mit-faq", "fremdsprachenschulungen", "service-point-front-office"),
    ),
    DemoUser(
        "moderation@bamf.bund.de", "Sabine Krüger", Role.moderator, "bamf", "Demo-Moderation-2026"
    ),
    DemoUser("admin@bamf.bund.de", "Michael Hoffmann", Role.admin, "bamf", "Demo-Admin-2026"),
)
DEMO_PENDING = DemoUser("neu@bremen.de", "Lena Wagner", Role.member, "bremen", "Demo-Wartend-2026")


async def seed_demo() -> list[DemoUser]:
    """Creates the demo accounts that do not exist yet; returns the ones it created."""
    created = []
    for demo in DEMO_USERS:
        if await User.exists().where(User.email == demo.email).run():
            continue
        user_id = await accounts.create_user(
            email=demo.email,
            display_name=demo.display_name,
            password=demo.password,
            role=demo.role,
            authority_slug=demo.authority,
            check_password=False,
        )
        if demo.expertise:
            await accounts.set_expertise(user_id, list(demo.expertise))
        created.append(demo)
    if not await User.exists().where(User.email == DEMO_PENDING.email).run():
        authority = (
            await Authority.select(Authority.id)
            .where(Authority.slug == DEMO_PENDING.authority)
            .first()
            .run()
        )
        assert authority is not None, "seed the reference data first"
        await User.insert(
            User(
                email=DEMO_PENDING.email,
                display_name=DEMO_PENDING.display_name,
                authority=authority["id"],
                role=Role.member,
                status=AccountStatus.pending,
                password_hash=await passwords.hash_password(DEMO_PENDING.password),
            )
        ).run()
        created.append(DEMO_PENDING)
    return created


DEMO_QUESTIONS_FILE = Path(__file__).with_name("demo_questions.json")


async def _principal_by_email(email: str) -> Principal:
    row = await User.select(User.id).where(User.email == email).first().run()
    assert row is not None, f"demo user {email} missing"
    principal = await accounts.principal_by_id(row["id"])
    assert principal is not None
    return principal


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
                await accounts.set_expertise(user_id, extra["expertise"])
    voters = [await _principal_by_email(d.email) for d in DEMO_USERS] + [
        await _principal_by_email(e["email"]) for e in data["extra_users"]
    ]
    cornerstones = {c["number"]: c["slug"] for c in load_seed_data()["cornerstones"]}
    created = 0
    now = datetime.now(UTC)
    for item in data["questions"]:
        if await Question.exists().where(Question.title == item["title"]).run():
            continue
        author = await _principal_by_email(item["author"])
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
                await _principal_by_email(c["author"]), qid, None, CommentInput(body=c["body"])
            )
        await _vote(voters, author.id, "question", qid, item["votes"]["question"])
        for a, votes in zip(item.get("answers", []), item["votes"]["answers"], strict=True):
            answerer = await _principal_by_email(a["author"])
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
                    await _principal_by_email(c["author"]), None, aid, CommentInput(body=c["body"])
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
