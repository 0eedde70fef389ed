"""`data fetch --texts` against a hostile library: a real HTTP server on 127.0.0.1 (#27).

The server plays the UN Digital Library (record pages that link an English PDF, see
tests/test_fetch_texts.py) and misbehaves as told, per resolution: it serves another
resolution's PDF, sends half of what it announces, trickles the body, never answers, asks to
retry in eleven days, answers slowly, or redirects to ftp, to another host or to itself.
Deadlines are set small through the settings, so that every test stays short.
"""

from __future__ import annotations

import shutil
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest

from peaceops.pipeline.texts import fetch_and_add
from peaceops.sources.undl import fetch_texts, record_urls
from peaceops.store import Database
from test_fetch_texts import RECORD, _pdf, _record_table

pytestmark = pytest.mark.issue(27)


@dataclass
class Hostile:
    """What the server serves and how it misbehaves, and what it saw."""

    pdfs: dict[int, bytes] = field(default_factory=dict)  # what each number's PDF link sends
    mode: dict[int, str] = field(default_factory=dict)  # number -> misbehaviour of its PDF
    page_mode: str | None = None  # misbehaviour of every record page
    requests: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)
    port: int = 0


class HostileHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    lib: Hostile

    def log_message(self, format, *args):
        """Quiet."""

    def do_GET(self):
        lib = self.lib
        lib.requests.append(self.path)
        parts = unquote(self.path.split("?")[0]).strip("/").split("/")
        if parts[0] == "served":  # where redirects lead
            return self._send(200, lib.pdfs[int(parts[1])])
        number = int(parts[1]) - RECORD
        if len(parts) == 2:
            if lib.page_mode:
                return self._misbehave(lib.page_mode, number, b"<html></html>")
            link = f"/record/{parts[1]}/files/S_RES_{number}%282016%29-EN.pdf"
            return self._send(200, f'<html><a href="{link}">EN</a></html>'.encode())
        return self._misbehave(lib.mode.get(number, ""), number, lib.pdfs[number])

    def _misbehave(self, mode: str, number: int, body: bytes) -> None:
        lib = self.lib
        if mode == "silent":  # accept, read the request, never answer
            lib.stop.wait(30)
            self.close_connection = True
            return None
        if mode == "retry-after":
            return self._send(503, b"busy", {"Retry-After": "999999"})
        if mode == "slow":
            time.sleep(0.3)
        if mode.startswith("redirect"):
            where = {
                "redirect-ftp": f"ftp://127.0.0.1:{lib.port}/served/{number}",
                "redirect-other": f"http://localhost:{lib.port}/served/{number}",
                "redirect-same": f"/served/{number}",
            }[mode]
            return self._send(302, b"", {"Location": where})
        if mode in ("truncate", "trickle"):
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if mode == "truncate":  # announce N bytes, send N/2, hang up
                self.wfile.write(body[: len(body) // 2])
            else:  # one byte at a time, for at most 20 s
                for byte in body[:100]:
                    if lib.stop.wait(0.2):
                        break
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
            self.close_connection = True
            return None
        return self._send(200, body)

    def _send(self, code: int, body: bytes, headers: dict | None = None) -> None:
        self.send_response(code)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def hostile():
    lib = Hostile()
    handler = type("Handler", (HostileHandler,), {"lib": lib})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    lib.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield lib, f"http://127.0.0.1:{lib.port}"
    lib.stop.set()
    server.shutdown()
    server.server_close()


def _fetch(tmp_path: Path, url: str, numbers: list[int], **options) -> list:
    data = tmp_path / "data"
    records = record_urls(data if data.exists() else _record_table(data, list(range(2300, 2310))))
    options = {"delay": 0, **options}
    return fetch_texts(numbers, tmp_path / "pdf", records, base_url=url, **options)


def _fetched(tmp_path: Path) -> str:
    manifest = tmp_path / "pdf" / "fetched.csv"
    return manifest.read_text() if manifest.exists() else ""


def test_issue27_a_pdf_of_another_resolution_is_refused(built_db, hostile, tmp_path, monkeypatch):
    """A mirror that served S/RES/2295's PDF for 2300 added 2295; with --replace, one that
    served 2098's replaced the text of S/RES/2098 (#27). The heading's symbol and year must be
    the number asked for and the year the Council's record gives it; else nothing is kept."""
    lib, url = hostile
    monkeypatch.setenv("PEACEOPS_TEXTS", str(tmp_path / "texts"))
    lib.pdfs = {
        2300: _pdf(tmp_path, 2295),  # another resolution of the same year
        2301: _pdf(tmp_path, 2098, year=2013),  # a resolution that has a text
        2302: _pdf(tmp_path, 2302, year=2015),  # the right number, a year the record denies
        2303: _pdf(tmp_path, 2303),  # the right one
    }
    store = tmp_path / "kb.duckdb"
    shutil.copy(built_db, store)
    with Database(store) as kb:
        text_2098 = kb.scalar("SELECT text FROM resolutions WHERE number = 2098")
    report = fetch_and_add(
        store, [2300, 2301, 2302, 2303], _record_table(tmp_path / "data", sorted(lib.pdfs)),
        base_url=url, delay=0, replace=True,
    )  # fmt: skip
    failed = {f["number"]: f["detail"] for f in report.failed}
    assert sorted(failed) == [2300, 2301, 2302], report.failed
    assert "S/RES/2300 (2016) was asked for, but the PDF sent is S/RES/2295 (2016)" in failed[2300]
    assert "S/RES/2301 (2016) was asked for, but the PDF sent is S/RES/2098 (2013)" in failed[2301]
    assert "the PDF sent is S/RES/2302 (2015)" in failed[2302]
    assert [(a.number, a.status) for a in report.added] == [(2303, "added")]
    with Database(store) as kb:
        assert kb.scalar("SELECT text FROM resolutions WHERE number = 2098") == text_2098
        assert not kb.scalar("SELECT has_text FROM resolutions WHERE number = 2295")
    kept = sorted(p.name for p in (tmp_path / "texts" / "pdf").iterdir())
    assert kept == ["S-RES-2303-EN.pdf", "fetched.csv"]
    assert [row.split(",")[0] for row in (tmp_path / "texts" / "pdf" / "fetched.csv")
            .read_text().splitlines()[1:]] == ["2303"]  # fmt: skip


def test_issue27_a_truncated_pdf_is_a_failed_download_and_nothing_is_kept(hostile, tmp_path):
    """Content-Length N, N/2 bytes sent: the half file was kept with its checksum and never
    fetched again (#27). It is a failed download; the next run fetches it whole."""
    lib, url = hostile
    lib.pdfs[2300] = _pdf(tmp_path, 2300)
    lib.mode[2300] = "truncate"
    [result] = _fetch(tmp_path, url, [2300], retries=1)
    assert result.status == "failed" and "the body ended after" in result.detail
    assert not list((tmp_path / "pdf").glob("*.pdf*")) and "2300" not in _fetched(tmp_path)
    del lib.mode[2300]  # the mirror is mended: the next run gets the whole file
    [result] = _fetch(tmp_path, url, [2300], retries=1)
    assert result.status == "ok"
    assert (tmp_path / "pdf" / "S-RES-2300-EN.pdf").read_bytes() == lib.pdfs[2300]


def test_issue27_a_trickled_body_is_cut_at_the_request_deadline(hostile, tmp_path, monkeypatch):
    """A body trickled one byte at a time never timed out (#27): the deadline covers the body,
    and the server that missed it is not asked again in the run."""
    lib, url = hostile
    monkeypatch.setenv("PEACEOPS_FETCH_REQUEST_SECONDS", "1")
    lib.pdfs = {2300: _pdf(tmp_path, 2300), 2301: _pdf(tmp_path, 2301)}
    lib.mode[2300] = "trickle"
    start = time.monotonic()
    first, second = _fetch(tmp_path, url, [2300, 2301])
    assert time.monotonic() - start < 15  # liveness: the trickle lasts 20 s
    assert first.status == "failed" and "PEACEOPS_FETCH_REQUEST_SECONDS" in first.detail
    assert second.status == "failed" and second.detail.startswith("not tried")
    assert not any(str(RECORD + 2301) in r for r in lib.requests)
    assert not list((tmp_path / "pdf").glob("*.pdf*"))


def test_issue27_a_server_that_never_answers_is_marked_down_after_the_first_timeout(
    hostile, tmp_path
):
    """An accept-and-never-answer server cost 130 s for every number (#27): after its first
    timeout the numbers left fail at once, with a clear message."""
    lib, url = hostile
    lib.page_mode = "silent"
    start = time.monotonic()
    results = _fetch(tmp_path, url, [2300, 2301, 2302], timeout=0.5, retries=3)
    assert time.monotonic() - start < 15
    assert [r.status for r in results] == ["failed"] * 3
    assert "did not answer" in results[0].detail and "again later" in results[0].detail
    assert all(r.detail.startswith("not tried: the server did not answer") for r in results[1:])
    assert len(lib.requests) == 1


def test_issue27_a_retry_after_beyond_the_cap_fails_the_server_at_once(hostile, tmp_path):
    """`Retry-After: 999999` waited 183 s for every number (#27): more than the cap (60 s)
    means the server is unavailable for this run."""
    lib, url = hostile
    lib.page_mode = "retry-after"
    start = time.monotonic()
    first, second = _fetch(tmp_path, url, [2300, 2301])
    assert time.monotonic() - start < 15
    assert "asks to wait 999,999 s (Retry-After)" in first.detail
    assert "PEACEOPS_FETCH_RETRY_AFTER_MAX" in first.detail
    assert second.detail.startswith("not tried") and len(lib.requests) == 1


def test_issue27_a_run_stops_at_its_overall_deadline(hostile, tmp_path, monkeypatch):
    """Every request in time, yet the run as a whole is bounded: the numbers left after the
    run's deadline fail at once, saying how to go on."""
    lib, url = hostile
    monkeypatch.setenv("PEACEOPS_FETCH_TOTAL_SECONDS", "1")
    numbers = list(range(2300, 2310))
    for n in numbers:
        lib.pdfs[n] = _pdf(tmp_path, n)
        lib.mode[n] = "slow"  # 0.3 s per PDF: about 0.3 s per number
    results = _fetch(tmp_path, url, numbers)
    statuses = [r.status for r in results]
    assert statuses[0] == "ok" and "failed" in statuses
    cut = statuses.index("failed")
    assert statuses[cut:] == ["failed"] * (len(numbers) - cut)
    assert "PEACEOPS_FETCH_TOTAL_SECONDS" in results[cut].detail
    assert all("run the same command again" in r.detail for r in results[cut:])


def test_issue27_redirects_are_followed_only_to_http_on_the_same_host(hostile, tmp_path):
    """`ftp://` was followed past the http/https check, and so were other hosts (#27)."""
    lib, url = hostile
    lib.pdfs = {n: _pdf(tmp_path, n) for n in (2300, 2301, 2302)}
    lib.mode = {2300: "redirect-ftp", 2301: "redirect-other", 2302: "redirect-same"}
    ftp, other, same = _fetch(tmp_path, url, [2300, 2301, 2302], retries=1)
    assert ftp.status == "failed" and "refused: only http and https" in ftp.detail
    assert other.status == "failed" and "--follow-other-hosts" in other.detail
    assert same.status == "ok"
    [other] = _fetch(tmp_path, url, [2301], retries=1, other_hosts=True)
    assert other.status == "ok"
    assert (tmp_path / "pdf" / "S-RES-2301-EN.pdf").read_bytes() == lib.pdfs[2301]
