"""Resolution texts a user adds (``peaceops add``): where they live, and how one is read.

Added texts live in one folder outside the data directory (``$PEACEOPS_TEXTS``, else
``texts/`` in the user's peaceops data folder), one file per resolution named like the
collection's (``S-RES-2295(2016).txt``). ``peaceops build`` reads that folder after the data
directory, so an added text survives every rebuild; it is preferred over the data directory's
texts of the same resolution (the user chose it, with ``--replace`` when one existed), and its
rows say ``text_source = 'user-added'``.

:func:`identify` reads the symbol and adoption date from a text's heading: the official texts
begin ``S/RES/2295 (2016)`` and say ``Adopted by the Security Council at its 7727th meeting,
on 29 June 2016``.
"""

from __future__ import annotations

import logging
import os
import re
from datetime import date
from pathlib import Path

from peaceops.sources.base import SourceError, decode_text
from peaceops.sources.layout import unwrap
from peaceops.sources.resolutions import adoption_date

logger = logging.getLogger(__name__)

ENV_TEXTS = "PEACEOPS_TEXTS"
SOURCE = "user-added"
FILE_NAME = re.compile(r"S-RES-(\d{1,4})\((\d{4})\)\.txt")
#: The symbol in a text's heading: "S/RES/2295 (2016)" or "Resolution 2295 (2016)", at the start
#: of a line: "Recalling its resolution 2098 (2013)" in the preamble names another document (#27).
_SYMBOL = re.compile(
    r"^[ \t]*(?:S\s*/\s*RES\s*/\s*|Resolution\s+)(\d{1,4})\s*\((\d{4})\)",
    re.IGNORECASE | re.MULTILINE,
)
#: The opening of every resolution's text ("The Security Council,"): the heading ends there.
_OPENING = re.compile(r"^[ \t]*The\s+Security\s+Council\s*,", re.IGNORECASE | re.MULTILINE)
#: Control characters other than tab, newline and page break (C0, DEL, C1): an ESC or OSC in a text
#: would be printed raw by the terminal commands (#27).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
#: The Council's first resolution was adopted in 1946.
FIRST_YEAR = 1946
#: Largest text taken (the longest resolution is about 120,000 characters).
MAX_BYTES = 2_000_000
#: Largest PDF taken (the UN's PDF of a long resolution is under 1 MB).
MAX_PDF_BYTES = 20_000_000


def texts_dir() -> Path:
    """``$PEACEOPS_TEXTS``, else ``texts/`` in the user's peaceops data folder."""
    if os.environ.get(ENV_TEXTS):
        return Path(os.environ[ENV_TEXTS])
    import platformdirs

    return Path(platformdirs.user_data_dir("peaceops", appauthor=False)) / "texts"


def file_name(number: int, year: int) -> str:
    """The file name of an added text: ``S-RES-2295(2016).txt``."""
    return f"S-RES-{number}({year}).txt"


