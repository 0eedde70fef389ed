"""The simulation baseline of the backtest: the model's probability of a host request.

Data flow: the knowledge base --truncate_store(origin)--> a copy cut at the origin -->
for each mission at risk, its scenario (``peaceops.sim.scenario``) run ``seeds`` times to the
origin + ``HORIZON_MONTHS`` --> the share of runs whose first withdrawal request falls in the
window. Split from :mod:`peaceops.forecast.backtest` (500-line rule).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from peaceops.errors import ScenarioError
from peaceops.forecast.panel import HORIZON_MONTHS
from peaceops.forecast.truncate import truncate_store
from peaceops.sim.params import Params
from peaceops.sim.run import run_model
from peaceops.sim.scenario import load_scenario
from peaceops.sim.validation_report import CALIBRATION_MISSIONS
from peaceops.store import Database


def simulated(
    db: Database, tmp: Path, origin: date, test: pd.DataFrame, seeds: int
) -> list[float | None]:
    """The simulation's 12-month probability of a host request, from a store cut at ``origin``.

    Each at-risk mission is simulated from its start to ``origin`` + 12 months on what was
    known at ``origin`` (mandates after it do not exist in the cut store: the last is carried
    forward). The probability is the share of runs whose first withdrawal request falls in the
    window, among the runs with no request before the origin (1.0 when every run had one: the
    model says the host should already have asked). None: the mission has no scenario, or it is
    one of the missions the simulation's parameters were calibrated on (MINUSMA, MONUSCO,
    UNAMA): a baseline is never scored on what it was fitted to, so those forecasts are left out
    of the simulation's comparison.
    """
    cut = truncate_store(db.path, tmp / f"kb-{origin.isoformat()}.duckdb", origin)
    horizon = (pd.Timestamp(origin) + pd.DateOffset(months=HORIZON_MONTHS)).date()
    out: list[float | None] = []
    with Database(cut, read_only=True) as small:
        for mission in test["mission"]:
            if mission in CALIBRATION_MISSIONS:  # calibrated on them: never scored on them (#31)
                out.append(None)
                continue
            try:
                scenario = load_scenario(small, mission, horizon=horizon)
            except ScenarioError:
                out.append(None)
                continue
            before = inside = 0
            for s in range(seeds):
                first = run_model(scenario, s, Params()).outcome()["first_request_date"]
                if first is not None and date.fromisoformat(first) <= origin:
                    before += 1
                elif first is not None and date.fromisoformat(first) <= horizon:
                    inside += 1
            out.append(1.0 if before == seeds else inside / (seeds - before))
    cut.unlink(missing_ok=True)
    return out


__all__ = ["simulated"]
