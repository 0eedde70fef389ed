"""Tests for peaceops.sources.fetch against a real HTTP server on 127.0.0.1.

The server serves a copy of a small subset of the shared data directory (never the shared
directory itself) under the same paths, with Range support and switches to corrupt, drop or
ignore Range, and records every request it sees.
"""

from __future__ import annotations

import csv
import shutil
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from peaceops.errors import SourceError, UsageError
from peaceops.sources import fetch
from peaceops.sources.fetch import FetchReport, FetchResult, fetch_data, load_manifest, verify_data

TEXTS = [
    "resolutions/texts/S-RES-1(1946).txt",
    "resolutions/texts/S-RES-1244(1999).txt",
    "resolutions/texts/S-RES-1528(2004).txt",
    "resolutions/texts/S-RES-2098(2013).txt",
    "resolutions/texts-post2015/S-RES-2406(2018).txt",
]
SUBSET = ["votes/", "council/", "missions/", "personnel/mandate_contribute/", *TEXTS]
BIG = "votes/sc_voting.xlsx"
SMALL = "council/council_membership.csv"


@dataclass
class ServerState:
    """What the test server does and what it saw."""

    root: Path
    requests: list[tuple[str, str | None]] = field(default_factory=list)
    drop: dict[str, int] = field(default_factory=dict)  # path -> how many times to drop
    ignore_range: bool = False
    redirect: dict[str, str] = field(default_factory=dict)  # path -> Location of a 302 (#27)
    trickle: set[str] = field(default_factory=set)  # paths sent 200 bytes every 0.1 s (#27)
    silent: bool = False  # accept every request and never answer (#27)
    stop: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def seen(self, path: str) -> list[str | None]:
        """Range headers of the requests for ``path``."""
        return [rng for p, rng in self.requests if p == path]


class MirrorHandler(BaseHTTPRequestHandler):
    """Serves ``state.root`` with Range support and fault switches."""

    protocol_version = "HTTP/1.1"
    state: ServerState

    def log_message(self, format, *args):
        """Keep the test output quiet."""

    def do_GET(self):
        state = self.server.state
        rel = unquote(urlsplit(self.path).path).lstrip("/")
        rng = self.headers.get("Range")
        with state.lock:
            state.requests.append((rel, rng))
            drop = state.drop.get(rel, 0)
            if drop:
                state.drop[rel] = drop - 1
        if state.silent:
            state.stop.wait(20)
            self.close_connection = True
            return
        if rel in state.redirect:
            self.send_response(302)
            self.send_header("Location", state.redirect[rel])
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        file = state.root.joinpath(*rel.split("/"))
        if ".." in rel.split("/") or not file.is_file():
            self.send_error(404, "Not Found")
            return
        data = file.read_bytes()
        start = 0
        if rng and not state.ignore_range:
            start = int(rng.removeprefix("bytes=").split("-")[0])
            if start >= len(data):
                self.send_error(416, "Range Not Satisfiable")
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if rel in state.trickle:
            for at in range(0, len(body), 200):
                if state.stop.wait(0.1):
                    break
                self.wfile.write(body[at : at + 200])
                self.wfile.flush()
            return
        if drop:  # announce the full length, send half, hang up
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.wfile.write(body)


@dataclass
class Mirror:
    """A running test server."""

    url: str
    root: Path
    state: ServerState


@pytest.fixture
def mirror(data_dir, tmp_path, monkeypatch):
    """Copy the subset of the real data into tmp_path/mirror and serve it on 127.0.0.1."""
    monkeypatch.delenv(fetch.ENV_BASE_URL, raising=False)
    root = tmp_path / "mirror"
    for item in SUBSET:
        src = data_dir / item
        dst = root / item
        if item.endswith("/"):
            shutil.copytree(src, dst)
        else:
            dst.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dst)
    for p in root.rglob("*"):  # the shared copy is read-only; the mirror must be writable
        p.chmod(0o755 if p.is_dir() else 0o644)
    state = ServerState(root)
    server = ThreadingHTTPServer(("127.0.0.1", 0), MirrorHandler)
    server.state = state
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Mirror(f"http://127.0.0.1:{server.server_address[1]}", root, state)
    finally:
        state.stop.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _entry(path: str) -> fetch.ManifestEntry:
    return next(e for e in load_manifest() if e.path == path)


def _by_path(report: FetchReport) -> dict[str, FetchResult]:
    return {r.path: r for r in report.results}


