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

import os
import re
from datetime import date
from pathlib import Path

from peaceops.sources.base import SourceError, decode_text
from peaceops.sources.layout import unwrap
from peaceops.sources.resolutions import adoption_date

ENV_TEXTS = "PEACEOPS_TEXTS"
SOURCE = "user-added"
FILE_NAME = re.compile(r"S-RES-(\d{1,4})\((\d{4})\)\.txt")
#: The symbol in a text's heading: "S/RES/2295 (2016)" or "Resolution 2295 (2016)".
_SYMBOL = re.compile(r"(?:S\s*/\s*RES\s*/\s*|Resolution\s+)(\d{1,4})\s*\((\d{4})\)", re.IGNORECASE)
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
    if not path.is_file():
        raise SourceError(path, "no such file (give the path of a resolution's text)")
    with path.open("rb") as fh:
        is_pdf = fh.read(5) == b"%PDF-"
    if is_pdf or path.suffix.lower() == ".pdf":
        return read_pdf(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise SourceError(path, f"{size:,} bytes is too large for one resolution")
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise SourceError(path, "the file is binary, not a text (give a .txt or a .pdf)")
    text, _ = decode_text(raw)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise SourceError(path, "the file is empty")
    return text


def read_pdf(path: Path) -> str:
    """The text of a resolution's PDF as published by the UN, its paragraphs unwrapped.

    pypdf extracts each page's lines; :func:`peaceops.sources.layout.unwrap` joins the lines of
    each paragraph. The page furniture stays on lines of its own (the stored text is the text as
    found; the reading text drops it).

    Raises:
        SourceError: not a PDF, too large, encrypted, damaged, or without a text layer (a scan).
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    path = Path(path)
    size = path.stat().st_size
    if size > MAX_PDF_BYTES:
        raise SourceError(path, f"{size:,} bytes is too large for the PDF of one resolution")
    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise SourceError(path, "the PDF is encrypted; save its text as a .txt file")
        pages = [page.extract_text() or "" for page in reader.pages]
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
    return unwrap(text.replace("\x00", ""))


def identify(text: str) -> tuple[int | None, int | None, date | None]:
    """``(number, year, adoption date)`` read from the first 2,000 characters of a text."""
    head = text[:2000]
    match = _SYMBOL.search(head)
    number, year = (int(match.group(1)), int(match.group(2))) if match else (None, None)
    return number, year, adoption_date(text)


def load_added_texts(folder: Path | None = None) -> list[dict]:
    """Rows of ``resolution_texts`` for every added text (none when the folder is missing).

    Raises:
        SourceError: a file of the folder that cannot be read (its name says which).
    """
    folder = texts_dir() if folder is None else Path(folder)
    if not folder.is_dir():
        return []
    rows = []
    for path in sorted(folder.iterdir()):
        match = FILE_NAME.fullmatch(path.name)
        if not match:
            continue
        text = read_text(path)
        rows.append(
            {
                "number": int(match.group(1)),
                "year": int(match.group(2)),
                "text": text,
                "text_source": SOURCE,
                "text_path": str(path),
                "encoding": "utf-8",
            }
        )
    return rows
