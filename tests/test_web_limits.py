"""The web explorer's limits under hostile clients, over real sockets (issue #27).

Chunked bodies over the limit, slow and idle clients, forged ``X-Forwarded-For``, ``HEAD`` and
the headers of error answers. Every server is the real one (``peaceops serve`` on uvicorn) on
127.0.0.1 over the session's knowledge base; clients are raw sockets where the point is what
goes over the wire. Loops are bounded in count and time.
"""

from __future__ import annotations

import contextlib
import resource
import socket
import subprocess
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from tests.conftest import start_server

pytestmark = pytest.mark.slow

SECURITY = ("x-content-type-options", "x-frame-options", "referrer-policy",
            "content-security-policy")  # fmt: skip


def _address(url: str) -> tuple[str, int]:
    host, port = urlsplit(url).netloc.split(":")
    return host, int(port)


def _exchange(url: str, request: bytes, *, timeout: float = 20) -> str:
    """Send ``request`` on a new socket; the answer's head and start (until the server closes
    or ``timeout``: an answer that never comes is an empty string)."""
    answer = b""
    with socket.create_connection(_address(url), timeout=timeout) as connection:
        connection.sendall(request)
        deadline = time.monotonic() + timeout
        while b"\r\n\r\n" not in answer and time.monotonic() < deadline:
            try:
                piece = connection.recv(65536)
            except TimeoutError:
                break
            if not piece:
                break
            answer += piece
    return answer.decode("latin-1")


def _head(answer: str) -> tuple[int, dict[str, str]]:
    lines = answer.split("\r\n\r\n")[0].split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}


def _chunked(body: bytes, *, end: bool = True, size: int = 4096) -> bytes:
    pieces = [b"%x\r\n%s\r\n" % (len(body[i : i + size]), body[i : i + size])
              for i in range(0, len(body), size)]  # fmt: skip
    return b"".join(pieces) + (b"0\r\n\r\n" if end else b"")


def _post(path: str, content_type: str, body: bytes) -> bytes:
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
            "Transfer-Encoding: chunked\r\n\r\n").encode() + body  # fmt: skip


# A valid simulation request padded past the 16 kB limit: before #27 a chunked body of any
# size was read whole and the job started.
_JOB = b'{"mission": "UNAMA", "seeds": 1, "seed": 27}' + b" " * 20_000
_BOUNDARY = "peaceops27"
_FORM = (
    "".join(f'--{_BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'
            for name, value in (("mission", "UNAMA"), ("seeds", "1"), ("pad", "x" * 20_000)))
    + f"--{_BOUNDARY}--\r\n"
).encode()  # fmt: skip


@pytest.mark.issue(27)
@pytest.mark.parametrize(
    ("path", "content_type", "body"),
    [
        ("/api/simulations", "application/json", _JOB),
        ("/simulate", f"multipart/form-data; boundary={_BOUNDARY}", _FORM),
    ],
)
def test_issue27_chunked_body_over_the_limit_gets_413(server, path, content_type, body):
    answer = _exchange(server, _post(path, content_type, _chunked(body)))
    status, headers = _head(answer)
    assert status == 413, answer[:300]
    assert headers["connection"] == "close"
    assert all(name in headers for name in SECURITY), headers


@pytest.mark.issue(27)
def test_issue27_a_chunked_body_is_refused_as_it_streams_not_at_its_end(server):
    """The body never ends: the 413 must come as soon as the limit is passed."""
    request = _post("/api/simulations", "application/json", _chunked(_JOB, end=False))
    status, _ = _head(_exchange(server, request) or "HTTP/1.1 000 no answer\r\n\r\n")
    assert status == 413


