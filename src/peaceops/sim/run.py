r"""Run the mechanism model: one run as a monthly DataFrame, or many seeds as a summary.

Data flow::

    Database --load_scenario--> Scenario --apply_counterfactual--> Scenario
        --> MechanismModel(seed=s) x seeds --> outcome() per run --> summary dict
                                          \\-> DataCollector --> DataFrame (run_one)

Seeds are ``seed, seed + 1, ...``; the same scenario, parameters and seed give the same
DataFrame, so Parquet written from it is byte-identical. Example::

    from peaceops.store import Database
    from peaceops.sim import simulate

    with Database("peaceops.duckdb") as db:
        summary = simulate(db, "MINUSMA", seeds=100, counterfactual="no-alternative-partner")
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from peaceops.errors import SimError
from peaceops.settings import setting
from peaceops.sim.mechanism import MODEL_VERSION, MechanismModel
from peaceops.sim.mechanism.model import horizon_months
from peaceops.sim.params import PARAMS_VERSION, Params
from peaceops.sim.scenario import Scenario, apply_counterfactual, load_scenario
from peaceops.store import Database

#: How a run ends (``MechanismModel.outcome()["end_cause"]``), in the order reports list them.
END_CAUSES = ("completed", "forced_exit", "handover", "ongoing")


def run_model(
    scenario: Scenario, seed: int, params: Params | None = None, *, months: int | None = None
) -> MechanismModel:
    """Run one model to its end and return it (series in ``datacollector``, ``outcome()``)."""
    return MechanismModel(scenario, params=params, months=months, seed=seed).run()


def run_one(
    scenario: Scenario, seed: int, params: Params | None = None, *, months: int | None = None
) -> pd.DataFrame:
    """One run's monthly series: one row a month, the columns of ``REPORTERS``.

    Args:
        scenario: the mission's inputs.
        seed: the run's seed; the same seed gives an identical DataFrame.
        params: the parameters; default ``Params()``.
        months: months to simulate; default to the scenario's horizon.
    """
    model = run_model(scenario, seed, params, months=months)
    return model.datacollector.get_model_vars_dataframe()


def check_seeds(seed: int, seeds: int) -> None:
    """Refuse a seed count below 1 or above ``max_seeds``, or seeds beyond ``max_seed``.

    Raises:
        SimError: naming the setting (``peaceops.settings``) that bounds the value.
    """
    most, top = int(setting("max_seeds")), int(setting("max_seed"))
    if seeds < 1:
        raise SimError(f"seeds must be at least 1, got {seeds}")
    if seeds > most:
        raise SimError(
            f"seeds must be at most {most:,}, got {seeds:,} (the limit is $PEACEOPS_MAX_SEEDS, "
            "see docs/reliability.md)"
        )
    if seed < 0 or seed + seeds - 1 > top:
        raise SimError(
            f"seeds {seed:,} to {seed + seeds - 1:,} leave 0..{top:,}; choose a smaller seed "
            "(the limit is $PEACEOPS_MAX_SEED)"
        )


def simulate(
    db: Database | str | Path,
    mission: str,
    *,
    seed: int = 0,
    seeds: int = 1,
    counterfactual: str | None = None,
    params: Params | None = None,
    months: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Run ``seeds`` runs of ``mission`` and summarise their outcomes.

    Args:
        db: the knowledge base, open or as a path.
        mission: a registry acronym (any case).
        seed: the first seed; runs use ``seed, seed + 1, ...``.
        seeds: the number of runs (at least 1).
        counterfactual: a name of ``COUNTERFACTUALS``, or None for the record.
        params: the parameters; default ``Params()``.
        months: months to simulate; default to the end of the Council record.
        progress: called as ``progress(runs done, seeds)`` after each run.

    Returns:
        ``mission``, ``seeds``, ``p_forced_exit`` (share of runs in which the host asked the
        mission to leave and the Council ended it before the mandate was completed),
        ``median_exit_date`` (median departure over those runs, None if none),
        ``p_talks_collapse`` (share of runs in which talks collapsed: no group left in talks
        after at least two exits within a year), ``legitimacy`` (mean of the first and the last
        month's legitimacy) and ``counterfactual``; and, to interpret them, ``base_seed``,
        ``model_version``, ``params_version``, ``start``, ``horizon``, ``months`` (the most
        months a run simulates), ``successor`` and ``handover`` (the mission it became and the
        date it took over, or None), ``end_causes`` (runs by cause, ``END_CAUSES``),
        ``p_handover`` (share of runs that handed over to the successor),
        ``p_withdrawal_request`` and ``mean_events`` (mean totals per run).

    Raises:
        ScenarioError: unknown mission or counterfactual.
        SimError: ``seeds`` below 1 or above the ``max_seeds`` setting.
    """
    check_seeds(seed, seeds)
    if isinstance(db, Database):
        scenario = load_scenario(db, mission)
    else:
        with Database(db) as database:
            scenario = load_scenario(database, mission)
    if counterfactual is not None:
        scenario = apply_counterfactual(scenario, counterfactual)
    params = params if params is not None else Params()
    outcomes = []
    for s in range(seed, seed + seeds):
        outcomes.append(run_model(scenario, s, params, months=months).outcome())
        if progress is not None:
            progress(len(outcomes), seeds)
    return summarize(scenario, outcomes, base_seed=seed, months=months)


