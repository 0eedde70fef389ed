"""``peaceops add``: store a new resolution text, code it, and recompute the measures.

Data flow: read the file (:func:`peaceops.sources.added.read_text`) -> its number and year
from the heading (or ``--resolution``; a contradiction is an error) -> compared with what is
stored, under the store's writer lock (the same text: nothing to do; another text: only with
``replace``) -> in a copy of the knowledge base (:func:`peaceops.store.files.changed_database`):
the text as the preferred ``user-added`` row, its ``resolutions`` row derived again, the
resolution coded, the measures of the resolution and of the missions it mandates recomputed ->
the text written to the user's texts folder (atomically; read by every later ``peaceops
build``) -> the copy renamed over the original. A failed or killed add leaves the knowledge
base as it was: the swap is the last step and is atomic; a failed swap puts the texts folder
back. The year must be the Council's (the record's year for that number, or between its
neighbours' years), never before 1946 or after today (#27).

The report says what changed: the resolution's codes, and for each mission it mandates the
inheritance rows and the impartiality index per year, before and after.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from peaceops.coding.run import code_resolutions
from peaceops.errors import UsageError
from peaceops.measures import compute_measures
from peaceops.sources.added import (
    SOURCE,
    check_resolution_text,
    check_year,
    file_name,
    identify,
    read_text,
    texts_dir,
)
from peaceops.sources.base import SourceError, write_atomic
from peaceops.sources.resolutions import adoption_date
from peaceops.store import Database
from peaceops.store.database import is_interrupt
from peaceops.store.derive import derive_resolutions
from peaceops.store.files import changed_database, writer_lock
from peaceops.store.search_index import build_search_index

logger = logging.getLogger(__name__)


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
    try:
        check_year(year)
    except ValueError as exc:
        raise UsageError(f"{path} says S/RES/{number} ({year}): {exc}; check the file") from None
    if not known:  # numbers rise with time: the year lies between its neighbours' years
        low, high = db.tuples(
            "SELECT (SELECT max(year) FROM resolutions WHERE number < $n), "
            "(SELECT min(year) FROM resolutions WHERE number > $n)",
            {"n": number},
        )[0]
        if (low is not None and year < low) or (high is not None and year > high):
            raise UsageError(
                f"{path} says S/RES/{number} ({year}), but the Council's record dates the "
                f"resolutions around it from {low} to {high}: check the file"
            )
    return number, year


def _mission_state(db: Database, number: int) -> dict[str, dict]:
    missions = [
        m
        for (m,) in db.tuples(
            "SELECT DISTINCT acronym FROM mandate_history WHERE number = ? AND confirmed "
            "ORDER BY acronym",
            [number],
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

    Every file is read before anything is locked. Then, under the store's writer lock (one
    critical section, so that two adds cannot both see "no text yet", #27), each is checked
    against what is stored; the texts that differ are stored, coded and measured in one copy,
    written to the texts folder (atomically), and the copy is swapped in. If the swap fails,
    the texts folder is put back as it was.

    Raises:
        SourceError, UsageError, DatabaseError: as :func:`add_text`, for the first file at fault
            (nothing is changed); ``resolution`` with more than one file, or two files for the
            same resolution.
        AddInterrupted: Ctrl-C; it says whether the change was made.
    """
    paths = [Path(p) for p in paths]
    if resolution is not None and len(paths) > 1:
        raise UsageError("--resolution names one resolution: give one file with it")
    texts = [(path, _read(path)) for path in paths]
    folder = Path(folder or texts_dir())
    try:
        with writer_lock(Path(db_path)):
            with Database(db_path) as db:
                results, todo = _plan(db, texts, resolution=resolution, replace=replace)
            if todo:
                _apply(Path(db_path), todo, results, folder)
    except KeyboardInterrupt as exc:
        if isinstance(exc, AddInterrupted):
            raise
        raise AddInterrupted(changed=False) from None
    except Exception as exc:
        if not is_interrupt(exc):  # DuckDB answers Ctrl-C during a query with its own error
            raise
        raise AddInterrupted(changed=False) from None
    return results


class AddInterrupted(KeyboardInterrupt):
    """Ctrl-C during ``add``: ``changed`` says whether the knowledge base was changed.

    Attributes:
        changed: the change was made (Ctrl-C came while it was being swapped in).
        results: what was done, when ``changed``.
    """

    def __init__(self, *, changed: bool, results: list[Added] | None = None) -> None:
        super().__init__("changed" if changed else "unchanged")
        self.changed = changed
        self.results = results or []


