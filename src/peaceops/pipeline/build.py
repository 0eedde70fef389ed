"""Build the knowledge base: every source and the registry into one DuckDB file, atomically.

Data flow::

    sources (peaceops.sources.SOURCES) --load--> frames --Database.insert--> new file
    files that differ from the pinned manifest --> data_issues (loaded as found, but loudly)
    registry (peaceops.registry)        --load--> frames --Database.insert--> new file
        --> derive ``resolutions`` (peaceops.store.derive)
        --> ``deployed_strength_year``: IPI, then Geo-PKO (peaceops.store.strength)
        --> Council fragmentation (peaceops.measures.fragmentation)
        --> code every text (peaceops.coding.run) --> measures (peaceops.measures)
        --> the search index (peaceops.store.search_index)
        --> ``finish`` (the CLI draws the figures into ``views``: peaceops.report.views)
        --> ``sources`` and ``build_info`` --> the new file replaces the target

The file is written by :func:`peaceops.store.files.new_database`: a temporary file beside the
target, renamed over it only when everything succeeded. If anything fails, the previous
database is left exactly as it was and the temporary file is removed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from peaceops import __version__
from peaceops.coding.run import code_resolutions
from peaceops.errors import SourceError
from peaceops.measures import compute_measures
from peaceops.measures.fragmentation import compute_fragmentation
from peaceops.registry import load_registry
from peaceops.sources import SOURCES, Source
from peaceops.sources.base import ISSUE_COLUMNS
from peaceops.sources.fetch import manifest_issues
from peaceops.store.database import Database
from peaceops.store.derive import derive_resolutions
from peaceops.store.files import new_database
from peaceops.store.search_index import build_search_index
from peaceops.store.strength import derive_strength

logger = logging.getLogger(__name__)

Progress = Callable[[str], None]
#: Steps after the sources, in order (for progress bars).
STEPS = ("registry", "resolutions", "coding", "search index", "figures")
_SOURCE_COLUMNS = ["name", "description", "status", "rows", "seconds", "paths"]


@dataclass(frozen=True)
class BuildReport:
    """What a build did: the database path, seconds taken, rows per table, sources missing."""

    path: Path
    seconds: float
    counts: dict[str, int]
    missing_sources: tuple[str, ...]


def load_source(source: Source, data_dir: Path) -> dict[str, pd.DataFrame]:
    """Run one loader; any crash on odd input becomes a :class:`SourceError` naming the file."""
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
    finish: Callable[[Database], object] | None = None,
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
        finish: called with the new database before it replaces ``db_path`` (the CLI draws
            the figures there: ``peaceops.report.views.draw_views``, a layer above this one).

    Raises:
        SourceError: a source file is missing (unless ``allow_missing``) or malformed.
        DatabaseError: another process is writing ``db_path``.
        The previous database at ``db_path``, if any, is untouched.
    """
    started = time.perf_counter()
    step = progress or (lambda name: None)
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
    with new_database(db_path) as db:
        status_rows = []
        for source in sources:
            if source.name in missing:
                paths = ", ".join(missing[source.name])
                status_rows.append((source.name, source.description, "missing", 0, 0.0, paths))
                continue
            step(source.name)
            t0 = time.perf_counter()
            rows = 0
            for table, frame in load_source(source, data_dir).items():
                db.insert(table, frame)
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
        db.insert("data_issues", pd.DataFrame(manifest_issues(data_dir), columns=ISSUE_COLUMNS))
        step("registry")
        for table, frame in load_registry(registry).items():
            db.insert(table, frame)
        step("resolutions")
        derive_resolutions(db)
        derive_strength(db)
        compute_fragmentation(db)
        if code:
            step("coding")
            code_resolutions(db, workers=workers)
            compute_measures(db)
        step("search index")
        build_search_index(db)
        if finish is not None:
            step("figures")
            finish(db)
        db.insert("sources", pd.DataFrame(status_rows, columns=_SOURCE_COLUMNS))
        seconds = time.perf_counter() - started
        db.insert(
            "build_info",
            pd.DataFrame(
                [(datetime.now(UTC).replace(tzinfo=None), __version__, str(data_dir), seconds)],
                columns=["built_at", "peaceops_version", "data_dir", "seconds"],
            ),
        )
        counts = db.table_counts()
    logger.info("built %s in %.1f s", db_path, seconds)
    return BuildReport(db_path, seconds, counts, tuple(sorted(missing)))
