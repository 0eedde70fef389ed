"""Benchmark: full knowledge-base build time and peak memory on the real data.

Each round runs ``peaceops build`` in a fresh child process (so peak RSS is the build's own,
the largest of its processes: the command and its workers) and the results - every round, the
median and the target - are written as JSON.
Run with ``make bench``; the target is a full build under 60 s on the 2-core reference machine.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

TARGET_SECONDS = 60.0


def run_round(data_dir: Path, db_path: Path) -> dict:
    """``peaceops build`` as a user runs it (the CLI draws the views too, #30), timed whole."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "peaceops", "build", "--data-dir", str(data_dir),
         "--db", str(db_path)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    wall = time.perf_counter() - started
    return {"build_seconds": wall, "process_seconds": wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--output", type=Path, default=Path("benchmarks/results.json"))
    args = parser.parse_args()
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.rounds):
            rounds.append(run_round(args.data_dir.resolve(), Path(tmp) / f"bench{i}.duckdb"))
            print(f"round {i + 1}: {rounds[-1]['build_seconds']:.2f} s", file=sys.stderr)
        db_size = (Path(tmp) / "bench0.duckdb").stat().st_size
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    median = statistics.median(r["build_seconds"] for r in rounds)
    result = {
        "benchmark": "full knowledge-base build",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "python": platform.python_version(),
            "cpus": __import__("os").cpu_count(),
            "platform": platform.platform(),
        },
        "rounds": rounds,
        "median_build_seconds": round(median, 2),
        "peak_rss_mib": round(peak_kib / 1024, 1),
        "database_mib": round(db_size / 2**20, 1),
        "target_seconds": TARGET_SECONDS,
        "meets_target": median < TARGET_SECONDS,
    }
    existing = json.loads(args.output.read_text()) if args.output.exists() else {}
    existing["build"] = result
    args.output.write_text(json.dumps(existing, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
