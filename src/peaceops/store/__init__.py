"""The knowledge base: one DuckDB file, schema as ordered migrations, atomic builds."""

from peaceops.store.build import BuildReport, build
from peaceops.store.database import Database, DatabaseError, default_db_path
from peaceops.store.migrations import apply_migrations, migrations

__all__ = [
    "BuildReport",
    "Database",
    "DatabaseError",
    "apply_migrations",
    "build",
    "default_db_path",
    "migrations",
]
