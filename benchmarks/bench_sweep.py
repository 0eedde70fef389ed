"""Benchmark: sweeps of 1,000 and 10,000 ten-year runs (issue #6).

Targets: the 10,000-run sweep under 5 minutes on the 2-core machine, and the peak memory of
the two sweeps within 10% of each other (memory stays flat however many runs there are).

A knowledge base is built once (or ``--db`` reuses one); each sweep runs MINUSMA for 120 months
with ``replicates`` = 1,000 or 10,000 (seeds 0, 1, ...) in a local process pool of ``--workers``
processes, writing one Parquet partition per run into a temporary directory. A sampler thread
reads, every 0.2 s, the resident memory of this process and of every process it started
(psutil), and keeps the peak of their sum (the whole sweep's footprint), of this process alone
and of the largest worker.
"""

from __future__ import annotations

import argparse
import json
import platform
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import psutil

from peaceops.pipeline import build
from peaceops.sim.sweep import parse_sweep, run_sweep
from peaceops.store import Database

TARGET_SECONDS_10K = 300.0
MEMORY_TOLERANCE = 0.10
MIB = 1024 * 1024


class TreeMemory:
    """Peak resident memory of this process and its descendants, sampled in a thread."""

    def __init__(self, interval: float = 0.2) -> None:
        self.interval = interval
        self.peak_total = self.peak_parent = self.peak_worker = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            parent = me.memory_info().rss
            workers = []
            for child in me.children(recursive=True):
                try:
                    workers.append(child.memory_info().rss)
                except psutil.Error:  # a worker that just ended
                    continue
            self.peak_parent = max(self.peak_parent, parent)
            self.peak_worker = max([self.peak_worker, *workers])
            self.peak_total = max(self.peak_total, parent + sum(workers))
            self._stop.wait(self.interval)


def sweep(db: Database, runs: int, workers: int, mission: str, months: int) -> dict:
    spec = parse_sweep(
        {"sweep": {"mission": mission, "replicates": runs, "base_seed": 0, "months": months}},
        source=f"benchmark-{runs}",
    )
    with tempfile.TemporaryDirectory() as tmp, TreeMemory() as memory:
        started = time.perf_counter()
        report = run_sweep(db, spec, Path(tmp) / "out", workers=workers)
        seconds = time.perf_counter() - started
        files = sum(1 for _ in (Path(tmp) / "out").glob("run_id=*/part-0.parquet"))
    assert report.runs == runs and files == runs, (report, files)
    return {
        "runs": runs,
        "seconds": round(seconds, 2),
        "runs_per_second": round(runs / seconds, 1),
        "peak_tree_rss_mib": round(memory.peak_total / MIB, 1),
        "peak_parent_rss_mib": round(memory.peak_parent / MIB, 1),
        "peak_worker_rss_mib": round(memory.peak_worker / MIB, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--db", type=Path, help="reuse this knowledge base instead of building")
    parser.add_argument("--mission", default="MINUSMA")
    parser.add_argument("--months", type=int, default=120)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--output", type=Path, default=Path("benchmarks/results.json"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db
        if path is None:
            path = Path(tmp) / "kb.duckdb"
            build(args.data_dir.resolve(), path)
        with Database(path, read_only=True) as db:
            rounds = [sweep(db, n, args.workers, args.mission, args.months) for n in sizes]
    by_size = {r["runs"]: r for r in rounds}
    small, large = by_size.get(1000), by_size.get(10000)
    result: dict = {
        "benchmark": "sweeps of ten-year runs, local process pool, one Parquet file per run",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"python": platform.python_version(), "cpus": psutil.cpu_count()},
        "mission": args.mission,
        "months": args.months,
        "workers": args.workers,
        "rounds": rounds,
        "target_seconds_10000": TARGET_SECONDS_10K,
        "memory_tolerance": MEMORY_TOLERANCE,
    }
    if large is not None:
        result["meets_time_target"] = large["seconds"] < TARGET_SECONDS_10K
    if small is not None and large is not None:
        growth = large["peak_tree_rss_mib"] / small["peak_tree_rss_mib"] - 1
        result["peak_memory_growth_1000_to_10000"] = round(growth, 4)
        result["meets_memory_target"] = abs(growth) <= MEMORY_TOLERANCE
    existing = json.loads(args.output.read_text()) if args.output.exists() else {}
    existing["sweep"] = result
    args.output.write_text(json.dumps(existing, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
