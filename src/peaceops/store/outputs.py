"""The one rule for every file a command writes: never the store, never silently over a file.

Every command that writes a file (``export``, ``report``, ``paper``, ``evaluate --report``,
``votes check --output``, ``forecast --markdown/--figure``, ``sensitivity -o``, ``validate sim
--markdown``, ``sweep --out``, ``data fetch --dest``) passes its path through
:func:`check_output` before any work, and writes through :func:`write_output` (#27):

1. The path is resolved (symlinks too) and refused, whatever the options, if it is a
   knowledge base (the one in use, ``$PEACEOPS_DB``, the default one, or any file that starts
   like a DuckDB database), one of its companion files (the write-ahead log ``<db>.wal``, the
   lock and temporary files ``.<db>.*``), the same file as any of these under another name (a
   hard link), a file under the data directory, or a file under the added-texts folder.
   ``--force`` never overrides this.
2. A folder, FIFO, device or socket is never an output file.
3. An existing file is replaced only with ``force``.
4. The file is written to a unique temporary name beside it (created with the user's umask)
   and renamed over the target, after the checks are made once more: a reader never sees half
   a file, a failed write leaves the old one.

Data flow: command -> :func:`check_output` (before the work) -> the work ->
:func:`write_output` (checks again, then the atomic write).
"""

from __future__ import annotations

import os
import stat
import uuid
from dataclasses import dataclass
from pathlib import Path

from peaceops.errors import UsageError
from peaceops.sources.added import texts_dir
from peaceops.sources.base import ENV_DATA_DIR
from peaceops.store.database import default_db_path

__all__ = ["Protected", "check_output", "check_output_folder", "protected", "write_output"]

#: DuckDB's file header: a checksum, then ``DUCK`` at byte 8.
_DUCKDB_MAGIC = b"DUCK"


@dataclass(frozen=True)
class Protected:
    """What no output may replace.

    Attributes:
        stores: knowledge-base files (resolved); their companions are protected with them.
        folders: folders no output may be written into (the data directory, the texts folder).
    """

    stores: tuple[Path, ...]
    folders: tuple[Path, ...]

    def reason(self, path: Path) -> str | None:
        """Why ``path`` may not be written, or None if it may."""
        resolved = _resolve(path)
        for store in self.stores:
            if resolved == store:
                return f"it is the knowledge base {store}"
            if resolved.parent == store.parent and (
                resolved.name == f"{store.name}.wal" or resolved.name.startswith(f".{store.name}.")
            ):
                return f"it is a working file of the knowledge base {store}"
            if path.exists() and store.exists() and _same_file(path, store):
                return f"it is the knowledge base {store} under another name"
        for folder in self.folders:
            if resolved == folder or resolved.is_relative_to(folder):
                return f"it is inside {folder}, which peaceops reads and never writes into"
        if _is_duckdb(path):
            return "it is a DuckDB database (a knowledge base?)"
        return None


def protected(
    *,
    db: Path | str | None = None,
    data_dir: Path | str | None = None,
    texts: bool = True,
    data: bool = True,
) -> Protected:
    """The files and folders no output may replace, for a command using ``db`` and ``data_dir``.

    Args:
        db: the knowledge base the command uses; ``$PEACEOPS_DB`` and the default store are
            protected as well.
        data_dir: the data directory; ``$PEACEOPS_DATA`` and ``../shared/data`` (when they
            exist) are protected as well.
        texts: protect the added-texts folder (``$PEACEOPS_TEXTS``).
        data: protect the data directories (not for ``data fetch``, which fills one).
    """
    stores = {_resolve(Path(p)) for p in (db, default_db_path()) if p is not None}
    folders = set()
    candidates = [data_dir, os.environ.get(ENV_DATA_DIR), Path.cwd().parent / "shared" / "data"]
    for candidate in candidates if data else []:
        if candidate and Path(candidate).is_dir():
            folders.add(_resolve(Path(candidate)))
    if texts:
        folders.add(_resolve(texts_dir()))
    return Protected(tuple(sorted(stores)), tuple(sorted(folders)))


def check_output(
    path: Path | str,
    *,
    force: bool = False,
    db: Path | str | None = None,
    data_dir: Path | str | None = None,
    guard: Protected | None = None,
) -> Path:
    """Check that ``path`` may be written (see the module doc); return it as a Path.

    Raises:
        UsageError: the path is protected, not a regular file, not a valid name, or exists
            and ``force`` is not set.
    """
    path = Path(path)
    _check_name(path)
    guard = guard or protected(db=db, data_dir=data_dir)
    reason = guard.reason(path)
    if reason is not None:
        raise UsageError(
            f"{path} cannot be an output: {reason}. --force never overrides this; "
            "write to another file"
        )
    try:
        info = path.stat()
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise UsageError(f"cannot use {path} as an output: {exc.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{path} is a folder; give a file name inside it")
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(f"{path} is not a regular file (a device, FIFO or socket); give a file")
    if not force:
        raise UsageError(f"{path} exists; pass --force to replace it, or choose another name")
    return path


def check_output_folder(
    folder: Path | str,
    *,
    db: Path | str | None = None,
    data_dir: Path | str | None = None,
    texts: bool = True,
    data: bool = True,
) -> Path:
    """Check that files may be written inside ``folder`` (a sweep's output, a download).

    The folder may not be, or lie inside, a protected folder, nor be a protected file, nor be
    a file at all.

    Raises:
        UsageError: the folder is protected or is a file.
    """
    folder = Path(folder)
    _check_name(folder)
    guard = protected(db=db, data_dir=data_dir, texts=texts, data=data)
    reason = guard.reason(folder)
    if reason is not None:
        raise UsageError(f"{folder} cannot hold outputs: {reason}; choose another folder")
    if folder.exists() and not folder.is_dir():
        raise UsageError(f"{folder} is a file, not a folder; give a folder for the outputs")
    return folder


def write_output(
    path: Path | str,
    data: str | bytes,
    *,
    force: bool = False,
    db: Path | str | None = None,
    data_dir: Path | str | None = None,
) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` under the rule of the module doc.

    Raises:
        UsageError: as :func:`check_output`, or the write fails (the old file is kept).
    """
    path = check_output(path, force=force, db=db, data_dir=data_dir)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot create the folder of {path}: {exc.strerror}") from None
    tmp = path.parent / f".{path.name}.{os.getpid()}-{uuid.uuid4().hex[:8]}.part"
    try:
        # 0o666 less the umask, as for any file the user's shell would create
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        check_output(path, force=force, db=db, data_dir=data_dir)  # nothing swapped in meanwhile
        os.replace(tmp, path)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return path


def _check_name(path: Path) -> None:
    """Refuse a name that not every writer can encode: it must be strict UTF-8.

    A lone surrogate such as ``\udc80`` passes ``os.fsencode`` as an escaped byte, then
    crashed pyarrow's writers (found by the export fuzz test).
    """
    try:
        os.fsencode(path)
        str(path).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise UsageError(f"{str(path)!r} is no valid file name here ({exc.reason})") from None
    if str(path) == "":
        raise UsageError("an empty output name; give a file name")


def _resolve(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):  # a symlink loop: compare it as written
        return Path(os.path.abspath(path))


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _is_duckdb(path: Path) -> bool:
    try:
        if not path.is_file():
            return False
        with path.open("rb") as handle:
            return handle.read(12)[8:12] == _DUCKDB_MAGIC
    except OSError:
        return False