def read_text(path: Path) -> str:
    """A resolution's text from a text file or a PDF, with Unix line ends.

    A text file is decoded (UTF-8, else cp1252). A PDF (by its name or its first bytes) is read
    with :func:`read_pdf`.

    Raises:
        SourceError: no such file, a folder, empty, too large, binary, or a PDF that cannot be
            read or has no text.
    """
    path = Path(path)
    raw = _read_regular(path, MAX_PDF_BYTES)
    if raw[:5] == b"%PDF-" or path.suffix.lower() == ".pdf":
        return strip_controls(read_pdf(path))
    if len(raw) > MAX_BYTES:
        raise SourceError(path, f"{len(raw):,} bytes is too large for one resolution")
    if b"\x00" in raw:
        raise SourceError(path, "the file is binary, not a text (give a .txt or a .pdf)")
    text, _ = decode_text(raw)
    text = strip_controls(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not text.strip():
        raise SourceError(path, "the file is empty")
    return text


def strip_controls(text: str) -> str:
    """``text`` without control characters but tab, newline and page break (ESC, OSC, NUL)."""
    return _CONTROL.sub("", text)


def _read_regular(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes (symlinks followed).

    A FIFO, device, socket or folder is refused before it is opened (a FIFO would block the
    reader for good), and ``/proc``-style files whose size says 0 are read only up to the
    limit (#27).

    Raises:
        SourceError: no such file, not a regular file, or larger than ``limit``.
    """
    import stat

    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise SourceError(path, "no such file (give the path of a resolution's text)") from None
    except OSError as exc:
        raise SourceError(path, f"cannot read the file ({exc.strerror})") from None
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise SourceError(path, f"{kind}; give the path of a resolution's text (.txt or .pdf)")
    try:
        # O_NONBLOCK: a file swapped for a FIFO after the check does not block the reader
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                raise SourceError(path, "not a regular file; give the path of a resolution's text")
            raw = fh.read(limit + 1)
    except OSError as exc:
        raise SourceError(path, f"cannot read the file ({exc.strerror})") from None
    if len(raw) > limit:
        raise SourceError(path, f"more than {limit:,} bytes is too large for one resolution")
    return raw


def check_resolution_text(path: Path, text: str) -> None:
    """Refuse a text that is no Security Council resolution (no "The Security Council," line).

    Raises:
        SourceError: the text lacks the opening every resolution has.
    """
    if not _OPENING.search(text[:20_000]):
        raise SourceError(
            path,
            'no "The Security Council," opening in its first pages, so it is not the text of a '
            "resolution; give the resolution's own text (.txt or the UN's PDF)",
        )


def check_year(year: int, *, today: date | None = None) -> None:
    """Refuse a year no resolution can have (before 1946 or after today).

    Raises:
        ValueError: the year is impossible (the message says why).
    """
    today = today or date.today()
    if not FIRST_YEAR <= year <= today.year:
        raise ValueError(
            f"the year {year} is impossible for a resolution (the Council's resolutions date "
            f"from {FIRST_YEAR} to {today.year})"
        )


def read_pdf(path: Path) -> str:
    """The text of a resolution's PDF as published by the UN, its paragraphs unwrapped.

    pypdf extracts each page's lines; :func:`peaceops.sources.layout.unwrap` joins the lines of
    each paragraph. The page furniture stays on lines of its own (the stored text is the text as
    found; the reading text drops it). Control characters other than tab and newline are
    removed (an ESC sequence never reaches the store, #27).

    The work is bounded (#27: 20,000 references to one page gave 2.7 MB of text, 100,000 pages
    ran past 150 s): at most the setting ``pdf_max_pages`` pages, at most :data:`MAX_BYTES` of
    text (UTF-8), and at most the setting ``pdf_seconds`` seconds, checked between pages.

    Raises:
        SourceError: not a PDF, too large, encrypted, damaged, without a text layer (a scan),
            or over one of the bounds.
    """
    import time

    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    from peaceops.settings import setting

    path = Path(path)
    size = path.stat().st_size
    if size > MAX_PDF_BYTES:
        raise SourceError(path, f"{size:,} bytes is too large for the PDF of one resolution")
    max_pages, seconds = int(setting("pdf_max_pages")), int(setting("pdf_seconds"))
    deadline = time.monotonic() + seconds if seconds else None
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise SourceError(path, "the PDF is encrypted; save its text as a .txt file")
        _check_pdf_pages(path, reader, max_pages)
        pages, used = [], 0
        for page in reader.pages:
            _check_pdf_deadline(path, deadline, seconds)
            pages.append(page.extract_text() or "")
            used += len(pages[-1].encode("utf-8", "replace")) + 1
            if used > MAX_BYTES:  # a stored text over the limit would break later builds
                raise SourceError(
                    path,
                    f"more than {MAX_BYTES:,} bytes of text after {len(pages):,} pages: no "
                    "resolution is that long; save the resolution's text as a .txt file",
                )
        _check_pdf_deadline(path, deadline, seconds)
    except SourceError:
        raise
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError) as exc:  # fmt: skip
        raise SourceError(
            path,
            f"not a readable PDF ({type(exc).__name__}: {exc}); check the download, or "
            "save the resolution's text as a .txt file",
        ) from exc
    text = "\n".join(page.replace("\r\n", "\n").replace("\r", "\n") for page in pages)
    if not text.strip():
        raise SourceError(
            path, "the PDF has no text layer (a scan?); save the resolution's text as a .txt file"
        )
    return unwrap(strip_controls(text))


def _check_pdf_pages(path: Path, reader, max_pages: int) -> None:
    """Refuse a PDF of more than ``max_pages`` pages, by its own count first (cheap, #27)."""
    try:
        declared = int(reader.trailer["/Root"]["/Pages"].get("/Count", 0))
    except (KeyError, TypeError, ValueError, AttributeError):
        declared = 0  # no usable count: the pages themselves are counted below
    pages = declared if declared > max_pages else len(reader.pages)
    if pages > max_pages:
        raise SourceError(
            path,
            f"{pages:,} pages, more than {max_pages:,} (PEACEOPS_PDF_MAX_PAGES): no resolution "
            "is that long; check the file, or save the resolution's text as a .txt file",
        )


def _check_pdf_deadline(path: Path, deadline: float | None, seconds: int) -> None:
    import time

    if deadline is not None and time.monotonic() > deadline:
        raise SourceError(
            path,
            f"reading its text took more than {seconds:,} s (PEACEOPS_PDF_SECONDS): no "
            "resolution's PDF needs that long; save the resolution's text as a .txt file",
        )


def identify(text: str) -> tuple[int | None, int | None, date | None]:
    """``(number, year, adoption date)`` read from the heading of a text.

    The heading is what comes before the "The Security Council," opening (at most the first
    2,000 characters): only there does a symbol name the document itself (#27).
    """
    head = text[:2000]
    opening = _OPENING.search(head)
    match = _SYMBOL.search(head[: opening.start()] if opening else head)
    number, year = (int(match.group(1)), int(match.group(2))) if match else (None, None)
    return number, year, adoption_date(text)


def load_added_texts(folder: Path | None = None, issues: list[dict] | None = None) -> list[dict]:
    """Rows of ``resolution_texts`` for every added text (none when the folder is missing).

    A file that cannot be a resolution's text (unreadable, too large, no "The Security
    Council," opening, a heading that contradicts its name, an impossible year) is skipped with
    a warning and a row in ``issues`` (the build's ``data_issues``): one bad file never breaks a
    build, and never brings back a text ``add`` would refuse (#27).
    """
    folder = texts_dir() if folder is None else Path(folder)
    if not folder.is_dir():
        return []
    rows = []
    for path in sorted(folder.iterdir()):
        match = FILE_NAME.fullmatch(path.name)
        if not match:
            continue
        number, year = int(match.group(1)), int(match.group(2))
        try:
            check_year(year)
            text = read_text(path)
            check_resolution_text(path, text)
            said, said_year, _ = identify(text)
            if said is not None and (said, said_year) != (number, year):
                raise ValueError(f"its heading says S/RES/{said} ({said_year}), not its name")
        except (SourceError, ValueError) as exc:
            reason = exc.problem if isinstance(exc, SourceError) else str(exc)
            logger.warning("skipped the added text %s: %s", path, reason)
            if issues is not None:
                issues.append({"source": "user-added texts", "item": path.name, "issue": reason,
                               "action": "skipped; fix the file or remove it"})  # fmt: skip
            continue
        rows.append(
            {
                "number": number,
                "year": year,
                "text": text,
                "text_source": SOURCE,
                "text_path": str(path),
                "encoding": "utf-8",
            }
        )
    return rows
