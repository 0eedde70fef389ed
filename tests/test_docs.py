"""The documentation names every table and every command (see STYLE.md rule 36)."""

import re
from pathlib import Path

import pytest

from peaceops.cli import app
from peaceops.store.migrations import migrations

DOCS = Path(__file__).resolve().parents[1] / "docs"


def _tables() -> list[str]:
    names = []
    for _, sql in migrations():
        names += re.findall(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)", sql)
    return sorted({*names, "schema_migrations"})


@pytest.mark.parametrize("table", _tables())
def test_every_table_is_documented(table):
    assert f"`{table}`" in (DOCS / "data.md").read_text(encoding="utf-8")


def test_the_data_dictionary_covers_the_schema_exactly():
    import duckdb

    from peaceops.store.export import STATA_LABEL_CHARS, dictionary
    from peaceops.store.migrations import apply_migrations

    conn = duckdb.connect()
    apply_migrations(conn)
    schema = set(
        conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'main'"
        ).fetchall()
    )
    labels = dictionary()
    assert set(labels) == schema
    assert all(0 < len(label) <= STATA_LABEL_CHARS for label in labels.values())


def _commands() -> list[str]:
    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    for group in app.registered_groups:
        names += [f"{group.name} {c.name}" for c in group.typer_instance.registered_commands]
    return names


@pytest.mark.parametrize("command", _commands())
def test_every_command_is_documented(command):
    assert f"peaceops {command}" in (DOCS / "cli.md").read_text(encoding="utf-8")
