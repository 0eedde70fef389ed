"""SALib sensitivity of the simulation: spec validation, real runs, indices that mean something."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from peaceops.sim.sensitivity import (
    SensitivityError,
    load_sensitivity,
    run_sensitivity,
)

MORRIS = """\
[sensitivity]
mission = "UNAMA"
method = "morris"
samples = 4
replicates = 2
months = 12
outputs = ["legitimacy_end", "forced_exit"]

[parameters]
legitimacy_initial = {low = 0.3, high = 0.9}
drawdown_months = "bounds"
"""

SOBOL = """\
[sensitivity]
mission = "MINUSMA"
method = "sobol"
samples = 8
months = 24
outputs = ["legitimacy_end", "forced_exit"]

[parameters]
legitimacy_initial = {low = 0.3, high = 0.9}
weight_impartiality = "bounds"
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sensitivity.toml"
    path.write_text(text, encoding="utf-8")
    return path


BAD = {
    "unknown parameter": (MORRIS.replace("drawdown_months", "drawdown_month"), "did you mean"),
    "outside bounds": (MORRIS.replace("high = 0.9", "high = 1.9"), "outside its bounds"),
    "low above high": (MORRIS.replace("low = 0.3", "low = 0.95"), "must be below high"),
    "sobol not a power of 2": (SOBOL.replace("samples = 8", "samples = 10"), "power of 2"),
    "unknown method": (MORRIS.replace('"morris"', '"fast"'), "unknown method"),
    "unknown output": (MORRIS.replace('"forced_exit"]', '"exits"]'), "unknown output"),
    "negative replicates": (MORRIS.replace("replicates = 2", "replicates = -1"), "replicates"),
    "no parameters": (MORRIS.split("[parameters]")[0], "no \\[parameters\\]"),
    "odd levels": (MORRIS.replace("months = 12", "months = 12\nlevels = 3"), "even"),
    "bad toml": ("[sensitivity\n", "not valid TOML"),
    "unknown key": (MORRIS.replace("months = 12", "month = 12"), "unknown key"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_sensitivity_files_fail_before_any_run(tmp_path: Path, case: str) -> None:
    text, message = BAD[case]
    with pytest.raises(SensitivityError, match=message):
        load_sensitivity(_write(tmp_path, text))


@pytest.mark.slow
def test_morris_finds_the_parameter_that_matters_and_the_one_that_cannot(
    db, tmp_path: Path
) -> None:
    spec = load_sensitivity(_write(tmp_path, MORRIS))
    report = run_sensitivity(db, spec)
    assert report.points == 4 * (2 + 1) and report.runs == 24
    legitimacy = report.to_dict()["outputs"]["legitimacy_end"]["parameters"]
    # starting legitimacy moves legitimacy after a year; the drawdown after an exit cannot,
    # since no mission is even asked to leave within twelve months
    assert legitimacy["legitimacy_initial"]["mu_star"] > 0.05
    assert legitimacy["drawdown_months"]["mu_star"] == 0.0
    assert legitimacy["legitimacy_initial"]["mu"] > 0  # higher start, higher end
    forced = report.to_dict()["outputs"]["forced_exit"]
    assert forced["constant"] and forced["parameters"]["drawdown_months"]["mu_star"] is None
    assert run_sensitivity(db, spec).to_dict()["outputs"] == report.to_dict()["outputs"]


@pytest.mark.slow
def test_sobol_is_deterministic_and_worker_independent(db, tmp_path: Path, dask_cluster) -> None:
    spec = load_sensitivity(_write(tmp_path, SOBOL))
    one = run_sensitivity(db, spec)
    two = run_sensitivity(db, spec, workers=2)
    cluster = run_sensitivity(db, spec, scheduler=dask_cluster.scheduler_address)
    assert one.points == 8 * (2 + 2)
    assert one.to_dict() == two.to_dict() == cluster.to_dict()
    indices = one.to_dict()["outputs"]["legitimacy_end"]["parameters"]
    assert set(indices) == {"legitimacy_initial", "weight_impartiality"}
    assert set(indices["weight_impartiality"]) == {"S1", "S1_conf", "ST", "ST_conf"}
    json.dumps(one.to_dict(), allow_nan=False)


def test_unknown_mission_fails_before_any_run(db, tmp_path: Path) -> None:
    spec = load_sensitivity(_write(tmp_path, MORRIS.replace("UNAMA", "UNAMAX")))
    with pytest.raises(SensitivityError, match="UNAMA"):
        run_sensitivity(db, spec)


def test_sensitivity_command(built_db, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from peaceops.cli import app

    runner = CliRunner()
    path = _write(tmp_path, MORRIS)
    report = tmp_path / "out" / "sa.json"
    result = runner.invoke(
        app, ["sensitivity", str(path), "--db", str(built_db), "--output", str(report)]
    )
    assert result.exit_code == 0, result.output
    assert "legitimacy_initial" in result.stdout and "mu_star" in result.stdout
    assert json.loads(report.read_text())["spec"]["method"] == "morris"
    bad = runner.invoke(
        app, ["sensitivity", str(_write(tmp_path, BAD["outside bounds"][0])), "--db", "x"]
    )
    assert bad.exit_code == 1 and "outside its bounds" in bad.stderr
