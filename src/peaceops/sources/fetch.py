"""Download the peaceops data directory from its public sources and check it.

Data flow:

1. ``manifest.csv`` (beside this module) lists every file of the data directory as
   ``path,sha256,size,url``: its path relative to the data directory, its pinned SHA-256 and size,
   and the raw URL of the upstream file it copies (regenerate it with
   ``scripts/make_manifest.py``). :func:`load_manifest` reads it.
2. :func:`fetch_data` walks the entries (restricted by ``only``). For each one:

   * ``<dest>/<path>`` already there with the pinned hash: ``"present"``, nothing is downloaded;
   * a file peaceops derived itself (see :data:`DERIVED`) and no mirror given: ``"derived"``,
     with how to build it; upstream holds only its source, whose bytes differ;
   * otherwise it is downloaded from its upstream url, or from ``<base_url>/<path>`` when a
     mirror laid out like the data directory is given (``base_url`` or ``$PEACEOPS_DATA_URL``),
     into ``<dest>/<path>.part``. An existing ``.part`` is resumed with ``Range: bytes=<n>-``
     (a server answering 200 instead of 206 restarts it from byte 0); a dropped connection is
     retried up to ``retries`` times, resuming from the bytes received. A host that cannot be
     connected to at all, or that times out without sending a byte, is not retried: its
     remaining files fail as "not tried". Each request has a wall-clock deadline (the setting
     ``fetch_request_seconds``): a body cut off by it is resumed like a dropped one (#27).
     Redirects are followed only to http/https on the same host, unless ``other_hosts``.
   * The ``.part`` is checked against the pinned size and SHA-256, then renamed atomically
     (:func:`os.replace`) onto ``<dest>/<path>``: ``"ok"``. On a mismatch the ``.part`` is
     deleted and any file already at ``<dest>/<path>`` is left untouched: ``"failed"``.

3. The :class:`FetchReport` holds one :class:`FetchResult` per entry; ``report.failed`` lists
   what went wrong and what to do. :func:`verify_data` checks a data directory against the
   manifest without any download.

Upstream refs: the URLs carry full commit SHAs where they could be resolved, else the short
hashes given in the data README
(``https://raw.githubusercontent.com/<owner>/<repo>/<commit>/<path>``). raw.githubusercontent.com
serves a file only for a ref it can resolve (a branch, a tag or a commit SHA); should a short SHA
not resolve, put the full 40-hex SHA in ``scripts/make_manifest.py`` and regenerate the manifest.
"""

from __future__ import annotations

import csv
import hashlib
import http.client
import logging
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

from peaceops.errors import SourceError, UsageError
from peaceops.settings import setting
from peaceops.sources.download import RedirectRefusedError, is_timeout, open_url

logger = logging.getLogger(__name__)

MANIFEST_PATH = Path(__file__).with_name("manifest.csv")
ENV_BASE_URL = "PEACEOPS_DATA_URL"
CHUNK = 1 << 16
_HEX64 = re.compile(r"[0-9a-f]{64}")
_CONTENT_RANGE = re.compile(r"bytes\s+(\d+)-")
_SCHEMES = ("http", "https", "file")
_MIRROR_HINT = f"or copy it from a peaceops data mirror (base_url / ${ENV_BASE_URL})"

#: Files that peaceops wrote or derived, by path prefix (a key ending in "/") or exact path,
#: with how to build them. Upstream has at most their source, never their bytes.
DERIVED: dict[str, str] = {
    "resolutions/texts-post2015/": (
        "the `Content` field of the UNBench draft named for it in "
        "resolutions/texts-post2015/SOURCES.csv (yueqingliang1/UNBench @07bc4b7, data/), written "
        "as UTF-8 to the file; SOURCES.csv itself was written for peaceops"
    ),
    "mandates/pema-dev/": (
        "the rows of its PEMA release (tobiaskauer/peacemandates @ae1540a, src/assets/) whose "
        "NamePKO is one of the 34 development missions; README.md was written for peaceops"
    ),
    "README.md": "a copy of peaceops' own data README (written for peaceops, no upstream source)",
}


@dataclass(frozen=True)
class ManifestEntry:
    """One file of the data directory, as pinned in the manifest."""

    path: str
    sha256: str
    size: int
    url: str


@dataclass(frozen=True)
class FetchResult:
    """Outcome for one file."""

    path: str
    status: str  # "ok", "present", "failed" or "derived"
    detail: str = ""