def test_full_fetch_of_subset_verifies_every_file(mirror, tmp_path):
    dest = tmp_path / "dest"
    report = fetch_data(dest, base_url=mirror.url, only=SUBSET)
    assert report.ok, report.failed
    expected = {
        p.relative_to(mirror.root).as_posix() for p in mirror.root.rglob("*") if p.is_file()
    }
    assert {r.path for r in report.results} == expected
    assert {r.status for r in report.results} == {"ok"}
    for rel in expected:
        assert (dest / rel).read_bytes() == (mirror.root / rel).read_bytes()
    assert not list(dest.rglob("*.part"))


def test_second_run_reports_present_and_downloads_nothing(mirror, tmp_path):
    dest = tmp_path / "dest"
    assert fetch_data(dest, base_url=mirror.url, only=SUBSET).ok
    before = len(mirror.state.requests)
    report = fetch_data(dest, base_url=mirror.url, only=SUBSET)
    assert {r.status for r in report.results} == {"present"}
    assert len(mirror.state.requests) == before


def test_corrupted_file_on_server_fails_with_checksum_mismatch(mirror, tmp_path):
    served = mirror.root / SMALL
    data = bytearray(served.read_bytes())
    data[10] ^= 0xFF
    served.write_bytes(bytes(data))
    dest = tmp_path / "dest"
    report = fetch_data(dest, base_url=mirror.url, only=[SMALL])
    (result,) = report.results
    assert result.status == "failed"
    assert result.detail.startswith("checksum mismatch: expected " + _entry(SMALL).sha256)
    assert "the upstream file changed or the download was corrupted" in result.detail
    assert report.failed == (result,) and not report.ok
    assert not (dest / SMALL).exists()
    assert not (dest / (SMALL + ".part")).exists()


def test_bad_download_never_replaces_existing_file(mirror, tmp_path):
    dest = tmp_path / "dest"
    (dest / "council").mkdir(parents=True)
    (dest / SMALL).write_bytes(b"my own edited copy\n")
    (mirror.root / SMALL).write_bytes(b"garbage from a broken server\n")
    (result,) = fetch_data(dest, base_url=mirror.url, only=[SMALL]).results
    assert result.status == "failed" and "checksum mismatch" in result.detail
    assert (dest / SMALL).read_bytes() == b"my own edited copy\n"


def test_dropped_connection_is_resumed_with_range(mirror, tmp_path):
    mirror.state.drop[BIG] = 1
    dest = tmp_path / "dest"
    report = fetch_data(dest, base_url=mirror.url, only=[BIG])
    assert [r.status for r in report.results] == ["ok"]
    size = _entry(BIG).size
    assert mirror.state.seen(BIG) == [None, f"bytes={size // 2}-"]
    assert (dest / BIG).read_bytes() == (mirror.root / BIG).read_bytes()


def test_gives_up_after_retries_and_keeps_part_for_later(mirror, tmp_path):
    mirror.state.drop[BIG] = 10
    dest = tmp_path / "dest"
    (result,) = fetch_data(dest, base_url=mirror.url, only=[BIG], retries=1).results
    assert result.status == "failed"
    assert "interrupted 2 times" in result.detail and "resume" in result.detail
    assert len(mirror.state.seen(BIG)) == 2
    assert not (dest / BIG).exists()
    assert (dest / (BIG + ".part")).stat().st_size > 0
    mirror.state.drop.clear()  # the network is back: the next run resumes and finishes
    (again,) = fetch_data(dest, base_url=mirror.url, only=[BIG]).results
    assert again.status == "ok"
    assert mirror.state.seen(BIG)[-1].startswith("bytes=")


def test_existing_part_file_is_resumed(mirror, tmp_path):
    dest = tmp_path / "dest"
    part = dest / (BIG + ".part")
    part.parent.mkdir(parents=True)
    part.write_bytes((mirror.root / BIG).read_bytes()[:1000])
    (result,) = fetch_data(dest, base_url=mirror.url, only=[BIG]).results
    assert result.status == "ok"
    assert mirror.state.seen(BIG) == ["bytes=1000-"]
    assert (dest / BIG).read_bytes() == (mirror.root / BIG).read_bytes()
    assert not part.exists()


def test_server_ignoring_range_restarts_from_zero(mirror, tmp_path):
    mirror.state.ignore_range = True
    dest = tmp_path / "dest"
    part = dest / (BIG + ".part")
    part.parent.mkdir(parents=True)
    part.write_bytes(b"\0" * 1000)  # appending the 200 body to this would break the hash
    (result,) = fetch_data(dest, base_url=mirror.url, only=[BIG]).results
    assert result.status == "ok"
    assert mirror.state.seen(BIG) == ["bytes=1000-"]
    assert (dest / BIG).read_bytes() == (mirror.root / BIG).read_bytes()


