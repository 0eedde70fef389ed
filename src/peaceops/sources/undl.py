"""Download the English PDFs of resolutions from the UN Digital Library (``data fetch --texts``).

Data flow: the data directory's record table (``resolutions/cr-unsc-meta/
UNSC_Record-Table_2722.csv``: ``res_no`` -> ``https://digitallibrary.un.org/record/<id>``)
gives each resolution's record page. :func:`fetch_texts` takes the numbers asked for, one at a
time and politely (a delay between requests, retries with back-off on dropped connections,
truncated bodies, HTTP 429 and 5xx, ``Retry-After`` obeyed up to a cap): it reads the record
page, finds the English PDF (a link ending ``-EN.pdf``), downloads it whole (a body shorter than
its ``Content-Length`` is no file) into ``<folder>/.S-RES-<n>-EN.pdf.part``, lets the caller's
``check`` read it (the PDF must be the resolution asked for) and only then renames it onto
``<folder>/S-RES-<n>-EN.pdf``. ``<folder>/fetched.csv`` records the URL, SHA-256, size and time
of every file kept; a file already there with its recorded checksum (and passing ``check``) is
not downloaded again (a run resumes where the last one stopped). Every number ends with a
:class:`TextFetch` whose ``status`` is ``"ok"``, ``"present"`` or ``"failed"`` with what went
wrong and what to do.

Bounds (#27): each request has a wall-clock deadline covering its body
(:mod:`peaceops.sources.download`), the run has one too, and a server that times out, cannot
be reached or asks to wait too long is not asked again in that run. Redirects are followed only
to http/https on the same host (``other_hosts`` allows others).

A mirror or a test server stands in for the Digital Library with ``base_url`` (or
``$PEACEOPS_UNDL_URL``): the record URLs keep their path on that host.
"""

from __future__ import annotations

import csv
import hashlib
import http.client
import io
import os
import re
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from urllib.parse import urljoin, urlsplit, urlunsplit

from peaceops.errors import SourceError, UsageError
from peaceops.settings import setting
from peaceops.sources.base import write_atomic
from peaceops.sources.download import (
    BodyTooLargeError,
    DeadlineError,
    DownloadError,
    RedirectRefusedError,
    is_timeout,
    open_url,
    read_body,
)

RECORD_TABLE = "resolutions/cr-unsc-meta/UNSC_Record-Table_2722.csv"
ENV_BASE_URL = "PEACEOPS_UNDL_URL"
USER_AGENT = "peaceops-data-fetch (research software; one request at a time)"
MANIFEST = "fetched.csv"
MANIFEST_COLUMNS = ["number", "url", "sha256", "bytes", "fetched_at"]
_PDF_LINK = re.compile(r"""href\s*=\s*["']([^"']+?-EN\.pdf)(?:\?[^"']*)?["']""", re.IGNORECASE)
#: A record page or PDF larger than this is refused (a resolution's PDF is under 1 MB).
MAX_BYTES = 20_000_000


@dataclass(frozen=True)
class TextFetch:
    """What happened to one resolution."""

    number: int
    status: str  # "ok", "present" or "failed"
    path: str = ""
    detail: str = ""


def parse_numbers(spec: str) -> list[int]:
    """``"2295-2300,2364"`` -> ``[2295, ..., 2300, 2364]`` (sorted, without repeats).

    Raises:
        UsageError: not a list of numbers and ranges, or more than 3,000 numbers.
    """
    numbers: set[int] = set()
    for part in spec.replace(" ", "").split(","):
        match = re.fullmatch(r"(\d{1,4})(?:-(\d{1,4}))?", part)
        if not match:
            raise UsageError(
                f"--texts {spec!r}: give resolution numbers and ranges, e.g. 2295-2300,2364"
            )
        first = int(match.group(1))
        last = int(match.group(2) or first)
        if not 1 <= first <= last:
            raise UsageError(f"--texts: the range {part} is empty or starts below 1")
        numbers.update(range(first, last + 1))
        if len(numbers) > 3000:
            raise UsageError("--texts: at most 3,000 resolutions per run")
    return sorted(numbers)


