"""The database: engines, the Database an app owns and makes current, transactions,
migrations, and the data-access machinery domains use in their reads (prepared queries,
the read cache)."""

from fachaustausch.database.context import current, use
from fachaustausch.database.engine import Database, change_counter, is_sqlite, transaction

__all__ = ["Database", "change_counter", "current", "is_sqlite", "transaction", "use"]
