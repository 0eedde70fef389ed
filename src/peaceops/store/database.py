"""The one class that owns connections to the peaceops DuckDB database.

Readers open the file read-only (many processes can read at once); the SQL console opens it
read-only *and* without file-system access, so user SQL can neither change the database nor
read or write other files. Every write goes through one path, :meth:`Database.execute_write_fn`
(and the helpers built on it: :meth:`Database.execute_write`, :meth:`Database.insert`,
:meth:`Database.replace`), which serialises writes and runs each inside a transaction. Whole
builds and re-codings write a new file that replaces the old one atomically
(``peaceops.store.files``), so readers never see a half-written database.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

from peaceops.errors import DatabaseError, UsageError
from peaceops.settings import setting

logger = logging.getLogger(__name__)

ENV_DB = "PEACEOPS_DB"
T = TypeVar("T")


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
    limit = str(setting("sql_memory_limit"))
    try:
        conn.execute(f"SET memory_limit = '{limit.replace(chr(39), '')}'")
    except duckdb.Error as exc:
        conn.close()
        raise UsageError(
            f"$PEACEOPS_SQL_MEMORY_LIMIT={limit!r} is no DuckDB size (e.g. 512MB, 4GB): {exc}"
        ) from None
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
        if self.path.exists() and not self.path.is_file():
            # a FIFO would block DuckDB's open for good, a folder gives an obscure error (#27)
            raise DatabaseError(
                f"{self.path} is not a database file (a folder, FIFO or device); pass --db / "
                "set PEACEOPS_DB to the file `peaceops build` made"
            )
        try:
            if sandboxed:
                self._conn = _sandbox(self.path)
            else:
                self._conn = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.Error as exc:
            raise DatabaseError(f"cannot open {self.path}: {exc}") from exc

    @property
    def _open_conn(self) -> duckdb.DuckDBPyConnection:
        """The open connection (raises once closed); other layers use this class's methods."""
        if self._conn is None:
            raise DatabaseError(f"database {self.path} is closed")
        return self._conn

    def execute(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> pd.DataFrame:
        """Run one query and return its result as a DataFrame."""
        try:
            return self._open_conn.execute(sql, params).df()
        except duckdb.Error as exc:
            raise DatabaseError(str(exc).split("\n")[0]) from exc

    def execute_bounded(self, sql: str, *, timeout: float | None = None) -> pd.DataFrame:
        """Run a user's query with a time limit, interruptible by Ctrl-C (the SQL console).

        The query runs in a helper thread while this one waits in short steps, so that a
        KeyboardInterrupt or the time limit reaches it at once; either interrupts the query in
        DuckDB (``connection.interrupt()``) before the error is raised.

        Raises:
            DatabaseError: the query failed, or ran longer than ``timeout`` seconds.
            KeyboardInterrupt: Ctrl-C; the query has been stopped.
        """
        conn = self._open_conn
        started = time.monotonic()
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            future = pool.submit(lambda: conn.execute(sql).df())
            try:
                while True:
                    try:
                        return future.result(timeout=0.1)
                    except concurrent.futures.TimeoutError:
                        if timeout and time.monotonic() - started > timeout:
                            conn.interrupt()
                            raise DatabaseError(
                                f"the query ran longer than {timeout:g} s and was stopped; "
                                "narrow it (WHERE, LIMIT) or raise $PEACEOPS_SQL_TIMEOUT_SECONDS"
                            ) from None
            except KeyboardInterrupt:
                conn.interrupt()
                raise
            except duckdb.Error as exc:
                raise DatabaseError(str(exc).split("\n")[0]) from exc

    def rows(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> list[dict]:
        """Run one query and return a list of dicts (column -> value)."""
        try:
            cursor = self._open_conn.execute(sql, params)
            names = [d[0] for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        except duckdb.Error as exc:
            raise DatabaseError(str(exc).split("\n")[0]) from exc

    def tuples(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> list[tuple]:
        """Run one query and return its rows as tuples (column order of the query)."""
        try:
            return self._open_conn.execute(sql, params).fetchall()
        except duckdb.Error as exc:
            raise DatabaseError(str(exc).split("\n")[0]) from exc

    def scalar(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> Any:
        """Run one query and return the first column of its first row (or ``None``)."""
        # fetchall, not fetchone: DuckDB 2 keeps a half-fetched result open on the connection
        try:
            rows = self._open_conn.execute(sql, params).fetchall()
        except duckdb.Error as exc:
            raise DatabaseError(str(exc).split("\n")[0]) from exc
        return rows[0][0] if rows else None

    def execute_write_fn(self, fn: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """Run ``fn(connection)`` inside a transaction, serialised with other writes."""
        if self.read_only:
            raise DatabaseError("this Database was opened read-only; open with read_only=False")
        with self._lock:
            self._open_conn.execute("BEGIN TRANSACTION")
            try:
                result = fn(self._open_conn)
            except BaseException:
                self._open_conn.execute("ROLLBACK")
                raise
            self._open_conn.execute("COMMIT")
            return result

    def execute_write(self, sql: str, params: list[Any] | None = None) -> None:
        """Run one writing statement (in its own transaction)."""
        self.execute_write_fn(lambda conn: conn.execute(sql, params))

    def insert(self, table: str, frame: pd.DataFrame) -> int:
        """Append ``frame`` to ``table`` by column name; return the rows inserted.

        ``INSERT ... BY NAME``: a frame whose columns drift from the schema fails loudly.
        """
        self.execute_write_fn(lambda conn: _insert(conn, table, frame))
        return len(frame)

    def replace(
        self,
        frames: Mapping[str, pd.DataFrame],
        *,
        key: str | None = None,
        values: Sequence[Any] | None = None,
        append: Mapping[str, pd.DataFrame] | None = None,
    ) -> dict[str, int]:
        """Replace rows of several tables in one transaction; return rows written per table.

        Args:
            frames: the new rows by table.
            key: with ``values``, delete only the rows whose ``key`` is in ``values``
                (e.g. the resolutions just coded); without, empty each table first.
            values: see ``key``.
            append: rows appended to other tables in the same transaction (a run's log row).
        """
        keys = list(values or [])

        def write(conn: duckdb.DuckDBPyConnection) -> None:
            for table, frame in frames.items():
                if key is None:
                    conn.execute(f'DELETE FROM "{table}"')
                elif keys:
                    # the keys are bound as a list of the column's own type: an empty frame of
                    # keys used to be typed DOUBLE and failed against a VARCHAR column (#27)
                    conn.execute(
                        f'DELETE FROM "{table}" WHERE "{key}" IN '
                        f"(SELECT unnest(?::{_column_type(conn, table, key)}[]))",
                        [keys],
                    )
                _insert(conn, table, frame)
            for table, frame in (append or {}).items():
                _insert(conn, table, frame)

        self.execute_write_fn(write)
        return {table: len(frame) for table, frame in frames.items()}

    def checkpoint(self) -> None:
        """Write the write-ahead log into the file (before the file is copied or renamed)."""
        with self._lock:
            self._open_conn.execute("CHECKPOINT")

    def arrow(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> Any:
        """Run one query and return its result as a ``pyarrow.Table``."""
        try:
            return self._open_conn.sql(sql, params=params).to_arrow_table()
        except duckdb.Error as exc:
            raise DatabaseError(str(exc).split("\n")[0]) from exc

    def tables(self) -> list[str]:
        """Names of the base tables in the database, sorted."""
        return sorted(
            r[0]
            for r in self._open_conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'main' AND table_type = 'BASE TABLE'"
            ).fetchall()
        )

    def columns(self, table: str) -> list[str]:
        """Column names of ``table``, in order."""
        return [
            r[0]
            for r in self.tuples(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "AND table_schema = 'main' ORDER BY ordinal_position",
                [table],
            )
        ]

    def content_hash(self, table: str, *, exclude: Sequence[str] = ()) -> str:
        """SHA-256 of a table's rows, whatever their order, without the ``exclude`` columns.

        Rows are rendered with ``repr`` and sorted, so two databases with the same contents
        give the same hash (timestamps are excluded by name by the caller).
        """
        import hashlib

        kept = [c for c in self.columns(table) if c not in set(exclude)]
        select = ", ".join(f'"{c}"' for c in kept)
        rows = sorted(repr(row) for row in self.tuples(f'SELECT {select} FROM "{table}"'))
        return hashlib.sha256("\n".join(rows).encode()).hexdigest()

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


def is_interrupt(exc: BaseException) -> bool:
    """True when ``exc`` is DuckDB's answer to Ctrl-C (or to ``interrupt()``) during a query.

    Ctrl-C reaches a running query as a plain ``RuntimeError("Query interrupted")``;
    ``connection.interrupt()`` raises ``duckdb.InterruptException`` (#27). Ctrl-C while DuckDB
    reads a registered data frame (``register``, in Python code it calls back) comes back as a
    ``duckdb.Error`` whose message is that code's traceback, ending in ``KeyboardInterrupt``
    (found in #28, when ``add``'s measures took longer).
    """
    if isinstance(exc, duckdb.InterruptException):
        return True
    if isinstance(exc, duckdb.Error) and str(exc).rstrip().endswith(
        ("KeyboardInterrupt", "KeyboardInterrupt:")
    ):
        return True
    return type(exc) is RuntimeError and "interrupted" in str(exc).lower()


def _column_type(conn: duckdb.DuckDBPyConnection, table: str, column: str) -> str:
    """The SQL type of ``table.column`` (a key column of :meth:`Database.replace`)."""
    rows = conn.execute(
        "SELECT data_type FROM information_schema.columns WHERE table_schema = 'main' "
        "AND table_name = ? AND column_name = ?",
        [table, column],
    ).fetchall()
    if not rows:
        raise DatabaseError(f"no column {column!r} in table {table!r}")
    return rows[0][0]


@contextlib.contextmanager
def registered(conn: duckdb.DuckDBPyConnection, name: str, data: Any) -> Iterator[None]:
    """``data`` (a data frame or Arrow table) readable as the view ``name`` within the block.

    A statement that failed or was interrupted (Ctrl-C) inside the block aborted the
    transaction, so unregistering raises too: the caller rolls back, and the first error, not
    the unregister's, is what happened (#27; found again in the search index's write, #30).
    """
    conn.register(name, data)
    try:
        yield
    finally:
        with contextlib.suppress(duckdb.Error):
            conn.unregister(name)


def _insert(conn: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    if not len(frame):
        return
    with registered(conn, "_frame", frame):
        conn.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM _frame')
