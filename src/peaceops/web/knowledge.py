"""The explorer's read-only view of one knowledge base: a connection per thread, and a cache.

FastAPI runs plain (``def``) endpoints in a thread pool; a DuckDB connection must not be used
by two threads at once, so each thread opens its own read-only :class:`Database` (DuckDB shares
one database instance between them). The explorer never writes: the file is opened read-only,
so the knowledge base served is the one that existed when the server started, and the answers
can be cached for the server's lifetime (restart the server after a rebuild).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TypeVar

from peaceops.store import Database

T = TypeVar("T")

#: Answers kept (pages, documents, figures); the least recently used go first.
CACHE_ENTRIES = 512


class Knowledge:
    """One knowledge base served read-only.

    Args:
        path: the DuckDB file (must exist: the explorer never builds).
        cache_entries: answers kept in the cache.

    Raises:
        DatabaseError: there is no database at ``path`` (the message says how to build one).
    """

    def __init__(self, path: Path | str, *, cache_entries: int = CACHE_ENTRIES) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._all: list[Database] = []
        self._guard = threading.Lock()
        self._cache: OrderedDict[Hashable, object] = OrderedDict()
        self._entries = cache_entries
        self._key_locks: dict[Hashable, threading.Lock] = {}
        self.db()  # fail at start, not at the first request, if the file is missing

    def db(self) -> Database:
        """This thread's read-only connection (opened on first use)."""
        database = getattr(self._local, "db", None)
        if database is None:
            database = Database(self.path, read_only=True)
            self._local.db = database
            with self._guard:
                self._all.append(database)
        return database

    def cached(self, key: Hashable, compute: Callable[[Database], T]) -> T:
        """The answer for ``key``, computed once with this thread's connection.

        Concurrent requests for the same key wait for one computation instead of repeating it
        (a mission page's figures take a second to draw). Errors are not cached.
        """
        with self._guard:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]  # type: ignore[return-value]
            lock = self._key_locks.setdefault(key, threading.Lock())
        with lock:
            with self._guard:
                if key in self._cache:
                    return self._cache[key]  # type: ignore[return-value]
            try:
                value = compute(self.db())
            finally:
                with self._guard:
                    self._key_locks.pop(key, None)
            with self._guard:
                self._cache[key] = value
                while len(self._cache) > self._entries:
                    self._cache.popitem(last=False)
            return value

    def close(self) -> None:
        """Close every thread's connection."""
        with self._guard:
            for database in self._all:
                database.close()
            self._all.clear()
            self._cache.clear()