@pytest.mark.issue(27)
@pytest.mark.parametrize("path", ["/", "/missions/MINUSMA", "/api/missions/MINUSMA"])
def test_issue27_head_answers_like_get_without_a_body(server, path):
    with httpx.Client(base_url=server, timeout=60) as http:
        got = http.get(path)
        head = http.head(path)
    assert head.status_code == 200, head.text[:200]
    assert head.content == b""
    assert head.headers["content-length"] == got.headers["content-length"]
    assert head.headers["content-type"] == got.headers["content-type"]
    assert all(name in head.headers for name in SECURITY)


@pytest.mark.issue(27)
@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/missions/MINUSMA", {"GET", "HEAD"}),
        ("POST", "/api/missions", {"GET", "HEAD"}),
        ("PUT", "/api/simulations", {"POST"}),
    ],
)
def test_issue27_a_405_names_the_allowed_methods(server, method, path, allowed):
    with httpx.Client(base_url=server, timeout=60) as http:
        answer = http.request(method, path)
    assert answer.status_code == 405
    assert {m.strip() for m in answer.headers["allow"].split(",")} == allowed
    assert all(name in answer.headers for name in SECURITY)


_ERRORS = [
    pytest.param(b"GET /?q=" + b"x" * 5000 + b" HTTP/1.1\r\nHost: a\r\n\r\n", 414, id="query"),
    pytest.param(b"GET /" + b"p" * 2000 + b" HTTP/1.1\r\nHost: a\r\n\r\n", 414, id="path"),
    pytest.param(
        b"POST /api/simulations HTTP/1.1\r\nHost: a\r\nContent-Length: 99999\r\n\r\n",
        413,
        id="declared-body",
    ),
    pytest.param(
        _post("/api/simulations", "application/json", _chunked(_JOB)), 413, id="chunked-body"
    ),
    pytest.param(b"NOT HTTP AT ALL\r\n\r\n", 400, id="malformed"),  # uvicorn's own answer
]


@pytest.mark.issue(27)
@pytest.mark.parametrize(("request_bytes", "status"), _ERRORS)
def test_issue27_every_error_answer_carries_the_security_headers(server, request_bytes, status):
    answer = _exchange(server, request_bytes)
    got, headers = _head(answer)
    assert got == status, answer[:300]
    assert all(name in headers for name in SECURITY), headers


# -- servers of their own: small limits, forged addresses, slow clients ------------------------


def _start(db_path: Path, env: dict[str, str], *, files: int | None = None):
    """``peaceops serve`` on a free port (optionally with a file limit); (process, url)."""

    def limit_files() -> None:  # in the child, before exec: only the server is limited
        resource.setrlimit(resource.RLIMIT_NOFILE, (files, files))

    # no threads in the child yet when the limit is set
    return start_server(db_path, env, preexec_fn=limit_files if files else None)


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(10)


@pytest.fixture(scope="module")
def strict_server(built_db):
    """A server that gives a client 2 s to send a request and 1 job per client."""
    env = {"PEACEOPS_WEB_REQUEST_SECONDS": "2", "PEACEOPS_WEB_JOBS_PER_CLIENT": "1",
           "PEACEOPS_WEB_JOBS_WAITING": "8"}  # fmt: skip
    process, url = _start(built_db, env)
    yield url
    _stop(process)


def _closed_within(connection: socket.socket, seconds: float, *, trickle: bytes) -> bool:
    """Trickle a header line every 0.25 s; True once the server has closed the connection."""
    connection.settimeout(0.25)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection.sendall(trickle)
            if connection.recv(4096) == b"":
                return True
        except TimeoutError:
            continue
        except OSError:  # reset or broken pipe: closed
            return True
    return False


