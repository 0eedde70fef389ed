"""Benchmark: one 10-year monthly run of the mechanism model (issue #6 target: < 50 ms median).

Scenarios need the coded mandates, so a full knowledge base is built once; then a mission's
scenario is run for 120 months with ``--rounds`` seeds and
the median time per run is written to the results file.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from peaceops.pipeline import build
from peaceops.sim import load_scenario, run_one
from peaceops.store import Database

TARGET_MS = 50.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--mission", default="MINUSMA")
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--output", type=Path, default=Path("benchmarks/results.json"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kb.duckdb"
        build(args.data_dir.resolve(), path)
        with Database(path) as db:
            scenario = load_scenario(db, args.mission)
    run_one(scenario, 0, months=120)  # warm-up: imports and caches
    times = []
    for seed in range(args.rounds):
        started = time.perf_counter()
        run_one(scenario, seed, months=120)
        times.append((time.perf_counter() - started) * 1000)
    median = statistics.median(times)
    result = {
        "benchmark": "one 10-year monthly run of the mechanism model",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "mission": args.mission,
        "rounds": args.rounds,
        "median_ms": round(median, 2),
        "max_ms": round(max(times), 2),
        "target_ms": TARGET_MS,
        "meets_target": median < TARGET_MS,
    }
    existing = json.loads(args.output.read_text()) if args.output.exists() else {}
    existing["simulation_run"] = result
    args.output.write_text(json.dumps(existing, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
