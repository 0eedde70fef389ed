"""HTTP requests with a wall-clock deadline and a redirect policy (``data fetch``, #27).

Data flow: :func:`open_url` opens a URL through a urllib opener whose HTTP(S) connections are
watched: when the request's deadline passes, a timer shuts the socket down, so that no server can
hold a request longer than the deadline, whatever it does (accept and never answer, trickle the
headers or the body one byte at a time). Redirects are followed only to http or https, and by
default only on the same host. :func:`read_body` reads a whole body, refusing one larger than a
limit and one shorter than its ``Content-Length`` (a truncated download is no file, #27).
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from urllib.parse import urlsplit

CHUNK = 1 << 16


class DownloadError(Exception):
    """A request that failed in a way urllib does not describe (see the subclasses)."""


class DeadlineError(DownloadError, TimeoutError):
    """The request's wall-clock deadline passed before the whole body arrived."""


class RedirectRefusedError(DownloadError):
    """A redirect to another scheme than http/https, or to another host (unless allowed)."""


class TruncatedBodyError(DownloadError):
    """The body ended before its ``Content-Length``."""


class BodyTooLargeError(DownloadError):
    """The body is larger than the limit given to :func:`read_body`."""


@contextmanager
def open_url(
    request: urllib.request.Request | str,
    *,
    timeout: float,
    deadline: float | None = None,
    other_hosts: bool = False,
) -> Iterator[http.client.HTTPResponse]:
    """Open ``request`` as :func:`urllib.request.urlopen` does, within ``deadline``.

    Args:
        request: a URL or a request.
        timeout: socket timeout of each connect and read, in seconds.
        deadline: :func:`time.monotonic` time by which the request, body included, must be
            done; ``None``: no deadline.
        other_hosts: follow redirects to another host (by default only to the same host).

    Yields:
        The response. Reading it after the deadline fails or ends early; then, or if the body
        was read whole after the deadline, :class:`DeadlineError` is raised.

    Raises:
        DeadlineError: the deadline passed.
        RedirectRefusedError: a redirect the policy refuses.
        urllib.error.URLError, OSError, http.client.HTTPException: from the transfer.
    """
    watch = _Watch(deadline)
    if deadline is not None:
        timeout = max(0.001, min(timeout, deadline - time.monotonic()))
    opener = urllib.request.build_opener(
        _Redirects(other_hosts), _http_handler(watch), _https_handler(watch)
    )
    try:
        with opener.open(request, timeout=timeout) as resp:
            yield resp
    except (DeadlineError, RedirectRefusedError):
        raise
    except (OSError, http.client.HTTPException, DownloadError) as exc:
        if watch.expired or (deadline is not None and time.monotonic() >= deadline):
            raise DeadlineError(watch.message()) from exc
        raise
    finally:
        watch.cancel()
    if watch.expired:  # the socket was shut down: what was read may be cut short
        raise DeadlineError(watch.message())


def read_body(resp: http.client.HTTPResponse, max_bytes: int) -> bytes:
    """The whole body of ``resp``, read a block at a time.

    Raises:
        BodyTooLargeError: more than ``max_bytes`` (announced or sent).
        TruncatedBodyError: fewer bytes than its ``Content-Length`` announced.
    """
    length = (resp.headers.get("Content-Length") or "").strip()
    expected = int(length) if length.isdigit() else None
    if expected is not None and expected > max_bytes:
        raise BodyTooLargeError(f"announced {expected:,} bytes, more than {max_bytes:,}")
    blocks, received = [], 0
    # read1 returns what one read of the socket gives: read(n) would wait for n bytes.
    while block := resp.read1(CHUNK):
        received += len(block)
        if received > max_bytes:
            raise BodyTooLargeError(f"sent more than {max_bytes:,} bytes")
        blocks.append(block)
    if expected is not None and received < expected:
        raise TruncatedBodyError(f"the body ended after {received:,} of its {expected:,} bytes")
    return b"".join(blocks)


def is_timeout(exc: BaseException) -> bool:
    """True for a socket timeout or a passed deadline, whether urllib wrapped it or not."""
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        return isinstance(exc.reason, TimeoutError)
    return isinstance(exc, TimeoutError)


class _Watch:
    """Shuts down every socket of one request when its deadline passes."""

    def __init__(self, deadline: float | None) -> None:
        self.deadline = deadline
        self.started = time.monotonic()
        self.expired = False
        self._timers: list[threading.Timer] = []

    def watch(self, sock: socket.socket) -> None:
        if self.deadline is None:
            return
        timer = threading.Timer(max(0.0, self.deadline - time.monotonic()), self._expire, [sock])
        timer.daemon = True
        self._timers.append(timer)
        timer.start()

    def _expire(self, sock: socket.socket) -> None:
        self.expired = True
        # the plain socket's shutdown, also under TLS: it wakes a blocked read (#27)
        with suppress(OSError):  # already closed
            socket.socket.shutdown(sock, socket.SHUT_RDWR)

    def cancel(self) -> None:
        for timer in self._timers:
            timer.cancel()

    def message(self) -> str:
        allowed = (self.deadline or self.started) - self.started
        return f"no complete answer within the deadline of {allowed:.0f} s"


def _http_handler(watch: _Watch) -> urllib.request.HTTPHandler:
    class Connection(http.client.HTTPConnection):
        def connect(self) -> None:
            super().connect()
            watch.watch(self.sock)

    class Handler(urllib.request.HTTPHandler):
        def http_open(self, req):
            return self.do_open(Connection, req)

    return Handler()


def _https_handler(watch: _Watch) -> urllib.request.HTTPSHandler:
    class Connection(http.client.HTTPSConnection):
        def connect(self) -> None:
            super().connect()
            watch.watch(self.sock)

    class Handler(urllib.request.HTTPSHandler):
        def https_open(self, req):
            return self.do_open(Connection, req, context=self._context)

    return Handler()


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects only to http/https and, unless allowed, on the same host (#27)."""

    max_redirections = 5

    def __init__(self, other_hosts: bool) -> None:
        self.other_hosts = other_hosts

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        old, new = urlsplit(req.full_url), urlsplit(newurl)
        problem = None
        if new.scheme not in ("http", "https"):
            problem = "only http and https are followed"
        elif not self.other_hosts and (new.hostname or "") != (old.hostname or ""):
            problem = (
                f"it leaves {old.hostname}; allow other hosts (--follow-other-hosts) if the "
                "mirror really moved"
            )
        if problem:
            fp.close()
            raise RedirectRefusedError(
                f"redirect from {req.full_url} to {newurl!r} refused: {problem}"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)
