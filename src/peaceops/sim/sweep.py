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
import multiprocessing
import os
import time
import uuid
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from peaceops import __version__
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

SWEEP_VERSION = "peaceops.sweep.v1"
PARTITION_FILE = "part-0.parquet"
#: How long to wait for a Dask scheduler before giving up with an error.
DASK_CONNECT_TIMEOUT = "10s"
#: Most runs in one Dask task (a task costs the scheduler about a millisecond and a round trip).
DASK_BATCH = 16
SWEEP_DOCUMENT = "_sweep.json"

_SWEEP_KEYS = ("mission", "replicates", "base_seed", "months", "counterfactual")


class SweepError(ValueError):
    """A sweep file or sweep cannot be run: the message names the file, the problem and a fix."""


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
        names = sorted(self.parameters)
        combos = itertools.product(*(self.parameters[n] for n in names))
        runs = []
        for combo in combos:
            for replicate in range(self.replicates):
                runs.append(
                    {
                        "run_id": len(runs),
                        "replicate": replicate,
                        "seed": self.base_seed + replicate,
                        "params": dict(zip(names, combo, strict=True)),
                    }
                )
        return runs

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
    replicates = specfile.whole(sweep.get("replicates", 1), "replicates", fail, minimum=1)
    base_seed = specfile.whole(sweep.get("base_seed", 0), "base_seed", fail, minimum=0)
    months = specfile.months_or_none(sweep.get("months"), fail)
    counterfactual = specfile.counterfactual_or_none(sweep.get("counterfactual"), fail)
    raw = document.get("parameters", {})
    if not isinstance(raw, dict):
        raise fail("[parameters] must be a table of name = value, list or {low, high, steps}")
    parameters = {name: _values(name, raw[name], fail) for name in sorted(raw)}
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
    runs = spec.runs()
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
    pending = [r for r in runs if not _partition(out_dir, r["run_id"]).exists()]
    skipped = len(runs) - len(pending)
    client = _connect(scheduler, source) if scheduler is not None and pending else None
    out_dir.mkdir(parents=True, exist_ok=True)
    if not existing.exists():
        _write_atomic(existing, (json.dumps(document, indent=2, sort_keys=True) + "\n").encode())
    done = skipped
    if progress is not None:
        progress(done, len(runs))

    def finished() -> None:
        nonlocal done
        done += 1
        if progress is not None:
            progress(done, len(runs))

    if client is not None:
        with client:
            _run_on_dask(client, scenario, spec.months, out_dir, pending, finished)
    elif workers == 1 or len(pending) <= 1:
        _init_worker(scenario, spec.months, str(out_dir))
        try:
            for run in pending:
                _execute(run)
                finished()
        finally:
            _WORKER.clear()
    else:
        # spawn: no fork of a process holding DuckDB threads; only plain data crosses over
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=context,
            initializer=_init_worker,
            initargs=(scenario, spec.months, str(out_dir)),
        ) as pool:
            queue = iter(pending)
            in_flight: set[Future] = set()
            while True:
                # a bounded window: never more than a few runs queued per worker
                for run in itertools.islice(queue, 2 * workers - len(in_flight)):
                    in_flight.add(pool.submit(_execute, run))
                if not in_flight:
                    break
                done_now, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                for future in done_now:
                    future.result()
                    finished()
    return SweepReport(
        runs=len(pending),
        skipped=skipped,
        seconds=time.perf_counter() - started,
        out_dir=out_dir,
    )


# -- workers ---------------------------------------------------------------------------------

_WORKER: dict[str, Any] = {}


def _init_worker(scenario: Scenario, months: int | None, out_dir: str) -> None:
    _WORKER.update(scenario=scenario, months=months, out_dir=Path(out_dir))


def _execute(run: dict) -> int:
    """Run one run with the worker's scenario and write its partition; returns the run id."""
    return _execute_with(_WORKER["scenario"], _WORKER["months"], _WORKER["out_dir"], run)


def _execute_with(scenario: Scenario, months: int | None, out_dir: Path | str, run: dict) -> int:
    """Run one run and write its partition atomically; returns the run id."""
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
    tmp = target.parent / f".{target.name}.tmp"
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, target)
    return run["run_id"]


def _connect(address: str, source: str) -> Any:
    """A Dask distributed client of the scheduler at ``address``, or a SweepError."""
    try:
        from distributed import Client
    except ImportError as exc:  # pragma: no cover - distributed is a dependency
        raise SweepError(
            f"{source}: --scheduler needs dask.distributed; pip install 'dask[distributed]'"
        ) from exc
    try:
        client = Client(address, timeout=DASK_CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        raise SweepError(
            f"{source}: cannot reach the Dask scheduler at {address!r} ({exc}). Give the "
            "address the scheduler printed (tcp://HOST:PORT), e.g. start one with "
            "`dask scheduler` and workers with `dask worker tcp://HOST:PORT`"
        ) from exc
    try:
        client.wait_for_workers(1, timeout=DASK_CONNECT_TIMEOUT)
    except TimeoutError as exc:
        client.close()
        raise SweepError(
            f"{source}: the Dask scheduler at {address!r} has no workers; start some with "
            f"`dask worker {address}`"
        ) from exc
    return client


def _run_on_dask(
    client: Any,
    scenario: Scenario,
    months: int | None,
    out_dir: Path,
    pending: list[dict],
    finished: Callable[[], None],
) -> None:
    """Run ``pending`` on the workers of a Dask distributed ``client``.

    The scenario is scattered to every worker once. Runs go in batches of up to
    ``DASK_BATCH`` (fewer when there are few runs per thread), one task per batch, so the
    scheduler's per-task cost is shared; batches are submitted in a bounded window (twice the
    cluster's threads), so the scheduler never holds the whole sweep and memory stays flat.
    Each task writes its runs' partitions and returns only their run ids.
    """
    from distributed import as_completed

    threads = sum(client.nthreads().values()) or 1
    size = max(1, min(DASK_BATCH, len(pending) // (4 * threads)))
    [shared] = client.scatter([scenario], broadcast=True, hash=False)
    batches = (pending[i : i + size] for i in range(0, len(pending), size))

    def submit(batch: list[dict]) -> Any:
        return client.submit(
            _execute_batch,
            shared,
            months,
            str(out_dir),
            batch,
            key=f"peaceops-sweep-runs-{batch[0]['run_id']}-{uuid.uuid4().hex}",
            pure=False,
            retries=1,
        )

    first = [submit(batch) for batch in itertools.islice(batches, 2 * threads)]
    running = as_completed(first, loop=client.loop)
    for future in running:
        for _ in future.result():
            finished()
        future.release()
        batch = next(batches, None)
        if batch is not None:
            running.add(submit(batch))


def _execute_batch(
    scenario: Scenario, months: int | None, out_dir: str, runs: list[dict]
) -> list[int]:
    """Run a batch of runs (one Dask task); returns their run ids."""
    return [_execute_with(scenario, months, out_dir, run) for run in runs]


def _partition(out_dir: Path, run_id: int) -> Path:
    return out_dir / f"run_id={run_id}" / PARTITION_FILE


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.parent / f".{path.name}.tmp"
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