@pytest.mark.issue(27)
@pytest.mark.parametrize(
    "start",
    [
        pytest.param(b"GET / HTTP/1.1\r\nHost: a\r\n", id="slow-head"),
        pytest.param(
            b"POST /api/simulations HTTP/1.1\r\nHost: a\r\nContent-Length: 9000\r\n"
            b"Content-Type: application/json\r\n\r\n",
            id="slow-body",
        ),
        pytest.param(
            b"GET /api/status HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\n",
            id="slow-head-after-an-answer",
        ),
    ],
)
def test_issue27_a_request_sent_too_slowly_is_cut_off(strict_server, start):
    """However steadily a client trickles, it has 2 s (the setting) to send a request."""
    with socket.create_connection(_address(strict_server), timeout=10) as connection:
        connection.sendall(start)
        trickle = b" " if b"Content-Length" in start else b"X-Slow: 1\r\n"
        assert _closed_within(connection, 20, trickle=trickle)


def _jobs_from(url: str, addresses: list[str]) -> list[int]:
    """Ask for one small job per forged address; the answers' status codes."""
    with httpx.Client(base_url=url, timeout=60) as http:
        return [
            http.post(
                "/api/simulations",
                json={"mission": "UNAMA", "seeds": 1, "seed": k},
                headers={"x-forwarded-for": address, "forwarded": f"for={address}"},
            ).status_code
            for k, address in enumerate(addresses)
        ]


@pytest.mark.issue(27)
def test_issue27_forwarding_headers_are_trusted_only_from_configured_proxies(
    strict_server, built_db
):
    """A local client forging X-Forwarded-For got past the per-client job limit (1 here)."""
    forged = _jobs_from(strict_server, [f"10.0.0.{k}" for k in range(4)])
    assert forged.count(202) == 1 and forged.count(429) == 3, forged
    env = {"PEACEOPS_WEB_FORWARDED_ALLOW_IPS": "127.0.0.1", "PEACEOPS_WEB_JOBS_PER_CLIENT": "1"}
    process, url = _start(built_db, env)
    try:
        proxied = _jobs_from(url, ["10.0.0.1", "10.0.0.2", "10.0.0.1", "10.0.0.2"])
    finally:
        _stop(process)
    assert proxied == [202, 202, 429, 429], proxied  # two clients behind the proxy, one job each


class _SlowClients:
    """``count`` sockets that each send a request head one line per second, never ending it."""

    def __init__(self, url: str, count: int) -> None:
        self.sockets: list[socket.socket] = []
        for _ in range(count):
            connection = socket.socket()
            connection.setblocking(False)
            connection.connect_ex(_address(url))
            self.sockets.append(connection)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._trickle, daemon=True)

    def _trickle(self) -> None:
        started = [False] * len(self.sockets)
        for _ in range(120):  # at most two minutes
            for k, connection in enumerate(self.sockets):
                line = b"X-Slow: 1\r\n" if started[k] else b"GET / HTTP/1.1\r\nHost: a\r\n"
                with contextlib.suppress(OSError):  # not connected yet, or closed by the server
                    connection.send(line)
                    started[k] = True
            if self._stop.wait(1.0):
                return

    def __enter__(self) -> _SlowClients:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(10)
        for connection in self.sockets:
            connection.close()


@pytest.mark.issue(27)
def test_issue27_a_normal_client_is_answered_while_slow_clients_hold_sockets(built_db):
    """300 slow clients against a server allowed 256 files (20,000 against 20,000 in #27).

    Before #27 they filled its file table and held it for good: a normal request waited
    unanswered. Now each new connection past the cap closes the oldest slow one, and the
    request deadline (set long here, so that the cap alone is tested) closes the rest.
    """
    process, url = _start(built_db, {"PEACEOPS_WEB_REQUEST_SECONDS": "120"}, files=256)
    try:
        with _SlowClients(url, 300):
            time.sleep(3)  # all connected and trickling
            with urllib.request.urlopen(url + "/api/missions/MINUSMA", timeout=10) as answer:
                assert answer.status == 200  # answered within 10 s (a liveness bound)
            with urllib.request.urlopen(url + "/missions/MINUSMA", timeout=30) as answer:
                assert answer.status == 200
        assert process.poll() is None
    finally:
        _stop(process)
