"""HTTP basics of the explorer: validators (ETag, 304), caching headers and gzip (#30).

:class:`HttpBasics` sits between :class:`peaceops.web.limits.Limits` (outermost: size limits,
``HEAD``, security headers) and the response cache (:mod:`peaceops.web.cache`)::

    request -> Limits -> HttpBasics -> ResponseCache -> app
    answer  <- security headers <- ETag / 304 / gzip <- cached 200s <- page or document

It reads every answer whole (all of them are bounded: pages, JSON documents, table downloads,
the app's own static files) and then:

* **ETag** on every ``200`` page and API document: ``W/"<store>-<body>"``, where ``<store>``
  is :func:`store_tag` (the SHA-256 of the knowledge base's file and of the package's code,
  computed once at start) and ``<body>`` the SHA-256 of the answer. A rebuilt store gives new
  tags everywhere; the same store and code give the same tags, across restarts too. A request
  whose ``If-None-Match`` names the tag gets ``304`` without a body. Static files keep the tags
  Starlette gives them (and its own ``304``).
* **Cache-Control**: pages and documents ``no-cache`` (kept, revalidated with the tag at each
  use: the store is fixed while served, so revalidation is a ``304`` almost always); static
  files an hour; simulation jobs (they change as they run) and every error ``no-store``.
* **gzip** for text answers (HTML, JSON, CSS, JavaScript, SVG, CSV) of at least
  :data:`MIN_GZIP_BYTES` when the request accepts it; ``Vary: Accept-Encoding`` on every
  such answer. The tag stays weak (``W/``), so one tag names both encodings; compressed
  bodies are kept by tag (bounded), so a page is compressed once.
* A ``405`` names in ``Allow`` every method some route of the path answers (Starlette names
  only the first route's, so ``DELETE /simulate`` said ``GET, HEAD`` and not ``POST``; its
  static files name none), ``HEAD`` wherever ``GET`` is.

Everything here is computed from the answer; the app's routes know nothing of it.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from collections import OrderedDict
from pathlib import Path

from peaceops.store.views import code_fingerprint

#: Answers smaller than this are sent as they are: gzip would save little, or add bytes.
MIN_GZIP_BYTES = 1024
#: Compressed bodies kept (by tag), in bytes: about the response cache's compressed share.
MAX_GZIP_CACHE_BYTES = 8 * 2**20
#: URLs whose tag is kept (a URL and a tag: about 200 bytes each).
MAX_TAGS = 8192
COMPRESSIBLE = (
    b"text/",
    b"application/json",
    b"application/javascript",
    b"image/svg+xml",
)
#: Paths whose answers change while the server runs (the simulation runner): never validated.
VOLATILE = ("/api/simulations", "/simulations", "/simulate", "/download/simulation")
#: Paths served from files by Starlette (their own tags and 304s).
STATIC = ("/static/", "/api/docs/assets/")
NO_CACHE = b"no-cache"
NO_STORE = b"no-store"
STATIC_CACHE = b"public, max-age=3600"


def store_tag(db_path: Path | str) -> str:
    """A short hash of the knowledge base's file and of the package's code (module doc).

    The code is part of it because a page is the store rendered by the code: a new version
    of a template changes the page as much as a rebuilt store does.
    """
    digest = hashlib.sha256()
    with Path(db_path).open("rb") as handle:
        while chunk := handle.read(2**20):
            digest.update(chunk)
    digest.update(code_fingerprint().encode())
    return digest.hexdigest()[:16]


def accepts_gzip(headers) -> bool:
    """Does the request's ``Accept-Encoding`` take gzip (``gzip;q=0`` refuses it)?"""
    for name, value in headers:
        if name != b"accept-encoding":
            continue
        for part in value.decode("latin-1").lower().split(","):
            coding, _, params = part.strip().partition(";")
            if coding.strip() in ("gzip", "*"):
                quality = params.strip().removeprefix("q=")
                try:
                    return not params.strip() or float(quality) > 0
                except ValueError:
                    return False
    return False


def matches(if_none_match: str, etag: str) -> bool:
    """Weak comparison of ``If-None-Match`` with a tag (RFC 9110, 13.1.2)."""
    if if_none_match.strip() == "*":
        return True
    bare = etag.removeprefix("W/")
    return any(t.strip().removeprefix("W/") == bare for t in if_none_match.split(","))


