r"""Declarative sweeps: a TOML file -> the cartesian product of parameters x replicates -> Parquet.

Data flow::

    sweep.toml --load_sweep--> SweepSpec (validated: every error before any run)
        --SweepSpec.runs()--> [{"run_id", "replicate", "seed", "params"}, ...]   (plain dicts)
        --run_sweep--> load_scenario (+ apply_counterfactual) once, checked before any run
            --> one worker per process (the scenario is handed over once, by the initializer),
                or the workers of a Dask scheduler (--scheduler; the scenario is scattered once)
            --> run_model(scenario, seed, Params.from_mapping(params), months=months)
            --> out_dir/run_id=<n>/part-0.parquet   (one file per run, written atomically)
        --> out_dir/_sweep.json (the spec and the peaceops/model/params versions)

A sweep file::

    [sweep]
    mission = "MINUSMA"         # a registry acronym (any case)
    replicates = 10             # runs per parameter combination (default 1)
    base_seed = 0               # replicate i uses seed base_seed + i (default 0)
    months = 120                # optional: default to the scenario's horizon
    counterfactual = "spm"      # optional: a name of COUNTERFACTUALS

    [parameters]                # optional: unnamed parameters keep their defaults
    legitimacy_rate = 0.05                                 # one value
    violence_rate = [0.1, 0.2]                             # a list of values
    trust_rate = {low = 0.1, high = 0.5, steps = 5}        # evenly spaced, both ends included

Runs are the cartesian product of the parameter values (parameters in name order, values in
the order given) times the replicates, numbered ``run_id = 0, 1, ...`` with the replicates
innermost. Replicate ``i`` of every combination uses seed ``base_seed + i`` (common random
numbers: combinations are compared on the same random draws).

Output: ``pandas.read_parquet(out_dir)`` reads every run, with ``run_id`` from the partition
directory (hive partitioning; it is therefore not repeated inside the files). Each file holds
``seed``, ``replicate``, one column per swept parameter (in name order), then the monthly
series of ``run_one`` (``date``, ``month``, states and events). Files carry no timestamps or
pandas metadata, so the same spec gives byte-identical files whatever the worker count. The
sweep document is ``_sweep.json`` (the leading underscore keeps Parquet readers from taking it
for data). A rerun skips every run whose partition file exists, so an interrupted sweep
resumes where it stopped; a rerun with a different spec into the same directory is refused.

Example::

    from peaceops.store import Database
    from peaceops.sim.sweep import load_sweep, run_sweep

    spec = load_sweep(Path("sweep.toml"))
    with Database("peaceops.duckdb") as db:
        report = run_sweep(db, spec, Path("out"), workers=2)
"""

from __future__ import annotations

import itertools
import json
import math
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from peaceops import __version__
from peaceops.errors import ExecutorError, SweepError
from peaceops.parallel import run_map
from peaceops.settings import setting
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
from peaceops.store.files import remove_dead_temps, unique_temp

SWEEP_VERSION = "peaceops.sweep.v1"
PARTITION_FILE = "part-0.parquet"
#: Most runs in one Dask task (a task costs the scheduler about a millisecond and a round trip).
DASK_BATCH = 16
SWEEP_DOCUMENT = "_sweep.json"

_SWEEP_KEYS = ("mission", "replicates", "base_seed", "months", "counterfactual")


@dataclass(frozen=True)
class SweepSpec:
    """A parsed, validated sweep.

    Attributes:
        mission: the registry acronym.
        counterfactual: a name of ``COUNTERFACTUALS``, or None for the record.
        months: months per run, or None for the scenario's horizon.
        replicates: runs per parameter combination (at least 1).
        base_seed: replicate ``i`` uses seed ``base_seed + i``.
        parameters: the swept values by parameter name (names sorted, ranges expanded).
        source: the file the spec was read from (for error messages), if any.
    """

    mission: str
    counterfactual: str | None
    months: int | None
    replicates: int
    base_seed: int
    parameters: dict[str, list[float | int]]
    source: str | None = None

    def runs(self) -> list[dict]:
        """Every run as a plain dict: ``run_id``, ``replicate``, ``seed`` and ``params``.

        The cartesian product of the parameter values (names sorted) with the replicates
        innermost; the order, and so the run ids, are the same on every call.
        """
        return list(self.iter_runs())

    def count(self) -> int:
        """The number of runs, without listing them."""
        return math.prod(len(v) for v in self.parameters.values()) * self.replicates

    def iter_runs(self, *, skip: Callable[[int], bool] | None = None) -> Iterator[dict]:
        """The runs of :meth:`runs`, one at a time (memory stays flat however many there are).

        ``skip(run_id)`` leaves out runs (e.g. those already written).
        """
        names = sorted(self.parameters)
        combos = itertools.product(*(self.parameters[n] for n in names))
        run_id = 0
        for combo in combos:
            for replicate in range(self.replicates):
                if skip is None or not skip(run_id):
                    yield {
                        "run_id": run_id,
                        "replicate": replicate,
                        "seed": self.base_seed + replicate,
                        "params": dict(zip(names, combo, strict=True)),
                    }
                run_id += 1

    def to_dict(self) -> dict[str, Any]:
        """The spec as a JSON-ready dict (without ``source``)."""
        return {
            "mission": self.mission,
            "counterfactual": self.counterfactual,
            "months": self.months,
            "replicates": self.replicates,
            "base_seed": self.base_seed,
            "parameters": {n: list(self.parameters[n]) for n in sorted(self.parameters)},
        }


