"""Serving the explorer: uvicorn (h11) with a guard against slow and idle clients.

:func:`serve` runs an app built by :func:`peaceops.web.app.create_app` on uvicorn. uvicorn's
h11 protocol times out idle keep-alive connections, but not a client that sends its request
slowly: 20,000 sockets each sending a header line every 3 s filled the server's file table and
a normal request got no answer for a minute (#27). :class:`GuardedH11Protocol` adds what it
lacks:

* a **request deadline**: a client has ``web_request_seconds`` (settings) from connecting, or
  from the end of its previous answer, to send a whole request, head and body; a connection
  still sending when it passes is closed within a second (however steadily it trickles);
* a **connection cap**: past ``web_max_connections`` open connections (never more than the
  process's file limit allows), a new connection closes the oldest one still sending a
  request or idling between requests, so slow clients cannot crowd out a normal one; if every
  connection is busy with a request being answered, the new one is closed instead;
* uvicorn's own 400 for a malformed request carries the security headers of every answer.

Forwarding headers (``X-Forwarded-For``) are trusted only from the proxies named in
``web_forwarded_allow_ips`` (default: none). uvicorn trusts them from 127.0.0.1 by default,
which let any local client pose as many and get past the per-client job limit (#27).
"""

from __future__ import annotations

import asyncio
import logging
import resource

import h11
import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from peaceops.settings import setting
from peaceops.web.limits import SECURITY_HEADERS

logger = logging.getLogger(__name__)

#: File descriptors kept free for the server itself (the database, job pipes, logs); it uses
#: about 20.
_FILES_KEPT = 128
#: Seconds an idle keep-alive connection is kept (uvicorn's default, stated here).
KEEP_ALIVE_SECONDS = 5
#: Largest request head read (h11's default is 16 kB): the app's own limits answer longer
#: URLs with a 414 and its message instead of a closed connection (docs/web.md).
MAX_HEAD_BYTES = 256 * 1024


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a request deadline and a connection cap (module doc).

    Use :func:`guarded_protocol` for a subclass with its own limits and bookkeeping.
    """

    request_seconds: float = 10.0
    max_connections: int = 1000
    #: Connections still sending a request or idling, with the time their wait began, oldest
    #: first (one dict per server, see :func:`guarded_protocol`).
    _waiting: dict[GuardedH11Protocol, float] = {}  # noqa: RUF012 (one per subclass)
    #: The sweep that closes connections past their deadline, once a second (one per server:
    #: cheaper than a timer per request, which cost the load benchmark about 5% of its CPU).
    _sweep: list[asyncio.TimerHandle] = []  # noqa: RUF012 (one per subclass)

    def connection_made(self, transport) -> None:  # type: ignore[override]
        """Start the new connection's deadline; over the cap, make room for it."""
        super().connection_made(transport)
        if not self._sweep:
            self._sweep.append(self.loop.call_later(1.0, self._close_the_slow))
        self._update()
        if len(self.connections) > self.max_connections:
            victim = next((p for p in self._waiting if p is not self), None)
            if victim is None:  # every other connection is being answered: this one waits
                logger.debug("connection refused: %d open, none idle", len(self.connections))
                self._close()
            else:
                victim._close()

    def data_received(self, data: bytes) -> None:
        """Read as uvicorn does, then stop the deadline once the request is complete."""
        super().data_received(data)
        self._update()

    def on_response_complete(self) -> None:
        """After an answer the next request's deadline starts (keep-alive or not)."""
        super().on_response_complete()
        self._update()

    def connection_lost(self, exc: Exception | None) -> None:
        """Forget the connection."""
        self._waiting.pop(self, None)
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        """Answer a malformed request as uvicorn does, with the security headers (#27)."""
        headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"connection", b"close"),
                   *SECURITY_HEADERS]  # fmt: skip
        try:
            response = h11.Response(status_code=400, headers=headers, reason=b"Bad Request")
            http = self.conn  # uvicorn's h11 connection (not a database connection)
            self.transport.write(http.send(response))
            self.transport.write(http.send(h11.Data(data=msg.encode("ascii"))))
            self.transport.write(http.send(h11.EndOfMessage()))
        except h11.LocalProtocolError:  # an answer had already begun: just close
            pass
        self._close()

    # The request deadline.

    def _update(self) -> None:
        """Start the deadline when a request is awaited; stop it when it has arrived."""
        http = self.conn  # uvicorn's h11 connection
        if http.their_state in (h11.IDLE, h11.SEND_BODY) and not self.transport.is_closing():
            if self not in self._waiting:  # started once per request: trickling never resets it
                self._waiting[self] = self.loop.time()
        else:
            self._waiting.pop(self, None)

    def _close_the_slow(self) -> None:
        """Close every connection waited for longer than ``request_seconds``; sweep again."""
        oldest = self.loop.time() - self.request_seconds
        slow = []
        for protocol, since in self._waiting.items():  # oldest first: stop at the first young
            if since > oldest:
                break
            slow.append(protocol)
        for protocol in slow:
            logger.debug("closed a connection that sent no whole request in time")
            protocol._close()
        self._sweep[0] = self.loop.call_later(1.0, self._close_the_slow)

    def _close(self) -> None:
        self._waiting.pop(self, None)
        if not self.transport.is_closing():
            self.transport.close()


