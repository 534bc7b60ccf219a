"""The content review (issue 23): the provisions posts cite, changes in the law, the posts
those changes put up for review and the reviews; on answers and questions the date of the
last review, and on answers the newer answer that replaces an outdated one.

The tables are created from frozen copies of their definitions (below), so this migration
keeps creating what it created when the tables change later."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.columns.indexes import IndexMethod
from piccolo.engine import engine_finder
from piccolo.table import Table

ID = "2026-12-03T18:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "content review: citations, legal changes, review tasks and reviews"


class User(Table, tablename="app_user", schema=None):
    id = Serial(primary_key=True)


class Question(Table, tablename="question", schema=None):
    id = Serial(primary_key=True)
    title = Varchar(length=150)
    body = Text()


class Answer(Table, tablename="answer", schema=None):
    id = Serial(primary_key=True)
    question = Integer()
    body = Text()


class PostCitation(Table, tablename="post_citation"):
    post_type = Varchar(length=10)
    post_id = Integer()
    question_id = Integer()
    law = Varchar(length=20)
    kind = Varchar(length=5)
    section = Varchar(length=10)
    paragraph = Varchar(length=10, null=True, default=None)
    sentence = Varchar(length=10, null=True, default=None)
    number = Varchar(length=10, null=True, default=None)
    following = Boolean(default=False)
    through = Varchar(length=10, null=True, default=None)
    label = Varchar(length=120)


class LegalChange(Table, tablename="legal_change"):
    title = Varchar(length=300)
    note = Text(default="")
    effective_on = Date()
    recorded_by = ForeignKey(references=User, on_delete=OnDelete.restrict)
    created_at = Timestamptz(default=TimestamptzNow())


class LegalChangeProvision(Table, tablename="legal_change_provision"):
    change = ForeignKey(references=LegalChange, on_delete=OnDelete.cascade)
    law = Varchar(length=20)
    kind = Varchar(length=5)
    section = Varchar(length=10)
    paragraph = Varchar(length=10, null=True, default=None)
    sentence = Varchar(length=10, null=True, default=None)
    number = Varchar(length=10, null=True, default=None)
    label = Varchar(length=120)


class ReviewTask(Table, tablename="review_task"):
    post_type = Varchar(length=10)
    post_id = Integer()
    question_id = Integer()
    change = ForeignKey(references=LegalChange, on_delete=OnDelete.cascade)
    provisions = Text(default="")
    created_at = Timestamptz(default=TimestamptzNow())
    review = Integer(null=True, default=None)


class ContentReview(Table, tablename="content_review"):
    post_type = Varchar(length=10)
    post_id = Integer()
    question_id = Integer()
    action = Varchar(length=10)
    cause = Varchar(length=15)
    reviewer = ForeignKey(references=User, on_delete=OnDelete.restrict)
    reason = Text(default="")
    successor_id = Integer(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())


TABLES = [PostCitation, LegalChange, LegalChangeProvision, ReviewTask, ContentReview]

INDEXES = [
    # A post's citations, rewritten on every edit; the citations of a question's thread.
    "CREATE INDEX post_citation_post ON post_citation (post_type, post_id)",
    "CREATE INDEX post_citation_question ON post_citation (question_id)",
    # A change finds the posts citing its provisions by law and section.
    "CREATE INDEX post_citation_provision ON post_citation (law, kind, section)",
    "CREATE INDEX legal_change_provision_change ON legal_change_provision (change)",
    "CREATE UNIQUE INDEX review_task_once ON review_task (post_type, post_id, change)",
    "CREATE INDEX review_task_open ON review_task (review, post_type, post_id)",
    "CREATE INDEX review_task_question ON review_task (question_id)",
    "CREATE INDEX content_review_post ON content_review (post_type, post_id)",
]


BATCH = 500


async def _cite_existing_posts() -> None:
    """The citations of the posts written before this migration, read by the parser of
    the time (later edits rewrite them, as every edit does)."""
    from fachaustausch.review.citations import find_citations

    async def cite(post_type: str, post_id: int, question_id: int, text: str) -> None:
        seen: set[tuple[str, str | None]] = set()
        rows = []
        for c in find_citations(text):
            if (c.label, c.through) in seen:
                continue
            seen.add((c.label, c.through))
            rows.append(
                PostCitation(
                    post_type=post_type,
                    post_id=post_id,
                    question_id=question_id,
                    law=c.law,
                    kind=c.kind,
                    section=c.section,
                    paragraph=c.paragraph,
                    sentence=c.sentence,
                    number=c.number,
                    following=c.following,
                    through=c.through,
                    label=c.label[:120],
                )
            )
        if rows:
            await PostCitation.insert(*rows).run()

    last = 0
    while rows := await (
        Question.select(Question.id, Question.title, Question.body)
        .where(Question.id > last)
        .order_by(Question.id)
        .limit(BATCH)
        .run()
    ):
        for row in rows:
            await cite("question", row["id"], row["id"], f"{row['title']}\n{row['body']}")
        last = rows[-1]["id"]
    last = 0
    while rows := await (
        Answer.select(Answer.id, Answer.question, Answer.body)
        .where(Answer.id > last)
        .order_by(Answer.id)
        .limit(BATCH)
        .run()
    ):
        for row in rows:
            await cite("answer", row["id"], row["question"], row["body"])
        last = rows[-1]["id"]


def _nullable(column_class: type, name: str) -> dict[str, object]:
    return {
        "table_class_name": "",
        "tablename": "",
        "column_name": name,
        "db_column_name": name,
        "column_class_name": column_class.__name__,
        "column_class": column_class,
        "params": {
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        "schema": None,
    }


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="fachaustausch", description=DESCRIPTION)

    async def create() -> None:
        engine = engine_finder()
        assert engine is not None
        for table in (*TABLES, Question, Answer):
            table._meta.db = engine
        for table in TABLES:
            await table.create_table().run()
        for statement in INDEXES:
            await engine.run_ddl(statement)
        await _cite_existing_posts()

    manager.add_raw(create)
    for table_class_name, tablename, column_class, name in (
        ("Answer", "answer", Timestamptz, "reviewed_at"),
        ("Answer", "answer", Integer, "outdated_successor_id"),
        ("Question", "question", Timestamptz, "reviewed_at"),
    ):
        manager.add_column(
            **{
                **_nullable(column_class, name),
                "table_class_name": table_class_name,
                "tablename": tablename,
            }
        )
    return manager
