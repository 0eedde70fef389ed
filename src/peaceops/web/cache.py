"""A response cache in front of the app: the knowledge base is read-only while served.

Every ``GET`` answered 200 by a cacheable path is kept (status, headers, body) under its raw
path and query string, and the next identical request is answered from memory without
routing, validation or rendering. The cache is bounded in entries and in bytes (least
recently used go first). Simulation jobs and their pages change while they run and are never
cached; neither is any error.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

#: Paths whose answers change over time (the simulation runner).
UNCACHED = ("/api/simulations", "/simulations", "/simulate", "/download/simulation")
MAX_ENTRIES = 2048
#: About a tenth of the server's memory once warm (~285 MiB): the soak benchmark's target is
#: memory within 10% however many distinct pages are asked for.
MAX_BYTES = 24 * 2**20


class ResponseCache:
    """ASGI middleware: answer repeated ``GET`` requests from memory (see the module doc)."""

    def __init__(self, app, *, max_entries: int = MAX_ENTRIES, max_bytes: int = MAX_BYTES):
        self.app = app
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self._entries: OrderedDict[bytes, tuple[list, bytes]] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0

    async def __call__(self, scope, receive, send) -> None:
        """Answer from the cache, or pass the request on and keep a 200 answer."""
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or scope["path"].startswith(UNCACHED)
        ):
            await self.app(scope, receive, send)
            return
        key = scope.get("raw_path", scope["path"].encode()) + b"?" + scope.get("query_string", b"")
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
                self.hits += 1
        if entry is not None:
            headers, body = entry
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        started: dict = {}
        chunks: list[bytes] = []

        async def keep(message) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and started.get("status") == 200:
                    self._store(key, list(started.get("headers", [])), b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keep)

    def _store(self, key: bytes, headers: list, body: bytes) -> None:
        if len(body) > self.max_bytes // 8:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = (headers, body)
            self._bytes += len(body)
            while len(self._entries) > self.max_entries or self._bytes > self.max_bytes:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._bytes -= len(dropped)
