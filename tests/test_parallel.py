"""The one executor (#12): the same results, in the same order, with 1 or 2 local workers or a
Dask cluster; bad settings fail before any work; workers die with their parent (#13)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import psutil
import pytest

from peaceops.errors import ExecutorError
from peaceops.parallel import run_map


def _affine(context: tuple[int, int], x: int) -> int:
    scale, offset = context
    return scale * x + offset


def _fail_on_three(context: None, x: int) -> int:
    if x == 3:
        raise RuntimeError("three")
    return x


@pytest.mark.parametrize("batch", [1, 4])
def test_results_keep_the_order_of_the_items(batch, dask_cluster):
    items = list(range(23))
    expected = [2 * x + 1 for x in items]
    seen: list[tuple[int, int]] = []
    local = list(
        run_map(
            _affine,
            items,
            context=(2, 1),
            workers=2,
            batch=batch,
            progress=lambda d, t: seen.append((d, t)),
        )
    )
    assert local == expected
    assert seen[-1] == (23, 23) and len(seen) == 23  # one call per item
    assert list(run_map(_affine, items, context=(2, 1), batch=batch)) == expected
    remote = run_map(
        _affine, items, context=(2, 1), scheduler=dask_cluster.scheduler_address, batch=batch
    )
    assert list(remote) == expected


def test_items_may_be_any_iterable_consumed_lazily():
    consumed = []

    def items():
        for x in range(10):
            consumed.append(x)
            yield x

    results = run_map(_affine, items(), context=(1, 0), workers=1)
    assert consumed == []  # nothing runs before the results are read
    assert list(results) == list(range(10))


@pytest.mark.parametrize("workers", [0, -1, True, 1.5])
def test_bad_worker_counts_fail_before_any_work(workers):
    with pytest.raises(ExecutorError, match="workers must be a whole number"):
        run_map(_affine, [1], context=(1, 0), workers=workers)


@pytest.mark.parametrize("workers", [1, 2])
def test_an_error_in_the_function_surfaces(workers):
    with pytest.raises(RuntimeError, match="three"):
        list(run_map(_fail_on_three, range(6), workers=workers))


def test_an_unreachable_scheduler_is_a_clear_error(monkeypatch):
    import socket

    from peaceops import parallel

    monkeypatch.setattr(parallel, "DASK_CONNECT_TIMEOUT", "1s")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ExecutorError, match="cannot reach the Dask scheduler"):
        run_map(_affine, [1], context=(1, 0), scheduler=f"tcp://127.0.0.1:{port}")


@pytest.mark.issue(13)
def test_issue13_workers_die_with_their_parent(tmp_path: Path):
    script = tmp_path / "parent.py"
    script.write_text(
        textwrap.dedent(
            """
            import time
            from peaceops.parallel import run_map

            def sleep(context, x):
                time.sleep(60)
                return x

            if __name__ == "__main__":
                list(run_map(sleep, range(4), workers=2))
            """
        )
    )
    parent = subprocess.Popen([sys.executable, str(script)], cwd=tmp_path)
    try:
        process = psutil.Process(parent.pid)
        deadline = time.monotonic() + 60
        workers: list[psutil.Process] = []
        while time.monotonic() < deadline:
            workers = [
                c for c in process.children(recursive=True) if "spawn_main" in " ".join(c.cmdline())
            ]
            if len(workers) >= 2:
                break
            time.sleep(0.2)
        assert len(workers) >= 2, "the pool did not start"
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        _, alive = psutil.wait_procs(workers, timeout=10)
        assert not alive, f"workers outlived their parent: {[p.pid for p in alive]}"
    finally:
        if parent.poll() is None:
            parent.kill()
