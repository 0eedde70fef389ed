r"""Global sensitivity analysis of the mechanism model with SALib: Sobol and Morris.

Data flow::

    sensitivity.toml --load_sensitivity--> SensitivitySpec (validated before any run)
        --> SALib sample (Saltelli/Sobol' sequence or Morris trajectories, seeded)
        --> for each sample point: ``replicates`` runs with seeds seed .. seed + replicates - 1
            (common random numbers: every point sees the same draws), in a process pool
        --> outputs per point (OUTPUTS, averaged over replicates)
        --> SALib analyze per output --> SensitivityReport (first-order and total indices for
            Sobol; mu*, mu and sigma for Morris), JSON or a table

A sensitivity file::

    [sensitivity]
    mission = "MINUSMA"
    method = "sobol"          # or "morris"
    samples = 64              # Sobol: N, a power of 2 (N x (D + 2) points);
                              # Morris: trajectories (r x (D + 1) points)
    replicates = 4            # model runs per point, averaged (default 1)
    seed = 0                  # SALib's sampling seed and the first model seed (default 0)
    months = 120              # optional: default to the scenario's horizon
    counterfactual = "spm"    # optional
    levels = 4                # Morris only: grid levels (default 4, even)
    outputs = ["forced_exit", "legitimacy_end"]   # optional: default every output

    [parameters]              # the factors: a {low, high} range within the parameter's
    partner_uptake = {low = 0.05, high = 0.5}     # bounds, or "bounds" for the table's own
    withdrawal_rate = "bounds"

Parameters not named keep their defaults. Integer parameters are rounded after sampling.
The same file gives the same report.

Example::

    from peaceops.store import Database
    from peaceops.sim.sensitivity import load_sensitivity, run_sensitivity

    with Database("peaceops.duckdb") as db:
        report = run_sensitivity(db, load_sensitivity("sensitivity.toml"), workers=2)
    report.to_dict()["outputs"]["forced_exit"]["parameters"]["partner_uptake"]["ST"]
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from peaceops import __version__
from peaceops.errors import SensitivityError
from peaceops.parallel import run_map
from peaceops.sim import specfile
from peaceops.sim.mechanism import MODEL_VERSION
from peaceops.sim.params import PARAMS_VERSION, Params
from peaceops.sim.run import run_model
from peaceops.sim.scenario import (
    Scenario,
    ScenarioError,
    apply_counterfactual,
    load_scenario,
)
from peaceops.store import Database

SENSITIVITY_VERSION = "peaceops.sensitivity.v1"
METHODS = ("sobol", "morris")
#: The indices reported by each method (SALib's names).
INDEX_COLUMNS = {
    "sobol": ("S1", "S1_conf", "ST", "ST_conf"),
    "morris": ("mu_star", "mu_star_conf", "mu", "sigma"),
}
#: Scalar outputs of one run; a point's output is their mean over its replicates.
OUTPUTS: dict[str, str] = {
    "forced_exit": "1 if the host forced the mission out, else 0 (mean: p_forced_exit)",
    "months_deployed": "months until departure, or the months simulated if it stayed",
    "legitimacy_end": "the mission's legitimacy in the last month simulated",
    "withdrawal_request": "1 if the host asked the mission to leave at least once",
    "talks_exits": "armed groups' exits from talks over the run",
    "access_denials": "access denials over the run",
    "protests": "protests over the run",
}
_KEYS = (
    "mission",
    "method",
    "samples",
    "replicates",
    "seed",
    "months",
    "counterfactual",
    "levels",
    "outputs",
)


@dataclass(frozen=True)
class SensitivitySpec:
    """A parsed, validated sensitivity analysis (see the module docstring)."""

    mission: str
    method: str
    samples: int
    replicates: int
    seed: int
    months: int | None
    counterfactual: str | None
    levels: int
    outputs: tuple[str, ...]
    bounds: dict[str, tuple[float, float]]
    source: str = "<sensitivity>"

    @property
    def problem(self) -> dict[str, Any]:
        """The SALib problem: names (sorted) and bounds."""
        names = sorted(self.bounds)
        return {
            "num_vars": len(names),
            "names": names,
            "bounds": [list(self.bounds[n]) for n in names],
        }

    def point_count(self) -> int:
        """How many points :meth:`points` gives, without sampling them."""
        k = len(self.bounds)
        return self.samples * (k + 2 if self.method == "sobol" else k + 1)

    def points(self) -> np.ndarray:
        """The sample, one row per point, columns in ``problem['names']`` order."""
        from SALib.sample import morris as morris_sample
        from SALib.sample import sobol as sobol_sample

        if self.method == "sobol":
            return sobol_sample.sample(
                self.problem, self.samples, calc_second_order=False, seed=self.seed
            )
        return morris_sample.sample(
            self.problem, self.samples, num_levels=self.levels, seed=self.seed
        )

    def to_dict(self) -> dict[str, Any]:
        """The spec as a JSON-ready dict (without ``source``)."""
        return {
            "mission": self.mission,
            "method": self.method,
            "samples": self.samples,
            "replicates": self.replicates,
            "seed": self.seed,
            "months": self.months,
            "counterfactual": self.counterfactual,
            "levels": self.levels if self.method == "morris" else None,
            "outputs": list(self.outputs),
            "parameters": {n: list(self.bounds[n]) for n in sorted(self.bounds)},
        }


@dataclass
class SensitivityReport:
    """Indices per output and parameter, and what produced them."""

    spec: SensitivitySpec
    points: int
    runs: int
    seconds: float
    indices: dict[str, dict[str, dict[str, float | None]]]
    spread: dict[str, tuple[float, float]]

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready document: ``outputs[output]["parameters"][name][index]``."""
        return {
            "sensitivity_version": SENSITIVITY_VERSION,
            "peaceops_version": __version__,
            "model_version": MODEL_VERSION,
            "params_version": PARAMS_VERSION,
            "spec": self.spec.to_dict(),
            "points": self.points,
            "runs": self.runs,
            "outputs": {
                output: {
                    "description": OUTPUTS[output],
                    "min": self.spread[output][0],
                    "max": self.spread[output][1],
                    "constant": self.spread[output][0] == self.spread[output][1],
                    "parameters": self.indices[output],
                }
                for output in self.spec.outputs
            },
        }

    def index_columns(self) -> tuple[str, ...]:
        """The index names of the method, in display order."""
        return INDEX_COLUMNS[self.spec.method]