def guarded_protocol(*, request_seconds: float, max_connections: int) -> type[GuardedH11Protocol]:
    """A :class:`GuardedH11Protocol` subclass with these limits and its own bookkeeping."""
    return type(
        "GuardedH11Protocol",
        (GuardedH11Protocol,),
        {
            "request_seconds": float(request_seconds),
            "max_connections": int(max_connections),
            "_waiting": {},
            "_sweep": [],
        },
    )


def connection_cap() -> int:
    """``web_max_connections``, lowered to what the process's file limit leaves room for."""
    cap = int(setting("web_max_connections"))
    soft, _hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY:
        cap = min(cap, max(16, soft - _FILES_KEPT))
    return max(1, cap)


def server_options() -> dict:
    """The explorer's options of ``uvicorn.run``, its limits from the settings."""
    proxies = str(setting("web_forwarded_allow_ips")).strip()
    return {
        # h11, not httptools: httptools answers an overlong request line with a bare "Invalid
        # HTTP request", before the app can say what is wrong; the guard above extends h11.
        "http": guarded_protocol(
            request_seconds=float(setting("web_request_seconds")), max_connections=connection_cap()
        ),
        # h11 refuses a head over 16 kB that arrives in several pieces by closing the
        # connection; heads up to 256 kB are read, so the app's own limit answers 414.
        "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
        "timeout_keep_alive": KEEP_ALIVE_SECONDS,
        "proxy_headers": bool(proxies),
        "forwarded_allow_ips": proxies or None,
        "log_level": "warning",
        "access_log": False,
    }


def serve(application, *, host: str, port: int, options: dict | None = None) -> None:
    """Run ``application`` until Ctrl-C (the command ``peaceops serve``).

    Args:
        application: the app of :func:`peaceops.web.app.create_app`.
        host: the address to listen on.
        port: the port to listen on.
        options: uvicorn's options (default: :func:`server_options`).
    """
    uvicorn.run(application, host=host, port=port, **(options or server_options()))


def free_port() -> int:
    """A TCP port free on this machine now."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn(
    db_path, *, log_dir=None, env: dict[str, str] | None = None, preexec_fn=None, timeout=60.0
):
    """Start ``peaceops serve`` (the real server) in a process of its own on a free port.

    Waits until it answers ``/api/status`` (at most ``timeout`` seconds) and returns the process
    and its URL; the tests, ``make screenshots`` and the web benchmark start it this way.
    Output goes to ``log_dir/serve-<port>.log`` (no folder: discarded). ``preexec_fn`` runs in
    the child before exec (e.g. to lower its file limit).

    Raises:
        RuntimeError: the server exited or did not answer in time (with the log's end).
    """
    import os
    import subprocess
    import sys
    import time
    import urllib.request
    from pathlib import Path

    port = free_port()
    log = Path(log_dir) / f"serve-{port}.log" if log_dir else None
    command = [sys.executable, "-m", "peaceops", "serve", "--port", str(port), "--db", str(db_path)]
    with open(log, "wb") if log else open(os.devnull, "wb") as output:
        process = subprocess.Popen(  # noqa: S603 - this interpreter and peaceops, no shell
            command,
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            preexec_fn=preexec_fn,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while True:
        try:
            # the URL is built here: http on this machine
            with urllib.request.urlopen(url + "/api/status", timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return process, url
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            tail = Path(log).read_text(errors="replace")[-2000:] if log else ""
            raise RuntimeError(f"peaceops serve did not start: {tail}")
        time.sleep(0.2)