def record_urls(data_dir: Path) -> dict[int, str]:
    """Each resolution's Digital Library record URL, from the data directory's record table.

    Raises:
        SourceError: the table is missing or malformed.
    """
    path = Path(data_dir) / RECORD_TABLE
    if not path.is_file():
        raise SourceError(path, "missing: the record table maps resolutions to their records")
    urls = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for lineno, row in enumerate(csv.DictReader(fh), start=2):
            try:
                urls[int(row["res_no"])] = row["url_record"].strip()
            except (KeyError, TypeError, ValueError) as exc:
                raise SourceError(path, f"line {lineno}: malformed row ({exc})") from exc
    return urls


def pdf_name(number: int) -> str:
    """The file a resolution's PDF is kept in: ``S-RES-2295-EN.pdf``."""
    return f"S-RES-{number}-EN.pdf"


def fetch_texts(
    numbers: Iterable[int],
    folder: Path,
    records: dict[int, str],
    *,
    base_url: str | None = None,
    delay: float = 1.0,
    retries: int = 3,
    timeout: float = 30.0,
    request_seconds: float | None = None,
    total_seconds: float | None = None,
    retry_after_max: float | None = None,
    other_hosts: bool = False,
    check: Callable[[int, Path], str | None] | None = None,
    progress: Callable[[int, int, int], None] | None = None,
) -> list[TextFetch]:
    """Download the English PDF of each resolution in ``numbers`` into ``folder``.

    Args:
        numbers: resolution numbers.
        folder: where the PDFs and ``fetched.csv`` are kept (created if missing).
        records: number -> record URL (:func:`record_urls`).
        base_url: scheme and host that replace the Digital Library's (a mirror, a test server);
            defaults to ``$PEACEOPS_UNDL_URL``.
        delay: seconds between two requests to the server (politeness).
        retries: retries of a request that fails for a reason that may pass (a dropped
            connection, a truncated body, HTTP 429 or 5xx), waiting ``delay * 2**attempt`` (at
            least 1 s after the first failure, at most 60 s) or the server's ``Retry-After``.
        timeout: socket timeout per connect and read, in seconds.
        request_seconds: wall-clock deadline of one request, body included (default: the
            setting ``fetch_request_seconds``; 0: none). A server that misses it, or times
            out, is not asked again in this run: the numbers left fail at once.
        total_seconds: deadline of the whole run (default: the setting
            ``fetch_total_seconds``; 0: none); the numbers left then fail at once.
        retry_after_max: longest ``Retry-After`` waited (default: the setting
            ``fetch_retry_after_max``); a server asking for longer is not asked again.
        other_hosts: follow redirects to other hosts (by default only to the same host).
        check: called as ``check(number, path)`` on each PDF before it is kept (and on a PDF
            already there); a message refuses it: nothing of it is kept or recorded.
        progress: called as ``progress(number, done, total)`` after each resolution.

    Returns:
        One :class:`TextFetch` per number, in order. Failures never stop the run.
    """
    base_url = base_url if base_url is not None else os.environ.get(ENV_BASE_URL) or None
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    manifest = _read_manifest(folder)
    client = _Client(
        delay, retries, timeout,
        _limit(request_seconds, "fetch_request_seconds"),
        _limit(total_seconds, "fetch_total_seconds"),
        _limit(retry_after_max, "fetch_retry_after_max"),
        other_hosts,
    )  # fmt: skip
    numbers = list(numbers)
    results = []
    for done, number in enumerate(numbers, start=1):
        results.append(_fetch_one(number, folder, records, base_url, manifest, client, check))
        if progress:
            progress(number, done, len(numbers))
    return results


def _limit(value: float | None, name: str) -> float | None:
    """``value``, else the setting ``name``; 0 means no limit (``None``)."""
    value = float(setting(name)) if value is None else float(value)
    return value or None


