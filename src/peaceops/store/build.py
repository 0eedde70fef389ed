"""Build the knowledge base: every source and the registry into one DuckDB file, atomically.

Data flow: :func:`build` creates ``.<name>.building-<pid>`` beside the target, applies the
migrations, runs each loader of ``peaceops.sources.SOURCES`` and inserts its frames
(``INSERT ... BY NAME``, so a loader whose columns drift from the schema fails loudly), loads the
registry, derives the ``resolutions`` table, codes every text and computes the measures
(``peaceops.coding``, ``peaceops.measures``), records what was built in ``build_info`` and
``sources``, and only then renames the file over the target. If anything fails the temporary
file is deleted and the previous database is left exactly as it was.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from peaceops import __version__
from peaceops.registry import load_registry
from peaceops.sources import SOURCES, Source, SourceError
from peaceops.store.migrations import apply_migrations

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildReport:
    """What a build did: the database path, seconds taken, rows per table, sources missing."""

    path: Path
    seconds: float
    counts: dict[str, int]
    missing_sources: tuple[str, ...]


def _insert(conn: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    conn.register("_frame", frame)
    try:
        conn.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM _frame')
    finally:
        conn.unregister("_frame")


DERIVE_RESOLUTIONS = """
INSERT INTO resolutions
WITH numbers AS (
    SELECT number FROM resolution_texts
    UNION SELECT number FROM resolution_dates
    UNION SELECT resolution FROM meeting_decisions WHERE kind = 'resolution'
    UNION SELECT resolution FROM drafts WHERE outcome = 'adopted' AND resolution IS NOT NULL
),
txt AS (SELECT * FROM resolution_texts WHERE preferred),
stated AS (  -- adoption date written in any text of the resolution
    SELECT number, min(stated_date) AS d FROM resolution_texts GROUP BY number
),
meet AS (
    SELECT resolution AS number, min(date) AS d, min(resolution_year) AS y, first(topic) AS topic
    FROM meeting_decisions WHERE kind = 'resolution' GROUP BY resolution
),
vote AS (
    SELECT resolution AS number, min(date) AS d, min(resolution_year) AS y,
           first(agenda_item) AS agenda
    FROM drafts WHERE outcome = 'adopted' AND resolution IS NOT NULL GROUP BY resolution
),
dated AS (
    SELECT n.number,
        coalesce(rd.date, stated.d, meet.d, vote.d) AS date,
        CASE WHEN rd.date IS NOT NULL THEN 'all_resolutions_date.dta'
             WHEN stated.d IS NOT NULL THEN 'text adoption line'
             WHEN meet.d IS NOT NULL THEN 'meeting tables'
             WHEN vote.d IS NOT NULL THEN 'sc_voting.xlsx' END AS date_source,
        coalesce(rd.year, txt.year, meet.y, vote.y) AS label_year,
        coalesce(meet.topic, vote.agenda) AS title,
        CASE WHEN meet.topic IS NOT NULL THEN 'meeting tables (topic)'
             WHEN vote.agenda IS NOT NULL THEN 'sc_voting.xlsx (agenda item)' END AS title_source,
        txt.text, txt.text_source, txt.text_path, txt.encoding, txt.n_chars
    FROM numbers n
    LEFT JOIN resolution_dates rd USING (number)
    LEFT JOIN txt USING (number)
    LEFT JOIN stated USING (number)
    LEFT JOIN meet USING (number)
    LEFT JOIN vote USING (number)
    WHERE n.number IS NOT NULL
)
SELECT number, coalesce(year(date), label_year) AS year,
    'S/RES/' || number || ' (' || coalesce(year(date), label_year) || ')' AS symbol,
    date, date_source, title, title_source, text IS NOT NULL AS has_text,
    text, text_source, text_path, encoding, n_chars
