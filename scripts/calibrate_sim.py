"""Calibrate the mechanism model on MINUSMA, MONUSCO and UNAMA only (issue #6).

Runs the validation patterns of ``peaceops.sim.validate`` for every combination of a small
grid of parameter values, on the calibration missions only (no mission out of sample is run),
and prints one row per combination: the pattern shares and how many patterns hold. The chosen
values go into ``peaceops.sim.params`` with a reason that cites this script; docs/sim.md
records the grid and the choice.

    .venv/bin/python scripts/calibrate_sim.py --db out/peaceops.duckdb \
        --grid partner_uptake=0.1,0.2,0.3 --grid withdrawal_rate=0.15,0.3
"""

from __future__ import annotations

import argparse
import itertools

from peaceops.sim.params import Params
from peaceops.sim.validate import validate
from peaceops.store import Database


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="out/peaceops.duckdb")
    parser.add_argument("--seeds", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--grid", action="append", default=[], help="name=v1,v2,...")
    args = parser.parse_args()
    grid = {}
    for item in args.grid:
        name, _, values = item.partition("=")
        grid[name] = [float(v) for v in values.split(",")]
    names = sorted(grid)
    with Database(args.db, read_only=True) as db:
        for combo in itertools.product(*(grid[n] for n in names)):
            setting = dict(zip(names, combo, strict=True))
            params = Params.from_mapping(setting)
            report = validate(
                db, seeds=args.seeds, workers=args.workers, out_of_sample=[], params=params
            )
            shares = " ".join(f"{r.pattern.id}={r.share:.2f}" for r in report.patterns)
            held = sum(r.holds for r in report.patterns)
            minusma = report.patterns[0].figures
            print(
                f"{setting} holds {held}/{len(report.patterns)} | {shares} | no-partner "
                f"{minusma['share_no_alternative_partner']:.2f} | "
                f"MINUSMA median exit {report.calibration['MINUSMA']['median_exit']}",
                flush=True,
            )


if __name__ == "__main__":
    main()
