"""`peaceops data fetch --texts` against a real HTTP server that plays the UN Digital Library.

The server serves record pages that link the English PDF (and other languages), and PDFs in the
UN's layout written by the tests (tests/unpdf.py); it can fail a request once with 503, send an
HTML page instead of a PDF, and records every request and how many were in flight at once.
Nothing here reaches the internet.
"""

from __future__ import annotations

import hashlib
import shutil
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest
from typer.testing import CliRunner

from peaceops.cli import app
from peaceops.errors import UsageError
from peaceops.sources.undl import fetch_texts, parse_numbers, record_urls
from peaceops.store import Database
from test_add import _paragraph_lines, _without_text
from unpdf import resolution_pdf

pytestmark = pytest.mark.issue(17)
RECORD = 700000  # record ids of the fake library: RECORD + number


@dataclass
class Library:
    pdfs: dict[int, bytes]
    fail_once: set[str] = field(default_factory=set)
    not_pdf: set[int] = field(default_factory=set)
    requests: list[str] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class LibraryHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    library: Library

    def log_message(self, format, *args):
        """Quiet."""

    def do_GET(self):
        lib = self.library
        with lib.lock:
            lib.requests.append(self.path)
            lib.in_flight += 1
            lib.most_in_flight = max(lib.most_in_flight, lib.in_flight)
        try:
            time.sleep(0.01)
            self._answer(lib, unquote(self.path.split("?")[0]))
        finally:
            with lib.lock:
                lib.in_flight -= 1

    def _answer(self, lib: Library, path: str) -> None:
        if path in lib.fail_once:
            lib.fail_once.discard(path)
            return self._send(503, b"busy", "text/plain", {"Retry-After": "0"})
        parts = path.strip("/").split("/")
        if len(parts) < 2 or parts[0] != "record" or not parts[1].isdigit():
            return self._send(404, b"not found", "text/plain")
        number = int(parts[1]) - RECORD
        if number not in lib.pdfs:
            return self._send(404, b"no such record", "text/plain")
        if len(parts) == 2:
            links = "".join(
                f'<a href="/record/{parts[1]}/files/S_RES_{number}%282016%29-{lang}.pdf?ln=en">'
                f"{lang}</a>"
                for lang in ("AR", "ZH", "EN", "FR")
            )
            return self._send(200, f"<html><body>{links}</body></html>".encode(), "text/html")
        if number in lib.not_pdf:
            return self._send(200, b"<html>Please log in</html>", "text/html")
        return self._send(200, lib.pdfs[number], "application/pdf")

    def _send(self, code: int, body: bytes, kind: str, headers: dict | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def library():
    lib = Library(pdfs={})
    handler = type("Handler", (LibraryHandler,), {"library": lib})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield lib, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _record_table(folder: Path, numbers: list[int]) -> Path:
    table = folder / "resolutions" / "cr-unsc-meta" / "UNSC_Record-Table_2722.csv"
    table.parent.mkdir(parents=True)
    table.write_text(
        "res_no,url_record\n"
        + "".join(f"{n},https://digitallibrary.un.org/record/{RECORD + n}\n" for n in numbers)
    )
    return folder


def _pdf(tmp_path: Path, number: int, lines: list[str] | None = None, year: int = 2016) -> bytes:
    lines = lines or ["Recalling its resolutions,", "1. Decides to remain seized of the matter."]
    first = next(i for i, line in enumerate(lines) if line.startswith("1. "))
    path = resolution_pdf(
        tmp_path / f"{number}.pdf", number=number, year=year, adopted=f"29 June {year}",
        meeting="7727th", preamble=lines[:first], operative=lines[first:],
    )  # fmt: skip
    return path.read_bytes()


def test_numbers_and_ranges():
    assert parse_numbers("2295-2297, 2364,2295") == [2295, 2296, 2297, 2364]
    for bad in ("", "2295-", "a-b", "10-5", "0", "1-4000"):
        with pytest.raises(UsageError):
            parse_numbers(bad)


def test_downloads_one_at_a_time_retry_record_checksums_and_resume(library, tmp_path):
    lib, url = library
    for n in (2295, 2296, 2297):
        lib.pdfs[n] = _pdf(tmp_path, n)
    lib.fail_once.add(f"/record/{RECORD + 2296}")  # a 503, then the page
    lib.not_pdf.add(2297)  # a login page instead of the PDF
    records = record_urls(_record_table(tmp_path / "data", [2295, 2296, 2297]))
    folder = tmp_path / "pdf"
    results = fetch_texts([2295, 2296, 2297, 2298], folder, records, base_url=url, delay=0.02)
    assert [(r.number, r.status) for r in results] == [
        (2295, "ok"), (2296, "ok"), (2297, "failed"), (2298, "failed")
    ]  # fmt: skip
    assert "did not send a PDF" in results[2].detail and "record table" in results[3].detail
    assert lib.most_in_flight == 1
    assert lib.requests.count(f"/record/{RECORD + 2296}") == 2  # retried after the 503
    manifest = (folder / "fetched.csv").read_text().splitlines()
    assert len(manifest) == 3  # header and the two PDFs
    for n in (2295, 2296):
        data = (folder / f"S-RES-{n}-EN.pdf").read_bytes()
        assert data == lib.pdfs[n]
        assert any(hashlib.sha256(data).hexdigest() in row for row in manifest)
    assert not list(folder.glob("*.part")) and not (folder / "S-RES-2297-EN.pdf").exists()
    asked = len(lib.requests)
    again = fetch_texts([2295, 2296], folder, records, base_url=url, delay=0)
    assert [r.status for r in again] == ["present", "present"]
    assert len(lib.requests) == asked  # resumed: nothing downloaded again
    (folder / "S-RES-2295-EN.pdf").write_bytes(b"%PDF-1.4 damaged")
    assert fetch_texts([2295], folder, records, base_url=url, delay=0)[0].status == "ok"


def test_an_unreachable_library_fails_every_number_with_what_to_do(tmp_path):
    records = record_urls(_record_table(tmp_path / "data", [2295, 2296]))
    start = time.monotonic()
    results = fetch_texts(
        [2295, 2296], tmp_path / "pdf", records, base_url="http://127.0.0.1:9", delay=0, retries=1
    )
    assert [r.status for r in results] == ["failed", "failed"]
    assert "again later" in results[0].detail and "not tried" in results[1].detail
    assert time.monotonic() - start < 10


def test_fetch_texts_adds_them_to_the_knowledge_base(db, built_db, library, tmp_path, monkeypatch):
    lib, url = library
    monkeypatch.setenv("PEACEOPS_TEXTS", str(tmp_path / "texts"))
    number = 2640
    lib.pdfs[number] = _pdf(tmp_path, number, _paragraph_lines(db, number), year=2022)
    store = _without_text(built_db, tmp_path / "kb.duckdb", number)
    data = _record_table(tmp_path / "data", [number, 2098])
    result = CliRunner().invoke(app, [
        "data", "fetch", "--texts", f"2098,{number},9999", "--db", str(store),
        "--data-dir", str(data), "--undl-url", url, "--delay", "0",
    ])  # fmt: skip
    assert result.exit_code == 1, result.output  # 9999 is not in the record table
    assert "1 already had a text" in result.output  # S/RES/2098: left alone, not downloaded
    assert f"S/RES/{number} (2022): added" in result.output
    assert "S/RES/9999 (download)" in result.output
    assert not any(str(RECORD + 2098) in r for r in lib.requests)
    with Database(store) as kb:
        row = kb.rows("SELECT has_text, text_source FROM resolutions WHERE number = ?", [number])
        assert row == [{"has_text": True, "text_source": "user-added"}]
        assert kb.scalar("SELECT count(*) FROM codes WHERE resolution = ?", [number]) > 50
    shutil.rmtree(tmp_path / "texts" / "pdf")  # the added text stays without its PDF
    assert list((tmp_path / "texts").glob("S-RES-2640*.txt"))