FROM dated ORDER BY number
"""


def _load_source(source: Source, data_dir: Path) -> dict[str, pd.DataFrame]:
    try:
        return source.load(data_dir)
    except SourceError:
        raise
    except Exception as exc:  # a loader crash on odd input is a bad source file, say which
        raise SourceError(
            data_dir / source.paths[0],
            f"loading source {source.name!r} failed ({type(exc).__name__}: {exc})",
        ) from exc


def build(
    data_dir: Path,
    db_path: Path,
    *,
    sources: Sequence[Source] = SOURCES,
    allow_missing: bool = False,
    registry: Path | None = None,
    code: bool = True,
    workers: int | None = None,
    progress: Progress | None = None,
) -> BuildReport:
    """Build the database at ``db_path`` from ``data_dir`` and the registry.

    Args:
        data_dir: the data directory.
        db_path: the database file to create or replace.
        sources: the sources to load (all by default).
        allow_missing: build without sources whose files are missing (they are listed in
            the ``sources`` table and by ``peaceops status``) instead of failing.
        registry: the folder of registry CSVs (the packaged one by default).
        code: also run the mandate coder and compute the measures (``peaceops code`` can
            re-run them later).
        workers: processes for the coder (default: the machine's CPUs).
        progress: called with the name of each step as it starts.

    Raises:
        SourceError: a source file is missing (unless ``allow_missing``) or malformed. The
            previous database at ``db_path``, if any, is untouched.
    """
    started = time.perf_counter()
    missing = {s.name: s.missing(data_dir) for s in sources}
    missing = {name: paths for name, paths in missing.items() if paths}
    if missing and not allow_missing:
        name, paths = next(iter(missing.items()))
        raise SourceError(
            data_dir / paths[0],
            f"required file of source {name!r} is missing"
            + (
                f" (and {len(missing) - 1} more sources are incomplete)" if len(missing) > 1 else ""
            ),
            hint="Restore it (`peaceops data fetch`), point --data-dir at a complete copy, "
            "or build without it with --allow-missing.",
        )
    db_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = db_path.parent / f".{db_path.name}.building-{os.getpid()}"
    for leftover in (tmp, tmp.with_name(tmp.name + ".wal")):
        leftover.unlink(missing_ok=True)
    conn = duckdb.connect(str(tmp))
    try:
        apply_migrations(conn)
        status_rows = []
        for source in sources:
            if source.name in missing:
                status_rows.append(
                    (
                        source.name,
                        source.description,
                        "missing",
                        0,
                        0.0,
                        ", ".join(missing[source.name]),
                    )
                )
                continue
            if progress:
                progress(source.name)
            t0 = time.perf_counter()
            frames = _load_source(source, data_dir)
            rows = 0
            for table, frame in frames.items():
                _insert(conn, table, frame)
                rows += len(frame) if table != "data_issues" else 0
            status_rows.append(
                (
                    source.name,
                    source.description,
                    "loaded",
                    rows,
                    time.perf_counter() - t0,
                    ", ".join(source.paths),
                )
            )
        if progress:
            progress("registry")
        for table, frame in load_registry(registry).items():
            _insert(conn, table, frame)
        if progress:
            progress("resolutions")
        conn.execute(DERIVE_RESOLUTIONS)
        from peaceops.measures.fragmentation import compute_fragmentation

        compute_fragmentation(conn)
        if code:
            from peaceops.coding.run import code_resolutions
            from peaceops.measures import compute_measures

            if progress:
                progress("coding")
            code_resolutions(conn, workers=workers)
            compute_measures(conn)
        conn.execute(
            "CREATE TABLE sources (name VARCHAR, description VARCHAR, status VARCHAR, "
            "rows BIGINT, seconds DOUBLE, paths VARCHAR)"
        )
        conn.executemany("INSERT INTO sources VALUES (?, ?, ?, ?, ?, ?)", status_rows)
        seconds = time.perf_counter() - started
        conn.execute(
            "INSERT INTO build_info VALUES (?, ?, ?, ?)",
            [datetime.now(UTC).replace(tzinfo=None), __version__, str(data_dir), seconds],
        )
        conn.execute("CHECKPOINT")
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'"
            ).fetchall()
        ]
        counts = {t: conn.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in tables}
        conn.close()
        os.replace(tmp, db_path)
    except BaseException:
        conn.close()
        tmp.unlink(missing_ok=True)
        tmp.with_name(tmp.name + ".wal").unlink(missing_ok=True)
        raise
    logger.info("built %s in %.1f s", db_path, seconds)
    return BuildReport(db_path, seconds, counts, tuple(sorted(missing)))
