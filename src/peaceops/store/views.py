"""Figures and documents drawn from the whole knowledge base, kept in it (the ``views`` table).

A mission page's figures take about half a second to draw and the paper's claims five; drawn
once per knowledge base by ``peaceops build`` and kept here, every later process (the explorer
after a restart, ``peaceops report``) reads them instead of drawing them again (#30). A row is
used only by the code that drew it (:func:`code_fingerprint`), and any change of the store
deletes them all (:func:`clear_views`, called by ``store.files.changed_database``), so a kept
view is never one of an older store or older code: where there is none, the caller draws live.

What is drawn, and how, is the report layer's (``peaceops.report.views``); this module only
stores JSON under a key.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from importlib import resources
from pathlib import Path

from peaceops.store.database import Database

logger = logging.getLogger(__name__)

#: Files of the package whose bytes make up the code fingerprint (templates, styles and the
#: curated tables draw the pages as much as the Python does).
CODE_SUFFIXES = frozenset({".py", ".html", ".css", ".js", ".sql", ".csv", ".yaml", ".svg"})


def code_files(root: Path) -> list[Path]:
    """The package's files that make up its code, in a fixed order."""
    return sorted(
        p for p in root.rglob("*") if p.suffix in CODE_SUFFIXES and "__pycache__" not in p.parts
    )


@functools.cache
def code_fingerprint() -> str:
    """A short SHA-256 of the installed peaceops package's code (paths and bytes)."""
    root = Path(str(resources.files("peaceops")))
    digest = hashlib.sha256()
    for path in code_files(root):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def get_view(db: Database, key: str) -> object | None:
    """The view kept under ``key`` by this code, or None (none kept, other code, no table)."""
    if "views" not in db.tables():
        return None  # a store built before the table (it is added by the migration)
    rows = db.tuples("SELECT body FROM views WHERE key = ? AND code = ?", [key, code_fingerprint()])
    if not rows:
        return None
    try:
        return json.loads(rows[0][0])
    except ValueError:  # a damaged row is drawn again, not shown
        logger.warning("the kept view %r is not JSON; drawing it again", key)
        return None


def put_views(db: Database, views: dict[str, object]) -> None:
    """Keep ``views`` (key -> JSON-ready value), replacing what was kept under their keys."""
    code = code_fingerprint()
    rows = [(key, code, json.dumps(value)) for key, value in views.items()]

    def write(conn) -> None:
        conn.executemany("DELETE FROM views WHERE key = ?", [(key,) for key, *_ in rows])
        conn.executemany("INSERT INTO views VALUES (?, ?, ?)", rows)

    db.execute_write_fn(write)


def clear_views(db: Database) -> None:
    """Delete every kept view: they were drawn from the store as it was before a change."""
    if "views" in db.tables():
        db.execute_write_fn(lambda conn: conn.execute("DELETE FROM views"))