@dataclass(frozen=True)
class SweepReport:
    """What ``run_sweep`` did.

    Attributes:
        runs: runs executed by this call.
        skipped: runs skipped because their partition file already existed.
        seconds: wall-clock time of the call.
        out_dir: the output directory.
    """

    runs: int
    skipped: int
    seconds: float
    out_dir: Path


def load_sweep(path: Path | str) -> SweepSpec:
    """Read and validate a sweep file (TOML); see the module docstring for the format.

    Raises:
        SweepError: unreadable or malformed TOML, a missing ``[sweep]`` table or mission, an
            unknown key, parameter or counterfactual, a value or range outside a parameter's
            bounds, ``steps`` or ``replicates`` below 1.
    """
    document = specfile.read_toml(path, SweepError, "sweep file", "peaceops.sim.sweep")
    return parse_sweep(document, source=str(path))


def parse_sweep(document: dict[str, Any], *, source: str = "<sweep>") -> SweepSpec:
    """Validate a sweep document already parsed from TOML (see ``load_sweep``)."""

    def fail(problem: str) -> SweepError:
        return SweepError(f"{source}: {problem}")

    sweep = specfile.head_table(document, "sweep", _SWEEP_KEYS, fail)
    replicates = specfile.whole(
        sweep.get("replicates", 1),
        "replicates",
        fail,
        minimum=1,
        maximum=int(setting("max_runs")),
        limit="max_runs",
    )
    base_seed = specfile.whole(sweep.get("base_seed", 0), "base_seed", fail, minimum=0)
    specfile.seeds_within(base_seed, replicates, "base_seed", fail)
    months = specfile.months_or_none(sweep.get("months"), fail)
    counterfactual = specfile.counterfactual_or_none(sweep.get("counterfactual"), fail)
    raw = document.get("parameters", {})
    if not isinstance(raw, dict):
        raise fail("[parameters] must be a table of name = value, list or {low, high, steps}")
    parameters = {name: _values(name, raw[name], fail) for name in sorted(raw)}
    specfile.check_runs(math.prod(len(v) for v in parameters.values()) * replicates, fail)
    return SweepSpec(
        mission=sweep["mission"],
        counterfactual=counterfactual,
        months=months,
        replicates=replicates,
        base_seed=base_seed,
        parameters=parameters,
        source=source,
    )


