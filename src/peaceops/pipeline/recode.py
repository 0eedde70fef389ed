"""Re-code stored resolutions and recompute the measures, into a new file swapped in atomically.

Data flow: :func:`recode` copies the knowledge base (:func:`peaceops.store.files.changed_database`),
codes the requested resolutions (all with text by default) in the copy, recomputes every
measure and the search index, and renames the copy over the original. Readers keep reading the
old file meanwhile and are never locked out; a failed or killed run leaves the original
untouched (see #13).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from peaceops.coding.run import CodingReport, code_resolutions
from peaceops.measures import compute_measures
from peaceops.store.files import changed_database
from peaceops.store.queries import parse_resolution_ref
from peaceops.store.search_index import build_search_index


def recode(
    db_path: Path,
    numbers: Sequence[str | int] | None = None,
    *,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CodingReport:
    """Code ``numbers`` (references such as ``2098`` or ``S/RES/2098 (2013)``; default all).

    Raises:
        UsageError: a reference that is no resolution number.
        NotFound: a resolution that is not in the knowledge base.
        DatabaseError: no database at ``db_path``, or another process is writing it.
    """
    wanted = [parse_resolution_ref(n) for n in numbers] if numbers else None
    with changed_database(Path(db_path)) as db:
        report = code_resolutions(db, numbers=wanted, workers=workers, progress=progress)
        compute_measures(db)
        build_search_index(db)  # the paragraphs may have changed (#30)
    return report