#: What ``add`` errors advise (not the data README's "restore the file", which does not apply).
ADD_HINT = (
    "`peaceops add` takes a resolution's own text: a .txt file or the UN's PDF of it, "
    'headed by its symbol (S/RES/2295 (2016)) and opening with "The Security Council,".'
)


@contextlib.contextmanager
def _add_hint() -> Iterator[None]:
    """Give a file's SourceError the hint of ``add`` instead of the data README's."""
    try:
        yield
    except SourceError as exc:
        raise SourceError(exc.path, exc.problem, hint=ADD_HINT) from None


def _read(path: Path) -> str:
    with _add_hint():
        return read_text(path)


def _plan(
    db: Database, texts: list[tuple[Path, str]], *, resolution: int | None, replace: bool
) -> tuple[list[Added], list[tuple[int, int, str, bool]]]:
    """What adding ``texts`` would do, checked against the stored state (under the lock)."""
    results: list[Added] = []
    todo: list[tuple[int, int, str, bool]] = []  # number, year, text, replacing
    for path, text in texts:
        number, year = _identify(path, text, resolution, db)
        with _add_hint():
            check_resolution_text(path, text)
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
    return results, todo


def _apply(
    db_path: Path, todo: list[tuple[int, int, str, bool]], results: list[Added], folder: Path
) -> None:
    """Store, code and measure ``todo`` in a copy; write the texts; swap the copy in.

    Ctrl-C while the copy is worked on abandons it (nothing changed). The texts and the swap
    are one step that Ctrl-C cannot split: it is held until the swap is done, and then
    reported as :class:`AddInterrupted` with ``changed=True``.
    """
    written: list[tuple[Path, bytes | None]] = []  # each text file, what it held before
    with _sigint_holdable() as (hold, interrupted):
        try:
            # add_texts holds the writer lock; the copy is swapped in as this block ends
            with changed_database(db_path, locked=True) as db:
                before_codes, done = _store_and_code(db, todo, folder)
                hold()  # from here to the swap, Ctrl-C waits
                # the texts go to the folder before the swap, so that a store never holds a
                # text the next build would not find (#27)
                for number, year, text, _ in todo:
                    target = folder / file_name(number, year)
                    written.append((target, _previous(target)))
                    _write_text(folder, number, year, text)
        except BaseException:
            _restore(written)  # a failed write or swap puts the texts folder back
            raise
    for r in results:
        if r.number in done and r.status != "unchanged":
            r.codes_before = int(before_codes.get(r.number, 0))
            r.codes, r.missions = done[r.number]
            r.codes_after = len(r.codes)
    if interrupted:
        raise AddInterrupted(changed=True, results=results)


def _store_and_code(
    db: Database, todo: list[tuple[int, int, str, bool]], folder: Path
) -> tuple[dict, dict]:
    """Store the texts in the copy, code them, recompute the measures; return what changed."""
    numbers = [number for number, *_ in todo]
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
    build_search_index(db)  # new paragraphs are searchable at once (#30)
    done = {}
    for number in numbers:
        codes = db.rows(
            "SELECT paragraph, task, modality, partiality, quote FROM codes "
            "WHERE resolution = ? ORDER BY start, task",
            [number],
        )
        done[number] = (codes, _changes(before[number], _mission_state(db, number)))
    return before_codes, done


def _previous(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _restore(written: list[tuple[Path, bytes | None]]) -> None:
    """Put the texts folder back as it was before this add (a failed swap)."""
    for path, previous in reversed(written):
        try:
            if previous is None:
                path.unlink(missing_ok=True)
            else:
                write_atomic(path, previous)
        except OSError:  # pragma: no cover - the folder failed under us; the build warns
            logger.exception("could not put back %s after a failed add", path)


@contextlib.contextmanager
def _sigint_holdable() -> Iterator[tuple[Callable[[], None], list[int]]]:
    """``(hold, caught)``: after ``hold()``, Ctrl-C waits until the block ends.

    ``caught`` is non-empty if one came meanwhile. Only the main thread can hold signals.
    """
    caught: list[int] = []
    previous: list = []

    def hold() -> None:
        if threading.current_thread() is threading.main_thread():
            previous.append(signal.signal(signal.SIGINT, lambda s, frame: caught.append(s)))

    try:
        yield hold, caught
    finally:
        if previous:
            signal.signal(signal.SIGINT, previous[0])