def run_sweep(
    db: Database,
    spec: SweepSpec,
    out_dir: Path,
    *,
    workers: int = 1,
    scheduler: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SweepReport:
    """Run every run of ``spec`` not yet in ``out_dir``, one Parquet partition per run.

    Args:
        db: the knowledge base (the scenario is loaded once, here, before any run).
        spec: the sweep.
        out_dir: the output directory (created if needed).
        workers: processes; 1 runs in this process, more use a local process pool.
            Ignored when ``scheduler`` is given.
        scheduler: the address of a Dask distributed scheduler (``tcp://HOST:PORT``): runs
            are submitted to its workers instead, which must see ``out_dir`` (a shared or
            local file system) and have peaceops installed.
        progress: called as ``progress(done, total)`` after each run, ``done`` counting
            skipped runs too, so a resumed sweep starts where it stopped.

    Raises:
        SweepError: unknown mission, a different sweep already in ``out_dir``, ``workers``
            below 1, or a scheduler that cannot be reached. Raised before any run starts.
    """
    started = time.perf_counter()
    source = spec.source or "sweep"
    if workers < 1:
        raise SweepError(f"{source}: workers must be at least 1, got {workers}")
    try:
        scenario = load_scenario(db, spec.mission)
        if spec.counterfactual is not None:
            scenario = apply_counterfactual(scenario, spec.counterfactual)
    except ScenarioError as exc:
        raise SweepError(f"{source}: {exc}") from exc
    total = spec.count()
    out_dir = Path(out_dir)
    document = {
        "sweep_version": SWEEP_VERSION,
        "peaceops_version": __version__,
        "model_version": MODEL_VERSION,
        "params_version": PARAMS_VERSION,
        "spec": spec.to_dict(),
    }
    existing = out_dir / SWEEP_DOCUMENT
    if existing.exists():
        try:
            previous = json.loads(existing.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SweepError(f"{existing}: unreadable sweep document ({exc})") from exc
        if previous != document:
            raise SweepError(
                f"{source}: {out_dir} holds a different sweep (or another model version); "
                "choose a new output directory or delete the old one"
            )
    if out_dir.exists():
        remove_dead_temps(out_dir)  # half-written partitions of a killed sweep
    done = {i for i in range(total) if _partition(out_dir, i).exists()}  # run ids only
    skipped, todo = len(done), total - len(done)
    pending = spec.iter_runs(skip=done.__contains__)  # built one at a time, as workers free up
    counted = None if progress is None else (lambda n, _: progress(skipped + n, total))
    try:  # connects to a scheduler now, so an unreachable one fails before anything is written
        results = run_map(
            _execute,
            pending,
            context=(scenario, spec.months, str(out_dir)),
            workers=workers,
            scheduler=scheduler if todo else None,
            # a Dask task costs the scheduler about a millisecond and a round trip: batch runs
            batch=min(DASK_BATCH, max(1, todo // 16)) if scheduler else 1,
            total=todo,
            progress=counted,
        )
    except ExecutorError as exc:
        raise SweepError(f"{source}: {exc}") from exc
    out_dir.mkdir(parents=True, exist_ok=True)
    if not existing.exists():
        _write_atomic(existing, (json.dumps(document, indent=2, sort_keys=True) + "\n").encode())
    if progress is not None:
        progress(skipped, total)
    for _ in results:
        pass
    return SweepReport(
        runs=todo,
        skipped=skipped,
        seconds=time.perf_counter() - started,
        out_dir=out_dir,
    )


# -- runs ------------------------------------------------------------------------------------


def _execute(context: tuple[Scenario, int | None, str], run: dict) -> int:
    """Run one run and write its partition atomically; returns the run id."""
    scenario, months, out_dir = context
    params = Params.from_mapping(run["params"])
    # straight from the collector's lists to Arrow: a pandas DataFrame in between costs a
    # third of a run (the file's columns and order are those of run_one's DataFrame)
    series = run_model(scenario, run["seed"], params, months=months).datacollector.model_vars
    names = sorted(run["params"])
    clash = sorted(set(names) & set(series))
    if clash:  # pragma: no cover - guards a reporter named like a parameter
        raise RuntimeError(f"parameter(s) {', '.join(clash)} clash with series columns")
    rows = len(series["month"])
    columns: dict[str, list] = {
        "seed": [run["seed"]] * rows,
        "replicate": [run["replicate"]] * rows,
    }
    columns.update({n: [run["params"][n]] * rows for n in names})
    columns.update(series)
    table = pa.table(columns)
    target = _partition(Path(out_dir), run["run_id"])
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = unique_temp(target)
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, target)
    return run["run_id"]


def _partition(out_dir: Path, run_id: int) -> Path:
    return out_dir / f"run_id={run_id}" / PARTITION_FILE


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = unique_temp(path)
    tmp.write_bytes(data)
    os.replace(tmp, path)


# -- validation ------------------------------------------------------------------------------


def _values(name: str, raw: Any, fail: Callable[[str], SweepError]) -> list[float | int]:
    parameter = specfile.parameter(name, fail)
    bounds = f"[{parameter.low}, {parameter.high}]"
    integer = isinstance(parameter.default, int)
    if isinstance(raw, dict):
        keys = set(raw)
        if keys != {"low", "high", "steps"}:
            raise fail(f"parameter {name}: a range needs exactly low, high and steps, got {raw}")
        low, high, steps = raw["low"], raw["high"], raw["steps"]
        if not (specfile.finite_number(low) and specfile.finite_number(high)):
            raise fail(f"parameter {name}: range low and high must be numbers, got {raw}")
        if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
            raise fail(
                f"parameter {name}: steps must be a whole number of at least 1, got {steps!r}"
            )
        specfile.check_runs(steps, fail)
        if low > high:
            raise fail(f"parameter {name}: range low {low} is above high {high}; swap them")
        if low < parameter.low or high > parameter.high:
            raise fail(
                f"parameter {name}: range {low}..{high} lies outside its bounds {bounds}; "
                f"keep it within them ({parameter.reason})"
            )
        if steps == 1:
            values: list[float | int] = [low]
        else:
            values = [round(low + (high - low) * i / (steps - 1), 12) for i in range(steps)]
        if integer:
            values = list(dict.fromkeys(round(v) for v in values))
    else:
        values = list(raw) if isinstance(raw, list) else [raw]
        if not values:
            raise fail(f"parameter {name}: an empty list; give at least one value")
        for value in values:
            if not specfile.finite_number(value):
                raise fail(f"parameter {name}: {value!r} is not a finite number")
            if not parameter.low <= value <= parameter.high:
                raise fail(
                    f"parameter {name}={value!r} lies outside its bounds {bounds}; keep it "
                    f"within them ({parameter.reason})"
                )
            if integer and value != int(value):
                raise fail(f"parameter {name} takes whole numbers in {bounds}, got {value!r}")
    return [int(v) if integer else float(v) for v in values]