@dataclass(frozen=True)
class FetchReport:
    """Outcome of a fetch: one result per manifest entry considered."""

    results: tuple[FetchResult, ...]

    @property
    def failed(self) -> tuple[FetchResult, ...]:
        """Results with status ``"failed"``."""
        return tuple(r for r in self.results if r.status == "failed")

    @property
    def ok(self) -> bool:
        """True when nothing failed ("derived" files are not failures, but are not there)."""
        return not self.failed


class _InterruptedError(Exception):
    """The body ended before the announced length (a dropped connection)."""


def load_manifest(path: Path | None = None) -> list[ManifestEntry]:
    """Read the manifest.

    Args:
        path: A manifest CSV; defaults to the ``manifest.csv`` shipped beside this module.

    Returns:
        The entries, in file order.

    Raises:
        ValueError: A row is malformed (bad hash or size, or a path that is absolute or leaves
            the data directory).
        OSError: The file cannot be read.
    """
    path = MANIFEST_PATH if path is None else Path(path)
    entries = []
    with path.open(encoding="utf-8", newline="") as fh:
        for lineno, row in enumerate(csv.DictReader(fh), start=2):
            try:
                entry = ManifestEntry(
                    row["path"], row["sha256"].lower(), int(row["size"]), row["url"] or ""
                )
            except (KeyError, TypeError, ValueError) as exc:
                raise SourceError(path, f"line {lineno}: malformed manifest row: {exc}") from exc
            parts = entry.path.split("/")
            if (
                not entry.path
                or entry.path.startswith("/")
                or "\\" in entry.path
                or any(p in ("", ".", "..") for p in parts)
            ):
                raise SourceError(path, f"line {lineno}: unsafe path {entry.path!r}")
            if not _HEX64.fullmatch(entry.sha256) or entry.size < 0:
                raise SourceError(path, f"line {lineno}: bad sha256 or size for {entry.path}")
            entries.append(entry)
    return entries


def derived_hint(path: str) -> str | None:
    """Return how to build ``path`` if peaceops derived it, else None."""
    for key, hint in DERIVED.items():
        if path == key or (key.endswith("/") and path.startswith(key)):
            return hint
    return None


def fetch_data(
    dest: Path,
    *,
    base_url: str | None = None,
    only: Iterable[str] | None = None,
    retries: int = 3,
    timeout: float = 30.0,
    request_seconds: float | None = None,
    other_hosts: bool = False,
    progress: Callable[[str, int, int], None] | None = None,
) -> FetchReport:
    """Download every manifest file missing or wrong under ``dest`` and verify it.

    Args:
        dest: The data directory to fill (created if missing).
        base_url: A mirror laid out like the data directory; ``<base_url>/<path>`` is downloaded
            instead of each file's upstream url. Defaults to ``$PEACEOPS_DATA_URL`` if set.
        only: Path prefixes (e.g. ``["votes/"]``); only entries starting with one are fetched.
        retries: How many times a dropped connection is retried (resuming) before giving up.
            A host that refuses or cannot be resolved is not retried, and the rest of its files
            fail at once (run again once the network is back: what arrived is kept).
        timeout: Socket timeout in seconds for each connect and read.
        request_seconds: Wall-clock deadline of one request, body included (default: the
            setting ``fetch_request_seconds``; 0: none). A body cut off by it is resumed.
        other_hosts: Follow redirects to other hosts (by default only to the same host).
        progress: Called as ``progress(path, bytes_done, bytes_total)`` while a file downloads.

    Returns:
        A report with one result per selected entry, in manifest order.

    Raises:
        ValueError: ``only`` matches no manifest entry, or the manifest is malformed.
    """
    if base_url is None:
        base_url = os.environ.get(ENV_BASE_URL) or None
    if request_seconds is None:
        request_seconds = float(setting("fetch_request_seconds"))
    fetcher = _Fetcher(
        Path(dest), base_url, retries, timeout, progress, request_seconds or None, other_hosts
    )
    results = []
    for entry in _select(load_manifest(), only):
        result = fetcher.fetch(entry)
        log = logger.warning if result.status in ("failed", "derived") else logger.info
        log("%s: %s%s", entry.path, result.status, f" ({result.detail})" if result.detail else "")
        results.append(result)
    return FetchReport(tuple(results))


