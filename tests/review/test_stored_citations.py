"""What is stored per post: the citations of a question (title and text) and of an answer,
rewritten on every edit, and those of the posts written before the content review existed
(its migration reads them once) (issue 23)."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest

from fachaustausch.accounts.policy import Role
from fachaustausch.database.context import current_engine
from fachaustausch.questions import service as questions
from fachaustausch.questions.models import AnswerEdit, QuestionEdit
from fachaustausch.review.tables import PostCitation
from fachaustausch.settings import PROJECT_ROOT, Settings
from tests.factories import make_user
from tests.web.qa import answer, ask

pytestmark = pytest.mark.database

MIGRATION = (
    PROJECT_ROOT / "migrations" / "fachaustausch" / "fachaustausch_2026_12_03t18_00_00_000000.py"
)


async def _labels(post_type: str, post_id: int) -> list[str]:
    rows = await (
        PostCitation.select(PostCitation.label)
        .where((PostCitation.post_type == post_type) & (PostCitation.post_id == post_id))
        .order_by(PostCitation.id)
        .run()
    )
    return [r["label"] for r in rows]


async def test_citations_follow_every_version_of_a_post(settings: Settings) -> None:
    member = await make_user(Role.member)
    question = await ask(
        member,
        "Ausbildungsduldung nach § 60c AufenthG: wer ist zuständig?",
        body="Gilt § 60c AufenthG i. V. m. § 32 BeschV auch nach §§ 16a bis 16b AufenthG?",
    )
    assert await _labels("question", question) == [
        "§ 60c AufenthG", "§ 32 BeschV", "§ 16a AufenthG", "§ 16b AufenthG",
    ]  # fmt: skip
    reply = await answer(member, question, "Nach Art. 6 Abs. 1 GG und § 5 Abs. 1 Nr. 1 AufenthG.")
    assert await _labels("answer", reply) == ["Art. 6 Abs. 1 GG", "§ 5 Abs. 1 Nr. 1 AufenthG"]

    principal = await member.principal()
    await questions.edit_answer(principal, reply, AnswerEdit(body="Nichts mehr zitiert."))
    assert await _labels("answer", reply) == []
    await questions.edit_question(
        principal, question, QuestionEdit(title="Beschäftigungsduldung nach § 60d AufenthG")
    )
    assert await _labels("question", question) == [
        "§ 60d AufenthG", "§ 60c AufenthG", "§ 32 BeschV", "§ 16a AufenthG", "§ 16b AufenthG",
    ]  # fmt: skip


def _migration() -> Any:
    spec = importlib.util.spec_from_file_location("review_migration", MIGRATION)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def test_the_migration_cites_the_posts_written_before_it(settings: Settings) -> None:
    member = await make_user(Role.member)
    question = await ask(member, "Frage zur Niederlassungserlaubnis", body="Nach § 9 AufenthG?")
    reply = await answer(member, question, "Ja, § 9 Abs. 2 Satz 1 Nr. 3 AufenthG.")
    await PostCitation.delete(force=True).run()  # as before the migration

    migration = _migration()
    for table in (migration.PostCitation, migration.Question, migration.Answer):
        table._meta.db = current_engine()
    await migration._cite_existing_posts()

    assert await _labels("question", question) == ["§ 9 AufenthG"]
    assert await _labels("answer", reply) == ["§ 9 Abs. 2 Satz 1 Nr. 3 AufenthG"]
