"""One executor for every parallel job: map a function over work items, locally or on Dask.

Data flow::

    run_map(fn, items, context=..., workers=N, scheduler=None | "tcp://HOST:PORT", batch=B)
        --> items cut into batches of B (one task each)
        --> workers == 1: in this process, in order
            workers > 1:  a pool of N *spawned* processes (no fork of a process holding DuckDB
                          threads); ``context`` crosses once per worker, through the initializer
            scheduler:    the workers of a Dask distributed scheduler; ``context`` is scattered
                          to every worker once
        --> fn(context, item) for each item
        --> results yielded in the order of ``items``, whatever order they finish in

``fn`` must be a module-level function (it is pickled) and must not depend on which process it
runs in; that is what makes a sweep byte-identical with 1 worker, 2 workers and a Dask cluster.
Submission runs in a bounded window (twice the parallelism), so neither the pool nor the
scheduler ever holds the whole job and memory stays flat however many items there are.
``progress(done, total)`` is called as batches finish.

Local workers die with their parent: each asks the kernel (Linux ``PR_SET_PDEATHSIG``) for a
SIGKILL when the process that started it goes away, so a killed command leaves no worker
running (see #13).

Example::

    from peaceops.parallel import run_map

    def square(offset, x):
        return x * x + offset

    list(run_map(square, range(10), context=1, workers=2))
"""

from __future__ import annotations

import ctypes
import itertools
import multiprocessing
import os
import signal
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any, TypeVar

from peaceops.errors import ExecutorError

__all__ = ["DASK_CONNECT_TIMEOUT", "connect", "run_map"]

C = TypeVar("C")
T = TypeVar("T")
R = TypeVar("R")

#: How long to wait for a Dask scheduler (and one of its workers) before giving up.
DASK_CONNECT_TIMEOUT = "10s"
_PR_SET_PDEATHSIG = 1
_CONTEXT: dict[str, Any] = {}


