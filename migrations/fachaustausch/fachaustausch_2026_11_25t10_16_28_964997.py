from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean

ID = "2026-11-25T10:16:28:964997"
VERSION = "1.38.0"
DESCRIPTION = "True"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="fachaustausch", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="Question",
        tablename="question",
        column_name="hidden",
        db_column_name="hidden",
        params={"index": False},
        old_params={"index": True},
        column_class=Boolean,
        old_column_class=Boolean,
        schema=None,
    )

    return manager