def _fetch_one(
    number: int,
    folder: Path,
    records: dict[int, str],
    base_url: str | None,
    manifest: dict[int, dict],
    client: _Client,
    check: Callable[[int, Path], str | None] | None,
) -> TextFetch:
    target = folder / pdf_name(number)
    known = manifest.get(number)
    if known and target.is_file() and _sha256(target.read_bytes()) == known["sha256"]:
        refused = check(number, target) if check else None
        if not refused:
            return TextFetch(number, "present", str(target))
        target.unlink()  # kept by an earlier run that did not check it (#27): fetch it again
        del manifest[number]
        _write_manifest(folder, manifest)
    record = records.get(number)
    if not record:
        return TextFetch(
            number, "failed", detail="no Digital Library record for it in the record table "
            f"({RECORD_TABLE} ends at S/RES/{max(records, default=0)}); download its PDF by "
            "hand and run `peaceops add FILE`",
        )  # fmt: skip
    record = _rebase(record, base_url)
    try:
        page = client.get(record)
        links = _PDF_LINK.findall(page.decode("utf-8", "replace"))
        if not links:
            return TextFetch(
                number, "failed", detail=f"no English PDF (-EN.pdf) listed on {record}; "
                "open the page, download the English PDF and run `peaceops add FILE`",
            )  # fmt: skip
        url = urljoin(record + "/", links[0])
        if base_url:
            url = _rebase(url, base_url)
        body = client.get(url)
    except _FetchError as exc:
        return TextFetch(number, "failed", detail=str(exc))
    if not body.startswith(b"%PDF-"):
        return TextFetch(
            number, "failed", detail=f"{url} did not send a PDF ({body[:40]!r}...); the "
            "library may be down or asking for a login: try again later",
        )  # fmt: skip
    part = write_atomic(folder / f".{pdf_name(number)}.part", body)
    try:
        refused = check(number, part) if check else None
        if refused:  # a mirror that serves another resolution's PDF (#27): keep nothing
            return TextFetch(number, "failed", detail=f"{url}: {refused}")
        os.replace(part, target)
    finally:
        part.unlink(missing_ok=True)
    manifest[number] = {
        "number": number, "url": url, "sha256": _sha256(body), "bytes": len(body),
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }  # fmt: skip
    _write_manifest(folder, manifest)
    return TextFetch(number, "ok", str(target))


class _FetchError(Exception):
    """A request that failed for good, with what to do."""


