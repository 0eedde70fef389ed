"""Atomic database files: write a new file beside the target, then swap it in.

Data flow: :func:`new_database` (a build) and :func:`changed_database` (a re-coding, an added
text) take an exclusive lock on ``.<name>.lock`` beside the target, remove temporary files that
dead processes left behind, and yield a writable :class:`~peaceops.store.database.Database` on
``.<name>.building-<pid>`` — empty with the schema applied, or a copy of the target. When the
block ends without an error the file is checkpointed, closed and renamed over the target
(``os.replace``, atomic on POSIX); on any error, or a kill, the target is untouched and the
temporary file is removed (now, or by the next writer). Readers keep the file they opened, so
they never fail and never see partial data while a writer works.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

from peaceops.errors import DatabaseError
from peaceops.store.database import Database
from peaceops.store.migrations import apply_migrations
from peaceops.store.views import clear_views

logger = logging.getLogger(__name__)

_TEMP = re.compile(r"\.(?P<name>.+)\.building-(?P<pid>\d+)(?:\.wal)?")
_UNIQUE = re.compile(r"\.(?P<name>.+)\.(?P<pid>\d+)-[0-9a-f]{8}\.\w+")


def temp_path(target: Path) -> Path:
    """The temporary file this process writes before it replaces ``target``."""
    return target.parent / f".{target.name}.building-{os.getpid()}"


def unique_temp(target: Path, suffix: str = "tmp") -> Path:
    """A hidden temporary name beside ``target``, unique to this process and call.

    Two processes writing the same target (two sweeps into one folder, two exports) never
    share a temporary file (see #13).
    """
    return target.parent / f".{target.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.{suffix}"


def remove_dead_temps(folder: Path, pattern: str = "**/.*.tmp") -> list[Path]:
    """Delete :func:`unique_temp` files under ``folder`` whose writing process is gone."""
    removed = []
    for path in folder.glob(pattern):
        match = _UNIQUE.fullmatch(path.name)
        if match and not _alive(int(match["pid"])):
            path.unlink(missing_ok=True)
            removed.append(path)
    return removed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # pragma: no cover - a process of another user
        return True
    return True


def remove_stale(target: Path) -> list[Path]:
    """Delete temporary files of ``target`` whose writing process is gone; return them."""
    removed = []
    for path in target.parent.glob(f".{target.name}.building-*"):
        match = _TEMP.fullmatch(path.name)
        if match and match["name"] == target.name and not _alive(int(match["pid"])):
            path.unlink(missing_ok=True)
            removed.append(path)
    if removed:
        logger.info("removed %d stale temporary files of %s", len(removed), target)
    return removed


@contextlib.contextmanager
def writer_lock(target: Path) -> Iterator[None]:
    """One writer per database file; a second one fails at once with a clear message.

    A writer that must check the stored state and change it in one critical section (``add``:
    the check for an existing text and the swap, #27) holds this lock around both and passes
    ``locked=True`` to :func:`changed_database`. The lock is not re-entrant: a second writer in
    the same process is refused like one in another process.

    Raises:
        DatabaseError: another writer holds the lock.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    lock = target.parent / f".{target.name}.lock"
    with lock.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatabaseError(
                f"another peaceops process is writing {target} (a build, `code` or `add`); "
                "wait for it to finish and try again"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def _swap(target: Path, prepare, *, locked: bool = False) -> Iterator[Database]:
    if target.exists() and not target.is_file():  # a FIFO would block the copy for good (#27)
        raise DatabaseError(
            f"{target} is not a database file (a folder, FIFO or device); give --db / "
            "PEACEOPS_DB the path of a file"
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.nullcontext() if locked else writer_lock(target):
        remove_stale(target)
        tmp = temp_path(target)
        wal = tmp.with_name(tmp.name + ".wal")
        for leftover in (tmp, wal):
            leftover.unlink(missing_ok=True)
        try:
            prepare(tmp)
            database = Database(tmp, read_only=False)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        try:
            yield database
            database.checkpoint()
            database.close()
            os.replace(tmp, target)
        except BaseException:
            database.close()
            tmp.unlink(missing_ok=True)
            wal.unlink(missing_ok=True)
            raise


@contextlib.contextmanager
def new_database(target: Path) -> Iterator[Database]:
    """A new, empty database (schema applied) that replaces ``target`` when the block ends.

    Raises:
        DatabaseError: another process is writing ``target``.
    """

    def prepare(tmp: Path) -> None:
        with Database(tmp, read_only=False) as database:
            database.execute_write_fn(apply_migrations)

    with _swap(Path(target), prepare) as database:
        yield database


@contextlib.contextmanager
def changed_database(target: Path, *, locked: bool = False) -> Iterator[Database]:
    """A writable copy of ``target`` that replaces it when the block ends without error.

    ``locked``: the caller already holds :func:`writer_lock` on ``target``.

    Raises:
        DatabaseError: there is no database at ``target``, or another process is writing it.
    """
    target = Path(target)
    if not target.exists():
        raise DatabaseError(
            f"no database at {target}. Build it first with `peaceops build` "
            "(or pass --db / set PEACEOPS_DB to an existing one)."
        )

    def prepare(tmp: Path) -> None:
        shutil.copyfile(target, tmp)
        with Database(tmp, read_only=False) as database:  # a build of an older schema
            database.execute_write_fn(apply_migrations)

    with _swap(target, prepare, locked=locked) as database:
        yield database
        clear_views(database)  # drawn from the store as it was (#30): drawn again on view