def test_missing_file_on_server_is_a_404_naming_the_path(mirror, tmp_path):
    (mirror.root / SMALL).unlink()
    (result,) = fetch_data(tmp_path / "dest", base_url=mirror.url, only=[SMALL]).results
    assert result.status == "failed"
    assert "404" in result.detail and SMALL in result.detail
    assert not (tmp_path / "dest" / SMALL).exists()


def test_unreachable_host_fails_fast_without_retries(mirror, tmp_path):
    with ThreadingHTTPServer(("127.0.0.1", 0), MirrorHandler) as closed:
        port = closed.server_address[1]  # bound, then closed on exit: nobody listens
    report = fetch_data(
        tmp_path / "dest",
        base_url=f"http://127.0.0.1:{port}",
        only=["council/"],
        timeout=2,
    )
    first, *rest = report.results
    assert len(report.failed) == len(report.results) == 3
    assert first.detail.startswith(f"cannot reach 127.0.0.1:{port}") and first.path in first.detail
    assert all(r.detail.startswith("not tried: cannot reach") for r in rest)


def test_progress_reports_bytes_of_each_file(mirror, tmp_path):
    calls = []
    fetch_data(
        tmp_path / "dest",
        base_url=mirror.url,
        only=[SMALL],
        progress=lambda p, done, total: calls.append((p, done, total)),
    )
    size = _entry(SMALL).size
    assert calls and calls[-1] == (SMALL, size, size)
    assert [c[1] for c in calls] == sorted(c[1] for c in calls)


def test_base_url_from_environment(mirror, tmp_path, monkeypatch):
    monkeypatch.setenv(fetch.ENV_BASE_URL, mirror.url + "/")
    report = fetch_data(tmp_path / "dest", only=["council/"])
    assert [r.status for r in report.results] == ["ok"] * 3
    assert len(mirror.state.requests) == 3


def test_file_url_mirror(mirror, tmp_path):
    missing = "personnel/mandate_contribute/Codebook_UN and Non-UN Peacekeeping_v2-2019.pdf"
    (mirror.root / missing).unlink()  # first in manifest order: must not block the others
    report = fetch_data(
        tmp_path / "dest",
        base_url=mirror.root.as_uri(),
        only=["personnel/mandate_contribute/", TEXTS[0]],
    )
    results = _by_path(report)
    assert [r.path for r in report.failed] == [missing]
    assert results[missing].detail.startswith("cannot read file://")
    assert {r.status for p, r in results.items() if p != missing} == {"ok"}
    assert len(results) == 7
    assert (tmp_path / "dest" / "personnel/mandate_contribute/TAMM+v2_1+codebook.pdf").is_file()


def test_derived_files_without_mirror_are_reported_not_downloaded(tmp_path, monkeypatch):
    monkeypatch.delenv(fetch.ENV_BASE_URL, raising=False)
    report = fetch_data(tmp_path / "dest", only=["mandates/pema-dev/", "README.md"])
    assert len(report.results) == 5
    for r in report.results:
        assert r.status == "derived"
        assert r.detail.startswith("derived: cannot be downloaded, build it with ")
        assert "mirror" in r.detail
    raw = _by_path(report)["mandates/pema-dev/pema_raw_v2_dev.csv"]
    assert "tobiaskauer/peacemandates/ae1540a/src/assets/PEMA_raw_v2.csv" in raw.detail
    assert report.ok  # derived is not a failure, but nothing was written
    assert not (tmp_path / "dest" / "mandates").exists()


def test_derived_file_comes_from_mirror_when_given(mirror, tmp_path):
    (result,) = fetch_data(tmp_path / "dest", base_url=mirror.url, only=[TEXTS[-1]]).results
    assert result.status == "ok"


def test_only_that_matches_nothing_raises(tmp_path):
    with pytest.raises(UsageError, match="no file of the manifest"):
        fetch_data(tmp_path, base_url="http://127.0.0.1:9", only=["vote/"])


def test_only_accepts_a_single_string(mirror, tmp_path):
    report = fetch_data(tmp_path / "dest", base_url=mirror.url, only="council/")
    assert len(report.results) == 3


def test_load_manifest_rejects_unsafe_or_malformed_rows(tmp_path):
    good = "a" * 64
    bad_rows = [
        f"../etc/passwd,{good},1,",
        f"/abs,{good},1,",
        f"ok.txt,{good},x,",
        "ok.txt,nothex,1,",
    ]
    for row in bad_rows:
        manifest = tmp_path / "m.csv"
        manifest.write_text("path,sha256,size,url\n" + row + "\n", encoding="utf-8")
        with pytest.raises(SourceError):
            load_manifest(manifest)


