r"""Pattern-oriented validation of the mechanism model: calibration missions and out of sample.

Data flow::

    Database --load_scenario (+ apply_counterfactual)--> Scenario per (mission, counterfactual)
        --> _runs(): seeds base_seed, base_seed + 1, ... in a process pool   (default Params)
        --> RunStats per run: outcome() + talks exits and active groups in two periods
        --> PATTERNS: one indicator per run -> share of runs reproducing each pattern
        --> out of sample: every other mission with a complete history vs its recorded end
        --> ValidationReport (.to_dict() for JSON, .to_markdown() for docs/sim-validation.md)

The patterns are what the paper and the record show (``PATTERNS``); each is measured as the
share of runs that reproduce it, and whether it holds is a stated rule on those shares
(``Pattern.rule``), never tuned per run. Calibration uses only ``CALIBRATION_MISSIONS``
(MINUSMA, MONUSCO, UNAMA); every other mission with a complete history (mandates coded with an
impartiality index, and personnel data for a peacekeeping operation) is reported out of
sample, compared with how it ended in the record: the registry's end date, and the ``events``
table's withdrawal requests, which are read here, after the runs, and never by the model.

Example::

    from peaceops.store import Database
    from peaceops.sim.validate import validate

    with Database("peaceops.duckdb") as db:
        report = validate(db, seeds=100, workers=2)
    print(report.to_markdown())
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from peaceops.errors import SimError, ValidationError
from peaceops.parallel import run_map
from peaceops.sim.params import Params
from peaceops.sim.patterns import (
    MONUSCO_TURN,
    PATTERNS,
    RunStats,
    measure_patterns,
    p_forced,
)
from peaceops.sim.run import check_seeds, run_model
from peaceops.sim.scenario import Scenario, ScenarioError, apply_counterfactual, load_scenario
from peaceops.sim.validation_report import (
    CALIBRATION_MISSIONS,
    TIMING_TOLERANCE_MONTHS,
    VALIDATION_VERSION,
    OutOfSample,
    ValidationReport,
)
from peaceops.store import Database

__all__ = [
    "CALIBRATION_MISSIONS",
    "PATTERNS",
    "VALIDATION_VERSION",
    "OutOfSample",
    "RunStats",
    "ValidationReport",
    "complete_history",
    "validate",
]


def complete_history(db: Database) -> list[str]:
    """Missions with a complete history, sorted by acronym.

    A complete history: a PKO or SPM whose mandates carry an impartiality index, with
    personnel data for a PKO.
    """
    return list(_complete_scenarios(db))


def _complete_scenarios(db: Database) -> dict[str, Scenario]:
    """The scenarios of the missions with a complete history, by acronym (sorted)."""
    acronyms = [
        r[0]
        for r in db.tuples(
            "SELECT acronym FROM missions WHERE type IN ('pko', 'spm') AND start IS NOT NULL "
            "ORDER BY acronym"
        )
    ]
    complete = {}
    for acronym in acronyms:
        try:
            scenario = load_scenario(db, acronym)
        except ScenarioError:
            continue
        coded = any(m.index is not None for m in scenario.mandates)
        if coded and (scenario.kind == "spm" or scenario.strength):
            complete[acronym] = scenario
    return complete


def validate(
    db: Database,
    *,
    seeds: int = 100,
    base_seed: int = 0,
    workers: int = 1,
    scheduler: str | None = None,
    out_of_sample: Iterable[str] | None = None,
    params: Params | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ValidationReport:
    """Measure the patterns on the calibration missions and score the other missions.

    Args:
        db: the knowledge base.
        seeds: runs per mission and counterfactual (the issue asks for at least 100).
        base_seed: runs use seeds ``base_seed .. base_seed + seeds - 1`` everywhere (common
            random numbers: a counterfactual is compared with the record on the same draws).
        workers: processes (1: in this process).
        scheduler: a Dask distributed scheduler address (``tcp://HOST:PORT``) to run on
            instead of local processes (see :mod:`peaceops.parallel`).
        out_of_sample: the missions to score out of sample; default every mission with a
            complete history except the calibration missions. Calibration missions are refused.
        params: the parameters (default ``Params()``, the defaults the docs report).
        progress: called as ``progress(done, total)`` after each mission-counterfactual job.

    Raises:
        ValidationError: ``seeds`` or ``workers`` below 1, or a calibration mission out of sample.
        ScenarioError: an unknown mission.
    """
    if seeds < 1:
        raise ValidationError(f"seeds must be at least 1, got {seeds}")
    try:
        check_seeds(base_seed, seeds)
    except SimError as exc:
        raise ValidationError(str(exc)) from None
    if workers < 1:
        raise ValidationError(f"workers must be at least 1, got {workers}")
    params = params if params is not None else Params()
    if out_of_sample is None:
        scenarios = _complete_scenarios(db)
        others = [m for m in scenarios if m not in CALIBRATION_MISSIONS]
    else:
        scenarios = {s.mission: s for s in (load_scenario(db, m) for m in out_of_sample)}
        others = list(scenarios)
        clash = sorted(set(others) & set(CALIBRATION_MISSIONS))
        if clash:
            raise ValidationError(
                f"{', '.join(clash)} are calibration missions and cannot be scored out of sample"
            )
    counterfactuals = {
        "MINUSMA": (
            None,
            "no-alternative-partner",
            "no-stabilization",
            "spm",
            "unified-council",
            "divided-council",
        ),
        "MONUSCO": (None,),
        "UNAMA": (None,),
    }
    jobs: list[tuple[str, str | None, Scenario, date | None]] = []
    for mission, names in counterfactuals.items():
        scenario = scenarios.get(mission) or load_scenario(db, mission)
        split = MONUSCO_TURN if mission == "MONUSCO" else None
        for name in names:
            changed = scenario if name is None else apply_counterfactual(scenario, name)
            jobs.append((mission, name, changed, split))
    for mission in others:
        jobs.append((mission, None, scenarios[mission], None))
    results = _run_jobs(jobs, seeds, base_seed, params, workers, scheduler, progress)
    runs = {
        (mission, name): stats for (mission, name, _, _), stats in zip(jobs, results, strict=True)
    }
    recorded = _recorded_outcomes(db, [scenarios[m] for m in others])
    kinds = {mission: scenario.kind for mission, _, scenario, _ in jobs}
    return ValidationReport(
        seeds=seeds,
        base_seed=base_seed,
        patterns=measure_patterns(runs),
        calibration={m: _calibration_row(runs[(m, None)]) for m in CALIBRATION_MISSIONS},
        out_of_sample=[_score(m, kinds[m], runs[(m, None)], *recorded[m]) for m in sorted(others)],
    )


# -- runs --------------------------------------------------------------------------------------


def _run_jobs(
    jobs: list[tuple[str, str | None, Scenario, date | None]],
    seeds: int,
    base_seed: int,
    params: Params,
    workers: int,
    scheduler: str | None,
    progress: Callable[[int, int], None] | None,
) -> list[list[RunStats]]:
    items = [(scenario, split) for _, _, scenario, split in jobs]
    return list(
        run_map(
            _runs_of,
            items,
            context=(seeds, base_seed, params),
            workers=workers,
            scheduler=scheduler,
            progress=progress,
        )
    )


def _runs_of(
    context: tuple[int, int, Params], item: tuple[Scenario, date | None]
) -> list[RunStats]:
    seeds, base_seed, params = context
    scenario, split = item
    return _runs(scenario, split, seeds, base_seed, params)


def _runs(
    scenario: Scenario, split: date | None, seeds: int, base_seed: int, params: Params
) -> list[RunStats]:
    """Run ``seeds`` runs of one scenario and keep what validation needs."""
    out = []
    for seed in range(base_seed, base_seed + seeds):
        model = run_model(scenario, seed, params)
        o = model.outcome()
        series = model.datacollector.model_vars
        dates = series["date"]
        # groups at risk of leaving talks in a month: those in talks at the end of the last one
        in_talks, exits = series["groups_in_talks"], series["talks_exits"]
        at_risk = [in_talks[0] + exits[0], *in_talks[:-1]]
        cut = split.isoformat() if split is not None else None
        before = [i for i, d in enumerate(dates) if cut is not None and d < cut]
        after = [i for i, d in enumerate(dates) if cut is None or d >= cut]
        out.append(
            RunStats(
                seed=seed,
                end_cause=o["end_cause"],
                exit_date=o["exit_date"],
                decision_date=o["decision_date"],
                first_request_date=o["first_request_date"],
                exits_before=sum(series["talks_exits"][i] for i in before),
                exits_after=sum(series["talks_exits"][i] for i in after),
                group_months_before=sum(at_risk[i] for i in before),
                group_months_after=sum(at_risk[i] for i in after),
            )
        )
    return out


# -- patterns ----------------------------------------------------------------------------------
def _calibration_row(runs: list[RunStats]) -> dict[str, float | str | None]:
    n = len(runs)
    forced = sorted(r.exit_date for r in runs if r.end_cause == "forced_exit" and r.exit_date)
    return {
        "p_forced_exit": p_forced(runs),
        "median_exit": forced[(len(forced) - 1) // 2] if forced else None,
        "p_withdrawal_request": sum(r.first_request_date is not None for r in runs) / n,
        "p_completed": sum(r.end_cause == "completed" for r in runs) / n,
        "p_ongoing": sum(r.end_cause == "ongoing" for r in runs) / n,
    }


# -- out of sample -----------------------------------------------------------------------------


def _recorded_outcomes(
    db: Database, scenarios: list[Scenario]
) -> dict[str, tuple[str | None, str]]:
    """(recorded end, recorded cause) per mission, after the runs.

    The end is the registry's; the cause is ``forced_exit`` when the host asked the mission to
    leave (a withdrawal request in the events table) before it ended.
    """
    if not scenarios:
        return {}
    first_request = dict(
        db.tuples(
            "SELECT mission, min(date) FROM events WHERE type = 'withdrawal_request' "
            "AND list_contains(?, mission) GROUP BY mission",
            [[s.mission for s in scenarios]],
        )
    )
    recorded = {}
    for scenario in scenarios:
        end, requested = scenario.recorded_end, first_request.get(scenario.mission)
        if end is None or end > scenario.horizon:  # still deployed at the end of the record
            cause = "ongoing"
        else:
            cause = "forced_exit" if requested is not None and requested <= end else "completed"
        recorded[scenario.mission] = (end.isoformat() if end else None, cause)
    return recorded


def _score(
    mission: str, kind: str, runs: list[RunStats], recorded_end: str | None, cause: str
) -> OutOfSample:
    n = len(runs)
    shares = {
        c: sum(r.end_cause == c for r in runs) / n for c in ("forced_exit", "completed", "ongoing")
    }
    ends = sorted(r.exit_date for r in runs if r.exit_date is not None)

    def on_time(run: RunStats) -> bool:
        if run.end_cause != cause:
            return False
        if recorded_end is None or cause == "ongoing" or run.exit_date is None:
            return True
        return abs(_months(run.exit_date) - _months(recorded_end)) <= TIMING_TOLERANCE_MONTHS

    return OutOfSample(
        mission=mission,
        kind=kind,
        recorded_end=recorded_end,
        recorded_cause=cause,
        shares=shares,
        match=shares[cause],
        match_timed=sum(map(on_time, runs)) / n,
        median_end=ends[(len(ends) - 1) // 2] if ends else None,
    )


def _months(day: str) -> int:
    parsed = date.fromisoformat(day)
    return parsed.year * 12 + parsed.month
