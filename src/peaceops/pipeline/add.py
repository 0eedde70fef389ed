"""``peaceops add``: store a new resolution text, code it, and recompute the measures.

Data flow: read the file (:func:`peaceops.sources.added.read_text`) -> its number and year
from the heading (or ``--resolution``; a contradiction is an error) -> compared with what is
stored (the same text: nothing to do; another text: only with ``replace``) -> in a copy of the
knowledge base (:func:`peaceops.store.files.changed_database`): the text as the preferred
``user-added`` row, its ``resolutions`` row derived again, the resolution coded, the measures
of the resolution and of the missions it mandates recomputed -> the copy renamed over the
original -> the text written to the user's texts folder (read by every later ``peaceops
build``). A failed or killed add leaves the knowledge base as it was: the swap is the last step
and is atomic.

The report says what changed: the resolution's codes, and for each mission it mandates the
inheritance rows and the impartiality index per year, before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from peaceops.coding.run import code_resolutions
from peaceops.errors import UsageError
from peaceops.measures import compute_measures
from peaceops.sources.added import SOURCE, file_name, identify, read_text, texts_dir
from peaceops.sources.base import write_atomic
from peaceops.sources.resolutions import adoption_date
from peaceops.store import Database
from peaceops.store.derive import derive_resolutions
from peaceops.store.files import changed_database


@dataclass
class Added:
    """What adding one text did."""

    number: int
    year: int
    status: str  # "added", "replaced", "unchanged"
    path: str
    codes_before: int = 0
    codes_after: int = 0
    codes: list[dict] = field(default_factory=list)
    missions: dict[str, dict] = field(default_factory=dict)


def _normal(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def _identify(path: Path, text: str, resolution: int | None, db: Database) -> tuple[int, int]:
    number, year, adopted = identify(text)
    if resolution is not None and number is not None and number != resolution:
        raise UsageError(
            f"{path} is the text of S/RES/{number} ({year}), not of S/RES/{resolution}: "
            "check the file, or leave out --resolution"
        )
    number = resolution if resolution is not None else number
    if number is None:
        raise UsageError(
            f"{path}: no symbol such as 'S/RES/2295 (2016)' in its first lines; "
            "give the number with --resolution"
        )
    known = db.rows("SELECT year FROM resolutions WHERE number = ?", [number])
    if year is None:
        year = adopted.year if adopted else (known[0]["year"] if known else None)
    if year is None:
        raise UsageError(f"{path}: no year for S/RES/{number} in the text or the knowledge base")
    if known and known[0]["year"] is not None and known[0]["year"] != year:
        raise UsageError(
            f"{path} says S/RES/{number} ({year}), but the knowledge base has it in "
            f"{known[0]['year']}: check the file"
        )
    return number, year


def _mission_state(db: Database, number: int) -> dict[str, dict]:
    missions = [
        m
        for (m,) in db.tuples(
            "SELECT acronym FROM mission_resolutions WHERE number = ? ORDER BY acronym", [number]
        )
    ]
    return {
        m: {
            "index": {
                r["year"]: {"index": r["index"], "basis": r["basis"]}
                for r in db.rows(
                    'SELECT year, "index", basis FROM impartiality_mission_year WHERE mission = ? '
                    "ORDER BY year",
                    [m],
                )
            },
            "inheritance": db.rows(
                "SELECT task, status, modality_after FROM mandate_inheritance WHERE mission = ? "
                "AND resolution = ? ORDER BY task",
                [m, number],
            ),
        }
        for m in missions
    }


def _changes(before: dict[str, dict], after: dict[str, dict]) -> dict[str, dict]:
    changed = {}
    for mission, now in after.items():
        was = before.get(mission, {"index": {}, "inheritance": []})
        years = {
            y: {"before": was["index"].get(y), "after": v}
            for y, v in now["index"].items()
            if was["index"].get(y) != v
        }
        changed[mission] = {
            "index_years_changed": years,
            "inheritance_before": was["inheritance"],
            "inheritance_after": now["inheritance"],
        }
    return changed


def _write_text(folder: Path, number: int, year: int, text: str) -> Path:
    """Write the text into the user's texts folder atomically (a temporary file, renamed)."""
    return write_atomic(folder / file_name(number, year), text)