def run_map(
    fn: Callable[[C, T], R],
    items: Iterable[T],
    *,
    context: C = None,
    workers: int = 1,
    scheduler: str | None = None,
    batch: int = 1,
    total: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[R]:
    """Yield ``fn(context, item)`` for every item, in the order of ``items``.

    Args:
        fn: a module-level function of (context, item).
        items: the work items (any iterable; it is consumed lazily).
        context: data every call needs (a scenario, a coder's inputs), sent once per worker.
        workers: local processes; 1 runs everything in this process. Ignored with
            ``scheduler``.
        scheduler: the address of a Dask distributed scheduler (``tcp://HOST:PORT``), whose
            workers must have peaceops installed (and see any folder ``fn`` writes to).
        batch: items per task (amortises the cost of a task over several items).
        total: the number of items, for ``progress`` (default: ``len(items)`` when sized).
        progress: called as ``progress(done, total)`` as items finish.

    Raises:
        ExecutorError: ``workers`` or ``batch`` below 1, or a scheduler that cannot be
            reached. Raised before any item runs.
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ExecutorError(f"workers must be a whole number of at least 1, got {workers!r}")
    if batch < 1:
        raise ExecutorError(f"batch must be at least 1, got {batch!r}")
    if total is None and isinstance(items, Sequence):
        total = len(items)
    batches = _batches(iter(items), batch)
    if scheduler is not None:
        client = connect(scheduler)
        return _on_dask(client, fn, batches, context, total, progress)
    if workers == 1:
        return _in_process(fn, batches, context, total, progress)
    return _on_pool(fn, batches, context, workers, total, progress)


def connect(address: str) -> Any:
    """A Dask distributed client of the scheduler at ``address`` that has workers.

    Raises:
        ExecutorError: the scheduler cannot be reached or has no workers.
    """
    from distributed import Client

    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise ExecutorError(
            f"cannot reach the Dask scheduler at {address!r} ({exc}). Give the address the "
            "scheduler printed (tcp://HOST:PORT), e.g. start one with `dask scheduler` and "
            "workers with `dask worker tcp://HOST:PORT`"
        ) from exc
    try:
        client.wait_for_workers(1, timeout=DASK_CONNECT_TIMEOUT)
    except TimeoutError as exc:
        client.close()
        raise ExecutorError(
            f"the Dask scheduler at {address!r} has no workers; start some with "
            f"`dask worker {address}`"
        ) from exc
    return client


def _batches(items: Iterator[T], size: int) -> Iterator[list[T]]:
    while chunk := list(itertools.islice(items, size)):
        yield chunk


def _call(fn: Callable[[C, T], R], context: C, chunk: list[T]) -> list[R]:
    return [fn(context, item) for item in chunk]


class _Counter:
    def __init__(self, total: int | None, progress: Callable[[int, int], None] | None) -> None:
        self.done, self.total, self.progress = 0, total, progress

    def add(self, n: int) -> None:
        for _ in range(n):  # one call per item, whatever the batch size
            self.done += 1
            if self.progress is not None:
                self.progress(self.done, self.total if self.total is not None else self.done)


def _in_process(fn, batches, context, total, progress) -> Iterator:
    counter = _Counter(total, progress)
    for chunk in batches:
        results = _call(fn, context, chunk)
        counter.add(len(chunk))
        yield from results


# -- local processes ---------------------------------------------------------------------------


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies (no-op elsewhere)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):  # pragma: no cover - no prctl: best effort
            pass


def _init_worker(parent: int, context: Any) -> None:
    _die_with_parent()
    if os.getppid() != parent:  # the parent died while this worker was starting: no signal
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    _CONTEXT["context"] = context


def _call_in_worker(fn: Callable, chunk: list) -> list:
    return _call(fn, _CONTEXT["context"], chunk)


def _on_pool(fn, batches, context, workers, total, progress) -> Iterator:
    counter = _Counter(total, progress)
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_init_worker,
        initargs=(os.getpid(), context),
    )
    try:
        yield from _ordered(
            lambda chunk: pool.submit(_call_in_worker, fn, chunk), batches, 2 * workers, counter
        )
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _ordered(submit, batches, window: int, counter: _Counter) -> Iterator:
    """Submit in a bounded window; yield each batch's results in submission order."""
    pending: list[tuple[Any, int]] = []  # (future, size) in submission order
    finished: set = set()
    while True:
        while len(pending) < window and (chunk := next(batches, None)) is not None:
            pending.append((submit(chunk), len(chunk)))
        if not pending:
            return
        head, _ = pending[0]
        if head not in finished:
            running = [f for f, _ in pending if f not in finished]
            done, _ = wait(running, return_when=FIRST_COMPLETED)
            for future in done:
                finished.add(future)
                counter.add(dict(pending)[future])
        while pending and pending[0][0] in finished:
            future, _ = pending.pop(0)
            finished.discard(future)
            yield from future.result()


# -- Dask ------------------------------------------------------------------------------------


def _on_dask(client, fn, batches, context, total, progress) -> Iterator:
    counter = _Counter(total, progress)
    with client:
        threads = sum(client.nthreads().values()) or 1
        shared = None
        if context is not None:
            [shared] = client.scatter([context], broadcast=True, hash=False)

        def submit(chunk: list) -> Future:
            return client.submit(
                _call,
                fn,
                shared,
                chunk,
                key=f"peaceops-{getattr(fn, '__name__', 'task')}-{uuid.uuid4().hex}",
                pure=False,
                retries=1,
            )

        yield from _ordered_dask(submit, batches, 2 * threads, counter)


def _ordered_dask(submit, batches, window: int, counter: _Counter) -> Iterator:
    pending: list[tuple[Any, int]] = []
    while True:
        while len(pending) < window and (chunk := next(batches, None)) is not None:
            pending.append((submit(chunk), len(chunk)))
        if not pending:
            return
        head, size = pending.pop(0)
        results = head.result()  # blocks until the oldest batch is done: results stay in order
        head.release()
        counter.add(size)
        yield from results


# -- one killable child ------------------------------------------------------------------------


class Child:
    """``fn(*args, send=...)`` in one spawned process that can be watched and killed.

    For long single tasks that must stop at a deadline (the web explorer's simulation jobs):
    ``fn`` reports through ``send(message)`` (any picklable value) and its return value
    arrives last as ``("done", value)``. The child dies with its parent, like the pool's
    workers. ``receive(timeout)`` gives the next message, or None when there is none yet;
    :attr:`ended` says the child has gone and every message has been read.
    """

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        context = multiprocessing.get_context("spawn")
        self._receive, send = context.Pipe(duplex=False)
        self._process = context.Process(
            target=_child_main, args=(os.getpid(), fn, args, send), daemon=True
        )
        self._process.start()
        send.close()  # the child holds the only sending end: EOF when it ends
        self.ended = False

    def receive(self, timeout: float) -> Any | None:
        """The child's next message, waiting at most ``timeout`` seconds (None: none yet)."""
        if self.ended or not self._receive.poll(timeout):
            return None
        try:
            return self._receive.recv()
        except EOFError:
            self.ended = True
            return None

    def kill(self) -> None:
        """Stop the child at once (if it still runs) and release its pipe."""
        if self._process.is_alive():
            self._process.kill()
        self._process.join(5)
        self._receive.close()
        self.ended = True


def _child_main(parent: int, fn: Callable[..., Any], args: tuple, send: Any) -> None:
    _die_with_parent()
    if os.getppid() != parent:
        os._exit(1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        send.send(("done", fn(*args, send=send.send)))
    finally:
        send.close()