def load_sensitivity(path: Path | str) -> SensitivitySpec:
    """Read and validate a sensitivity file (TOML); see the module docstring.

    Raises:
        SensitivityError: unreadable or malformed TOML, an unknown key, method, output,
            parameter or counterfactual, a range outside a parameter's bounds, a Sobol sample
            size that is not a power of 2, no parameter; every error comes before any run.
    """
    document = specfile.read_toml(
        path, SensitivityError, "sensitivity file", "peaceops.sim.sensitivity"
    )
    return parse_sensitivity(document, source=str(path))


def parse_sensitivity(
    document: dict[str, Any], *, source: str = "<sensitivity>"
) -> SensitivitySpec:
    """Validate a sensitivity document already parsed from TOML (see ``load_sensitivity``)."""

    def fail(problem: str) -> SensitivityError:
        return SensitivityError(f"{source}: {problem}")

    table = specfile.head_table(document, "sensitivity", _KEYS, fail)
    method = table.get("method", "sobol")
    if method not in METHODS:
        raise fail(f"unknown method {method!r}; use one of {', '.join(METHODS)}")
    samples = specfile.whole(table.get("samples", 64), "samples", fail)
    if method == "sobol" and (samples < 2 or samples & (samples - 1)):
        raise fail(
            f"samples must be a power of 2 of at least 2 for Sobol (Saltelli's scheme), got "
            f"{samples}; e.g. 64 or 128"
        )
    if samples < 2:
        raise fail(f"samples must be at least 2, got {samples}")
    replicates = specfile.whole(table.get("replicates", 1), "replicates", fail, minimum=1)
    seed = specfile.whole(table.get("seed", 0), "seed", fail, minimum=0)
    months = specfile.months_or_none(table.get("months"), fail)
    levels = specfile.whole(table.get("levels", 4), "levels", fail)
    if levels < 2 or levels % 2:
        raise fail(f"levels must be an even number of at least 2, got {levels}")
    counterfactual = specfile.counterfactual_or_none(table.get("counterfactual"), fail)
    outputs = table.get("outputs", list(OUTPUTS))
    if not isinstance(outputs, list) or not outputs:
        raise fail(f"outputs must be a non-empty list of: {', '.join(OUTPUTS)}")
    bad = [o for o in outputs if o not in OUTPUTS]
    if bad:
        raise fail(f"unknown output(s) {', '.join(map(str, bad))}; valid: {', '.join(OUTPUTS)}")
    raw = document.get("parameters")
    if not isinstance(raw, dict) or not raw:
        raise fail('no [parameters]; name at least one parameter with {low, high} or "bounds"')
    bounds = {name: _bounds(name, raw[name], fail) for name in sorted(raw)}
    specfile.seeds_within(seed, replicates, "seed", fail)
    spec = SensitivitySpec(
        mission=table["mission"],
        method=method,
        samples=samples,
        replicates=replicates,
        seed=seed,
        months=months,
        counterfactual=counterfactual,
        levels=levels,
        outputs=tuple(dict.fromkeys(outputs)),
        bounds=bounds,
        source=source,
    )
    specfile.check_runs(spec.point_count() * replicates, fail)
    return spec


