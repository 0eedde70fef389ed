"""Shared machinery for the loaders: the ``Source`` record, errors, and safe readers.

Every loader is a function ``load(data_dir) -> dict[table_name, DataFrame]``. It finds its files
with :func:`require`, reads them with the ``read_*`` helpers below (which turn parser crashes
into a :class:`SourceError` that names the file), repairs the quirks documented in the data
README, and returns frames whose columns match the tables of ``peaceops.store`` migrations.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from peaceops.errors import SourceError

logger = logging.getLogger(__name__)

ENV_DATA_DIR = "PEACEOPS_DATA"

#: Columns of the ``data_issues`` table: every quirk a loader repairs or flags is logged there.
ISSUE_COLUMNS = ["source", "item", "issue", "action"]

Loader = Callable[[Path], dict[str, pd.DataFrame]]


@dataclass(frozen=True)
class Source:
    """One dataset of the data directory and the function that loads it.

    Attributes:
        name: short id used by ``peaceops status`` (e.g. ``"votes"``).
        description: one line for humans.
        paths: files or folders, relative to the data directory, that must exist.
        load: the loader.
        tables: tables the loader fills.
    """

    name: str
    description: str
    paths: tuple[str, ...]
    load: Loader
    tables: tuple[str, ...] = field(default_factory=tuple)

    def missing(self, data_dir: Path) -> list[str]:
        """Return the required paths that do not exist under ``data_dir``."""
        return [p for p in self.paths if not (data_dir / p).exists()]


def resolve_data_dir(data_dir: Path | str | None = None) -> Path:
    """Find the data directory: argument, else ``$PEACEOPS_DATA``, else ``../shared/data``.

    Raises:
        SourceError: if no candidate exists.
    """
    if data_dir is not None:
        candidate = Path(data_dir)
    elif os.environ.get(ENV_DATA_DIR):
        candidate = Path(os.environ[ENV_DATA_DIR])
    else:
        candidate = Path.cwd().parent / "shared" / "data"
    if not candidate.is_dir():
        raise SourceError(
            candidate,
            "data directory not found",
            hint="Pass --data-dir DIR, set PEACEOPS_DATA, or download the data with "
            "`peaceops data fetch --dest DIR`.",
        )
    return candidate.resolve()


def require(data_dir: Path, relative: str) -> Path:
    """Return ``data_dir / relative`` or raise a :class:`SourceError` naming it."""
    path = data_dir / relative
    if not path.exists():
        raise SourceError(path, "required source file is missing")
    return path


def read_csv(path: Path, **kwargs: object) -> pd.DataFrame:
    """Read a CSV file, turning any parser failure into a :class:`SourceError`."""
    try:
        return pd.read_csv(path, **kwargs)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, OSError) as exc:
        raise SourceError(path, f"cannot be read as CSV ({exc})") from exc


def read_excel(path: Path, **kwargs: object) -> pd.DataFrame:
    """Read an Excel file (calamine by default), turning failures into :class:`SourceError`."""
    kwargs.setdefault("engine", "calamine")
    try:
        return pd.read_excel(path, **kwargs)
    except Exception as exc:  # calamine/xlrd raise their own exception types
        raise SourceError(path, f"cannot be read as a spreadsheet ({exc})") from exc


def read_stata(path: Path, **kwargs: object) -> pd.DataFrame:
    """Read a Stata file, turning failures into :class:`SourceError`."""
    try:
        return pd.read_stata(path, **kwargs)
    except Exception as exc:  # pandas raises ValueError and struct.error on corrupt files
        raise SourceError(path, f"cannot be read as a Stata file ({exc})") from exc


def check_columns(frame: pd.DataFrame, path: Path, expected: list[str] | tuple[str, ...]) -> None:
    """Raise a :class:`SourceError` if ``frame`` lacks any of the ``expected`` columns."""
    missing = [c for c in expected if c not in frame.columns]
    if missing:
        raise SourceError(
            path,
            f"unexpected layout: columns {missing} are missing (found {list(frame.columns)[:12]})",
        )


def decode_text(raw: bytes) -> tuple[str, str]:
    """Decode bytes of unknown encoding: UTF-8 (with or without BOM), else cp1252.

    Returns:
        The text and the encoding used (``"ascii"``, ``"utf-8"`` or ``"cp1252"``).
    """
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        # cp1252 leaves 5 bytes undefined; map them through latin-1 rather than fail
        return raw.decode("cp1252", errors="replace"), "cp1252"
    return text, ("ascii" if raw.isascii() else "utf-8")


def _umask() -> int:
    """The process's umask, read without changing it (Linux), else set and restored."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except OSError:  # pragma: no cover - not Linux
        pass
    mask = os.umask(0o022)  # pragma: no cover
    os.umask(mask)  # pragma: no cover
    return mask  # pragma: no cover


def write_atomic(path: Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then rename it.

    A reader sees the old file or the new one, never half of it; a failure or a kill leaves no
    temporary file behind (except after SIGKILL: a ``.<name>.*.part`` that the next write does
    not mind). Text is written as UTF-8 with the line ends given.
    """
    import tempfile

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, part = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        os.fchmod(handle, 0o666 & ~_umask())  # mkstemp makes 0600; a saved file gets the umask
        with os.fdopen(handle, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(part, path)
    except BaseException:
        Path(part).unlink(missing_ok=True)
        raise
    return path
