"""Benchmark: coding every resolution text (segment, Chapter VII, targets, tasks) in processes.

Builds a knowledge base without coding once, then codes all texts ``--rounds`` times with
``--workers`` processes (each round replaces the previous rows) and writes the timings to the
results file. Target (issue #4): under 10 s on the 2-core reference machine.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from peaceops.coding.run import code_resolutions
from peaceops.pipeline import build
from peaceops.store import Database

TARGET_SECONDS = 10.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--output", type=Path, default=Path("benchmarks/results.json"))
    args = parser.parse_args()
    rounds = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kb.duckdb"
        build(args.data_dir.resolve(), path, code=False)
        database = Database(path, read_only=False)
        for i in range(args.rounds):
            report = code_resolutions(database, workers=args.workers)
            rounds.append(
                {
                    "seconds": round(report.seconds, 3),
                    "resolutions": report.resolutions,
                    "codes": report.codes,
                    "codes_sha256": database.content_hash("codes"),
                }
            )
            print(f"round {i + 1}: {report.seconds:.2f} s", file=sys.stderr)
        database.close()
    median = statistics.median(r["seconds"] for r in rounds)
    result = {
        "benchmark": "code all resolution texts",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "rounds": rounds,
        "median_seconds": round(median, 2),
        "target_seconds": TARGET_SECONDS,
        "meets_target": median < TARGET_SECONDS,
    }
    existing = json.loads(args.output.read_text()) if args.output.exists() else {}
    existing["coding"] = result
    args.output.write_text(json.dumps(existing, indent=2) + "\n")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