def summarize(
    scenario: Scenario, outcomes: list[dict], *, base_seed: int, months: int | None = None
) -> dict:
    """The summary document of ``simulate`` from the runs' ``outcome()`` dicts.

    Args:
        scenario: the scenario the runs used.
        outcomes: one ``MechanismModel.outcome()`` per run (at least one).
        base_seed: the first run's seed.
        months: the months each run was given (None: to the scenario's horizon).
    """
    n = len(outcomes)
    forced = sorted(o["exit_date"] for o in outcomes if o["end_cause"] == "forced_exit")
    causes = dict.fromkeys(END_CAUSES, 0)
    for o in outcomes:
        causes[o["end_cause"]] += 1
    totals = [k for k in outcomes[0] if k.startswith("total_")]
    return {
        "mission": scenario.mission,
        "seeds": n,
        "p_forced_exit": causes["forced_exit"] / n,
        # the lower median, so the date is one a run produced
        "median_exit_date": forced[(len(forced) - 1) // 2] if forced else None,
        "p_talks_collapse": sum(o["talks_collapse_date"] is not None for o in outcomes) / n,
        "legitimacy": {
            "start": round(sum(o["legitimacy_start"] for o in outcomes) / n, 6),
            "end": round(sum(o["legitimacy_end"] for o in outcomes) / n, 6),
        },
        "counterfactual": scenario.counterfactual,
        "base_seed": base_seed,
        "model_version": MODEL_VERSION,
        "params_version": PARAMS_VERSION,
        "start": scenario.start.isoformat(),
        "horizon": scenario.horizon.isoformat(),
        "months": months if months is not None else horizon_months(scenario),
        "successor": scenario.successor,
        "handover": scenario.handover.isoformat() if scenario.handover else None,
        "end_causes": causes,
        "p_handover": causes["handover"] / n,
        "p_withdrawal_request": sum(o["first_request_date"] is not None for o in outcomes) / n,
        "mean_events": {
            k.removeprefix("total_"): round(sum(o[k] for o in outcomes) / n, 3) for k in totals
        },
    }


def fan(
    db: Database,
    mission: str,
    *,
    seed: int = 0,
    seeds: int = 100,
    counterfactual: str | None = None,
    variables: tuple[str, ...] = ("consent", "legitimacy"),
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """Median and 90% band over seeds of monthly series, for a fan chart. Simulated figures.

    A run stops when its mission leaves, so each month's band is taken over the runs still
    deployed then (``deployed`` is their share); the record's end is given beside it, never
    mixed in.

    Returns:
        ``mission``, ``seeds``, ``base_seed``, ``model_version``, ``params_version``,
        ``recorded_end``, ``months``: [{``date``, ``deployed``, and ``<variable>`` as
        {``p05``, ``p50``, ``p95``} (None when no run is deployed)}], ``simulated``: True.
    """
    check_seeds(seed, seeds)
    scenario = load_scenario(db, mission)
    if counterfactual:
        scenario = apply_counterfactual(scenario, counterfactual)
    series = []
    for i, s in enumerate(range(seed, seed + seeds), start=1):
        series.append(run_model(scenario, s, Params()).datacollector.model_vars)
        if progress is not None:
            progress(i, seeds)
    longest = max(len(run["date"]) for run in series)
    dates = next(run["date"] for run in series if len(run["date"]) == longest)
    months = []
    for k, day in enumerate(dates):
        alive = [run for run in series if len(run["date"]) > k]
        row: dict = {"date": str(day)[:10], "deployed": round(len(alive) / seeds, 4)}
        for name in variables:
            values = np.array([run[name][k] for run in alive], dtype=float)
            p05, p50, p95 = np.quantile(values, [0.05, 0.5, 0.95])
            row[name] = {
                "p05": round(float(p05), 4),
                "p50": round(float(p50), 4),
                "p95": round(float(p95), 4),
            }
        months.append(row)
    end = scenario.recorded_end
    return {
        "mission": scenario.mission,
        "seeds": seeds,
        "base_seed": seed,
        "counterfactual": counterfactual,
        "model_version": MODEL_VERSION,
        "params_version": PARAMS_VERSION,
        "recorded_end": end.isoformat() if end else None,
        "months": months,
        "simulated": True,
    }
