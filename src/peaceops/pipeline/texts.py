"""``peaceops data fetch --texts``: download the resolutions' PDFs, then add them.

Data flow: the numbers asked for -> those whose text the knowledge base already has are left
alone (unless ``replace``) -> :func:`peaceops.sources.undl.fetch_texts` downloads the others'
English PDFs into ``<texts folder>/pdf`` -> :func:`peaceops.pipeline.add.add_texts` adds them
in one atomic change (if one of them cannot be added, each is added on its own, so that one bad
PDF does not hold back the others). The report lists every number with what happened to it.

Before a PDF is kept, its heading must name the resolution asked for, with the year the
Council's record gives for that number (``resolution_dates``, else ``resolutions.year``): a
mirror that serves another resolution's PDF would otherwise add or, with ``replace``, overwrite
that other resolution (#27). A refused PDF is listed as failed; nothing of it is kept.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from peaceops.errors import PeaceopsError, SourceError
from peaceops.pipeline.add import Added, add_texts
from peaceops.sources.added import identify, texts_dir
from peaceops.sources.undl import TextFetch, fetch_texts, record_urls
from peaceops.store import Database


@dataclass
class TextsReport:
    """Per number: the download (``fetched``) and, for those added, what adding did."""

    fetched: list[TextFetch] = field(default_factory=list)
    added: list[Added] = field(default_factory=list)
    stored: list[int] = field(default_factory=list)  # had a text already: left alone
    failed: list[dict] = field(default_factory=list)  # {number, step, detail}


def fetch_and_add(
    db_path: Path,
    numbers: list[int],
    data_dir: Path,
    *,
    folder: Path | None = None,
    base_url: str | None = None,
    delay: float = 1.0,
    replace: bool = False,
    other_hosts: bool = False,
    progress: Callable[[int, int, int], None] | None = None,
) -> TextsReport:
    """Download and add the texts of ``numbers`` (see the module doc).

    ``other_hosts`` lets downloads follow redirects to other hosts; the deadlines are the
    settings ``fetch_request_seconds``, ``fetch_total_seconds`` and ``fetch_retry_after_max``.
    """
    report = TextsReport()
    with Database(db_path) as db:
        have = {
            n
            for (n,) in db.tuples(
                "SELECT number FROM resolutions WHERE has_text "
                "AND number IN (SELECT unnest(?::INTEGER[]))",
                [numbers],
            )
        }
        years = dict(
            db.tuples(  # the Council's dates first, then any year the store derived
                "SELECT number, arg_min(year, rank) FROM ("
                " SELECT number, year, 0 AS rank FROM resolution_dates UNION ALL"
                " SELECT number, year, 1 AS rank FROM resolutions) "
                "WHERE year IS NOT NULL AND number IN (SELECT unnest(?::INTEGER[])) "
                "GROUP BY number",
                [numbers],
            )
        )
    report.stored = sorted(have) if not replace else []
    wanted = [n for n in numbers if replace or n not in have]
    pdfs = (folder or texts_dir()) / "pdf"
    report.fetched = fetch_texts(
        wanted, pdfs, record_urls(data_dir), base_url=base_url, delay=delay,
        other_hosts=other_hosts, check=lambda n, path: _refusal(n, years.get(n), path),
        progress=progress,
    )  # fmt: skip
    for f in report.fetched:
        if f.status == "failed":
            report.failed.append({"number": f.number, "step": "download", "detail": f.detail})
    ready = [f for f in report.fetched if f.status in ("ok", "present")]
    try:
        report.added = add_texts(db_path, [Path(f.path) for f in ready], replace=replace,
                                 folder=folder)  # fmt: skip
    except PeaceopsError:
        for f in ready:  # one of them is at fault: add each on its own
            try:
                report.added.extend(add_texts(db_path, [Path(f.path)], replace=replace,
                                              folder=folder))  # fmt: skip
            except PeaceopsError as exc:
                report.failed.append({"number": f.number, "step": "add", "detail": str(exc)})
    return report


def _refusal(number: int, year: int | None, path: Path) -> str | None:
    """Why the PDF at ``path`` is not the text of S/RES/``number`` (``year``), or None."""
    asked = f"S/RES/{number}" + (f" ({year})" if year else "")
    try:
        text = _first_page(path)
    except SourceError as exc:
        return f"refused: the PDF sent for {asked} cannot be read ({exc.problem})"
    found, found_year, adopted = identify(text)
    found_year = found_year or (adopted.year if adopted else None)
    if found is None:
        what = "a document whose heading names no resolution"
    else:
        what = f"S/RES/{found}" + (f" ({found_year})" if found_year else "")
    if (
        found != number
        or found_year is None
        or (year is not None and found_year != year)
        or not 1946 <= found_year <= date.today().year
    ):
        return (
            f"refused: {asked} was asked for, but the PDF sent is {what}; nothing was kept "
            "(the mirror serves another document: check it, or add the right PDF with "
            "`peaceops add FILE`)"
        )
    return None


def _first_page(path: Path) -> str:
    """The text of a PDF's first page, whose heading names the document.

    Only the heading is needed to check a download, and the first page costs about a tenth of
    the whole PDF (which ``add`` reads, bounded, right after).

    Raises:
        SourceError: an encrypted or unreadable PDF.
    """
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        if reader.is_encrypted and not reader.decrypt(""):
            raise SourceError(path, "the PDF is encrypted")
        return (reader.pages[0].extract_text() or "") if len(reader.pages) else ""
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            RecursionError, OSError) as exc:  # fmt: skip
        raise SourceError(path, f"not a readable PDF ({type(exc).__name__}: {exc})") from exc