def test_manifest_rows_are_well_formed():
    entries = load_manifest()
    assert len(entries) == len({e.path for e in entries}) >= 3500
    for e in entries:
        derived = fetch.derived_hint(e.path) is not None
        if not derived:
            assert e.url.startswith("https://raw.githubusercontent.com/"), e.path
            assert " " not in e.url
        elif e.url:
            assert e.url.startswith("https://raw.githubusercontent.com/"), e.path


def test_verify_data_on_the_real_data_directory_is_all_ok(data_dir):
    results = verify_data(data_dir)
    bad = [r for r in results if r.status != "ok"]
    assert not bad, bad[:5]
    on_disk = {p.relative_to(data_dir).as_posix() for p in data_dir.rglob("*") if p.is_file()}
    assert {r.path for r in results} == on_disk
    with (fetch.MANIFEST_PATH).open(encoding="utf-8", newline="") as fh:
        assert sum(1 for _ in csv.DictReader(fh)) == len(on_disk)


def test_verify_data_reports_missing_and_mismatched(mirror, tmp_path):
    dest = tmp_path / "dest"
    assert fetch_data(dest, base_url=mirror.url, only=["council/"]).ok
    (dest / SMALL).write_bytes(b"changed\n")
    (dest / "council/LICENSE-DATA.md").unlink()
    results = {r.path: r for r in verify_data(dest)}
    assert results[SMALL].status == "failed"
    assert results[SMALL].detail.startswith("checksum mismatch")
    assert results["council/LICENSE-DATA.md"].detail.startswith("missing")
    assert results["council/README.genocide-at-the-security-council.md"].status == "ok"
    assert results["votes/sc_voting.xlsx"].status == "failed"  # never fetched


@pytest.mark.issue(27)
def test_issue27_a_silent_host_fails_its_files_at_once(mirror, tmp_path):
    """A server that accepts and never answers cost every file its timeouts and retries: after
    its first timeout with nothing received, the files left fail at once."""
    mirror.state.silent = True
    report = fetch_data(tmp_path / "dest", base_url=mirror.url, only=["council/"], timeout=0.5)
    first, *rest = report.results
    assert len(report.failed) == 3 and "sent nothing before the timeout" in first.detail
    assert all(r.detail.startswith("not tried: 127.0.0.1") for r in rest)
    assert len(mirror.state.requests) == 1


@pytest.mark.issue(27)
def test_issue27_a_trickled_file_is_cut_at_each_deadline_and_resumed(mirror, tmp_path, monkeypatch):
    """No request outlives its wall-clock deadline, even while bytes keep coming; what arrived
    is kept and the next request resumes from it, so a slow link still gets the file."""
    monkeypatch.setenv("PEACEOPS_FETCH_REQUEST_SECONDS", "1")
    mirror.state.trickle.add(SMALL)  # 6 KB at 2 KB/s: about 3 s in all
    report = fetch_data(tmp_path / "dest", base_url=mirror.url, only=[SMALL], retries=10)
    assert report.ok, report.failed
    ranges = mirror.state.seen(SMALL)
    assert len(ranges) >= 2 and ranges[0] is None and all(ranges[1:])
    assert (tmp_path / "dest" / SMALL).read_bytes() == (mirror.root / SMALL).read_bytes()


@pytest.mark.issue(27)
def test_issue27_data_fetch_follows_redirects_only_to_http_on_the_same_host(mirror, tmp_path):
    """Redirects to ftp:// or to another host are refused (an option allows other hosts)."""
    other = mirror.url.replace("127.0.0.1", "localhost")
    mirror.state.redirect = {
        SMALL: "ftp://127.0.0.1/council/council_membership.csv",
        "council/LICENSE-DATA.md": f"{other}/moved/council/LICENSE-DATA.md",
        "council/README.genocide-at-the-security-council.md": (
            "/moved/council/README.genocide-at-the-security-council.md"
        ),
    }
    (mirror.root / "moved").mkdir()
    shutil.copytree(mirror.root / "council", mirror.root / "moved" / "council")
    report = _by_path(fetch_data(tmp_path / "dest", base_url=mirror.url, only=["council/"]))
    assert "refused: only http and https" in report[SMALL].detail
    assert "--follow-other-hosts" in report["council/LICENSE-DATA.md"].detail
    assert report["council/README.genocide-at-the-security-council.md"].status == "ok"
    again = fetch_data(tmp_path / "dest", base_url=mirror.url, only=["council/LICENSE-DATA.md"],
                       other_hosts=True)  # fmt: skip
    assert again.ok, again.failed