def add_text(
    db_path: Path,
    path: Path,
    *,
    resolution: int | None = None,
    replace: bool = False,
    folder: Path | None = None,
) -> Added:
    """Add the text in ``path`` to the knowledge base at ``db_path`` (see the module doc).

    Raises:
        SourceError: the file cannot be read.
        UsageError: the file's symbol contradicts ``resolution`` or the stored year, or the
            resolution has another stored text and ``replace`` is not set.
        DatabaseError: no database at ``db_path``, or another process is writing it.
    """
    return add_texts(db_path, [path], resolution=resolution, replace=replace, folder=folder)[0]


def add_texts(
    db_path: Path,
    paths: list[Path],
    *,
    resolution: int | None = None,
    replace: bool = False,
    folder: Path | None = None,
) -> list[Added]:
    """Add several texts in one change of the knowledge base: all of them, or none.

    Every file is read and checked before anything is written; the texts that differ from the
    stored ones are then stored, coded and measured in one copy, swapped in once.

    Raises:
        SourceError, UsageError, DatabaseError: as :func:`add_text`, for the first file at fault
            (nothing is changed); ``resolution`` with more than one file, or two files for the
            same resolution.
    """
    paths = [Path(p) for p in paths]
    if resolution is not None and len(paths) > 1:
        raise UsageError("--resolution names one resolution: give one file with it")
    results: list[Added] = []
    todo: list[tuple[int, int, str, bool]] = []  # number, year, text, replacing
    with Database(db_path) as db:
        for path in paths:
            text = read_text(path)
            number, year = _identify(path, text, resolution, db)
            stored = db.rows(  # the text as found (resolutions.text is the reading text)
                "SELECT text, text_source FROM resolution_texts WHERE number = ? AND preferred",
                [number],
            )
            if any(n == number for n, *_ in todo):
                raise UsageError(f"{path}: a second file for S/RES/{number}; give one per number")
            if stored and _normal(stored[0]["text"]) == _normal(text):
                results.append(Added(number, year, "unchanged", str(path)))
                continue
            if stored and not replace:
                raise UsageError(
                    f"S/RES/{number} ({year}) has another text ({stored[0]['text_source']}); "
                    "pass --replace to use this one instead"
                )
            todo.append((number, year, text, bool(stored)))
            results.append(Added(number, year, "replaced" if stored else "added", str(path)))
    if not todo:
        return results
    numbers = [number for number, *_ in todo]
    folder = folder or texts_dir()
    with changed_database(Path(db_path)) as db:
        before_codes = dict(
            db.tuples(
                "SELECT resolution, count(*) FROM codes "
                "WHERE resolution IN (SELECT unnest(?::INTEGER[])) GROUP BY resolution",
                [numbers],
            )
        )
        before = {number: _mission_state(db, number) for number in numbers}
        in_numbers = "number IN (SELECT unnest(?::INTEGER[]))"
        db.execute_write(f"UPDATE resolution_texts SET preferred = false WHERE {in_numbers}",
                         [numbers])  # fmt: skip
        db.execute_write(f"DELETE FROM resolution_texts WHERE text_source = ? AND {in_numbers}",
                         [SOURCE, numbers])  # fmt: skip
        db.insert(
            "resolution_texts",
            pd.DataFrame([{
                "number": number, "year": year, "text": text, "text_source": SOURCE,
                "text_path": str(folder / file_name(number, year)), "encoding": "utf-8",
                "preferred": True, "n_chars": len(text), "stated_date": adoption_date(text),
            } for number, year, text, _ in todo]),
        )  # fmt: skip
        derive_resolutions(db, numbers=numbers)
        code_resolutions(db, numbers=numbers, workers=1)
        compute_measures(db, resolutions=numbers)
        done = {}
        for number in numbers:
            codes = db.rows(
                "SELECT paragraph, task, modality, partiality, quote FROM codes "
                "WHERE resolution = ? ORDER BY start, task",
                [number],
            )
            done[number] = (codes, _changes(before[number], _mission_state(db, number)))
    for number, year, text, _ in todo:
        _write_text(folder, number, year, text)
    for r in results:
        if r.number in done and r.status != "unchanged":
            r.codes_before = int(before_codes.get(r.number, 0))
            r.codes, r.missions = done[r.number]
            r.codes_after = len(r.codes)
    return results
