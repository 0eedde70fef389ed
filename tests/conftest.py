"""Shared fixtures: the real data directory and one knowledge base built from it per session."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from peaceops.pipeline import build
from peaceops.store import Database, apply_migrations

# Texts added with `peaceops add` live outside the data directory and every build reads them:
# the suite uses an empty folder of its own, never the user's.
os.environ["PEACEOPS_TEXTS"] = tempfile.mkdtemp(prefix="peaceops-texts-")

DATA_DIR = Path(
    os.environ.get("PEACEOPS_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data"
)


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The real data directory (../shared/data); the suite needs it and never writes to it."""
    if not DATA_DIR.is_dir():
        pytest.fail(f"the test suite needs the real data at {DATA_DIR} (or set PEACEOPS_DATA)")
    return DATA_DIR


@pytest.fixture(scope="session")
def built_db(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Path of a knowledge base built once from the real data, with its figures drawn."""
    from peaceops.report.views import draw_views

    path = tmp_path_factory.mktemp("kb") / "peaceops.duckdb"
    build(data_dir, path, finish=lambda database: draw_views(database, workers=2))  # as the CLI
    return path


@pytest.fixture(scope="session")
def db(built_db: Path):
    """A read-only connection to the session's knowledge base (shared: do not close it)."""
    with Database(built_db) as database:
        yield database


@pytest.fixture(scope="session")
def dask_cluster():
    """A real Dask distributed cluster on this machine: a scheduler and two worker processes."""
    import distributed

    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    )
    yield cluster
    cluster.close()


def mirror_data_dir(data_dir: Path, target: Path, *, copy: tuple[str, ...] = ()) -> Path:
    """Make ``target`` look like ``data_dir``: symlinks to every entry, real copies of ``copy``.

    A test that needs a changed data directory edits only the copied paths, so the real data
    is never touched.
    """
    target.mkdir(parents=True, exist_ok=True)
    copies = {Path(c) for c in copy}
    for entry in data_dir.iterdir():
        _mirror(entry, target / entry.name, Path(entry.name), copies)
    return target


def _mirror(src: Path, dst: Path, rel: Path, copies: set[Path]) -> None:
    if rel in copies:
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            shutil.copy2(src, dst)
    elif any(c.is_relative_to(rel) for c in copies) and src.is_dir():
        dst.mkdir()
        for child in src.iterdir():
            _mirror(child, dst / child.name, rel / child.name, copies)
    else:
        dst.symlink_to(src)


def assert_fits_schema(tables: dict[str, pd.DataFrame]) -> duckdb.DuckDBPyConnection:
    """Every frame has exactly its table's columns, in order, and inserts BY NAME.

    Returns the in-memory connection holding the inserted rows, for further checks.
    """
    conn = duckdb.connect()
    apply_migrations(conn)
    for table, frame in tables.items():
        columns = [
            row[0]
            for row in conn.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
                "ORDER BY ordinal_position",
                [table],
            ).fetchall()
        ]
        assert list(frame.columns) == columns, table
        before = conn.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0]
        conn.register("frame", frame)
        conn.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM frame')
        conn.unregister("frame")
        assert conn.execute(f'SELECT count(*) FROM "{table}"').fetchall()[0][0] == before + len(
            frame
        )
    return conn


def start_server(db_path: Path, env: dict[str, str] | None = None, *, preexec_fn=None):
    """Start ``peaceops serve`` (the real uvicorn server) on a free port; return (process, url).

    Waits until the server answers ``/api/status`` (at most 60 s); its output goes to a log
    beside the store. ``preexec_fn`` runs in the child before exec (e.g. to lower its file
    limit).
    """
    from peaceops.web.server import spawn

    try:
        return spawn(db_path, log_dir=db_path.parent, env=env, preexec_fn=preexec_fn)
    except RuntimeError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def server(built_db: Path):
    """The web explorer on the session's knowledge base, served by uvicorn on a free port.

    Small job limits (so that tests can reach them): 3 jobs per client, 6 waiting, 60 runs.
    """
    env = {"PEACEOPS_WEB_JOBS_PER_CLIENT": "3", "PEACEOPS_WEB_JOBS_WAITING": "6",
           "PEACEOPS_WEB_MAX_SEEDS": "60"}  # fmt: skip
    process, url = start_server(built_db, env)
    yield url
    process.terminate()
    try:
        process.wait(10)
    except Exception:
        process.kill()


@pytest.fixture
def changed(built_db: Path, tmp_path: Path):
    """A writable copy of the knowledge base; call it with SQL statements to change the copy."""
    copy = tmp_path / "kb.duckdb"
    shutil.copy(built_db, copy)
    opened: list[Database] = []

    def change(*statements: str) -> Database:
        for database in opened:  # DuckDB: no reader of the file while it is opened to write
            database.close()
        shutil.copy(built_db, copy)  # each change starts from the real knowledge base
        with Database(copy, read_only=False) as writer:
            for sql in statements:
                writer.execute_write(sql)
        database = Database(copy)
        opened.append(database)
        return database

    yield change
    for database in opened:
        database.close()


#: Debian's Chromium, which the browser tests drive with Playwright (``.ci/run`` installs it).
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test (they fail, never skip, without it)."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(
            f"the browser tests need Debian's chromium at {CHROMIUM}: apt-get install chromium"
        )
    (Path(__file__).resolve().parents[1] / "out" / "screenshots").mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


def watch(page) -> list[str]:
    """The errors a page reports: script errors, failed resources, CSP violations.

    The list fills while the test runs; a browser test ends with ``assert not errors``.
    """
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


#: Fixtures that make a test slow: the session's knowledge base (a build of the real data,
#: about a minute), Chromium, a Dask cluster. `make test-fast` leaves out every test using one.
SLOW_FIXTURES = frozenset({"built_db", "browser", "dask_cluster"})


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--fast",
        action="store_true",
        help="only the tests that need no built knowledge base, browser or cluster",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--fast"):
        return
    slow = [i for i in items if SLOW_FIXTURES & set(getattr(i, "fixturenames", ()))]
    if slow:
        config.hook.pytest_deselected(items=slow)
        left = set(items) - set(slow)
        items[:] = [i for i in items if i in left]