class HttpBasics:
    """ASGI middleware: ETag and 304, Cache-Control, gzip, ``Allow`` on bare 405s."""

    def __init__(self, app, *, tag: str) -> None:
        self.app = app
        self.tag = tag
        self._gzipped: OrderedDict[bytes, bytes] = OrderedDict()
        self._tags: OrderedDict[bytes, tuple[int, str]] = OrderedDict()
        self._gzip_bytes = 0
        self._lock = threading.Lock()
        self.not_modified = 0

    async def __call__(self, scope, receive, send) -> None:
        """Read the app's answer whole, then send it with the headers of the module doc."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started: dict = {}
        chunks: list[bytes] = []

        async def keep(message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body"):
                    await self._answer(scope, started, b"".join(chunks), send)
            else:
                await send(message)

        await self.app(scope, receive, keep)

    async def _answer(self, scope, started: dict, body: bytes, send) -> None:
        status = started["status"]
        headers = [(n.lower(), v) for n, v in started.get("headers", ())]
        names = {n for n, _ in headers}
        path = scope["path"]
        request = dict(scope.get("headers", ()))
        etag = None
        if status >= 400 or path.startswith(VOLATILE) or scope["method"] not in ("GET", "HEAD"):
            cache = NO_STORE
        elif path.startswith(STATIC):
            # weak, like every tag here: the same tag names the plain and the gzipped file
            cache = STATIC_CACHE
            headers = [(n, _weak(v) if n == b"etag" else v) for n, v in headers]
            etag = next((v.decode("latin-1") for n, v in headers if n == b"etag"), None)
        else:
            cache = NO_CACHE
            if status == 200:
                etag = self._tag_of(scope, body)
                headers = [(n, v) for n, v in headers if n != b"etag"]
                headers.append((b"etag", etag.encode()))
        if b"cache-control" not in names:
            headers.append((b"cache-control", cache))
        if status == 405:
            headers = [(n, v) for n, v in headers if n != b"allow"]
            headers.append((b"allow", ", ".join(allowed_methods(scope)).encode()))
        content_type = next((v for n, v in headers if n == b"content-type"), b"")
        compressible = content_type.startswith(COMPRESSIBLE) and b"content-encoding" not in names
        if compressible:
            headers = _vary(headers)
        asked = request.get(b"if-none-match")
        if etag is not None and status == 200 and asked and matches(asked.decode("latin-1"), etag):
            self.not_modified += 1
            kept = (b"etag", b"cache-control", b"vary", b"last-modified", b"content-location")
            headers = [(n, v) for n, v in headers if n in kept or n.startswith(b"x-")]
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return
        if compressible and len(body) >= MIN_GZIP_BYTES and accepts_gzip(scope["headers"]):
            body = self._gzip(body, etag and f"{path} {etag}")
            headers = [(n, _weak(v) if n == b"etag" else v) for n, v in headers
                       if n != b"content-length"]  # fmt: skip
            headers += [
                (b"content-encoding", b"gzip"),
                (b"content-length", str(len(body)).encode()),
            ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _tag_of(self, scope, body: bytes) -> str:
        """The tag of a 200 answer: the store's tag and the body's hash.

        Hashing a 200 kB page costs 0.2 ms, as much as answering it from the response cache:
        the hash is kept per URL (with the body's length, as a check), since a URL's answer
        does not change while the store is served (the simulation runner's pages get no tag).
        """
        key = scope.get("raw_path", scope["path"].encode()) + b"?" + scope.get("query_string", b"")
        with self._lock:
            known = self._tags.get(key)
            if known is not None and known[0] == len(body):
                self._tags.move_to_end(key)
                return known[1]
        etag = f'W/"{self.tag}-{hashlib.sha256(body).hexdigest()[:16]}"'
        with self._lock:
            self._tags[key] = (len(body), etag)
            while len(self._tags) > MAX_TAGS:
                self._tags.popitem(last=False)
        return etag

    def _gzip(self, body: bytes, key_text: str | None) -> bytes:
        """``body`` compressed; kept by path and tag (they name one body): compressed once.

        The path is part of the key: Starlette's tags of static files hash only a file's time
        and size, which two files can share.
        """
        if key_text is None:
            return gzip.compress(body, compresslevel=6, mtime=0)
        key = key_text.encode()
        with self._lock:
            found = self._gzipped.get(key)
            if found is not None:
                self._gzipped.move_to_end(key)
                return found
        packed = gzip.compress(body, compresslevel=6, mtime=0)
        if len(packed) <= MAX_GZIP_CACHE_BYTES // 8:
            with self._lock:
                if key not in self._gzipped:
                    self._gzipped[key] = packed
                    self._gzip_bytes += len(packed)
                while self._gzip_bytes > MAX_GZIP_CACHE_BYTES:
                    _, dropped = self._gzipped.popitem(last=False)
                    self._gzip_bytes -= len(dropped)
        return packed


def allowed_methods(scope) -> list[str]:
    """The methods the app's routes answer at the request's path (``HEAD`` with ``GET``).

    Each method is tried against the routes' own matching (FastAPI nests included routers,
    so the routes' lists are not flat); a mount (the static files) is read only.
    """
    from starlette.routing import Match, Mount

    router = getattr(scope.get("app"), "router", None)
    routes = list(getattr(router, "routes", ()))
    methods: set[str] = set()
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
        probe = {**scope, "method": method}
        for route in routes:
            if route.matches(probe)[0] is Match.FULL:
                methods |= {"GET"} if isinstance(route, Mount) else {method}
                break
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods) or ["GET", "HEAD"]


def _weak(etag: bytes) -> bytes:
    """A tag made weak: a strong one names one encoding of a body, not the gzipped one."""
    return etag if etag.startswith(b"W/") else b"W/" + etag


def _vary(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` with ``Accept-Encoding`` in ``Vary`` (added to what is there)."""
    for k, (name, value) in enumerate(headers):
        if name == b"vary":
            if b"accept-encoding" not in value.lower():
                headers = list(headers)
                headers[k] = (name, value + b", Accept-Encoding")
            return headers
    return [*headers, (b"vary", b"Accept-Encoding")]
