"""The one class that owns connections to the peaceops DuckDB database.

Readers open the file read-only (many processes can read at once); the SQL console opens it
read-only *and* without file-system access, so user SQL can neither change the database nor
read or write other files. Writes go through :meth:`Database.execute_write_fn`, which takes a
lock so they are serialised; the full build writes a new file instead (``peaceops.store.build``).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

logger = logging.getLogger(__name__)

ENV_DB = "PEACEOPS_DB"
T = TypeVar("T")


class DatabaseError(Exception):
    """The database is missing, unreadable, or a query against it failed."""


def default_db_path() -> Path:
    """Return ``$PEACEOPS_DB`` or ``peaceops.duckdb`` in the user's data directory."""
    if os.environ.get(ENV_DB):
        return Path(os.environ[ENV_DB])
    import platformdirs

    return Path(platformdirs.user_data_dir("peaceops", appauthor=False)) / "peaceops.duckdb"


def _sandbox(path: Path) -> duckdb.DuckDBPyConnection:
    """A private in-memory instance with the file attached read-only and no file access.

    Settings are per DuckDB instance, so the sandbox gets an instance of its own: locking file
    access there leaves other connections of the same process (exports, builds) unaffected.
    """
    conn = duckdb.connect(":memory:")
    quoted = str(path).replace("'", "''")
    conn.execute(f"ATTACH '{quoted}' AS kb (READ_ONLY)")
    conn.execute("USE kb")
    conn.execute("SET enable_external_access = false")
    conn.execute("SET lock_configuration = true")
    return conn


class Database:
    """A peaceops database file.

    Args:
        path: the DuckDB file; defaults to :func:`default_db_path`.
        read_only: open read-only (the default for every reader).
        sandboxed: also forbid file-system access (for user-supplied SQL).
    """

    def __init__(
        self, path: Path | str | None = None, *, read_only: bool = True, sandboxed: bool = False
    ) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        self.read_only = read_only
        self._lock = threading.Lock()
        self._conn: duckdb.DuckDBPyConnection | None = None
        if read_only and not self.path.exists():
            raise DatabaseError(
                f"no database at {self.path}. Build it first with `peaceops build` "
                "(or pass --db / set PEACEOPS_DB to an existing one)."
            )
        try:
            if sandboxed:
                self._conn = _sandbox(self.path)
            else:
                self._conn = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            raise DatabaseError(f"cannot open {self.path}: {exc}") from exc

    @property
    def conn(self) -> duckdb.DuckDBPyConnection:
        """The open connection (raises once closed)."""
        if self._conn is None:
            raise DatabaseError(f"database {self.path} is closed")
        return self._conn

    def execute(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
        """Run one query and return its result as a DataFrame."""
        try:
            return self.conn.execute(sql, params).df()
        except duckdb.Error as exc:
            raise DatabaseError(str(exc).split("\n")[0]) from exc

    def rows(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> list[dict]:
        """Run one query and return a list of dicts (column -> value)."""
        try:
            cursor = self.conn.execute(sql, params)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        except duckdb.Error as exc:
            raise DatabaseError(str(exc).split("\n")[0]) from exc

    def scalar(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> Any:
        """Run one query and return the first column of its first row (or ``None``)."""
        # fetchall, not fetchone: DuckDB 2 keeps a half-fetched result open on the connection
        rows = self.conn.execute(sql, params).fetchall()
        return rows[0][0] if rows else None

    def execute_write_fn(self, fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """Run ``fn(connection)`` inside a transaction, serialised with other writes."""
        if self.read_only:
            raise DatabaseError("this Database was opened read-only; open with read_only=False")
        with self._lock:
            self.conn.execute("BEGIN TRANSACTION")
            try:
                result = fn(self.conn)
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")
            return result

    def tables(self) -> list[str]:
        """Names of the base tables in the database, sorted."""
        return sorted(
            r[0]
            for r in self.conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' AND table_type = 'BASE TABLE'"
            ).fetchall()
        )

    def table_counts(self) -> dict[str, int]:
        """Row count of every table."""
        return {t: int(self.scalar(f'SELECT count(*) FROM "{t}"')) for t in self.tables()}

    def close(self) -> None:
        """Close the connection. Safe to call more than once."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
