"""Schema as ordered migrations.

Each migration is a SQL file in ``peaceops/store/migrations`` named ``NNNN_name.sql``; they are
applied in order and recorded in ``schema_migrations``, so a database always says which schema
it has. Tables are never altered ad hoc: a change is a new migration.
"""

from __future__ import annotations

import re
from importlib import resources

import duckdb

_NAME = re.compile(r"(\d{4})_[a-z0-9_]+\.sql")


def migrations() -> list[tuple[str, str]]:
    """Return ``(name, sql)`` of every migration, in order."""
    folder = resources.files("peaceops.store") / "migrations"
    found = sorted(p.name for p in folder.iterdir() if _NAME.fullmatch(p.name))
    return [(name.removesuffix(".sql"), (folder / name).read_text("utf-8")) for name in found]


def apply_migrations(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations not yet recorded in ``schema_migrations``; return their names."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at "
        "TIMESTAMP DEFAULT current_timestamp)"
    )
    done = {r[0] for r in conn.execute("SELECT name FROM schema_migrations").fetchall()}
    applied = []
    for name, sql in migrations():
        if name in done:
            continue
        conn.execute(sql)
        conn.execute("INSERT INTO schema_migrations (name) VALUES (?)", [name])
        applied.append(name)
    return applied