def verify_data(data_dir: Path) -> list[FetchResult]:
    """Check the files of ``data_dir`` against the manifest, without downloading.

    Args:
        data_dir: The data directory.

    Returns:
        One result per manifest entry: ``"ok"`` when the file has the pinned hash, else
        ``"failed"`` with a detail starting ``"missing"`` or ``"checksum mismatch"``.
    """
    results = []
    for entry in load_manifest():
        target = _target(Path(data_dir), entry.path)
        if not target.is_file():
            results.append(
                FetchResult(
                    entry.path,
                    "failed",
                    f"missing: {target} does not exist; run `peaceops data fetch` to download it",
                )
            )
            continue
        got = _sha256(target)
        if got == entry.sha256:
            results.append(FetchResult(entry.path, "ok"))
        else:
            results.append(
                FetchResult(
                    entry.path,
                    "failed",
                    f"checksum mismatch: expected {entry.sha256}, got {got}; "
                    "the file was changed or corrupted — delete it and run "
                    "`peaceops data fetch` again",
                )
            )
    return results


def manifest_issues(data_dir: Path) -> list[dict[str, str]]:
    """``data_issues`` rows for every file of ``data_dir`` that differs from the manifest.

    A build loads what it finds; a truncated or edited source file would otherwise give other
    figures without a word, so each one is recorded (missing files are the build's own error).
    """
    return [
        {
            "source": "manifest",
            "item": r.path,
            "issue": r.detail.split(";")[0],
            "action": "loaded as found: figures from it may differ from the documented ones; "
            "restore it with `peaceops data fetch`",
        }
        for r in verify_data(data_dir)
        if r.status == "failed" and r.detail.startswith("checksum mismatch")
    ]


def _select(entries: list[ManifestEntry], only: Iterable[str] | None) -> list[ManifestEntry]:
    if only is None:
        return entries
    prefixes = (only,) if isinstance(only, str) else tuple(only)
    chosen = [e for e in entries if e.path.startswith(prefixes)]
    if not chosen:
        raise UsageError(
            f"no file of the manifest starts with any of {list(prefixes)}; see the paths in "
            "peaceops/sources/manifest.csv"
        )
    return chosen


def _target(root: Path, rel: str) -> Path:
    return root.joinpath(*rel.split("/"))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _has_hash(path: Path, entry: ManifestEntry) -> bool:
    return path.is_file() and path.stat().st_size == entry.size and _sha256(path) == entry.sha256


