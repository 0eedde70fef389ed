"""Hostile PDFs against :func:`peaceops.sources.added.read_pdf` (#27): bounded work, clean text.

Every PDF here is written by the test as raw bytes: a page tree whose kids may all point at one
page object (so that a small file has thousands of pages), and content streams chosen to make
much text, slow extraction, or terminal control sequences.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from peaceops.errors import SourceError
from peaceops.sources.added import MAX_BYTES, read_pdf

pytestmark = pytest.mark.issue(27)


def _raw_pdf(path: Path, content: bytes, *, pages: int = 1, count: int | None = None) -> Path:
    """A PDF of ``pages`` references to one page showing ``content`` (``/Count`` may lie)."""
    kids = b" ".join(b"3 0 R" for _ in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages if count is None else count),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding /WinAnsiEncoding >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref))  # fmt: skip
    path.write_bytes(out.getvalue())
    return path


def _text(*lines: bytes) -> bytes:
    shown = b" ".join(b"(%s) Tj 0 -14 Td" % line for line in lines)
    return b"BT /F1 11 Tf 72 760 Td " + shown + b" ET"


HEADING = (b"S/RES/2300 (2016)", b"The Security Council,", b"1. Decides to remain seized.")


def test_issue27_a_pdf_of_more_pages_than_any_resolution_is_refused(tmp_path):
    """20,000 references to one page stored 2.7 MB (#27): over the page bound, it is refused,
    whatever its /Count says."""
    for count in (None, 1):  # the page tree's own count, and a count that lies
        pdf = _raw_pdf(tmp_path / f"pages-{count}.pdf", _text(*HEADING), pages=600, count=count)
        with pytest.raises(SourceError, match=r"600 pages, more than 500 \(PEACEOPS_PDF_MAX"):
            read_pdf(pdf)


def test_issue27_the_page_bound_is_a_setting(tmp_path, monkeypatch):
    pdf = _raw_pdf(tmp_path / "ten.pdf", _text(*HEADING), pages=10)
    assert read_pdf(pdf).count("The Security Council,") == 10
    monkeypatch.setenv("PEACEOPS_PDF_MAX_PAGES", "9")
    with pytest.raises(SourceError, match="10 pages, more than 9"):
        read_pdf(pdf)


def test_issue27_a_pdf_never_gives_more_text_than_the_text_limit(tmp_path):
    """A text over MAX_BYTES would be refused by every later build: it is refused here."""
    pdf = _raw_pdf(tmp_path / "long.pdf", _text(*HEADING, b"A" * 25_000), pages=100)
    with pytest.raises(SourceError, match=f"more than {MAX_BYTES:,} bytes of text"):
        read_pdf(pdf)


def test_issue27_reading_a_pdf_stops_at_its_deadline(tmp_path, monkeypatch):
    """100,000 pages ran past 150 s (#27); a deadline is checked between pages. Here 150 slow
    pages (2,000 text operations each: seconds of work) against a 1 s deadline."""
    monkeypatch.setenv("PEACEOPS_PDF_SECONDS", "1")
    slow = b"BT /F1 11 Tf 72 760 Td " + b" ".join([b"(x) Tj 0 -1 Td"] * 2000) + b" ET"
    pdf = _raw_pdf(tmp_path / "slow.pdf", slow, pages=150)
    with pytest.raises(SourceError, match=r"more than 1 s \(PEACEOPS_PDF_SECONDS\)"):
        read_pdf(pdf)


def test_issue27_control_characters_never_leave_a_pdf(tmp_path):
    """An ESC/OSC sequence in a PDF's text (it set the terminal title through `show`) and the
    other C0 controls are removed; tabs and line ends stay."""
    hostile = b"\x1b]0;owned\x07S/RES/2300 (2016)\x1b[2J\x1b[31m"
    pdf = _raw_pdf(tmp_path / "esc.pdf", _text(hostile, b"The Security Council,\x08\x0c\x1f"))
    text = read_pdf(pdf)
    assert "S/RES/2300 (2016)" in text and "The Security Council," in text
    assert not [c for c in text if (ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) < 0xA0]
