"""Composite rules Piccolo's column options cannot express: one vote per user and post,
one follow per user and question, an instrument once per question or expert, and the
index the answer ordering uses."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-11-25T08:52:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "composite unique indexes"

STATEMENTS = [
    'CREATE UNIQUE INDEX vote_once ON vote ("user", target_type, target_id)',
    "CREATE INDEX vote_target ON vote (target_type, target_id)",
    'CREATE UNIQUE INDEX follow_once ON follow ("user", question)',
    "CREATE UNIQUE INDEX question_instrument_once ON question_instrument (question, instrument)",
    'CREATE UNIQUE INDEX user_instrument_once ON user_instrument ("user", instrument)',
    "CREATE INDEX answer_question_order ON answer (question, accepted, score)",
]


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="fachaustausch", description=DESCRIPTION)

    async def create_indexes() -> None:
        engine = engine_finder()
        assert engine is not None
        for statement in STATEMENTS:
            await engine.run_ddl(statement)

    manager.add_raw(create_indexes)
    return manager
