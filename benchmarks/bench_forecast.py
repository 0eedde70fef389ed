"""Benchmark: ``peaceops forecast`` on a built knowledge base, as a user runs it (#31).

Builds a knowledge base once, then runs the command line ``peaceops forecast --as-of
2025-06-30`` (200 bootstrap refits, the default) ``--rounds`` times in fresh processes, so
each round pays the imports, reading the store, the panel, the fit and the refits, and writes
the wall-clock times to the results file. Target (issue #31): at most 3 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from peaceops.pipeline import build

TARGET_SECONDS = 3.0
PEACEOPS = str(Path(sys.executable).with_name("peaceops"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--output", type=Path, default=Path("benchmarks/results.json"))
    args = parser.parse_args()
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kb.duckdb"
        build(args.data_dir.resolve(), path)
        command = [PEACEOPS, "forecast", "--as-of", "2025-06-30", "--json", "--db", str(path)]
        for i in range(args.rounds):
            start = time.perf_counter()
            done = subprocess.run(command, capture_output=True, text=True, check=True)
            seconds = time.perf_counter() - start
            missions = len(json.loads(done.stdout)["missions"])
            rounds.append({"seconds": round(seconds, 3), "missions": missions})
            print(f"round {i + 1}: {seconds:.2f} s", file=sys.stderr)
    median = statistics.median(r["seconds"] for r in rounds)
    result = {
        "benchmark": "peaceops forecast --as-of 2025-06-30 (200 bootstrap refits), fresh process",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "cpus": os.cpu_count(),
        "load_average_1m": round(os.getloadavg()[0], 2),
        "rounds": rounds,
        "median_seconds": round(median, 2),
        "target_seconds": TARGET_SECONDS,
        "meets_target": median <= TARGET_SECONDS,
    }
    existing = json.loads(args.output.read_text()) if args.output.exists() else {}
    existing["forecast"] = result
    args.output.write_text(json.dumps(existing, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