def run_sensitivity(
    db: Database,
    spec: SensitivitySpec,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SensitivityReport:
    """Sample, run every point ``spec.replicates`` times, and analyse every output.

    Args:
        db: the knowledge base (the scenario is loaded once, before any run).
        spec: the analysis.
        workers: processes (1: in this process).
        scheduler: a Dask distributed scheduler address (``tcp://HOST:PORT``) to run on
            instead of local processes (see :mod:`peaceops.parallel`).
        progress: called as ``progress(points_done, points)``.

    Raises:
        SensitivityError: unknown mission, or ``workers`` below 1 (before any run).
    """
    import time

    started = time.perf_counter()
    if workers < 1:
        raise SensitivityError(f"{spec.source}: workers must be at least 1, got {workers}")
    try:
        scenario = load_scenario(db, spec.mission)
        if spec.counterfactual is not None:
            scenario = apply_counterfactual(scenario, spec.counterfactual)
    except ScenarioError as exc:
        raise SensitivityError(f"{spec.source}: {exc}") from exc
    names = spec.problem["names"]
    points = spec.points()
    settings = [_setting(names, row) for row in points]
    seeds = list(range(spec.seed, spec.seed + spec.replicates))
    rows = list(
        run_map(
            _point_of,
            settings,
            context=(scenario, spec.months, seeds),
            workers=workers,
            scheduler=scheduler,
            batch=max(1, len(settings) // (workers * 8)),
            progress=progress,
        )
    )
    indices, spread = {}, {}
    for output in spec.outputs:
        values = np.array([row[output] for row in rows], dtype=float)
        spread[output] = (float(values.min()), float(values.max()))
        indices[output] = _analyze(spec, points, values, names)
    return SensitivityReport(
        spec=spec,
        points=len(settings),
        runs=len(settings) * len(seeds),
        seconds=time.perf_counter() - started,
        indices=indices,
        spread=spread,
    )


# -- runs -------------------------------------------------------------------------------------


def _point_of(
    context: tuple[Scenario, int | None, list[int]], setting: dict[str, float | int]
) -> dict[str, float]:
    scenario, months, seeds = context
    return _point(scenario, months, seeds, setting)


def _setting(names: list[str], row: np.ndarray) -> dict[str, float | int]:
    setting: dict[str, float | int] = {}
    for name, value in zip(names, row, strict=True):
        parameter = specfile.PARAMETERS[name]
        if isinstance(parameter.default, int):
            setting[name] = int(min(max(round(float(value)), parameter.low), parameter.high))
        else:
            setting[name] = float(value)
    return setting


def _point(
    scenario: Scenario, months: int | None, seeds: list[int], setting: dict[str, float | int]
) -> dict[str, float]:
    """Mean outputs of one sample point over its seeds."""
    params = Params.from_mapping(setting)
    totals = dict.fromkeys(OUTPUTS, 0.0)
    for seed in seeds:
        model = run_model(scenario, seed, params, months=months)
        o = model.outcome()
        exit_month = model.mission.exit_month
        totals["forced_exit"] += o["end_cause"] == "forced_exit"
        totals["months_deployed"] += exit_month if exit_month is not None else o["months"]
        totals["legitimacy_end"] += o["legitimacy_end"]
        totals["withdrawal_request"] += o["first_request_date"] is not None
        totals["talks_exits"] += o["total_talks_exits"]
        totals["access_denials"] += o["total_access_denials"]
        totals["protests"] += o["total_protests"]
    return {k: v / len(seeds) for k, v in totals.items()}


def _analyze(
    spec: SensitivitySpec, points: np.ndarray, values: np.ndarray, names: list[str]
) -> dict[str, dict[str, float | None]]:
    """SALib's indices for one output; None everywhere when the output does not vary."""
    from SALib.analyze import morris, sobol

    columns = INDEX_COLUMNS[spec.method]
    if float(values.min()) == float(values.max()):
        return {name: dict.fromkeys(columns) for name in names}
    with warnings.catch_warnings():
        # SALib warns on indices of near-constant outputs; the report shows the spread instead
        warnings.simplefilter("ignore", RuntimeWarning)
        # a Generator, not the int: SALib 1.6's sobol.analyze ignores a seed of 0 (`if seed:`)
        # and its bootstrap confidence intervals would then change from call to call
        rng = np.random.default_rng(spec.seed)
        if spec.method == "sobol":
            result = sobol.analyze(
                spec.problem, values, calc_second_order=False, seed=rng, num_resamples=200
            )
        else:
            result = morris.analyze(spec.problem, points, values, num_levels=spec.levels, seed=rng)
    return {
        name: {column: _finite(result[column][i]) for column in columns}
        for i, name in enumerate(names)
    }


def _finite(value: Any) -> float | None:
    number = float(value)
    return round(number, 6) if math.isfinite(number) else None


# -- validation ---------------------------------------------------------------------------------


def _bounds(name: str, raw: Any, fail: Callable[[str], SensitivityError]) -> tuple[float, float]:
    parameter = specfile.parameter(name, fail)
    if raw == "bounds":
        return (float(parameter.low), float(parameter.high))
    if not isinstance(raw, dict) or set(raw) != {"low", "high"}:
        raise fail(f'parameter {name}: give {{low = .., high = ..}} or "bounds", got {raw!r}')
    low, high = raw["low"], raw["high"]
    if not (specfile.finite_number(low) and specfile.finite_number(high)):
        raise fail(f"parameter {name}: low and high must be finite numbers, got {raw!r}")
    if not low < high:
        raise fail(f"parameter {name}: low {low} must be below high {high}")
    if low < parameter.low or high > parameter.high:
        raise fail(
            f"parameter {name}: range {low}..{high} lies outside its bounds "
            f"[{parameter.low}, {parameter.high}] ({parameter.reason})"
        )
    return (float(low), float(high))