@dataclass
class _Client:
    """One request at a time, ``delay`` seconds apart, retried with back-off, within deadlines.

    A server that times out or misses a request's deadline, that cannot be reached, or that
    asks to wait longer than ``retry_after_max`` is marked ``dead``: the numbers left fail at
    once instead of costing a timeout each (#27).
    """

    delay: float
    retries: int
    timeout: float
    request_seconds: float | None
    total_seconds: float | None
    retry_after_max: float | None
    other_hosts: bool
    last: float = 0.0
    dead: str | None = None  # why the server is not asked again in this run
    end: float | None = None  # monotonic time the run must end by

    def __post_init__(self) -> None:
        if self.total_seconds is not None:
            self.end = time.monotonic() + self.total_seconds

    def get(self, url: str) -> bytes:
        if urlsplit(url).scheme not in ("http", "https"):
            raise _FetchError(f"unsupported URL {url!r}: use http or https")
        self._deadline()  # fails at once if the server or the run is done
        attempt = 0
        while True:
            self._sleep(self.last + self.delay - time.monotonic())
            self.last = time.monotonic()
            deadline = self._deadline()
            retry_after = None
            try:
                request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310
                with open_url(
                    request, timeout=self.timeout, deadline=deadline, other_hosts=self.other_hosts
                ) as resp:
                    return read_body(resp, MAX_BYTES)
            except BodyTooLargeError as exc:
                raise _FetchError(f"{url}: {exc}; refused") from None
            except RedirectRefusedError as exc:
                raise _FetchError(str(exc)) from None
            except urllib.error.HTTPError as exc:
                exc.close()
                if exc.code != 429 and exc.code < 500:
                    raise _FetchError(
                        f"HTTP {exc.code} {exc.reason} for {url}; check that the record exists"
                    ) from None
                reason = f"HTTP {exc.code}"
                retry_after = _seconds(exc.headers.get("Retry-After") if exc.headers else None)
            except (DownloadError, urllib.error.URLError, http.client.HTTPException,
                    OSError) as exc:  # fmt: skip
                if is_timeout(exc):  # a server that stops answering is not asked again (#27)
                    self.dead = self._timed_out(exc)
                    raise _FetchError(f"{url}: {self.dead}") from None
                if isinstance(exc, urllib.error.URLError):
                    reason = f"cannot reach the server ({exc.reason})"
                else:
                    reason = f"{type(exc).__name__}: {exc}"
            attempt += 1
            if attempt > self.retries:
                if reason.startswith("cannot reach"):
                    self.dead = reason
                raise _FetchError(
                    f"{url}: {reason}, {attempt} times; run the same command again later "
                    "(what arrived is kept)"
                )
            cap = self.retry_after_max
            if cap is not None and (retry_after or 0) > cap:  # 999999 cost 183 s a number (#27)
                self.dead = (
                    f"the server asks to wait {retry_after:,.0f} s (Retry-After), more than "
                    f"{cap:,.0f} s (PEACEOPS_FETCH_RETRY_AFTER_MAX); "
                    "run the same command again later"
                )
                raise _FetchError(f"{url}: {reason}; {self.dead}")
            self._sleep(
                retry_after if retry_after is not None
                else min(60.0, max(1.0, self.delay) * 2 ** (attempt - 1))
            )  # fmt: skip

    def _deadline(self) -> float | None:
        """The deadline of the next request; fails at once if the server or the run is done."""
        if self.dead:
            raise _FetchError(f"not tried: {self.dead} (earlier in this run)")
        now = time.monotonic()
        if self.end is not None and now >= self.end:
            raise _FetchError(self._run_over())
        ends = [t for t in (self.end, self.request_seconds and now + self.request_seconds) if t]
        return min(ends) if ends else None

    def _sleep(self, seconds: float) -> None:
        if seconds <= 0:
            return
        if self.end is not None and time.monotonic() + seconds >= self.end:
            raise _FetchError(self._run_over())
        time.sleep(seconds)

    def _run_over(self) -> str:
        return (
            f"not tried: this run reached its deadline of {self.total_seconds:,.0f} s "
            "(PEACEOPS_FETCH_TOTAL_SECONDS); run the same command again to go on"
        )

    def _timed_out(self, exc: BaseException) -> str:
        if self.end is not None and time.monotonic() >= self.end:
            return self._run_over().removeprefix("not tried: ")
        limit = (
            f"within {self.request_seconds:,.0f} s (PEACEOPS_FETCH_REQUEST_SECONDS)"
            if isinstance(exc, DeadlineError) and self.request_seconds
            else f"within the {self.timeout:,.0f} s socket timeout"
        )
        return f"the server did not answer {limit}; run the same command again later"


def _seconds(value: str | None) -> float | None:
    """A ``Retry-After`` in seconds (a number or an HTTP date), or None."""
    if not value or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _rebase(url: str, base_url: str | None) -> str:
    if not base_url:
        return url
    base, parts = urlsplit(base_url), urlsplit(url)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_manifest(folder: Path) -> dict[int, dict]:
    path = folder / MANIFEST
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        rows = {}
        for row in csv.DictReader(fh):
            try:
                rows[int(row["number"])] = row
            except (KeyError, TypeError, ValueError):
                continue  # a damaged row: that file is downloaded again
        return rows


def _write_manifest(folder: Path, manifest: dict[int, dict]) -> None:
    rows = io.StringIO(newline="")
    writer = csv.DictWriter(rows, MANIFEST_COLUMNS)
    writer.writeheader()
    for number in sorted(manifest):
        writer.writerow({c: manifest[number][c] for c in MANIFEST_COLUMNS})
    write_atomic(folder / MANIFEST, rows.getvalue())
