"""``peaceops data fetch --texts``: download the resolutions' PDFs, then add them.

Data flow: the numbers asked for -> those whose text the knowledge base already has are left
alone (unless ``replace``) -> :func:`peaceops.sources.undl.fetch_texts` downloads the others'
English PDFs into ``<texts folder>/pdf`` -> :func:`peaceops.pipeline.add.add_texts` adds them
in one atomic change (if one of them cannot be added, each is added on its own, so that one bad
PDF does not hold back the others). The report lists every number with what happened to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from peaceops.errors import PeaceopsError
from peaceops.pipeline.add import Added, add_texts
from peaceops.sources.added import texts_dir
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
    progress: Callable[[int, int, int], None] | None = None,
) -> TextsReport:
    """Download and add the texts of ``numbers`` (see the module doc)."""
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
    report.stored = sorted(have) if not replace else []
    wanted = [n for n in numbers if replace or n not in have]
    pdfs = (folder or texts_dir()) / "pdf"
    report.fetched = fetch_texts(
        wanted, pdfs, record_urls(data_dir), base_url=base_url, delay=delay, progress=progress
    )
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