@dataclass
class _Fetcher:
    """The options of one :func:`fetch_data` run, and the hosts found unreachable in it."""

    dest: Path
    base_url: str | None
    retries: int
    timeout: float
    progress: Callable[[str, int, int], None] | None
    request_seconds: float | None = None
    other_hosts: bool = False
    dead_hosts: dict[str, str] = field(default_factory=dict)

    def fetch(self, entry: ManifestEntry) -> FetchResult:
        """Make ``<dest>/<entry.path>`` hold the pinned bytes, or say why it cannot."""
        target = _target(self.dest, entry.path)
        part = target.with_name(target.name + ".part")
        if _has_hash(target, entry):
            part.unlink(missing_ok=True)
            return FetchResult(entry.path, "present")
        hint = derived_hint(entry.path)
        if self.base_url is None and hint is not None:
            source = f"; it is derived from {entry.url}" if entry.url else ""
            detail = f"derived: cannot be downloaded, build it with {hint}{source}; {_MIRROR_HINT}"
            return FetchResult(entry.path, "derived", detail)
        if self.base_url is not None:
            url = f"{self.base_url.rstrip('/')}/{quote(entry.path, safe='/')}"
        elif entry.url:
            url = entry.url
        else:
            detail = f"no download URL for {entry.path} in the manifest; {_MIRROR_HINT}"
            return FetchResult(entry.path, "failed", detail)
        parts = urlsplit(url)
        if parts.scheme not in _SCHEMES:
            detail = f"unsupported URL {url!r} for {entry.path}: use an http, https or file URL"
            return FetchResult(entry.path, "failed", detail)
        if parts.netloc in self.dead_hosts:
            detail = f"not tried: {self.dead_hosts[parts.netloc]} (earlier in this run)"
            return FetchResult(entry.path, "failed", detail)
        try:
            part.parent.mkdir(parents=True, exist_ok=True)
            error = self._download_with_retries(entry, url, part)
            if error:
                return FetchResult(entry.path, "failed", error)
            got_size, got = part.stat().st_size, _sha256(part)
            if got_size != entry.size or got != entry.sha256:
                part.unlink(missing_ok=True)
                sizes = "" if got_size == entry.size else f" ({got_size} bytes, not {entry.size})"
                detail = (
                    f"checksum mismatch: expected {entry.sha256}, got {got}{sizes}; the upstream "
                    f"file changed or the download was corrupted — retry, or report it ({url})"
                )
                return FetchResult(entry.path, "failed", detail)
            os.replace(part, target)
        except OSError as exc:  # local disk trouble: go on with the other files
            return FetchResult(entry.path, "failed", f"cannot write {target}: {exc}")
        return FetchResult(entry.path, "ok")

    def _download_with_retries(self, entry: ManifestEntry, url: str, part: Path) -> str | None:
        """Download ``url`` into ``part``; return None on success, else what went wrong."""
        attempt = 0
        while True:
            had = part.stat().st_size if part.exists() else 0
            try:
                self._download(entry, url, part)
                return None
            except RedirectRefusedError as exc:
                return f"{exc}; for {entry.path}"
            except urllib.error.HTTPError as exc:
                if exc.code != 416 or not part.exists():
                    return (
                        f"HTTP {exc.code} {exc.reason} for {entry.path} ({url}); check that the "
                        "source still has this file, or use another mirror"
                    )
                part.unlink()  # our .part does not fit the file: start again
                reason = "HTTP 416 on resume"
            except urllib.error.URLError as exc:  # no connection at all: do not hammer the host
                host = urlsplit(url).netloc
                if not host:  # a file: URL whose file is missing or unreadable
                    return f"cannot read {url} for {entry.path}: {exc.reason}"
                problem = f"cannot reach {host} ({exc.reason})"
                self.dead_hosts[host] = problem
                return f"{problem} for {entry.path}; check the network, or give a mirror (base_url)"
            except (_InterruptedError, http.client.HTTPException, OSError) as exc:
                reason = f"{type(exc).__name__}: {exc}"  # dropped mid-transfer: resume
                grew = part.exists() and part.stat().st_size > had
                if is_timeout(exc) and not grew:  # a host that stopped answering (#27)
                    host = urlsplit(url).netloc
                    self.dead_hosts[host] = f"{host} sent nothing before the timeout ({reason})"
                    return f"{self.dead_hosts[host]} for {entry.path}; run the fetch again later"
            attempt += 1
            if attempt > self.retries:
                return (
                    f"download of {entry.path} interrupted {attempt} times (last: {reason}); "
                    f"run the fetch again to resume from {part.name}"
                )
            logger.info("%s: %s; retrying (%d/%d)", entry.path, reason, attempt, self.retries)
            time.sleep(min(0.25 * attempt, 2.0))

    def _download(self, entry: ManifestEntry, url: str, part: Path) -> None:
        """One request: resume ``part`` from ``url``, or restart it if the server cannot resume.

        Raises:
            _InterruptedError: The body ended before its Content-Length.
            urllib.error.URLError, OSError, http.client.HTTPException: From the transfer.
        """
        done = part.stat().st_size if part.exists() else 0
        if done > entry.size:
            part.unlink()
            done = 0
        if done and done == entry.size:
            return  # already complete: verify it
        headers = {"User-Agent": "peaceops-data-fetch", "Accept-Encoding": "identity"}
        if done:
            headers["Range"] = f"bytes={done}-"
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 - scheme checked
        deadline = time.monotonic() + self.request_seconds if self.request_seconds else None
        with open_url(
            request, timeout=self.timeout, deadline=deadline, other_hosts=self.other_hosts
        ) as resp:
            if done and getattr(resp, "status", None) == 206:
                content_range = resp.headers.get("Content-Range", "")
                match = _CONTENT_RANGE.match(content_range)
                if not match or int(match.group(1)) != done:
                    part.unlink()
                    raise _InterruptedError(f"resumed at the wrong offset ({content_range!r})")
                mode = "ab"
            else:  # 200 (or a file: URL): the server sends the whole file
                if done:
                    logger.info("%s: server ignored the Range request; restarting", entry.path)
                mode, done = "wb", 0
            length = resp.headers.get("Content-Length", "")
            expected = int(length) if length.isdigit() else None
            received = 0
            with part.open(mode) as fh:
                while block := resp.read(CHUNK):
                    fh.write(block)
                    received += len(block)
                    done += len(block)
                    if self.progress is not None:
                        self.progress(entry.path, done, entry.size)
                    if done > entry.size:
                        break  # more than pinned: stop here, verification will fail
        if expected is not None and received < expected and done <= entry.size:
            raise _InterruptedError(f"connection closed after {received} of {expected} bytes")
