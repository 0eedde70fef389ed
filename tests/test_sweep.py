"""Declarative sweeps: TOML -> runs -> partitioned Parquet, resume, determinism, early errors."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from peaceops.sim.sweep import SweepError, load_sweep, run_sweep

SWEEP = """\
[sweep]
mission = "MINUSMA"
replicates = 2
base_seed = 3
months = 24

[parameters]
legitimacy_rate = [0.05, 0.1]
trust_rate = 0.2
"""


def _write(tmp_path: Path, text: str, name: str = "sweep.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _files(out_dir: Path) -> dict[str, bytes]:
    return {str(p.relative_to(out_dir)): p.read_bytes() for p in sorted(out_dir.rglob("*.parquet"))}


def test_runs_are_the_cartesian_product_with_replicates(tmp_path: Path) -> None:
    spec = load_sweep(_write(tmp_path, SWEEP))
    runs = spec.runs()
    assert [r["run_id"] for r in runs] == [0, 1, 2, 3]
    assert [r["seed"] for r in runs] == [3, 4, 3, 4]
    assert [r["params"]["legitimacy_rate"] for r in runs] == [0.05, 0.05, 0.1, 0.1]
    assert all(r["params"]["trust_rate"] == 0.2 for r in runs)
    assert spec.runs() == runs


def test_range_is_expanded(tmp_path: Path) -> None:
    text = SWEEP.replace("trust_rate = 0.2", "trust_rate = {low = 0.1, high = 0.5, steps = 5}")
    spec = load_sweep(_write(tmp_path, text))
    assert spec.parameters["trust_rate"] == [0.1, 0.2, 0.3, 0.4, 0.5]
    assert len(spec.runs()) == 2 * 5 * 2


def test_sweep_writes_resumes_and_is_deterministic(db, tmp_path: Path) -> None:
    spec = load_sweep(_write(tmp_path, SWEEP))
    out = tmp_path / "out"
    seen: list[tuple[int, int]] = []
    report = run_sweep(db, spec, out, progress=lambda done, total: seen.append((done, total)))
    assert (report.runs, report.skipped) == (4, 0)
    assert seen[-1] == (4, 4)
    assert sorted(p.name for p in out.iterdir()) == [
        "_sweep.json",
        "run_id=0",
        "run_id=1",
        "run_id=2",
        "run_id=3",
    ]
    frame = pd.read_parquet(out)
    assert len(frame) == 4 * 24
    assert sorted(frame["run_id"].astype(int).unique()) == [0, 1, 2, 3]
    assert {"seed", "replicate", "legitimacy_rate", "trust_rate", "month", "date"} <= set(
        frame.columns
    )
    first = frame[frame["run_id"].astype(int) == 2]
    assert set(first["seed"]) == {3}
    assert set(first["legitimacy_rate"]) == {0.1}

    # resume: everything is there
    again = run_sweep(db, spec, out)
    assert (again.runs, again.skipped) == (0, 4)

    # an interrupted sweep: one partition missing, only it runs, with the same bytes
    before = _files(out)
    (out / "run_id=1" / "part-0.parquet").unlink()
    resumed = run_sweep(db, spec, out)
    assert (resumed.runs, resumed.skipped) == (1, 3)
    assert _files(out) == before

    # the same spec elsewhere gives byte-identical files, also with a process pool
    other = tmp_path / "other"
    run_sweep(db, spec, other)
    assert _files(other) == before
    pooled = tmp_path / "pooled"
    assert run_sweep(db, spec, pooled, workers=2).runs == 4
    assert _files(pooled) == before


def test_a_different_sweep_into_the_same_directory_is_refused(db, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_sweep(
        db, load_sweep(_write(tmp_path, SWEEP.replace("replicates = 2", "replicates = 1"))), out
    )
    other = load_sweep(_write(tmp_path, SWEEP, "other.toml"))
    with pytest.raises(SweepError, match="different sweep"):
        run_sweep(db, other, out)


BAD = {
    "unknown parameter": (
        SWEEP.replace("trust_rate = 0.2", "trust_rat = 0.2"),
        r"unknown parameter 'trust_rat'.*did you mean trust_rate",
    ),
    "range outside bounds": (
        SWEEP.replace("trust_rate = 0.2", "trust_rate = {low = 0.0, high = 0.5, steps = 3}"),
        r"trust_rate: range 0\.0\.\.0\.5 lies outside its bounds \[0\.01, 1\.0\]",
    ),
    "value outside bounds": (
        SWEEP.replace("trust_rate = 0.2", "trust_rate = [0.2, 7]"),
        r"trust_rate=7 lies outside its bounds",
    ),
    "steps below 1": (
        SWEEP.replace("trust_rate = 0.2", "trust_rate = {low = 0.1, high = 0.5, steps = 0}"),
        r"steps must be a whole number of at least 1",
    ),
    "negative replicates": (
        SWEEP.replace("replicates = 2", "replicates = -1"),
        r"replicates must be at least 1, got -1",
    ),
    "no mission key": (SWEEP.replace('mission = "MINUSMA"\n', ""), r"has no mission"),
    "no sweep table": (SWEEP.replace("[sweep]", "[swep]"), r"unknown table\(s\) swep"),
    "unknown counterfactual": (
        SWEEP.replace("months = 24", 'months = 24\ncounterfactual = "no-council"'),
        r"unknown counterfactual 'no-council'; valid ones are: divided-council",
    ),
    "malformed TOML": (SWEEP.replace("[0.05, 0.1]", "[0.05, 0.1"), r"not valid TOML"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_sweep_files_fail_before_any_run(tmp_path: Path, case: str) -> None:
    text, pattern = BAD[case]
    path = _write(tmp_path, text)
    with pytest.raises(SweepError, match=pattern) as info:
        load_sweep(path)
    assert str(path) in str(info.value)


def test_unknown_mission_fails_before_any_run(db, tmp_path: Path) -> None:
    path = _write(tmp_path, SWEEP.replace("MINUSMA", "MINUSMX"))
    spec = load_sweep(path)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(SweepError, match=r"unknown mission 'MINUSMX'") as info:
        run_sweep(db, spec, out)
    assert str(path) in str(info.value)
    assert list(out.iterdir()) == []


def test_sweep_command_runs_resumes_and_refuses_bad_files(built_db, tmp_path):
    from typer.testing import CliRunner

    from peaceops.cli import app

    spec = tmp_path / "sweep.toml"
    spec.write_text(
        '[sweep]\nmission = "UNAMA"\nreplicates = 2\nbase_seed = 0\nmonths = 12\n'
        "[parameters]\nweight_impartiality = [0.3, 0.6]\n"
    )
    out = tmp_path / "out"
    runner = CliRunner()
    first = runner.invoke(app, ["sweep", str(spec), "--out", str(out), "--db", str(built_db)])
    assert first.exit_code == 0, first.output
    assert "4 runs" in first.stdout
    again = runner.invoke(app, ["sweep", str(spec), "--out", str(out), "--db", str(built_db)])
    assert "4 already done" in again.stdout
    bad = tmp_path / "bad.toml"
    bad.write_text('[sweep]\nmission = "UNAMA"\nreplicates = -1\n')
    refused = runner.invoke(
        app, ["sweep", str(bad), "--out", str(tmp_path / "x"), "--db", str(built_db)]
    )
    assert refused.exit_code == 1
    assert "replicates" in refused.stderr
    assert not (tmp_path / "x").exists()


@pytest.mark.slow
def test_dask_scheduler_gives_the_same_bytes_as_the_process_pool(
    db, tmp_path: Path, dask_cluster
) -> None:
    spec = load_sweep(_write(tmp_path, SWEEP))
    local, remote = tmp_path / "local", tmp_path / "dask"
    run_sweep(db, spec, local, workers=1)
    seen: list[tuple[int, int]] = []
    report = run_sweep(
        db,
        spec,
        remote,
        scheduler=dask_cluster.scheduler_address,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert (report.runs, report.skipped) == (4, 0)
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    assert _files(remote) == _files(local)
    assert (remote / "_sweep.json").read_bytes() == (local / "_sweep.json").read_bytes()

    # resume on the cluster: a lost partition is rerun, the others are skipped
    (remote / "run_id=1" / "part-0.parquet").unlink()
    again = run_sweep(db, spec, remote, scheduler=dask_cluster.scheduler_address)
    assert (again.runs, again.skipped) == (1, 3)
    assert _files(remote) == _files(local)

    # enough runs for several runs per Dask task (batches): still the same bytes
    many = load_sweep(
        _write(tmp_path, SWEEP.replace("replicates = 2", "replicates = 21"), "many.toml")
    )
    batched, alone = tmp_path / "batched", tmp_path / "alone"
    seen.clear()
    run_sweep(
        db,
        many,
        batched,
        scheduler=dask_cluster.scheduler_address,
        progress=lambda done, total: seen.append((done, total)),
    )
    run_sweep(db, many, alone, workers=1)
    assert seen[-1] == (42, 42) and len(seen) == 43  # every run counted once
    assert len(_files(batched)) == 42
    assert _files(batched) == _files(alone)


def test_unreachable_scheduler_fails_before_any_run(db, tmp_path: Path, monkeypatch) -> None:
    import socket

    from peaceops import parallel

    monkeypatch.setattr(parallel, "DASK_CONNECT_TIMEOUT", "1s")
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    spec = load_sweep(_write(tmp_path, SWEEP))
    out = tmp_path / "out"
    with pytest.raises(SweepError, match="cannot reach the Dask scheduler"):
        run_sweep(db, spec, out, scheduler=f"tcp://127.0.0.1:{port}")
    assert not out.exists()


def test_a_partition_holds_the_run_of_run_one(db, tmp_path: Path) -> None:
    from peaceops.sim import Params, load_scenario, run_one

    spec = load_sweep(_write(tmp_path, SWEEP))
    out = tmp_path / "out"
    run_sweep(db, spec, out)
    stored = pd.read_parquet(out / "run_id=2" / "part-0.parquet")
    expected = run_one(
        load_scenario(db, "MINUSMA"), 3, Params(legitimacy_rate=0.1, trust_rate=0.2), months=24
    ).reset_index(drop=True)
    assert list(stored.columns) == [
        "seed",
        "replicate",
        "legitimacy_rate",
        "trust_rate",
        *expected.columns,
    ]
    pd.testing.assert_frame_equal(
        stored[list(expected.columns)], expected, check_dtype=False, check_exact=True
    )
