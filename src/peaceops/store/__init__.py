"""The knowledge base: one DuckDB file, schema as ordered migrations, atomic file swaps."""

from peaceops.errors import DatabaseError, NotFound
from peaceops.store.database import Database, default_db_path
from peaceops.store.files import changed_database, new_database, remove_stale
from peaceops.store.migrations import apply_migrations, migrations

__all__ = [
    "Database",
    "DatabaseError",
    "NotFound",
    "apply_migrations",
    "changed_database",
    "default_db_path",
    "migrations",
    "new_database",
    "remove_stale",
]
